import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, so the Temporal UI and CLI can list for example every failed submission of one
 * user (`VoyceStatus = 'failed' AND VoyceUserId = '…'`). Registered by the worker at start (and by the local
 * dev server's flags); a workflow only sets them after that has happened.
 */
export const VOYCE_STATUS = defineSearchAttributeKey('VoyceStatus', SearchAttributeType.KEYWORD);
export const VOYCE_USER_ID = defineSearchAttributeKey('VoyceUserId', SearchAttributeType.KEYWORD);
export const VOYCE_CATEGORY = defineSearchAttributeKey('VoyceCategory', SearchAttributeType.KEYWORD);
export const VOYCE_MODEL_VERSION = defineSearchAttributeKey('VoyceModelVersion', SearchAttributeType.KEYWORD);

export const VOYCE_SEARCH_ATTRIBUTES = [VOYCE_STATUS, VOYCE_USER_ID, VOYCE_CATEGORY, VOYCE_MODEL_VERSION] as const;

/** The patch id guarding the upserts: runs recorded before them replay without. */
export const SEARCH_ATTRIBUTES_PATCH = 'voyce-search-attributes-v1';
