import type { Db } from './knex';
import { submissionListing } from './submissions/listing';
import { submissionPipelineState } from './submissions/pipelineState';
import { submissionRecords } from './submissions/records';

export type { NewSubmission } from './submissions/records';
export type { ListFilter } from './submissions/listing';
export type { StatusChange } from './submissions/pipelineState';
export { SUBMISSION_LANGUAGE } from './submissions/submissionRow';

/**
 * Submissions in PostgreSQL, by concern: the record itself (`submissions/records.ts`), lists and search
 * (`submissions/listing.ts`) and the pipeline's state (`submissions/pipelineState.ts`), composed into the one
 * repository the API and the activities receive.
 */
export function createSubmissionRepository(db: Db) {
  return { ...submissionRecords(db), ...submissionListing(db), ...submissionPipelineState(db) };
}

export type SubmissionRepository = ReturnType<typeof createSubmissionRepository>;
