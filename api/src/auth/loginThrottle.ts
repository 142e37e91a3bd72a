import { createHash } from 'node:crypto';
import type { Db } from '@voyce/core';
import { ipKeyGenerator } from 'express-rate-limit';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiDeps } from '../deps';

type ThrottleConfig = Pick<
  ApiDeps['config'],
  'LOGIN_FREE_FAILURES' | 'LOGIN_MAX_DELAY_SECONDS' | 'LOGIN_FAILURE_MEMORY_SECONDS' | 'LOGIN_CEILING_FAILURES' | 'LOGIN_CEILING_WINDOW_SECONDS'
>;

/** One sign-in try: the login name as typed, and the client, i.e. the device cookie's nonce when valid for the account, else the IP. */
export interface LoginAttempt {
  login: string;
  device: string | undefined;
  ip: string | undefined;
}

/** Why a try is not let through, and for how long. */
export interface LoginRefusal {
  reason: 'delay' | 'ceiling';
  retryAfterSeconds: number;
}

/** A try that was let through; hand it back to `failed` or `succeeded`. */
export interface AdmittedAttempt extends LoginAttempt {
  /** Tries of this login name by clients without its device cookie in the current window, this one included (0 for a trusted device). */
  untrustedTries: number;
}

export interface LoginThrottle {
  /** Lets a try through, or says why not. A client without the device cookie spends one of the account's ceiling tries. */
  admit(attempt: LoginAttempt): Promise<{ admitted: AdmittedAttempt } | { refused: LoginRefusal }>;
  /** Counts a failure of this client; from the LOGIN_FREE_FAILURES-th on it must wait 1 s, 2 s, 4 s … before the next. */
  failed(attempt: AdmittedAttempt): Promise<{ failures: number; delaySeconds: number; ceilingReached: boolean }>;
  /** Forgets the client's failures, and gives an untrusted client's ceiling try back. */
  succeeded(attempt: AdmittedAttempt): Promise<void>;
  /** Lifts the ceiling of these login names (the account's e-mail and username) after an unlock. */
  liftCeiling(logins: string[]): Promise<void>;
  /** True for the first call per account in an hour: the unlock e-mail goes out at most that often. */
  claimUnlockMail(userId: string): Promise<boolean>;
}

// Login names go into the table as digests: the counters must not become a list of who tried to sign in.
const accountKey = (login: string) => createHash('sha256').update(login.trim().toLowerCase()).digest('base64url');
const clientKey = (a: LoginAttempt) => `${accountKey(a.login)}:${a.device ? `d:${a.device}` : `ip:${ipKeyGenerator(a.ip ?? 'unknown')}`}`;

const TABLE = 'login_throttle';
const UNLOCK_MAIL_INTERVAL_SECONDS = 3600;

/**
 * Sign-in throttling after OWASP's Authentication Cheat Sheet, on rate-limiter-flexible's PostgreSQL store (the
 * table of migration 018): every replica sees the same counts, they survive restarts, and PostgreSQL is what a
 * sign-in needs anyway, so the throttle is up exactly when sign-in is (Redis, whose limits fail open, would not do).
 */
export function createLoginThrottle(db: Db, config: ThrottleConfig): LoginThrottle {
  const store = { storeClient: db, storeType: 'knex', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false };
  // Consecutive failures per (account, client); never refuses by itself, `waits` does.
  const failures = new RateLimiterPostgres({ ...store, keyPrefix: 'fail', points: 1_000_000, duration: config.LOGIN_FAILURE_MEMORY_SECONDS });
  // A row here is a wait in force for that (account, client); only `block` writes it.
  const waits = new RateLimiterPostgres({ ...store, keyPrefix: 'wait', points: 1, duration: config.LOGIN_MAX_DELAY_SECONDS });
  // Tries per account from clients without its device cookie; the one limiter that sweeps expired rows.
  const ceiling = new RateLimiterPostgres({ ...store, clearExpiredByTimeout: true, keyPrefix: 'ceil', points: config.LOGIN_CEILING_FAILURES, duration: config.LOGIN_CEILING_WINDOW_SECONDS });
  const unlockMails = new RateLimiterPostgres({ ...store, keyPrefix: 'mail', points: 1, duration: UNLOCK_MAIL_INTERVAL_SECONDS });

  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    async admit(attempt) {
      const wait = await waits.get(clientKey(attempt));
      if (wait && wait.msBeforeNext > 0) return { refused: { reason: 'delay', retryAfterSeconds: seconds(wait.msBeforeNext) } };
      if (attempt.device) return { admitted: { ...attempt, untrustedTries: 0 } };
      try {
        // Consumed before the password is tried, so parallel requests cannot overshoot the ceiling.
        const res = await ceiling.consume(accountKey(attempt.login));
        return { admitted: { ...attempt, untrustedTries: res.consumedPoints } };
      } catch (err) {
        if (err instanceof RateLimiterRes) return { refused: { reason: 'ceiling', retryAfterSeconds: seconds(err.msBeforeNext) } };
        throw err;
      }
    },

    async failed(attempt) {
      const key = clientKey(attempt);
      const { consumedPoints: count } = await failures.penalty(key, 1);
      const delaySeconds = count >= config.LOGIN_FREE_FAILURES ? Math.min(config.LOGIN_MAX_DELAY_SECONDS, 2 ** (count - config.LOGIN_FREE_FAILURES)) : 0;
      if (delaySeconds > 0) await waits.block(key, delaySeconds);
      return { failures: count, delaySeconds, ceilingReached: !attempt.device && attempt.untrustedTries >= config.LOGIN_CEILING_FAILURES };
    },

    async succeeded(attempt) {
      const key = clientKey(attempt);
      await Promise.all([failures.delete(key), waits.delete(key), attempt.device ? undefined : ceiling.reward(accountKey(attempt.login), 1)]);
    },

    async liftCeiling(logins) {
      await Promise.all(logins.map((login) => ceiling.delete(accountKey(login))));
    },

    async claimUnlockMail(userId) {
      try {
        await unlockMails.consume(userId);
        return true;
      } catch (err) {
        if (err instanceof RateLimiterRes) return false;
        throw err;
      }
    },
  };
}
