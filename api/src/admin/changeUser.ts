import { conflict, notFound, type Role, type UserWithSecret } from '@voyce/core';
import type { ApiDeps } from '../deps';

type ChangeDeps = Pick<ApiDeps, 'users' | 'principals' | 'refreshTokens' | 'audit'>;

/**
 * An admin changes another account's role or disabled flag. Disabling ends every session at once; each change
 * is audited with the actor. Admins cannot demote or disable themselves, so the last admin cannot lock everyone out.
 */
export async function changeUser(
  deps: ChangeDeps,
  actor: { id: string; ip: string | undefined },
  userId: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined },
): Promise<UserWithSecret> {
  let user = await deps.users.findById(userId);
  if (!user) throw notFound('The user');
  if (user.id === actor.id && ((change.role && change.role !== 'admin') || change.disabled)) {
    throw conflict('cannot_change_self', 'Admins cannot demote or disable their own account; ask another admin.');
  }
  const ip = actor.ip ?? null;
  if (change.role !== undefined && change.role !== user.role) {
    const from = user.role;
    user = (await deps.users.setRole(user.id, change.role)) ?? user;
    deps.principals.forget?.(user.id);
    await deps.audit.record({ action: 'user.role_changed', actorId: actor.id, subjectUserId: user.id, ip, detail: { from, to: change.role } });
  }
  if (change.disabled !== undefined && change.disabled !== user.disabled) {
    user = (await deps.users.setDisabled(user.id, change.disabled)) ?? user;
    deps.principals.forget?.(user.id);
    if (change.disabled) await deps.refreshTokens.revokeAllOfUser(user.id);
    await deps.audit.record({ action: change.disabled ? 'user.disabled' : 'user.enabled', actorId: actor.id, subjectUserId: user.id, ip });
  }
  return user;
}
