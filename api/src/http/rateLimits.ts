import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { ApiDeps } from '../deps';
import type { TokenService } from '../auth/tokens';
import { RateLimitedError } from './rateLimited';
import { ResilientRedisStore } from './redisRateLimitStore';

export interface RateLimits {
  /** Every /api request, per client IP. */
  perIp: RequestHandler;
  /** Every request carrying a valid access token, per account (so many IPs cannot multiply one user's quota). */
  perUser: RequestHandler;
  /** login, register, password reset, unlock: per IP, much stricter. (Failed logins per account: auth/loginThrottle.ts.) */
  authPerIp: RequestHandler;
  /** Reset e-mails per address, so nobody can flood a mailbox. */
  resetPerAccount: RequestHandler;
  /** Uploads per account. */
  uploadsPerUser: RequestHandler;
}

const passThrough: RequestHandler = (_req, _res, next) => next();

// E-mail addresses go to Redis hashed: the counters should not become a list of who tried to sign in.
const digest = (s: string) => createHash('sha256').update(s.trim().toLowerCase()).digest('base64url');

const bodyField = (req: Request, field: string): string | undefined => {
  const value = (req.body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' && value.length <= 254 ? value : undefined;
};

/** Builds the limiters; counters live in Redis so every API replica sees the same counts. */
export function createRateLimits(deps: Pick<ApiDeps, 'config' | 'redis' | 'logger'>, tokens: TokenService): RateLimits {
  const { config, redis } = deps;
  if (!config.RATE_LIMIT_ENABLED || !redis) {
    return { perIp: passThrough, perUser: passThrough, authPerIp: passThrough, resetPerAccount: passThrough, uploadsPerUser: passThrough };
  }
  const callerId = (req: Request): string | undefined => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return match?.[1] ? tokens.verifyAccess(match[1])?.sub : undefined;
  };
  const ipKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

  const limiter = (name: string, windowSeconds: number, limit: number, extra: Partial<Options>): RequestHandler =>
    rateLimit({
      windowMs: windowSeconds * 1000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: name,
      store: new ResilientRedisStore(redis, `${config.RATE_LIMIT_PREFIX}${name}:`),
      // Availability over strictness: a Redis outage must not take sign-in down; it is logged by the client.
      passOnStoreError: true,
      handler: (req, _res, next) => {
        const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + windowSeconds * 1000;
        next(new RateLimitedError((reset - Date.now()) / 1000));
      },
      ...extra,
    });

  const window = config.RATE_LIMIT_WINDOW_SECONDS;
  const authWindow = config.RATE_LIMIT_AUTH_WINDOW_SECONDS;
  return {
    perIp: limiter('ip', window, config.RATE_LIMIT_PER_IP, { keyGenerator: ipKey }),
    perUser: limiter('user', window, config.RATE_LIMIT_PER_USER, { keyGenerator: (req) => callerId(req) ?? '', skip: (req) => !callerId(req) }),
    authPerIp: limiter('auth-ip', authWindow, config.RATE_LIMIT_AUTH_PER_IP, { keyGenerator: ipKey }),
    resetPerAccount: limiter('reset', authWindow, config.RATE_LIMIT_RESETS_PER_ADDRESS, {
      keyGenerator: (req) => digest(bodyField(req, 'email') ?? ''),
      skip: (req) => !bodyField(req, 'email'),
    }),
    uploadsPerUser: limiter('upload', window, config.RATE_LIMIT_UPLOADS_PER_USER, { keyGenerator: (req) => callerId(req) ?? ipKey(req) }),
  };
}
