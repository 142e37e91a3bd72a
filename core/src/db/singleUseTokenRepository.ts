import type { Db } from './knex';

interface TokenRow {
  id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Single-use e-mailed tokens of one table (`id, user_id, token_hash, expires_at, used_at`), stored only as SHA-256
 * digests: password resets and sign-in unlocks are the same mechanism on their own tables.
 */
export function createSingleUseTokenRepository(db: Db, table: 'password_reset_tokens' | 'login_unlock_tokens') {
  return {
    async insert(userId: string, tokenHash: string, ttlSeconds: number): Promise<void> {
      await db(table).insert({
        user_id: userId,
        token_hash: tokenHash,
        expires_at: db.raw('now() + make_interval(secs => ?)', [ttlSeconds]),
      });
    },

    /**
     * Marks the token used and hands its user to `apply` in the same transaction, so a token is spent exactly
     * once even under concurrent requests. Returns null for an unknown, used or expired token.
     */
    async consume<T>(tokenHash: string, apply: (userId: string, trx: Db) => Promise<T>): Promise<T | null> {
      return db.transaction(async (trx) => {
        const row = await trx<TokenRow>(table)
          .where({ token_hash: tokenHash })
          .whereNull('used_at')
          .where('expires_at', '>', db.fn.now())
          .forUpdate()
          .first();
        if (!row) return null;
        // Spending one spends every outstanding token of the user: older e-mails must not work afterwards.
        await trx(table).where({ user_id: row.user_id }).whereNull('used_at').update({ used_at: db.fn.now() });
        return apply(row.user_id, trx);
      });
    },
  };
}
