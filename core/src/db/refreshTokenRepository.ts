import type { Db } from './knex';

interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

/** What happened to a presented refresh token. `reused` means a rotated token came back: the family is revoked. */
export type RotationOutcome =
  | { kind: 'rotated'; userId: string; familyId: string }
  | { kind: 'reused'; userId: string; familyId: string }
  | { kind: 'invalid' };

/** Refresh tokens, stored only as SHA-256 digests, in families that descend from one sign-in. */
export function createRefreshTokenRepository(db: Db) {
  const revokeFamily = (trx: Db, familyId: string) =>
    trx<RefreshTokenRow>('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });

  return {
    /** Stores a token of a family (a new family at sign-in, the same family on rotation). */
    async insert(input: { userId: string; familyId: string; tokenHash: string; ttlSeconds: number }, trx: Db = db): Promise<void> {
      await trx('refresh_tokens').insert({
        user_id: input.userId,
        family_id: input.familyId,
        token_hash: input.tokenHash,
        expires_at: db.raw('now() + make_interval(secs => ?)', [input.ttlSeconds]),
      });
    },

    /**
     * Exchanges a live token for its successor in one transaction. The row lock makes two concurrent uses of
     * one token resolve as one rotation and one reuse, never two successors.
     */
    async rotate(presentedHash: string, next: { tokenHash: string; ttlSeconds: number }): Promise<RotationOutcome> {
      return db.transaction(async (trx) => {
        const row = await trx<RefreshTokenRow>('refresh_tokens').where({ token_hash: presentedHash }).forUpdate().first();
        if (!row) return { kind: 'invalid' } as const;
        if (row.rotated_at) {
          await revokeFamily(trx, row.family_id);
          return { kind: 'reused', userId: row.user_id, familyId: row.family_id } as const;
        }
        if (row.revoked_at || row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' } as const;
        await trx<RefreshTokenRow>('refresh_tokens').where({ id: row.id }).update({ rotated_at: db.fn.now() });
        await trx('refresh_tokens').insert({
          user_id: row.user_id,
          family_id: row.family_id,
          token_hash: next.tokenHash,
          expires_at: db.raw('now() + make_interval(secs => ?)', [next.ttlSeconds]),
        });
        return { kind: 'rotated', userId: row.user_id, familyId: row.family_id } as const;
      });
    },

    /** Revokes the family of the presented token (logout); returns its owner, or null for an unknown token. */
    async revokeFamilyOf(presentedHash: string): Promise<{ userId: string; familyId: string } | null> {
      const row = await db<RefreshTokenRow>('refresh_tokens').where({ token_hash: presentedHash }).first();
      if (!row) return null;
      await revokeFamily(db, row.family_id);
      return { userId: row.user_id, familyId: row.family_id };
    },

    async revokeFamily(familyId: string): Promise<void> {
      await revokeFamily(db, familyId);
    },

    /** Revokes every session of a user (password reset, disable). */
    async revokeAllOfUser(userId: string, trx: Db = db): Promise<number> {
      return trx<RefreshTokenRow>('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    },

    /** Live (unrotated, unrevoked, unexpired) tokens of a user; for tests and the admin view. */
    async countLive(userId: string): Promise<number> {
      const [row] = await db('refresh_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .whereNull('rotated_at')
        .where('expires_at', '>', db.fn.now())
        .count<{ count: number }[]>('* as count');
      return Number(row?.count ?? 0);
    },
  };
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>;
