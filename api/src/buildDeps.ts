import { Client, Connection } from '@temporalio/client';
import {
  createBlobStore,
  createDb,
  createIdempotencyRepository,
  createLogger,
  createResultRepository,
  createSubmissionRepository,
  createUserRepository,
  type Config,
} from '@voyce/core';
import type { ApiDeps } from './deps';

/** Wires the real clients from configuration. The Temporal connection is lazy so /ready can report it down. */
export function buildApiDeps(config: Config): ApiDeps & { close(): Promise<void> } {
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
  return {
    config,
    logger: createLogger('api', config.LOG_LEVEL),
    db,
    users: createUserRepository(db),
    submissions: createSubmissionRepository(db),
    results: createResultRepository(db),
    idempotency: createIdempotencyRepository(db),
    blob: createBlobStore({
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      stagingContainer: config.BLOB_STAGING_CONTAINER,
      audioContainer: config.BLOB_AUDIO_CONTAINER,
    }),
    temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    async close() {
      await connection.close();
      await db.destroy();
    },
  };
}
