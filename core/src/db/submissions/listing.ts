import type { Db } from '../knex';
import { matchesInOwnLanguage } from '../textSearch';
import type { Submission, SubmissionStatus } from '../../domain/submission';
import { SUBMISSION_LANGUAGE, toSubmission, type SubmissionRow } from './submissionRow';

export interface ListFilter {
  userId?: string;
  /** Only this organisation's submissions. */
  orgId?: string;
  status?: SubmissionStatus;
  category?: string;
  from?: Date;
  to?: Date;
  /** Full-text query over title, description and transcript. */
  q?: string;
  /** Only submissions whose analysis has this intent / sentiment label. */
  intent?: string;
  sentiment?: string;
  /** Only submissions in this language (ISO 639-1): the one the upload named, else the detected one. */
  language?: string;
  limit: number;
  /** Keyset cursor: the (created_at, id) of the last item of the previous page. */
  after?: { createdAt: Date; id: string };
}

/** Lists and search: filters, full-text and keyset pages. */
export function submissionListing(db: Db) {
  return {
    /** Newest first, keyset-paginated on (created_at, id) so pages stay stable while rows are inserted. */
    async list(f: ListFilter): Promise<Submission[]> {
      const q = db<SubmissionRow>('voice_submissions').whereNull('deleted_at');
      if (f.q) {
        // Title and description (weighted) or the transcript, each stemmed in its own language;
        // websearch syntax: "exact phrase", -not, or.
        const text = f.q;
        q.where((w) =>
          w
            .where(matchesInOwnLanguage(db, 'voice_submissions', text, f.language))
            .orWhereExists(
              db('transcriptions')
                .whereRaw('transcriptions.submission_id = voice_submissions.id')
                .andWhere(matchesInOwnLanguage(db, 'transcriptions', text, f.language)),
            ),
        );
      }
      if (f.intent || f.sentiment) {
        const analysis = db('analyses').whereRaw('analyses.submission_id = voice_submissions.id');
        if (f.intent) analysis.andWhere('analyses.intent', f.intent);
        if (f.sentiment) analysis.andWhere('analyses.sentiment', f.sentiment);
        q.whereExists(analysis);
      }
      if (f.language) q.whereRaw(`${SUBMISSION_LANGUAGE} = ?`, [f.language]);
      if (f.userId) q.where('user_id', f.userId);
      if (f.orgId) q.where('org_id', f.orgId);
      if (f.status) q.where('status', f.status);
      if (f.category) q.where('category', f.category);
      if (f.from) q.where('created_at', '>=', f.from);
      if (f.to) q.where('created_at', '<', f.to);
      if (f.after) q.whereRaw('(created_at, id) < (?, ?)', [f.after.createdAt, f.after.id]);
      const rows = await q.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(f.limit);
      return rows.map(toSubmission);
    },
  };
}
