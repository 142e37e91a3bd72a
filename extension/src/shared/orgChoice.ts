/**
 * The organisation uploads go into, remembered in chrome.storage.local per signed-in user (two people signing in
 * on one browser each keep their own choice). The popup checks it against `GET /api/orgs`; the worker reads it
 * for the live `start` message.
 */
import { parseRememberedOrg, type OrgMembership, type RememberedOrg } from '@voyce/api-client';

export type StorageArea = Pick<chrome.storage.StorageArea, 'get' | 'set'>;

/** What `orgs/list` answers: the signed-in user and their organisations, or `items: null` when the server cannot say. */
export interface OrgsAnswer {
  userId: string;
  items: OrgMembership[] | null;
}

export const orgKey = (userId: string): string => `uploadOrg:${userId}`;

/** The user's remembered organisation, or null (never chosen, or malformed). */
export async function rememberedOrg(storage: StorageArea, userId: string): Promise<RememberedOrg | null> {
  const key = orgKey(userId);
  return parseRememberedOrg(((await storage.get(key)) as Record<string, unknown>)[key]);
}

export async function rememberOrg(storage: StorageArea, userId: string, org: RememberedOrg): Promise<void> {
  await storage.set({ [orgKey(userId)]: { id: org.id, name: org.name } });
}
