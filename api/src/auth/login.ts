import { unauthenticated, verifyPassword, type UserWithSecret } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { RateLimitedError } from '../http/rateLimited';
import type { AdmittedAttempt, LoginRefusal } from './loginThrottle';
import { mailUnlockLink } from './loginUnlock';

type LoginDeps = Pick<ApiDeps, 'users' | 'audit' | 'config' | 'loginThrottle' | 'loginUnlocks' | 'mailer' | 'logger'>;

/** Where a sign-in comes from: the IP, and the device (nonce of a valid device cookie) once the account is known. */
export interface LoginClient {
  ip: string | undefined;
  deviceFor(userId: string): string | undefined;
}

const wrong = () => unauthenticated('The login or password is wrong.');

const refused = (r: LoginRefusal) =>
  r.reason === 'ceiling'
    ? new RateLimitedError(
        r.retryAfterSeconds,
        'login_ceiling',
        'Too many failed sign-ins for this account from unrecognised devices. Try again later, or from a device that signed in before; the account owner is e-mailed a link that lets them in.',
      )
    : new RateLimitedError(r.retryAfterSeconds, 'login_throttled', 'Too many failed sign-ins from this client; wait before trying again.');

/**
 * Checks a login and password under the throttle of loginThrottle.ts: never a lock, only waits (429 with
 * Retry-After) for the client that keeps failing, and the account's ceiling for clients without its device cookie.
 * Unknown logins, wrong passwords and disabled accounts answer the same 401 after the same argon2 work, and are
 * throttled alike (the counters are keyed by the name as typed), so neither answers nor timing tell which names exist.
 */
export async function checkLogin(deps: LoginDeps, login: string, password: string, client: LoginClient): Promise<UserWithSecret> {
  const user = await deps.users.findByLogin(login);
  const ip = client.ip ?? null;
  const gate = await deps.loginThrottle.admit({ login, ip: client.ip, device: user ? client.deviceFor(user.id) : undefined });
  if ('refused' in gate) {
    if (gate.refused.reason === 'ceiling' && user) sendUnlockMail(deps, user, client.ip);
    throw refused(gate.refused);
  }
  const attempt = gate.admitted;
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok || user.disabled) {
    const after = await deps.loginThrottle.failed(attempt);
    // In the background: an unknown name has no audit row to write, so waiting for this one would time known names apart.
    if (user) recordFailure(deps, user, { ...attempt, ...after, disabled: ok }).catch((err: unknown) => deps.logger.error({ err }, 'audit of a failed sign-in failed'));
    throw wrong();
  }
  await deps.loginThrottle.succeeded(attempt);
  await deps.users.recordLoginSuccess(user.id);
  await deps.audit.record({ action: 'auth.login', actorId: user.id, subjectUserId: user.id, ip, detail: { trustedDevice: Boolean(attempt.device) } });
  return user;
}

async function recordFailure(
  deps: LoginDeps,
  user: UserWithSecret,
  f: AdmittedAttempt & { failures: number; delaySeconds: number; ceilingReached: boolean; disabled: boolean },
): Promise<void> {
  const ip = f.ip ?? null;
  const detail = { failures: f.failures, delaySeconds: f.delaySeconds, trustedDevice: Boolean(f.device), ...(f.disabled ? { reason: 'disabled' } : {}) };
  await deps.audit.record({ action: 'auth.login_failed', subjectUserId: user.id, ip, detail });
  if (!f.ceilingReached) return;
  await deps.audit.record({ action: 'auth.login_ceiling', subjectUserId: user.id, ip, detail: { tries: f.untrustedTries } });
  await mailUnlockLink(deps, user, f.ip);
}

// In the background: the answer must not wait for (or, by its timing, reveal) the e-mail.
function sendUnlockMail(deps: LoginDeps, user: UserWithSecret, ip: string | undefined): void {
  mailUnlockLink(deps, user, ip).catch((err: unknown) => deps.logger.error({ err }, 'unlock e-mail failed'));
}
