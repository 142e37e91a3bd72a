import type { BlobStore, AudioLimits, ProbeResult, ResultRepository, SubmissionRepository, Logger } from '@voyce/core';
import type { JobsClient } from '@voyce/databricks';

/** Everything the activities touch, passed in so tests can hand over real clients or simple fakes. */
export interface ActivityDeps {
  submissions: SubmissionRepository;
  results: ResultRepository;
  blob: BlobStore;
  jobs: JobsClient;
  probe: (source: string) => Promise<ProbeResult>;
  limits: AudioLimits;
  notebookRoot: string;
  sasTtlSeconds: number;
  pollMaxMs: number;
  logger?: Logger;
}

/** Every stage activity takes just the submission id: payloads carry ids, never audio. */
export interface SubmissionRef {
  submissionId: string;
}
