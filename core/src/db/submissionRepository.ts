import type { Db } from './knex';
import {
  type AudioFormat,
  type ScreenshotContentType,
  type StoredScreenshot,
  type Submission,
  type SubmissionContext,
  type SubmissionStatus,
  isTerminal,
  TERMINAL_STATUSES,
  workflowIdFor,
} from '../domain/submission';

interface SubmissionRow {
  id: string;
  user_id: string;
  status: SubmissionStatus;
  title: string | null;
  description: string | null;
  category: string | null;
  language: string | null;
  context: SubmissionContext | null;
  content_type: string | null;
  size_bytes: number;
  duration_ms: number | null;
  staging_blob: string | null;
  audio_blob: string | null;
  checksum_sha256: string | null;
  audio_format: AudioFormat | null;
  screenshot_blob: string | null;
  screenshot_content_type: ScreenshotContentType | null;
  screenshot_size_bytes: number | null;
  screenshot_sha256: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  workflow_id: string;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

const toSubmission = (r: SubmissionRow): Submission => ({
  id: r.id,
  userId: r.user_id,
  status: r.status,
  title: r.title,
  description: r.description,
  category: r.category,
  language: r.language,
  context: r.context,
  contentType: r.content_type,
  sizeBytes: r.size_bytes,
  durationMs: r.duration_ms,
  stagingBlob: r.staging_blob,
  audioBlob: r.audio_blob,
  checksumSha256: r.checksum_sha256,
  audioFormat: r.audio_format,
  screenshot:
    r.screenshot_blob && r.screenshot_content_type
      ? { blob: r.screenshot_blob, contentType: r.screenshot_content_type, sizeBytes: r.screenshot_size_bytes ?? 0, sha256: r.screenshot_sha256 ?? '' }
      : null,
  workflowId: r.workflow_id,
  progress: {
    stage: r.status,
    attempts: r.attempts,
    ...(r.error_code ? { error: { code: r.error_code, message: r.error_message ?? '' } } : {}),
  },
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
});

export interface NewSubmission {
  id: string;
  userId: string;
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

export interface ListFilter {
  userId?: string;
  status?: SubmissionStatus;
  category?: string;
  from?: Date;
  to?: Date;
  /** Full-text query over title, description and transcript. */
  q?: string;
  /** Only submissions whose analysis has this intent / sentiment label. */
  intent?: string;
  sentiment?: string;
  limit: number;
  /** Keyset cursor: the (created_at, id) of the last item of the previous page. */
  after?: { createdAt: Date; id: string };
}

export interface StatusChange {
  attempt?: number;
  error?: { code: string; message: string };
  detail?: Record<string, unknown>;
}

export function createSubmissionRepository(db: Db) {
  return {
    async create(input: NewSubmission): Promise<Submission> {
      const [row] = await db<SubmissionRow>('voice_submissions')
        .insert({
          id: input.id,
          user_id: input.userId,
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

    /** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows are inserted. */
    async list(f: ListFilter): Promise<Submission[]> {
      const q = db<SubmissionRow>('voice_submissions').whereNull('deleted_at');
      if (f.q) {
        // Title and description (weighted) or the transcript; websearch syntax: "exact phrase", -not, or.
        const query = db.raw("websearch_to_tsquery('english', ?)", [f.q]);
        q.where((w) =>
          w
            .whereRaw('search_vector @@ ?', [query])
            .orWhereExists(
              db('transcriptions')
                .whereRaw('transcriptions.submission_id = voice_submissions.id')
                .andWhereRaw('transcriptions.search_vector @@ ?', [query]),
            ),
        );
      }
      if (f.intent || f.sentiment) {
        const analysis = db('analyses').whereRaw('analyses.submission_id = voice_submissions.id');
        if (f.intent) analysis.andWhere('analyses.intent', f.intent);
        if (f.sentiment) analysis.andWhere('analyses.sentiment', f.sentiment);
        q.whereExists(analysis);
      }
      if (f.userId) q.where('user_id', f.userId);
      if (f.status) q.where('status', f.status);
      if (f.category) q.where('category', f.category);
      if (f.from) q.where('created_at', '>=', f.from);
      if (f.to) q.where('created_at', '<', f.to);
      if (f.after) q.whereRaw('(created_at, id) < (?, ?)', [f.after.createdAt, f.after.id]);
      const rows = await q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit);
      return rows.map(toSubmission);
    },

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

    /** Removes a row whose upload could not start its pipeline (nothing else refers to it yet). */
    async deleteUnstarted(id: string): Promise<void> {
      await db('voice_submissions').where({ id, status: 'pending' }).delete();
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

export type SubmissionRepository = ReturnType<typeof createSubmissionRepository>;
