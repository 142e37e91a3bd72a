import { badRequest, hashOpaqueToken, hashPassword, newOpaqueToken } from '@voyce/core';
import type { ApiDeps } from '../deps';

type ResetDeps = Pick<ApiDeps, 'users' | 'principals' | 'passwordResets' | 'refreshTokens' | 'audit' | 'mailer' | 'config'>;

/**
 * Starts a reset for the account with this e-mail, if there is one that can sign in. The router answers 202
 * before calling this, so neither the answer nor its timing reveals whether the account exists.
 */
export async function requestPasswordReset(deps: ResetDeps, email: string, ip: string | undefined): Promise<void> {
  const user = await deps.users.findByLogin(email);
  if (!user || user.disabled || user.email.toLowerCase() !== email.toLowerCase()) return;
  const { token, hash } = newOpaqueToken();
  await deps.passwordResets.insert(user.id, hash, deps.config.PASSWORD_RESET_TTL_SECONDS);
  await deps.audit.record({ action: 'auth.password_reset_requested', subjectUserId: user.id, ip: ip ?? null });
  const link = new URL('/reset-password', deps.config.WEB_APP_URL);
  link.searchParams.set('token', token);
  const minutes = Math.round(deps.config.PASSWORD_RESET_TTL_SECONDS / 60);
  await deps.mailer.send({
      to: user.email,
      subject: 'Reset your Voyce password',
      text:
        `Someone (hopefully you) asked to reset the password of the Voyce account ${user.username}.\n\n` +
        `Open this link within ${minutes} minutes to choose a new password:\n${link.toString()}\n\n` +
        `Your reset code, for apps that ask for it:\n${token}\n\n` +
        `If you did not ask for this, ignore this message; your password stays as it is.\n`,
  });
}

/** Spends a reset token: new password, every refresh token revoked, access tokens issued before now void. */
export async function confirmPasswordReset(deps: ResetDeps, token: string, newPassword: string, ip: string | undefined): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  const userId = await deps.passwordResets.consume(hashOpaqueToken(token), async (id, trx) => {
    await deps.users.setPassword(id, passwordHash, trx);
    await deps.refreshTokens.revokeAllOfUser(id, trx);
    await deps.audit.record({ action: 'auth.password_reset', actorId: id, subjectUserId: id, ip: ip ?? null }, trx);
    return id;
  });
  if (userId) deps.principals.forget?.(userId);
  if (!userId) throw badRequest('invalid_reset_token', 'The reset link is invalid, expired or already used; ask for a new one.');
}
