import type { Db } from './knex';
import type { AnalysisInput } from './resultRepository';

/** One submission that failed to re-analyse, and why (kept in the run summary; it is retried next run). */
export interface BatchFailure {
  submissionId: string;
  error: string;
}

/** Absolute totals of one batch re-inference run so far (absolute, so recording them again is harmless). */
export interface BatchRunTotals {
  found: number;
  updated: number;
  failed: number;
  batches: number;
}

export type BatchRunStatus = 'running' | 'completed' | 'failed';

export interface BatchRunRecord extends BatchRunTotals {
  workflowId: string;
  firstRunId: string;
  status: BatchRunStatus;
  targetModelVersion: string | null;
  failures: BatchFailure[];
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
}

interface BatchRunRow {
  workflow_id: string;
  first_run_id: string;
  status: BatchRunStatus;
  target_model_version: string | null;
  found: number;
  updated: number;
  failed: number;
  batches: number;
  failures: BatchFailure[];
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

const toRecord = (r: BatchRunRow): BatchRunRecord => ({
  workflowId: r.workflow_id,
  firstRunId: r.first_run_id,
  status: r.status,
  targetModelVersion: r.target_model_version,
  found: r.found,
  updated: r.updated,
  failed: r.failed,
  batches: r.batches,
  failures: r.failures,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms,
});

/** The most failures a run summary keeps (the counts stay exact; the list is for a human to look at). */
export const MAX_RECORDED_FAILURES = 100;

/**
 * What batch re-inference reads and writes: completed submissions whose analysis came from another model
 * version, their transcripts, set-based updates of their analyses, and the run summaries.
 */
export function createBatchInferenceRepository(db: Db) {
  return {
    /**
     * Up to `limit` completed submissions analysed by a model other than `modelVersion`, in id order after
     * `afterSubmissionId`: a keyset walk, so one run visits each stale row once even when some fail.
     */
    async findStale(opts: { modelVersion: string; afterSubmissionId?: string | null; limit: number; orgId?: string | null }): Promise<string[]> {
      const q = db('analyses as a')
        .join('voice_submissions as s', 's.id', 'a.submission_id')
        .join('transcriptions as t', 't.submission_id', 'a.submission_id')
        .where('s.status', 'completed')
        .whereNull('s.deleted_at')
        .whereNot('a.model_version', opts.modelVersion)
        .orderBy('a.submission_id')
        .limit(opts.limit)
        .select<{ submission_id: string }[]>('a.submission_id');
      if (opts.afterSubmissionId) q.where('a.submission_id', '>', opts.afterSubmissionId);
      // An organisation with an active model of its own is walked apart, against that model's version.
      if (opts.orgId) q.where('s.org_id', opts.orgId);
      else q.whereNotExists((sub) => sub.from('org_models as m').whereRaw('m.org_id = s.org_id').where('m.active', true));
      return (await q).map((r) => r.submission_id);
    },

    /** How many completed submissions still carry an analysis of another model version. */
    async countStale(modelVersion: string): Promise<number> {
      const [row] = await db('analyses as a')
        .join('voice_submissions as s', 's.id', 'a.submission_id')
        .join('transcriptions as t', 't.submission_id', 'a.submission_id')
        .where('s.status', 'completed')
        .whereNull('s.deleted_at')
        .whereNot('a.model_version', modelVersion)
        .count<{ count: string }[]>({ count: '*' });
      return Number(row?.count ?? 0);
    },

    /** The stored transcripts of these submissions (those that have one). */
    async transcripts(submissionIds: readonly string[]): Promise<{ submissionId: string; text: string }[]> {
      if (submissionIds.length === 0) return [];
      const rows = await db('transcriptions')
        .whereIn('submission_id', submissionIds)
        .select<{ submission_id: string; text: string }[]>('submission_id', 'text');
      return rows.map((r) => ({ submissionId: r.submission_id, text: r.text }));
    },

    /**
     * Overwrites existing analysis rows in one statement and answers which were updated. An UPDATE, never an
     * insert: a retried batch rewrites the same rows, and a submission deleted meanwhile is just skipped.
     */
    async updateAnalyses(rows: readonly AnalysisInput[]): Promise<string[]> {
      if (rows.length === 0) return [];
      const json = JSON.stringify(
        rows.map((a) => ({
          submission_id: a.submissionId,
          sentiment: a.sentiment.label,
          sentiment_score: a.sentiment.score,
          sentiment_confidence: a.sentiment.confidence,
          emotions: a.emotions ?? [],
          intent: a.intent?.label ?? null,
          intent_confidence: a.intent?.confidence ?? null,
          action_items: a.actionItems ?? [],
          keywords: a.keywords ?? [],
          importance_score: a.importanceScore ?? null,
          model_version: a.modelVersion,
          job_run_id: a.jobRunId,
          compute_ms: a.computeMs,
        })),
      );
      const result = await db.raw<{ rows: { submission_id: string }[] }>(
        `UPDATE analyses AS a SET
           sentiment = x.sentiment, sentiment_score = x.sentiment_score, sentiment_confidence = x.sentiment_confidence,
           emotions = x.emotions, intent = x.intent, intent_confidence = x.intent_confidence,
           action_items = x.action_items, keywords = x.keywords, importance_score = x.importance_score,
           model_version = x.model_version, job_run_id = x.job_run_id, compute_ms = x.compute_ms, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS x(
           submission_id uuid, sentiment text, sentiment_score float8, sentiment_confidence float8, emotions jsonb,
           intent text, intent_confidence float8, action_items jsonb, keywords jsonb, importance_score float8,
           model_version text, job_run_id text, compute_ms integer)
         WHERE a.submission_id = x.submission_id
         RETURNING a.submission_id`,
        [json],
      );
      return result.rows.map((r) => r.submission_id);
    },

    /**
     * Writes a run's summary: inserted on the first call, overwritten with absolute totals afterwards. A
     * finishing status stamps the end time and duration (from the database clock, as the start was).
     */
    async recordRun(run: {
      workflowId: string;
      firstRunId: string;
      status: BatchRunStatus;
      targetModelVersion: string | null;
      totals: BatchRunTotals;
      failures: readonly BatchFailure[];
    }): Promise<BatchRunRecord> {
      const values = {
        status: run.status,
        target_model_version: run.targetModelVersion,
        ...run.totals,
        failures: JSON.stringify(run.failures.slice(0, MAX_RECORDED_FAILURES)),
      };
      const finishing = run.status !== 'running';
      const [row] = await db('batch_inference_runs')
        .insert({ workflow_id: run.workflowId, first_run_id: run.firstRunId, ...values })
        .onConflict('workflow_id')
        .merge({
          ...values,
          finished_at: finishing ? db.raw('coalesce(batch_inference_runs.finished_at, now())') : null,
          duration_ms: finishing
            ? db.raw('coalesce(batch_inference_runs.duration_ms, (extract(epoch from now() - batch_inference_runs.started_at) * 1000)::int)')
            : null,
        })
        .returning<BatchRunRow[]>('*');
      if (!row) throw new Error(`batch run ${run.workflowId} was not recorded`);
      if (finishing && row.finished_at === null) {
        // A first and final write in one go (an empty run): stamp the end now.
        const [done] = await db('batch_inference_runs')
          .where({ workflow_id: run.workflowId })
          .update({ finished_at: db.fn.now(), duration_ms: db.raw('(extract(epoch from now() - started_at) * 1000)::int') })
          .returning<BatchRunRow[]>('*');
        if (done) return toRecord(done);
      }
      return toRecord(row);
    },

    /** The newest run summaries first. */
    async recentRuns(limit: number): Promise<BatchRunRecord[]> {
      const rows = await db<BatchRunRow>('batch_inference_runs').orderBy('started_at', 'desc').limit(limit);
      return rows.map(toRecord);
    },

    /** The summaries of these runs (by workflow id), those that have one. */
    async findRuns(workflowIds: readonly string[]): Promise<BatchRunRecord[]> {
      if (workflowIds.length === 0) return [];
      const rows = await db<BatchRunRow>('batch_inference_runs').whereIn('workflow_id', workflowIds);
      return rows.map(toRecord);
    },
  };
}

export type BatchInferenceRepository = ReturnType<typeof createBatchInferenceRepository>;
