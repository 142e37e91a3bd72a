import type { Db } from './knex';
import type { InvitationOutcome, MembershipChange, OrgInvitation, OrgMember, OrgMembership, OrgRole, Organisation } from '../domain/organisation';

interface OrgRow {
  id: string;
  name: string;
  personal_user_id: string | null;
  created_at: Date;
}

const toOrg = (r: OrgRow): Organisation => ({ id: r.id, name: r.name, personal: r.personal_user_id !== null, createdAt: r.created_at });

export interface NewInvitation {
  orgId: string;
  email: string;
  role: OrgRole;
  tokenHash: string;
  invitedBy: string;
  ttlSeconds: number;
}

/** Organisations, memberships and invitations (migration 013). These tables are the source of a request's scope, so they have no row-level security. */
export function createOrganisationRepository(db: Db) {
  /** Locks the organisation's owner rows, so two concurrent demotions cannot both see "another owner is left". */
  async function ownersLocked(trx: Db, orgId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await trx('org_memberships').where({ org_id: orgId, role: 'owner' }).forUpdate().select('user_id');
    return rows.map((r) => r.user_id);
  }

  return {
    /** A new organisation with its creator as owner. */
    async create(name: string, ownerId: string): Promise<Organisation> {
      return db.transaction(async (trx) => {
        const [row] = await trx<OrgRow>('organisations').insert({ name }).returning('*');
        const org = toOrg(row as OrgRow);
        await trx('org_memberships').insert({ org_id: org.id, user_id: ownerId, role: 'owner' });
        return org;
      });
    },

    async findById(id: string): Promise<Organisation | null> {
      const row = await db<OrgRow>('organisations').where({ id }).first();
      return row ? toOrg(row) : null;
    },

    async personalOf(userId: string): Promise<Organisation | null> {
      const row = await db<OrgRow>('organisations').where({ personal_user_id: userId }).first();
      return row ? toOrg(row) : null;
    },

    async rename(id: string, name: string): Promise<Organisation | null> {
      const [row]: OrgRow[] = await db('organisations').where({ id }).update({ name, updated_at: db.fn.now() }).returning('*');
      return row ? toOrg(row) : null;
    },

    /** Every organisation the user belongs to, with the role (what a request's scope is made of). */
    async membershipsOf(userId: string): Promise<OrgMembership[]> {
      const rows: { org_id: string; role: OrgRole }[] = await db('org_memberships').where({ user_id: userId }).select('org_id', 'role');
      return rows.map((r) => ({ orgId: r.org_id, role: r.role }));
    },

    /** The user's organisations, personal first, then by name. */
    async listForUser(userId: string): Promise<{ org: Organisation; role: OrgRole }[]> {
      const rows: (OrgRow & { role: OrgRole })[] = await db('org_memberships as m')
        .join('organisations as o', 'o.id', 'm.org_id')
        .where('m.user_id', userId)
        .orderByRaw('(o.personal_user_id IS NULL), o.name, o.id')
        .select('o.*', 'm.role');
      return rows.map((r) => ({ org: toOrg(r), role: r.role }));
    },

    async members(orgId: string): Promise<OrgMember[]> {
      const rows: { id: string; username: string; email: string; role: OrgRole; created_at: Date }[] = await db('org_memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .where('m.org_id', orgId)
        .orderBy([{ column: 'm.created_at' }, { column: 'u.id' }])
        .select('u.id', 'u.username', 'u.email', 'm.role', 'm.created_at');
      return rows.map((r) => ({ user: { id: r.id, username: r.username, email: r.email }, role: r.role, joinedAt: r.created_at }));
    },

    /** Changes a member's role; an organisation always keeps at least one owner. */
    async setRole(orgId: string, userId: string, role: OrgRole): Promise<MembershipChange> {
      return db.transaction(async (trx) => {
        const owners = await ownersLocked(trx, orgId);
        if (role !== 'owner' && owners.length === 1 && owners[0] === userId) return 'last_owner';
        const updated = await trx('org_memberships').where({ org_id: orgId, user_id: userId }).update({ role, updated_at: trx.fn.now() });
        return updated > 0 ? 'changed' : 'not_found';
      });
    },

    /** Ends a membership (removal or leaving); the last owner cannot go. */
    async removeMember(orgId: string, userId: string): Promise<MembershipChange> {
      return db.transaction(async (trx) => {
        const owners = await ownersLocked(trx, orgId);
        if (owners.length === 1 && owners[0] === userId) return 'last_owner';
        const deleted = await trx('org_memberships').where({ org_id: orgId, user_id: userId }).delete();
        return deleted > 0 ? 'changed' : 'not_found';
      });
    },

    async createInvitation(input: NewInvitation): Promise<OrgInvitation> {
      const [row] = await db('org_invitations')
        .insert({
          org_id: input.orgId,
          email: input.email,
          role: input.role,
          token_hash: input.tokenHash,
          invited_by: input.invitedBy,
          expires_at: db.raw('now() + make_interval(secs => ?)', [input.ttlSeconds]),
        })
        .returning(['id', 'org_id', 'email', 'role', 'expires_at']);
      const r = row as { id: string; org_id: string; email: string; role: OrgRole; expires_at: Date };
      return { id: r.id, orgId: r.org_id, email: r.email, role: r.role, expiresAt: r.expires_at };
    },

    /**
     * Spends an invitation for the signed-in user with its e-mail: locked, so it is spent exactly once. Someone
     * already a member keeps their role (an invitation never demotes).
     */
    async acceptInvitation(tokenHash: string, user: { id: string; email: string }): Promise<InvitationOutcome> {
      return db.transaction(async (trx) => {
        const inv: { id: string; org_id: string; email: string; role: OrgRole; accepted_at: Date | null; expired: boolean } | undefined = await trx(
          'org_invitations',
        )
          .where({ token_hash: tokenHash })
          .forUpdate()
          .first('id', 'org_id', 'email', 'role', 'accepted_at', trx.raw('expires_at <= now() AS expired'));
        if (!inv) return { ok: false, reason: 'not_found' };
        if (inv.accepted_at) return { ok: false, reason: 'used' };
        if (inv.expired) return { ok: false, reason: 'expired' };
        if (inv.email.toLowerCase() !== user.email.toLowerCase()) return { ok: false, reason: 'wrong_email' };
        await trx('org_memberships').insert({ org_id: inv.org_id, user_id: user.id, role: inv.role }).onConflict(['org_id', 'user_id']).ignore();
        await trx('org_invitations').where({ id: inv.id }).update({ accepted_at: trx.fn.now(), accepted_by: user.id });
        const membership: { role: OrgRole } = await trx('org_memberships').where({ org_id: inv.org_id, user_id: user.id }).first('role');
        const org: OrgRow = await trx('organisations').where({ id: inv.org_id }).first();
        return { ok: true, org: toOrg(org), role: membership.role };
      });
    },
  };
}

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;
