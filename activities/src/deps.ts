import type {
  AudioLimits,
  BlobStore,
  DeviceRepository,
  Logger,
  Mailer,
  NotificationSettingsRepository,
  ProbeResult,
  ResultRepository,
  SubmissionRepository,
  UserRepository,
} from '@voyce/core';
import type { BatchInferenceRepository } from '@voyce/core/src/db/batchInferenceRepository';
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
  /** Batch re-inference's queries and run summaries; absent where a process runs no batch re-inference. */
  batchInference?: BatchInferenceRepository;
  /** Webhook and e-mail delivery; absent where a process sends no notifications. */
  notifier?: NotifierDeps;
}

/** What notifying a submission's owner needs. */
export interface NotifierDeps {
  settings: NotificationSettingsRepository;
  users: UserRepository;
  mailer: Mailer;
  webhookTimeoutMs: number;
  /** Push notifications through Expo's push API; absent where a process sends none. */
  push?: PushDeps;
}

/** What sending push notifications to the owner's devices needs. */
export interface PushDeps {
  devices: DeviceRepository;
  /** Expo's /push/send endpoint (EXPO_PUSH_URL). */
  url: string;
  /** EXPO_ACCESS_TOKEN, for projects with enhanced push security. */
  accessToken?: string | undefined;
  timeoutMs: number;
  /**
   * How long the notify workflow waits after a send before fetching its receipts (EXPO_PUSH_RECEIPT_DELAY_SECONDS;
   * Expo suggests about 15 minutes). The receipts endpoint is derived from `url` (see expoReceiptsUrl).
   */
  receiptDelayMs: number;
}

/** Every stage activity takes just the submission id: payloads carry ids, never audio. */
export interface SubmissionRef {
  submissionId: string;
}
