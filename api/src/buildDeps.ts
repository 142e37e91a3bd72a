import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import {
  createAuditRepository,
  createBlobStore,
  createDb,
  createIdempotencyRepository,
  createLabelRepository,
  createLogger,
  createLoginUnlockRepository,
  createMailer,
  createOauthCodeRepository,
  createOauthIdentityRepository,
  createOrganisationRepository,
  createOrgModelRepository,
  scopeConnections,
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
import { createLoginThrottle } from './auth/loginThrottle';
import { accountsWithMemberships, createPrincipalLookup } from './auth/principalLookup';
import { currentScope } from './orgs/requestScope';
import { settleTemporalProbes } from './service/readiness';

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
  // The owner's connection runs migrations and answers /ready; everything a request does goes through appDb,
  // whose connections work as DATABASE_APP_ROLE under row-level security with the request's scope.
  const db = createDb(config.DATABASE_URL, 2, config.DATABASE_SSL);
  const appDb = config.DATABASE_APP_ROLE
    ? scopeConnections(createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DATABASE_SSL, config.DATABASE_APP_ROLE), currentScope)
    : createDb(config.DATABASE_URL, config.DATABASE_POOL_MAX, config.DATABASE_SSL);
  const logger = createLogger('api', config.LOG_LEVEL);
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
  const events = createSubmissionEventHub(config.DATABASE_URL, logger);
  const users = createUserRepository(appDb);
  const orgs = createOrganisationRepository(appDb);
  const principals = createPrincipalLookup(accountsWithMemberships(users, orgs), config.DATABASE_URL, logger);
  const redis = config.RATE_LIMIT_ENABLED || config.ANALYTICS_CACHE_TTL_SECONDS > 0 ? createRedis(config.REDIS_URL, logger) : null;
  return {
    config,
    logger,
    db,
    appDb,
    crossOrg: { submissions: createSubmissionRepository(db), results: createResultRepository(db) },
    users,
    orgs,
    orgModels: createOrgModelRepository(appDb),
    principals,
    submissions: createSubmissionRepository(appDb),
    results: createResultRepository(appDb),
    labels: createLabelRepository(appDb),
    idempotency: createIdempotencyRepository(appDb),
    refreshTokens: createRefreshTokenRepository(appDb),
    passwordResets: createPasswordResetRepository(appDb),
    loginThrottle: createLoginThrottle(appDb, config),
    loginUnlocks: createLoginUnlockRepository(appDb),
    audit: createAuditRepository(appDb),
    oauthIdentities: createOauthIdentityRepository(appDb),
    oauthCodes: createOauthCodeRepository(appDb),
    mailer: createMailer({ from: config.MAIL_FROM, url: config.MAIL_URL, dir: config.MAIL_DIR }),
    blob: createBlobStore({
      connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
      stagingContainer: config.BLOB_STAGING_CONTAINER,
      audioContainer: config.BLOB_AUDIO_CONTAINER,
      // A client waiting on an upload is better told "503, retry in 5 s" than held through 30 s of SDK retries.
      retryOptions: { maxTries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
    }),
    temporal: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    redis,
    events,
    async close() {
      redis?.disconnect();
      await events.close();
      await principals.close();
      await settleTemporalProbes(); // their retry timers must not outlive the connection
      await connection.close();
      await appDb.destroy();
      await db.destroy();
    },
  };
}
