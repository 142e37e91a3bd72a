import type { Db } from './knex';
import { scoped, type AnalyticsScope } from './analyticsRepository';
import type { EmotionLabel, IntentLabel, LabelsChange, SentimentLabel, SubmissionLabels } from '../domain/labels';

interface LabelRow {
  submission_id: string;
  sentiment: SentimentLabel | null;
  intent: IntentLabel | null;
  emotions: EmotionLabel[] | null;
  labelled_by: string | null;
  labelled_at: Date;
  username: string | null;
}

const toLabels = (r: LabelRow): SubmissionLabels => ({
  submissionId: r.submission_id,
  sentiment: r.sentiment,
  intent: r.intent,
  emotions: r.emotions,
  labelledBy: r.labelled_by && r.username ? { id: r.labelled_by, username: r.username } : null,
  labelledAt: r.labelled_at,
});

/** How many analysed submissions of a scope a person corrected, in all and per head. */
export interface CorrectionCounts {
  /** Submissions with at least one corrected head. */
  corrected: number;
  /** Submissions with a model analysis (what could be corrected). */
  total: number;
  byField: { sentiment: number; intent: number; emotions: number };
}

/**
 * People's corrections of analyses (migration 016 `submission_labels`), one row per submission beside its
 * `analyses` row, which they never touch. Works under the caller's row-level security scope like every
 * repository of the API.
 */
export function createLabelRepository(db: Db) {
  /** The labels with their labeller's username, for the given submissions: one query. */
  const select = (trx: Db, submissionIds: string[]) =>
    trx({ l: 'submission_labels' })
      .leftJoin({ u: 'users' }, 'u.id', 'l.labelled_by')
      .whereIn('l.submission_id', submissionIds)
      .select<LabelRow[]>('l.submission_id', 'l.sentiment', 'l.intent', 'l.emotions', 'l.labelled_by', 'l.labelled_at', 'u.username');

  return {
    /**
     * Applies a correction by `userId`: a field given replaces that head's correction, `null` clears it, a field
     * omitted keeps the previous one. The row names the last person who changed it. A correction left with no
     * head at all is removed (the submission counts as uncorrected again); then the answer is null.
     */
    async upsert(submissionId: string, change: LabelsChange, userId: string): Promise<SubmissionLabels | null> {
      const fields: Record<string, unknown> = {};
      if (change.sentiment !== undefined) fields.sentiment = change.sentiment;
      if (change.intent !== undefined) fields.intent = change.intent;
      if (change.emotions !== undefined) fields.emotions = change.emotions === null ? null : JSON.stringify(change.emotions);
      return db.transaction(async (trx) => {
        // org_id comes from the submission (migration 014's trigger); row-level security checks it on write.
        await trx('submission_labels')
          .insert({ submission_id: submissionId, ...fields, labelled_by: userId })
          .onConflict('submission_id')
          .merge({ ...fields, labelled_by: userId, labelled_at: trx.fn.now() });
        const removed = await trx('submission_labels').where({ submission_id: submissionId }).whereNull('sentiment').whereNull('intent').whereNull('emotions').delete();
        if (removed > 0) return null;
        const [row] = await select(trx, [submissionId]);
        return row ? toLabels(row) : null;
      });
    },

    async find(submissionId: string): Promise<SubmissionLabels | null> {
      const [row] = await select(db, [submissionId]);
      return row ? toLabels(row) : null;
    },

    /** The labels of a whole page of submissions in one query, by submission id. */
    async findForMany(submissionIds: string[]): Promise<Map<string, SubmissionLabels>> {
      if (submissionIds.length === 0) return new Map();
      const rows = await select(db, submissionIds);
      return new Map(rows.map((r) => [r.submission_id, toLabels(r)]));
    },

    /** Corrected against model-only analyses in an analytics scope (same filters as the dashboard). */
    async counts(scope: AnalyticsScope): Promise<CorrectionCounts> {
      const row = (await scoped(db, scope)
        .join({ a: 'analyses' }, 'a.submission_id', 's.id')
        .leftJoin({ l: 'submission_labels' }, 'l.submission_id', 's.id')
        .first(
          db.raw('count(*) AS total'),
          db.raw('count(l.submission_id) AS corrected'),
          db.raw('count(l.sentiment) AS sentiment'),
          db.raw('count(l.intent) AS intent'),
          db.raw('count(l.emotions) AS emotions'),
        )) as { total: number; corrected: number; sentiment: number; intent: number; emotions: number } | undefined;
      return {
        corrected: Number(row?.corrected ?? 0),
        total: Number(row?.total ?? 0),
        byField: { sentiment: Number(row?.sentiment ?? 0), intent: Number(row?.intent ?? 0), emotions: Number(row?.emotions ?? 0) },
      };
    },
  };
}

export type LabelRepository = ReturnType<typeof createLabelRepository>;
