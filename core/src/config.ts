import { z } from 'zod';

const AZURITE_DEFAULT =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

const DEV_JWT_SECRET = 'voyce-local-development-secret-change-me-please';

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
    TEMPORAL_ADDRESS: z.string().regex(/^[^:]+:\d+$/, 'must be host:port').default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('voyce-submissions'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
    AZURE_STORAGE_CONNECTION_STRING: z.string().min(1).default(AZURITE_DEFAULT),
    BLOB_STAGING_CONTAINER: z.string().regex(/^[a-z0-9-]{3,63}$/).default('audio-staging'),
    BLOB_AUDIO_CONTAINER: z.string().regex(/^[a-z0-9-]{3,63}$/).default('audio'),
    SAS_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(1800),
    DATABRICKS_HOST: z.url().default('http://127.0.0.1:8765'),
    DATABRICKS_TOKEN: z.string().default(''),
    DATABRICKS_NOTEBOOK_ROOT: z.string().startsWith('/').default('/Workspace/voyce/notebooks'),
    DATABRICKS_POLL_MAX_MS: z.coerce.number().int().min(50).default(2000),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
    JWT_ACCESS_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(900),
    UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
    AUDIO_MIN_MS: z.coerce.number().int().min(0).default(500),
    AUDIO_MAX_MS: z.coerce.number().int().min(1000).default(10 * 60 * 1000),
    FFPROBE_PATH: z.string().default('ffprobe'),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set to a secret of your own in production' });
    }
    if (c.AUDIO_MIN_MS >= c.AUDIO_MAX_MS) {
      ctx.addIssue({ code: 'custom', path: ['AUDIO_MIN_MS'], message: 'must be below AUDIO_MAX_MS' });
    }
  });

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
