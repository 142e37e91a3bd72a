import { AppError, forbidden, hashOpaqueToken, newOpaqueToken, notFound, type OrgInvitation, type OrgRole, type Organisation } from '@voyce/core';
import type { ApiDeps } from '../deps';

type InvitationDeps = Pick<ApiDeps, 'orgs' | 'users' | 'principals' | 'mailer' | 'audit' | 'config'>;

/** An invitation is good for a week (API.md). */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

/** Makes an invitation and e-mails its single-use token; the token is also answered to the owner who asked. */
export async function inviteToOrg(
  deps: InvitationDeps,
  org: Organisation,
  invitedBy: string,
  input: { email: string; role: OrgRole },
): Promise<{ invitation: OrgInvitation; token: string }> {
  const { token, hash } = newOpaqueToken();
  const invitation = await deps.orgs.createInvitation({ orgId: org.id, email: input.email, role: input.role, tokenHash: hash, invitedBy, ttlSeconds: INVITATION_TTL_SECONDS });
  await deps.audit.record({ action: 'org.invited', actorId: invitedBy, detail: { orgId: org.id, invitationId: invitation.id, role: input.role } });
  const link = new URL('/orgs/accept', deps.config.WEB_APP_URL);
  link.searchParams.set('token', token);
  await deps.mailer.send({
    to: input.email,
    subject: `You are invited to ${org.name} on Voyce`,
    text:
      `You are invited to join the organisation "${org.name}" on Voyce as ${input.role}.\n\n` +
      `Sign in (or register) with this e-mail address, then open this link within 7 days:\n${link.toString()}\n\n` +
      `Your invitation code, for apps that ask for it:\n${token}\n\n` +
      `The invitation works once. If you did not expect it, ignore this message.\n`,
  });
  return { invitation, token };
}

/** Spends an invitation for the signed-in user; 410 once used or expired, 403 for someone with another e-mail. */
export async function acceptInvitation(deps: InvitationDeps, userId: string, token: string): Promise<{ org: Organisation; role: OrgRole }> {
  const user = await deps.users.findById(userId);
  if (!user) throw notFound('The account');
  const outcome = await deps.orgs.acceptInvitation(hashOpaqueToken(token), { id: user.id, email: user.email });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'not_found':
        throw notFound('The invitation');
      case 'used':
        throw new AppError('invitation_used', 'This invitation has already been used.', 410);
      case 'expired':
        throw new AppError('invitation_expired', 'This invitation has expired; ask for a new one.', 410);
      case 'wrong_email':
        throw forbidden('This invitation is for another e-mail address.');
    }
  }
  deps.principals.forget?.(user.id);
  await deps.audit.record({ action: 'org.joined', actorId: user.id, subjectUserId: user.id, detail: { orgId: outcome.org.id, role: outcome.role } });
  return { org: outcome.org, role: outcome.role };
}
