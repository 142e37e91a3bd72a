import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import {
  createAuditRepository,
  createBlobStore,
  createDb,
  createIdempotencyRepository,
  createLogger,
  createMailer,
  createOauthCodeRepository,
  createOauthIdentityRepository,
  createPasswordResetRepository,
  createRefreshTokenRepository,
  createResultRepository,
  createSubmissionEventHub,
  createSubmissionRepository,
  createUserRepository,
  type Config,
  type Logger,
} from '@voyce/core';
import type { ApiDeps } from './deps';
import { createPrincipalLookup } from './auth/principalLookup';

/**
 * Redis that never holds a request up: while disconnected, commands fail at once (no offline queue) and the
 * rate limiter fails open; ioredis keeps reconnecting in the background.
 */
function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false, enableAutoPipelining: true });
  let lastWarn = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - lastWarn < 30_000) return; // a down Redis reconnects in a loop: one line per 30 s is enough
    lastWarn = Date.now();
    logger.warn({ err: err.message }, 'redis unavailable; rate limits are not enforced until it is back');
  });
  return redis;
}

/** Wires the real clients from configuration. The Temporal connection is lazy so /ready can report it down. */
export function buildApiDeps(config: Config): ApiDeps & { close(): Promise<void> } {
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DATABASE_SSL);
  const logger = createLogger('api', config.LOG_LEVEL);
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
  const events = createSubmissionEventHub(config.DATABASE_URL, logger);
  const users = createUserRepository(db);
  const principals = createPrincipalLookup(users, config.DATABASE_URL, logger);
  const redis = config.RATE_LIMIT_ENABLED || config.ANALYTICS_CACHE_TTL_SECONDS > 0 ? createRedis(config.REDIS_URL, logger) : null;
  return {
    config,
    logger,
    db,
    users,
    principals,
    submissions: createSubmissionRepository(db),
    results: createResultRepository(db),
    idempotency: createIdempotencyRepository(db),
    refreshTokens: createRefreshTokenRepository(db),
    passwordResets: createPasswordResetRepository(db),
    audit: createAuditRepository(db),
    oauthIdentities: createOauthIdentityRepository(db),
    oauthCodes: createOauthCodeRepository(db),
    mailer: createMailer({ from: config.MAIL_FROM, url: config.MAIL_URL, dir: config.MAIL_DIR }),
    blob: createBlobStore({
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      stagingContainer: config.BLOB_STAGING_CONTAINER,
      audioContainer: config.BLOB_AUDIO_CONTAINER,
    }),
    temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    redis,
    events,
    async close() {
      redis?.disconnect();
      await events.close();
      await principals.close();
      await connection.close();
      await db.destroy();
    },
  };
}
