import type { Db } from '../knex';
import { type StoredScreenshot, type SubmissionContext, type Submission, workflowIdFor } from '../../domain/submission';
import { toSubmission, type SubmissionRow } from './submissionRow';

export interface NewSubmission {
  id: string;
  userId: string;
  /** The organisation it is filed in; the uploader's personal one when absent. */
  orgId?: string | null;
  title?: string | null;
  description?: string | null;
  category?: string | null;
  language?: string | null;
  context?: SubmissionContext | null;
  contentType: string;
  originalFilename?: string | null;
  sizeBytes: number;
  stagingBlob: string;
  /** SHA-256 of the uploaded bytes, computed while streaming. */
  checksumSha256?: string | null;
  /** Already written to blob storage by the caller. */
  screenshot?: StoredScreenshot | null;
}

/** A submission's own record: made at upload, read, edited by its owner, deleted (kept as the audit trail). */
export function submissionRecords(db: Db) {
  return {
    async create(input: NewSubmission): Promise<Submission> {
      const [row] = await db<SubmissionRow>('voice_submissions')
        .insert({
          id: input.id,
          user_id: input.userId,
          ...(input.orgId ? { org_id: input.orgId } : {}),
          status: 'pending',
          title: input.title ?? null,
          description: input.description ?? null,
          category: input.category ?? null,
          language: input.language ?? null,
          context: input.context ? (JSON.stringify(input.context) as unknown as SubmissionContext) : null,
          content_type: input.contentType,
          original_filename: input.originalFilename ?? null,
          size_bytes: input.sizeBytes,
          staging_blob: input.stagingBlob,
          checksum_sha256: input.checksumSha256 ?? null,
          screenshot_blob: input.screenshot?.blob ?? null,
          screenshot_content_type: input.screenshot?.contentType ?? null,
          screenshot_size_bytes: input.screenshot?.sizeBytes ?? null,
          screenshot_sha256: input.screenshot?.sha256 ?? null,
          workflow_id: workflowIdFor(input.id),
        } as Partial<SubmissionRow> & { original_filename: string | null })
        .returning('*');
      await db('submission_events').insert({ submission_id: input.id, status: 'pending' });
      return toSubmission(row as SubmissionRow);
    },
    /** A submission that exists and has not been deleted. */
    async findById(id: string): Promise<Submission | null> {
      const row = await db<SubmissionRow>('voice_submissions').where({ id }).whereNull('deleted_at').first();
      return row ? toSubmission(row) : null;
    },
    async update(id: string, fields: { title?: string | null; description?: string | null; category?: string | null }): Promise<Submission | null> {
      const rows: SubmissionRow[] = await db('voice_submissions')
        .where({ id })
        .whereNull('deleted_at')
        .update({ ...fields, updated_at: db.fn.now() })
        .returning('*');
      return rows[0] ? toSubmission(rows[0]) : null;
    },
    /**
     * Marks a submission deleted: it disappears from every read, its row and history stay as the audit
     * trail (who deleted it, when), and its blob names are cleared once the caller has removed them.
     */
    async markDeleted(id: string, by: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('voice_submissions').where({ id }).update({ deleted_at: trx.fn.now(), audio_blob: null, staging_blob: null, screenshot_blob: null, updated_at: trx.fn.now() });
        await trx('submission_events').insert({ submission_id: id, status: 'deleted', detail: JSON.stringify({ by }) });
      });
    },
    /** Removes a row whose upload could not start its pipeline (nothing else refers to it yet). */
    async deleteUnstarted(id: string): Promise<void> {
      await db('voice_submissions').where({ id, status: 'pending' }).delete();
    },
  };
}
