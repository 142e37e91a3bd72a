import { unauthenticated, verifyPassword, type UserWithSecret } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { RateLimitedError } from '../http/rateLimited';

type LoginDeps = Pick<ApiDeps, 'users' | 'audit' | 'config'>;

const wrong = () => unauthenticated('The login or password is wrong.');

/**
 * Checks a login and password with a per-account back-off: after LOGIN_MAX_FAILURES consecutive failures the
 * account is locked for LOGIN_LOCK_SECONDS (429 with Retry-After) and the password is not even tried.
 * Unknown logins, wrong passwords and disabled accounts all answer the same 401, after the same argon2 work.
 */
export async function checkLogin(deps: LoginDeps, login: string, password: string, ip: string | undefined): Promise<UserWithSecret> {
  const user = await deps.users.findByLogin(login);
  const now = Date.now();
  if (user?.lockedUntil && user.lockedUntil.getTime() > now) {
    throw new RateLimitedError((user.lockedUntil.getTime() - now) / 1000, 'account_locked', 'Too many failed sign-ins; the account is locked for a while.');
  }
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user) throw wrong();
  if (!ok) {
    const after = await deps.users.recordLoginFailure(user.id, deps.config.LOGIN_MAX_FAILURES, deps.config.LOGIN_LOCK_SECONDS);
    await deps.audit.record({ action: 'auth.login_failed', subjectUserId: user.id, ip: ip ?? null, detail: { failures: after?.failedLoginCount ?? null } });
    if (after?.lockedUntil && after.failedLoginCount === deps.config.LOGIN_MAX_FAILURES) {
      await deps.audit.record({ action: 'auth.locked', subjectUserId: user.id, ip: ip ?? null, detail: { until: after.lockedUntil.toISOString() } });
    }
    throw wrong();
  }
  if (user.disabled) {
    await deps.audit.record({ action: 'auth.login_failed', subjectUserId: user.id, ip: ip ?? null, detail: { reason: 'disabled' } });
    throw wrong();
  }
  await deps.users.recordLoginSuccess(user.id);
  await deps.audit.record({ action: 'auth.login', actorId: user.id, subjectUserId: user.id, ip: ip ?? null });
  return user;
}
