import type { Db } from './knex';
import { createSingleUseTokenRepository } from './singleUseTokenRepository';

/** Single-use password-reset tokens, stored only as SHA-256 digests. */
export function createPasswordResetRepository(db: Db) {
  return createSingleUseTokenRepository(db, 'password_reset_tokens');
}

export type PasswordResetRepository = ReturnType<typeof createPasswordResetRepository>;
