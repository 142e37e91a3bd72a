export const ORG_ROLES = ['member', 'analyst', 'owner'] as const;
/** A person's role in one organisation: `member` sees their own submissions there, `analyst` all of them, `owner` also runs it. */
export type OrgRole = (typeof ORG_ROLES)[number];

export interface Organisation {
  id: string;
  name: string;
  /** The organisation made with an account, of which that account is the owner. */
  personal: boolean;
  createdAt: Date;
}

/** That a user belongs to an organisation, and as what. */
export interface OrgMembership {
  orgId: string;
  role: OrgRole;
}

export interface OrgMember {
  user: { id: string; username: string; email: string };
  role: OrgRole;
  joinedAt: Date;
}

export interface OrgInvitation {
  id: string;
  orgId: string;
  email: string;
  role: OrgRole;
  expiresAt: Date;
}

/** How accepting an invitation ended. */
export type InvitationOutcome =
  | { ok: true; org: Organisation; role: OrgRole }
  | { ok: false; reason: 'not_found' | 'used' | 'expired' | 'wrong_email' };

/** How a change to a membership ended: the last owner can be neither demoted nor removed. */
export type MembershipChange = 'changed' | 'not_found' | 'last_owner';
