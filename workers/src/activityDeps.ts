import path from 'node:path';
import {
  columnCipherFromConfig,
  createBatchInferenceRepository,
  createBlobStore,
  createDb,
  createDeviceRepository,
  createMailer,
  createNotificationSettingsRepository,
  createOrgModelRepository,
  createResultRepository,
  createSubmissionRepository,
  createUserRepository,
  probeAudio,
  type Config,
  type Db,
  type Logger,
} from '@voyce/core';
import { createJobsClient } from '@voyce/databricks';
import type { ActivityDeps } from '@voyce/activities';

/** Wires the real clients the activities use from configuration. */
export function buildActivityDeps(config: Config, logger: Logger): { deps: ActivityDeps; db: Db } {
  // Workers and batch inference act for every organisation: the explicit cross-organisation role (migration 015).
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DATABASE_SSL, config.DATABASE_WORKER_ROLE);
  const limits = { minMs: config.AUDIO_MIN_MS, maxMs: config.AUDIO_MAX_MS, maxBytes: config.UPLOAD_MAX_BYTES };
  const deps: ActivityDeps = {
    submissions: createSubmissionRepository(db),
    results: createResultRepository(db),
    batchInference: createBatchInferenceRepository(db),
    orgModels: createOrgModelRepository(db),
    // the jobs runtime runs beside the worker locally; on Databricks this is an absolute volume path already
    orgModelsDir: path.resolve(config.ORG_MODELS_DIR),
    blob: createBlobStore({
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      stagingContainer: config.BLOB_STAGING_CONTAINER,
      audioContainer: config.BLOB_AUDIO_CONTAINER,
    }),
    jobs: createJobsClient({ host: config.DATABRICKS_HOST, token: config.DATABRICKS_TOKEN }),
    probe: (source, hints) => probeAudio(source, limits, { ffprobe: config.FFPROBE_PATH, ffmpeg: config.FFPROBE_PATH.replace(/ffprobe$/, 'ffmpeg') }, hints),
    limits,
    notebookRoot: config.DATABRICKS_NOTEBOOK_ROOT,
    transcriptionModel: config.TRANSCRIPTION_MODEL,
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
