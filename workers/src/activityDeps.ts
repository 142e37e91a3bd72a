import {
  columnCipherFromConfig,
  createBlobStore,
  createDb,
  createDeviceRepository,
  createMailer,
  createNotificationSettingsRepository,
  createResultRepository,
  createSubmissionRepository,
  createUserRepository,
  probeAudio,
  type Config,
  type Db,
  type Logger,
} from '@voyce/core';
import { createBatchInferenceRepository } from '@voyce/core/src/db/batchInferenceRepository';
import { createJobsClient } from '@voyce/databricks';
import type { ActivityDeps } from '@voyce/activities';

/** Wires the real clients the activities use from configuration. */
export function buildActivityDeps(config: Config, logger: Logger): { deps: ActivityDeps; db: Db } {
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DATABASE_SSL);
  const limits = { minMs: config.AUDIO_MIN_MS, maxMs: config.AUDIO_MAX_MS, maxBytes: config.UPLOAD_MAX_BYTES };
  const deps: ActivityDeps = {
    submissions: createSubmissionRepository(db),
    results: createResultRepository(db),
    batchInference: createBatchInferenceRepository(db),
    blob: createBlobStore({
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      stagingContainer: config.BLOB_STAGING_CONTAINER,
      audioContainer: config.BLOB_AUDIO_CONTAINER,
    }),
    jobs: createJobsClient({ host: config.DATABRICKS_HOST, token: config.DATABRICKS_TOKEN }),
    probe: (source) => probeAudio(source, limits, { ffprobe: config.FFPROBE_PATH, ffmpeg: config.FFPROBE_PATH.replace(/ffprobe$/, 'ffmpeg') }),
    limits,
    notebookRoot: config.DATABRICKS_NOTEBOOK_ROOT,
    sasTtlSeconds: config.SAS_TTL_SECONDS,
    pollMaxMs: config.DATABRICKS_POLL_MAX_MS,
    logger,
    notifier: {
      // The worker decrypts webhook signing secrets to sign deliveries: it needs the column keys.
      settings: createNotificationSettingsRepository(db, columnCipherFromConfig(config)),
      users: createUserRepository(db),
      mailer: createMailer({ from: config.MAIL_FROM, url: config.MAIL_URL, dir: config.MAIL_DIR }),
      webhookTimeoutMs: 10_000,
      push: {
        devices: createDeviceRepository(db),
        url: config.EXPO_PUSH_URL,
        accessToken: config.EXPO_ACCESS_TOKEN,
        timeoutMs: 10_000,
        receiptDelayMs: config.EXPO_PUSH_RECEIPT_DELAY_SECONDS * 1000,
      },
    },
  };
  return { deps, db };
}
