import type { Db } from './knex';

export type CodeRedemption =
  | { kind: 'ok'; id: string; userId: string; provider: string; codeChallenge: string }
  | { kind: 'expired' }
  | { kind: 'reused'; userId: string; provider: string; familyId: string | null }
  | { kind: 'invalid' };

/** One-time authorization codes of native OpenID sign-ins, stored only as SHA-256 digests. */
export function createOauthCodeRepository(db: Db) {
  return {
    async insert(code: { codeHash: string; userId: string; provider: string; codeChallenge: string; ttlSeconds: number }): Promise<void> {
      // Long-dead codes are of no use, not even to spot a reuse: swept on the way.
      await db('oauth_authorization_codes').where('expires_at', '<', db.raw("now() - interval '1 day'")).delete();
      await db('oauth_authorization_codes').insert({
        code_hash: code.codeHash,
        user_id: code.userId,
        provider: code.provider,
        code_challenge: code.codeChallenge,
        expires_at: db.raw('now() + make_interval(secs => ?)', [code.ttlSeconds]),
      });
    },

    /**
     * Spends a code in one statement, so of two concurrent redemptions exactly one wins. Any attempt spends
     * it, even one that will fail the verifier check: a code can never be tried twice.
     */
    async redeem(codeHash: string): Promise<CodeRedemption> {
      const spent = await db('oauth_authorization_codes')
        .where({ code_hash: codeHash })
        .whereNull('used_at')
        .update({ used_at: db.fn.now() })
        .returning(['id', 'user_id', 'provider', 'code_challenge', db.raw('expires_at > now() AS live')]);
      const row = spent[0] as { id: string; user_id: string; provider: string; code_challenge: string; live: boolean } | undefined;
      if (row) return row.live ? { kind: 'ok', id: row.id, userId: row.user_id, provider: row.provider, codeChallenge: row.code_challenge } : { kind: 'expired' };
      const used = await db('oauth_authorization_codes').where({ code_hash: codeHash }).first<{ user_id: string; provider: string; family_id: string | null } | undefined>('user_id', 'provider', 'family_id');
      return used ? { kind: 'reused', userId: used.user_id, provider: used.provider, familyId: used.family_id } : { kind: 'invalid' };
    },

    /** Records which session (refresh-token family) a code was exchanged for. */
    async setFamily(id: string, familyId: string): Promise<void> {
      await db('oauth_authorization_codes').where({ id }).update({ family_id: familyId });
    },
  };
}

export type OauthCodeRepository = ReturnType<typeof createOauthCodeRepository>;
