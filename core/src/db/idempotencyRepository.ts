import type { Db } from './knex';

/** Idempotency keys answer a client's retry with its first submission for this long. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

export function createIdempotencyRepository(db: Db) {
  return {
    /**
     * Claims `key` for `submissionId`. Returns the submission that already holds the key (within the window),
     * or null when this call claimed it. The primary key makes concurrent claims safe: exactly one wins.
     */
    async claim(userId: string, key: string, submissionId: string): Promise<string | null> {
      return db.transaction(async (trx) => {
        await trx('upload_idempotency_keys')
          .where({ user_id: userId, key })
          .andWhere('created_at', '<', trx.raw(`now() - interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`))
          .delete();
        const inserted = await trx('upload_idempotency_keys')
          .insert({ user_id: userId, key, submission_id: submissionId })
          .onConflict(['user_id', 'key'])
          .ignore()
          .returning('submission_id');
        if (inserted.length > 0) return null;
        const row = await trx('upload_idempotency_keys').where({ user_id: userId, key }).first('submission_id');
        return (row?.submission_id as string | undefined) ?? null;
      });
    },
    /** Frees a key whose upload failed, so the client's retry can try again. */
    async release(userId: string, key: string, submissionId: string): Promise<void> {
      await db('upload_idempotency_keys').where({ user_id: userId, key, submission_id: submissionId }).delete();
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
