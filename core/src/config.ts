import { z } from 'zod';

const AZURITE_DEFAULT =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

/** The web app's Vite server and the Expo dev server (mobile web), for local development and tests only. */
const DEV_CORS_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173', 'http://127.0.0.1:8081', 'http://localhost:8081'];

/**
 * Where native apps may ask an OpenID sign-in to end (RFC 8252): Chrome's `chrome.identity.getRedirectURL()`
 * and the mobile app's custom schemes (Expo Go uses `exp://`). Production allows only what it configures.
 */
const DEV_OAUTH_NATIVE_REDIRECTS = ['https://*.chromiumapp.org/*', 'voyce://*', 'exp://*'];

const DEV_JWT_SECRET = 'voyce-local-development-secret-change-me-please';

/** A fixed, public development key: fine for local data, refused in production by `columnCipherFromConfig`. */
export const DEV_COLUMN_KEY = 'dev1:' + Buffer.alloc(32, 'voyce-dev-column-key').toString('base64');

const oauthProviders = z.array(
  z.object({
    name: z.string().regex(/^[a-z0-9-]{1,32}$/),
    issuer: z.url(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
  }),
);

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** Every setting Voyce reads, with local defaults; production must set the secrets explicitly. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_BASE_URL: z.url().optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').default('postgres://postgres@127.0.0.1:5432/voyce'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(10),
    /**
     * The role the API works as (SET ROLE on each connection, migration 015): not a table owner, so row-level
     * security holds. '' keeps the login role (the owner: row-level security off; benchmarks compare the two).
     */
    DATABASE_APP_ROLE: z.union([z.literal(''), z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL role name')]).default('voyce_app'),
    /** The explicitly cross-organisation role of workers and batch inference. */
    DATABASE_WORKER_ROLE: z.union([z.literal(''), z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL role name')]).default('voyce_worker'),
    TEMPORAL_ADDRESS: z.string().regex(/^[^:]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('voyce-submissions'),
    /** TLS to Temporal; on by default in production (a managed cluster or Temporal Cloud), off locally. */
    TEMPORAL_TLS: bool.optional(),
    /** TLS to PostgreSQL: disable | require (encrypted) | verify-full (encrypted, certificate checked); verify-full by default in production. */
    DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).optional(),
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
    AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(AZURITE_DEFAULT),
    BLOB_STAGING_CONTAINER: z.string().regex(/^[a-z0-9-]{3,63}$/).default('audio-staging'),
    BLOB_AUDIO_CONTAINER: z.string().regex(/^[a-z0-9-]{3,63}$/).default('audio'),
    SAS_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
    DATABRICKS_HOST: z.url().default('http://127.0.0.1:8765'),
    DATABRICKS_TOKEN: z.string().default(''),
    DATABRICKS_NOTEBOOK_ROOT: z.string().startsWith('/').default('/Workspace/voyce/notebooks'),
    DATABRICKS_POLL_MAX_MS: z.coerce.number().int().min(50).default(2000),
    /**
     * How the worker learns that a job run ended: `callback` (the run's webhook_notifications reach the worker's
     * run-events receiver; runs/get only every DATABRICKS_FALLBACK_POLL_MS) or `poll` (runs/get briskly, as before).
     * `callback` needs RUN_EVENTS_ADDRESS, RUN_EVENTS_SECRET and DATABRICKS_RUN_EVENTS_DESTINATION_ID; without them: poll.
     */
    DATABRICKS_RUN_COMPLETION: z.enum(['callback', 'poll']).default('callback'),
    /** The notification destination (generic webhook → this worker's receiver) named in each run's webhook_notifications. */
    DATABRICKS_RUN_EVENTS_DESTINATION_ID: z.string().trim().max(200).default(''),
    /** With callbacks: runs/get this often anyway, for callbacks that were lost. */
    DATABRICKS_FALLBACK_POLL_MS: z.coerce.number().int().min(100).default(10_000),
    /** Where the worker receives job-run webhooks (host:port; '' turns the receiver off). */
    RUN_EVENTS_ADDRESS: z.union([z.literal(''), z.string().regex(/^[^:]+:\d+$/, 'must be host:port or empty')]).default(''),
    /** Basic-auth password the destination sends (user `voyce-run-events`); at least 16 characters. */
    RUN_EVENTS_SECRET: z.union([z.literal(''), z.string().min(16, 'must be at least 16 characters')]).default(''),
    // The `model` parameter of 02_voice_processing (`base`, `tiny.en`, `auto` or a model folder on the cluster);
    // empty: the runtime's own default (VOYCE_WHISPER_MODEL, else base).
    TRANSCRIPTION_MODEL: z.string().trim().max(500).default(''),
    /**
     * Where `05_model_training` writes organisation models (`<dir>/<org>/<version>/model.json`): a folder the jobs
     * can read and write (a Unity Catalog volume on Databricks); a relative path is resolved by the worker.
     */
    ORG_MODELS_DIR: z.string().trim().min(1).default('.data/org-models'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(900),
    UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
    AUDIO_MIN_MS: z.coerce.number().int().min(0).default(500),
    AUDIO_MAX_MS: z.coerce.number().int().min(1000).default(10 * 60 * 1000),
    FFPROBE_PATH: z.string().default('ffprobe'),
    /** Live recognisers (`python -m voyce_ml.live`) that `/api/live` sessions are relayed to: host:port, comma-separated. */
    LIVE_WORKER_ADDRESSES: z.string().regex(/^[^:,\s]+:\d+(,[^:,\s]+:\d+)*$/, 'must be host:port[,host:port...]').default('127.0.0.1:8766'),
    /** Open live sessions one user may have at once (4429 past it). */
    LIVE_MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).default(2),
    /** Seconds without an audio frame after which a live session is closed. */
    LIVE_IDLE_SECONDS: z.coerce.number().int().min(1).default(30),
    /** `npm start`'s supervisor state (parts, pids, restarts): the API shows it on /ready and /metrics when set. */
    VOYCE_SUPERVISOR_STATE_FILE: z.string().optional(),
    /** Where the worker serves Temporal SDK and pipeline metrics for Prometheus ('' turns it off). */
    WORKER_METRICS_ADDRESS: z.union([z.literal(''), z.string().regex(/^[^:]+:\d+$/, 'must be host:port or empty')]).default('127.0.0.1:9464'),
    // Accounts and security (issue 6): every knob has a local default; production must set the secrets.
    REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(30 * 24 * 3600),
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
    // Sign-in throttling (api/src/auth/loginThrottle.ts): per (login name, client), a client being the device
    // cookie when it is valid for the account, else the IP; and a ceiling for all clients without one.
    /** Consecutive failures of one client for one login name that are free; each further one doubles a wait from 1 s. */
    LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).default(5),
    /** The longest wait between two tries of one client for one login name. */
    LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
    /** How long a client's failures are remembered (from its first one); a success forgets them at once. */
    LOGIN_FAILURE_MEMORY_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
    /** Failures of one login name from every client without its device cookie, per window, before only such clients may try. */
    LOGIN_CEILING_FAILURES: z.coerce.number().int().min(1).default(100),
    LOGIN_CEILING_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
    /** Life of the single-use link e-mailed when the ceiling is reached (at most one e-mail per account an hour). */
    LOGIN_UNLOCK_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(24 * 3600),
    /** Life of the signed device cookie a browser gets at each sign-in. */
    DEVICE_COOKIE_TTL_DAYS: z.coerce.number().int().min(1).max(730).default(365),
    PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(3600),
    WEB_APP_URL: z.url().default('http://127.0.0.1:5173'),
    /** Built web app the API serves on its own origin; unset: `web/dist` of the repository when built; '' turns it off. */
    WEB_DIST_DIR: z.string().optional(),
    MAIL_FROM: z.string().min(3).default('Voyce <no-reply@voyce.local>'),
    /** smtp(s):// URL of a real relay; when unset, messages are written as .eml files to MAIL_DIR. */
    MAIL_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
    MAIL_DIR: z.string().min(1).default('.data/mail'),
    /** Browser origins allowed to call the API (comma-separated); unset: none in production, the local dev servers otherwise. */
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v) => v?.split(',').map((o) => o.trim()).filter(Boolean)),
    /** Expo's push HTTP API (tests point it at a local receiver). */
    EXPO_PUSH_URL: z.url({ protocol: /^https?$/ }).default('https://exp.host/--/api/v2/push/send'),
    /**
     * Seconds between a push and fetching its receipts (from `getReceipts` beside EXPO_PUSH_URL), whose
     * DeviceNotRegistered errors remove devices. Expo suggests 15 minutes and keeps receipts about a day.
     */
    EXPO_PUSH_RECEIPT_DELAY_SECONDS: z.coerce.number().int().min(1).max(12 * 3600).default(15 * 60),
    /** Needed only when the Expo project enforces push security ("enhanced security for push notifications"). */
    EXPO_ACCESS_TOKEN: z.string().min(1).optional(),
    /** Seconds an analytics answer may be served from Redis (0 turns the cache off). */
    ANALYTICS_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** Who answers the analytics questions: PostgreSQL (default), or a Databricks SQL warehouse over the catalog's gold/silver tables. */
    ANALYTICS_BACKEND: z.enum(['postgres', 'databricks']).default('postgres'),
    /** Databricks SQL warehouse (ANALYTICS_BACKEND=databricks): server hostname, HTTP path, access token, catalog. */
    DATABRICKS_SQL_HOST: z.string().default(''),
    DATABRICKS_SQL_HTTP_PATH: z.string().default(''),
    DATABRICKS_SQL_TOKEN: z.string().default(''),
    DATABRICKS_SQL_CATALOG: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a catalog name').default('voyce_catalog'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
    RATE_LIMIT_ENABLED: bool.default(true),
    /** Key prefix in Redis: replicas of one deployment share it; tests isolate themselves with their own. */
    RATE_LIMIT_PREFIX: z.string().min(1).default('voyce:rl:'),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_AUTH_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
    RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(100),
    /** Password-reset e-mails per address and RATE_LIMIT_AUTH_WINDOW_SECONDS (failed sign-ins are LOGIN_* above). */
    RATE_LIMIT_RESETS_PER_ADDRESS: z.coerce.number().int().min(1).default(5),
    RATE_LIMIT_UPLOADS_PER_USER: z.coerce.number().int().min(1).default(120),
    /** Which hops may set X-Forwarded-For (Express `trust proxy`): per-IP limits need the real client address. */
    TRUST_PROXY: z
      .string()
      .default('loopback')
      .transform((v) => (/^\d+$/.test(v) ? Number(v) : v)),
    /** `id:base64key,...` (32-byte AES-256 keys). Old ids stay listed until `voyce keys re-encrypt` has run. */
    COLUMN_ENCRYPTION_KEYS: z.string().default(DEV_COLUMN_KEY),
    /** The key id new values are encrypted under; defaults to the first listed. */
    COLUMN_ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
    /** JSON list of OpenID Connect providers: `[{"name","issuer","clientId","clientSecret"}]`. */
    OAUTH_PROVIDERS: z
      .string()
      .default('[]')
      .transform((v, ctx) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(v);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
        const result = oauthProviders.safeParse(parsed);
        if (!result.success) {
          ctx.addIssue({ code: 'custom', message: `must be [{name, issuer, clientId, clientSecret}]: ${result.error.issues[0]?.message ?? ''}` });
          return z.NEVER;
        }
        return result.data;
      }),
    /**
     * Redirect URIs native clients (the Chrome extension, the mobile app) may use for OpenID sign-in, comma-separated;
     * `*` matches one host label part in an http(s) host and anything elsewhere. Unset: none in production,
     * `https://*.chromiumapp.org/*`, `voyce://*` and `exp://*` otherwise.
     */
    OAUTH_NATIVE_REDIRECTS: z
      .string()
      .optional()
      .transform((v) => v?.split(',').map((o) => o.trim()).filter(Boolean)),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set to a secret of your own in production' });
    }
    if (c.ANALYTICS_BACKEND === 'databricks') {
      for (const key of ['DATABRICKS_SQL_HOST', 'DATABRICKS_SQL_HTTP_PATH', 'DATABRICKS_SQL_TOKEN'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'must be set when ANALYTICS_BACKEND=databricks' });
      }
    }
    if (c.RUN_EVENTS_ADDRESS && !c.RUN_EVENTS_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['RUN_EVENTS_SECRET'], message: 'must be set when RUN_EVENTS_ADDRESS is (the receiver never runs unauthenticated)' });
    }
    if (c.AUDIO_MIN_MS >= c.AUDIO_MAX_MS) {
      ctx.addIssue({ code: 'custom', path: ['AUDIO_MIN_MS'], message: 'must be below AUDIO_MAX_MS' });
    }
  })
  // Transport security follows the environment unless set: encrypted outside local development and tests.
  .transform((c) => ({
    ...c,
    TEMPORAL_TLS: c.TEMPORAL_TLS ?? c.NODE_ENV === 'production',
    DATABASE_SSL: c.DATABASE_SSL ?? (c.NODE_ENV === 'production' ? ('verify-full' as const) : ('disable' as const)),
    CORS_ORIGINS: c.CORS_ORIGINS ?? (c.NODE_ENV === 'production' ? [] : DEV_CORS_ORIGINS),
    OAUTH_NATIVE_REDIRECTS: c.OAUTH_NATIVE_REDIRECTS ?? (c.NODE_ENV === 'production' ? [] : DEV_OAUTH_NATIVE_REDIRECTS),
  }));

export type Config = z.infer<typeof schema>;

/** Thrown at start-up when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the configuration once; fails fast naming each variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
