import pino, { type Logger } from 'pino';

/** Structured JSON logs; secrets and tokens are redacted wherever they appear in a logged object. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.query.access_token', '*.password', '*.passwordHash', '*.token', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
