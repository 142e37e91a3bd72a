/**
 * What the API (and operators' tools) know of the workflows: names and shapes, no workflow code. The API may
 * import this; it imports workflow *values* nowhere, so the workflow bundle and the server stay apart.
 */
import type { SubmissionStatus } from './submission';

/** The Temporal Schedule that starts batch inference (created by the worker at start). */
export const BATCH_INFERENCE_SCHEDULE_ID = 'voyce-batch-inference';

/** The name of the submission workflow's query that answers its progress. */
export const PROGRESS_QUERY = 'progress';

/** What `PROGRESS_QUERY` answers. */
export interface PipelineProgress {
  stage: SubmissionStatus;
  error?: { code: string; message: string };
}
