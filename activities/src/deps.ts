import type {
  AudioLimits,
  BatchInferenceRepository,
  BlobStore,
  DeviceRepository,
  Logger,
  Mailer,
  NotificationSettingsRepository,
  OrgModelRepository,
  ProbeHints,
  ProbeResult,
  ResultRepository,
  SubmissionRepository,
  UserRepository,
} from '@voyce/core';
import type { JobsClient } from '@voyce/databricks';
import type { RunCompletion } from './runEvents/waitForRunEnd';

/** Everything the activities touch, passed in so tests can hand over real clients or simple fakes. */
export interface ActivityDeps {
  submissions: SubmissionRepository;
  results: ResultRepository;
  blob: BlobStore;
  jobs: JobsClient;
  probe: (source: string, hints?: ProbeHints) => Promise<ProbeResult>;
  limits: AudioLimits;
  notebookRoot: string;
  /** The Whisper model or policy 02_voice_processing is asked for; empty or absent: the runtime's default. */
  transcriptionModel?: string;
  sasTtlSeconds: number;
  pollMaxMs: number;
  /** Model runs learn of their end by webhook (polling only as the fallback); absent: they poll runs/get. */
  runCompletion?: RunCompletion | undefined;
  logger?: Logger;
  /** Batch re-inference's queries and run summaries; absent where a process runs no batch re-inference. */
  batchInference?: BatchInferenceRepository;
  /**
   * Organisation models: which artifact a submission's organisation analyses with, and their training runs;
   * absent where a process trains none (analysis then always uses the jobs' default model).
   */
  orgModels?: OrgModelRepository;
  /** Absolute folder the jobs write organisation models to (ORG_MODELS_DIR); needed where orgModels is given. */
  orgModelsDir?: string;
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
