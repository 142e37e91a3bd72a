import { badRequest, hashOpaqueToken, newOpaqueToken, type UserWithSecret } from '@voyce/core';
import type { ApiDeps } from '../deps';

type UnlockDeps = Pick<ApiDeps, 'users' | 'loginThrottle' | 'loginUnlocks' | 'audit' | 'mailer' | 'config'>;

/**
 * E-mails the owner of an account whose sign-in ceiling was reached a single-use link (at most one e-mail an hour):
 * spending it lifts the ceiling and gives that browser a device cookie, so the owner gets in while the attack goes on.
 */
export async function mailUnlockLink(deps: UnlockDeps, user: UserWithSecret, ip: string | undefined): Promise<void> {
  if (user.disabled || !(await deps.loginThrottle.claimUnlockMail(user.id))) return;
  const { token, hash } = newOpaqueToken();
  await deps.loginUnlocks.insert(user.id, hash, deps.config.LOGIN_UNLOCK_TTL_SECONDS);
  await deps.audit.record({ action: 'auth.unlock_mailed', subjectUserId: user.id, ip: ip ?? null });
  const link = new URL('/unlock', deps.config.WEB_APP_URL);
  link.searchParams.set('token', token);
  const hours = Math.round(deps.config.LOGIN_UNLOCK_TTL_SECONDS / 3600);
  await deps.mailer.send({
    to: user.email,
    subject: 'Many failed sign-ins to your Voyce account',
    text:
      `Someone has tried many wrong passwords for the Voyce account ${user.username}, from devices it has not been used on.\n` +
      `New devices must now wait before they may try again; devices you signed in with before are not affected.\n\n` +
      `To sign in from this device anyway, open this link within ${hours} hours (it works once):\n${link.toString()}\n\n` +
      `Your unlock code, for apps that ask for it:\n${token}\n\n` +
      `If the failed tries were not yours, consider choosing a new, longer password once you are signed in.\n`,
  });
}

/** Spends an unlock token: the account's ceiling is lifted. Returns the user, for the device cookie the router sets. */
export async function unlockLogin(deps: UnlockDeps, token: string, ip: string | undefined): Promise<UserWithSecret> {
  const userId = await deps.loginUnlocks.consume(hashOpaqueToken(token));
  const user = userId ? await deps.users.findById(userId) : null;
  if (!user || user.disabled) throw badRequest('invalid_unlock_token', 'The unlock link is invalid, expired or already used.');
  await deps.loginThrottle.liftCeiling([user.email, user.username]);
  await deps.audit.record({ action: 'auth.unlocked', actorId: user.id, subjectUserId: user.id, ip: ip ?? null });
  return user;
}
