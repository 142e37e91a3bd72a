import type {
  AudioLimits,
  BlobStore,
  Logger,
  Mailer,
  NotificationSettingsRepository,
  ProbeResult,
  ResultRepository,
  SubmissionRepository,
  UserRepository,
} from '@voyce/core';
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
  /** Webhook and e-mail delivery; absent where a process sends no notifications. */
  notifier?: NotifierDeps;
}

/** What notifying a submission's owner needs. */
export interface NotifierDeps {
  settings: NotificationSettingsRepository;
  users: UserRepository;
  mailer: Mailer;
  webhookTimeoutMs: number;
}

/** Every stage activity takes just the submission id: payloads carry ids, never audio. */
export interface SubmissionRef {
  submissionId: string;
}
