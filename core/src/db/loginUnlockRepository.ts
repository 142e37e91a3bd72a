import type { Db } from './knex';
import { createSingleUseTokenRepository } from './singleUseTokenRepository';

/** Single-use tokens of the e-mail sent when an account's sign-in ceiling is reached, stored only as SHA-256 digests. */
export function createLoginUnlockRepository(db: Db) {
  const tokens = createSingleUseTokenRepository(db, 'login_unlock_tokens');
  return {
    insert: tokens.insert,
    /** Spends the token and every other outstanding one of its user; the user's id, or null for an unknown, used or expired token. */
    consume: (tokenHash: string): Promise<string | null> => tokens.consume(tokenHash, async (userId) => userId),
  };
}

export type LoginUnlockRepository = ReturnType<typeof createLoginUnlockRepository>;
