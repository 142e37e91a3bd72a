import type { Db } from '../knex';
import { type AudioFormat, type SubmissionStatus, isTerminal, TERMINAL_STATUSES } from '../../domain/submission';

export interface StatusChange {
  attempt?: number;
  error?: { code: string; message: string };
  detail?: Record<string, unknown>;
}

/** What the pipeline writes as a submission moves: its status and history, its audio's format and place. */
export function submissionPipelineState(db: Db) {
  return {
    /**
     * Moves a submission to `status` and records the change in its history. A terminal status is never
     * overwritten by a late non-terminal update (for example a retried activity racing a cancel).
     */
    async markStatus(id: string, status: SubmissionStatus, change: StatusChange = {}): Promise<void> {
      await db.transaction(async (trx) => {
        const q = trx('voice_submissions')
          .where({ id })
          .update({
            status,
            attempts: change.attempt ?? 1,
            error_code: change.error?.code ?? null,
            error_message: change.error?.message ?? null,
            updated_at: trx.fn.now(),
            completed_at: status === 'completed' ? trx.fn.now() : null,
          });
        // 'pending' is set only on creation and by an explicit replay, which may restart a finished run.
        if (!isTerminal(status) && status !== 'pending') q.whereNotIn('status', TERMINAL_STATUSES);
        const updated = await q;
        if (updated > 0) {
          await trx('submission_events').insert({
            submission_id: id,
            status,
            attempt: change.attempt ?? null,
            detail: change.error || change.detail ? JSON.stringify({ ...change.detail, error: change.error }) : null,
          });
        }
      });
    },
    /** Records the attempt number of the running stage without adding a history row. */
    async recordAttempt(id: string, status: SubmissionStatus, attempt: number): Promise<void> {
      await db('voice_submissions').where({ id, status }).update({ attempts: attempt, updated_at: db.fn.now() });
    },
    async setAudioFormat(id: string, format: AudioFormat, contentType: string): Promise<void> {
      await db('voice_submissions')
        .where({ id })
        .update({ audio_format: JSON.stringify(format), duration_ms: format.durationMs, content_type: contentType, updated_at: db.fn.now() });
    },
    async setStored(id: string, audioBlob: string, checksumSha256: string): Promise<void> {
      await db('voice_submissions')
        .where({ id })
        .update({ audio_blob: audioBlob, checksum_sha256: checksumSha256, staging_blob: null, updated_at: db.fn.now() });
    },
    /** Forgets the staging blob once it has been deleted (rejected audio is not kept). */
    async clearStaging(id: string): Promise<void> {
      await db('voice_submissions').where({ id }).update({ staging_blob: null, updated_at: db.fn.now() });
    },
    async history(id: string): Promise<{ status: SubmissionStatus; attempt: number | null; createdAt: Date }[]> {
      const rows = await db('submission_events').where({ submission_id: id }).orderBy('id');
      return rows.map((r: { status: SubmissionStatus; attempt: number | null; created_at: Date }) => ({
        status: r.status,
        attempt: r.attempt,
        createdAt: r.created_at,
      }));
    },
  };
}
