import { randomBytes } from 'node:crypto';
import { AppError, type UserWithSecret } from '@voyce/core';
import type { ApiDeps } from '../../deps';
import type { OidcIdentity } from './oidcClient';

type SignInDeps = Pick<ApiDeps, 'users' | 'oauthIdentities' | 'audit'>;

const refused = (code: string, message: string) => new AppError(code, message, 403);

/** A username from the e-mail's local part, made valid and unique enough (3–32 of [A-Za-z0-9_.-]). */
function usernameFor(email: string | null): string {
  const base = (email?.split('@')[0] ?? 'user').replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 22) || 'user';
  return `${base.padEnd(3, '_')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Signs in with a verified OpenID Connect identity: a known identity signs in as its user; otherwise an account
 * with the same *verified* e-mail is linked; otherwise a new account (role user, no password) is created.
 * An unverified e-mail never links to or creates an account, so nobody can claim someone else's address.
 */
export async function signInWithOidc(deps: SignInDeps, provider: string, id: OidcIdentity, ip: string | undefined): Promise<UserWithSecret> {
  const ipOrNull = ip ?? null;
  const knownUserId = await deps.oauthIdentities.findUserId(provider, id.subject);
  let user = knownUserId ? await deps.users.findById(knownUserId) : null;
  if (!user) {
    if (!id.email || !id.emailVerified) {
      await deps.audit.record({ action: 'auth.oauth_refused', ip: ipOrNull, detail: { provider, reason: 'email_not_verified' } });
      throw refused('oauth_email_unverified', 'The provider did not confirm your e-mail address; sign in another way.');
    }
    const existing = await deps.users.findByLogin(id.email);
    if (existing && existing.email.toLowerCase() === id.email.toLowerCase()) {
      user = existing;
      await deps.audit.record({ action: 'auth.oauth_linked', actorId: user.id, subjectUserId: user.id, ip: ipOrNull, detail: { provider } });
    } else {
      user = await deps.users.create({ email: id.email, username: usernameFor(id.email), passwordHash: null });
      if (!user) throw new AppError('account_exists', 'An account with this e-mail already exists.', 409);
      await deps.audit.record({ action: 'auth.register', actorId: user.id, subjectUserId: user.id, ip: ipOrNull, detail: { provider } });
    }
    await deps.oauthIdentities.link(provider, id.subject, user.id, id.email);
  }
  if (user.disabled) {
    await deps.audit.record({ action: 'auth.oauth_refused', subjectUserId: user.id, ip: ipOrNull, detail: { provider, reason: 'disabled' } });
    throw refused('account_disabled', 'This account is disabled.');
  }
  await deps.users.recordLoginSuccess(user.id);
  await deps.audit.record({ action: 'auth.oauth_login', actorId: user.id, subjectUserId: user.id, ip: ipOrNull, detail: { provider } });
  return user;
}
