import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Db } from './knex';

/** Whose data a question covers: one user's (role user), or everyone's, optionally narrowed to one user. */
export interface AnalyticsScope {
  userId?: string;
  /** One organisation's submissions only. */
  orgId?: string;
  from: Date;
  to: Date;
  category?: string;
  /** Only submissions in this language (ISO 639-1): the one the upload named, else the detected one. */
  language?: string;
}

export type TrendInterval = 'day' | 'week' | 'month';

/** A submission's language (alias `s`), as `SUBMISSION_LANGUAGE` says for the lists (same index). */
const LANGUAGE = "split_part(coalesce(s.language, s.detected_language), '-', 1)";

const median = 'percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (s.completed_at - s.created_at)) * 1000)';

/** Submissions in scope (not deleted), aliased `s`: every analytics question starts here. */
export function scoped(db: Db, scope: AnalyticsScope): Knex.QueryBuilder {
  const q = db({ s: 'voice_submissions' }).whereNull('s.deleted_at').where('s.created_at', '>=', scope.from).where('s.created_at', '<', scope.to);
  if (scope.userId) q.where('s.user_id', scope.userId);
  if (scope.orgId) q.where('s.org_id', scope.orgId);
  if (scope.category) q.where('s.category', scope.category);
  if (scope.language) q.whereRaw(`${LANGUAGE} = ?`, [scope.language]);
  return q;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The analytics questions of the API, answered in SQL over the indexed tables. */
export function createAnalyticsRepository(db: Db) {
  return {
    async dashboard(scope: AnalyticsScope) {
      const [byStatus, byLanguage, perDay, sentiment, intents, keywords, timing] = await Promise.all([
        scoped(db, scope).select('s.status').count<{ status: string; count: number }[]>({ count: '*' }).groupBy('s.status'),
        scoped(db, scope)
          .select(db.raw(`${LANGUAGE} AS language`))
          .count<{ language: string | null; count: number }[]>({ count: '*' })
          .groupByRaw('1')
          .orderBy([{ column: 'count', order: 'desc' }, { column: 'language' }]),
        scoped(db, scope)
          .select(db.raw(`to_char(date_trunc('day', s.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day`))
          .count<{ day: string; count: number }[]>({ count: '*' })
          .groupByRaw('1')
          .orderBy('day'),
        scoped(db, scope).join({ a: 'analyses' }, 'a.submission_id', 's.id').first(db.raw('avg(a.sentiment_score) AS average, count(*) AS analysed')),
        scoped(db, scope)
          .join({ a: 'analyses' }, 'a.submission_id', 's.id')
          .whereNotNull('a.intent')
          .select('a.intent')
          .count<{ intent: string; count: number }[]>({ count: '*' })
          .groupBy('a.intent')
          .orderBy([{ column: 'count', order: 'desc' }, { column: 'a.intent' }])
          .limit(10),
        scoped(db, scope)
          .join({ a: 'analyses' }, 'a.submission_id', 's.id')
          .crossJoin(db.raw('jsonb_array_elements_text(a.keywords) AS k(keyword)'))
          .select(db.raw('lower(k.keyword) AS keyword'))
          .count<{ keyword: string; count: number }[]>({ count: '*' })
          .groupByRaw('1')
          .orderBy([{ column: 'count', order: 'desc' }, { column: 'keyword' }])
          .limit(20),
        scoped(db, scope).where('s.status', 'completed').first(db.raw(`${median} AS median_ms`)),
      ]);
      const counts = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.count)]));
      const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
      return {
        countsByStatus: counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        // null: not named on upload and not transcribed yet.
        countsByLanguage: byLanguage.map((r) => ({ language: r.language || null, count: Number(r.count) })),
        submissionsPerDay: perDay.map((r) => ({ day: r.day, count: Number(r.count) })),
        averageSentiment: num((sentiment as { average?: unknown } | undefined)?.average),
        topIntents: intents.map((r) => ({ intent: r.intent, count: Number(r.count) })),
        topKeywords: keywords.map((r) => ({ keyword: r.keyword, count: Number(r.count) })),
        // Rejected audio is the sender's problem, not the pipeline's: success = completed / (completed + failed).
        processingSuccessRate: finished === 0 ? null : (counts.completed ?? 0) / finished,
        medianProcessingMs: num((timing as { median_ms?: unknown } | undefined)?.median_ms),
      };
    },

    async sentimentTrends(scope: AnalyticsScope, interval: TrendInterval) {
      const rows = await scoped(db, scope)
        .join({ a: 'analyses' }, 'a.submission_id', 's.id')
        .select(db.raw(`to_char(date_trunc(?, s.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS bucket`, [interval]))
        .select(
          db.raw(`count(*) FILTER (WHERE a.sentiment = 'positive') AS positive`),
          db.raw(`count(*) FILTER (WHERE a.sentiment = 'neutral') AS neutral`),
          db.raw(`count(*) FILTER (WHERE a.sentiment = 'negative') AS negative`),
          db.raw('avg(a.sentiment_score) AS average_score'),
        )
        .groupByRaw('1')
        .orderBy('bucket');
      return (rows as { bucket: string; positive: number; neutral: number; negative: number; average_score: number }[]).map((r) => ({
        bucket: r.bucket,
        positive: Number(r.positive),
        neutral: Number(r.neutral),
        negative: Number(r.negative),
        averageScore: Number(r.average_score),
      }));
    },

    async intents(scope: AnalyticsScope) {
      const rows = (await scoped(db, scope)
        .join({ a: 'analyses' }, 'a.submission_id', 's.id')
        .select(db.raw(`coalesce(a.intent, 'unknown') AS intent`))
        .count({ count: '*' })
        .groupByRaw('1')
        .orderBy([{ column: 'count', order: 'desc' }, { column: 'intent' }])) as { intent: string; count: number }[];
      const total = rows.reduce((n, r) => n + Number(r.count), 0);
      return rows.map((r) => ({ intent: r.intent, count: Number(r.count), share: total ? Number(r.count) / total : 0 }));
    },

    /** Per-user statistics (everyone's, for analysts and admins). */
    async users(scope: AnalyticsScope) {
      const rows = await scoped(db, scope)
        .join({ u: 'users' }, 'u.id', 's.user_id')
        .leftJoin({ a: 'analyses' }, 'a.submission_id', 's.id')
        .select('u.id', 'u.username')
        .select(
          db.raw('count(*) AS submissions'),
          db.raw(`count(*) FILTER (WHERE s.status = 'completed') AS completed`),
          db.raw('avg(a.sentiment_score) AS average_sentiment'),
          db.raw('max(s.created_at) AS last_submission_at'),
        )
        .groupBy('u.id', 'u.username')
        .orderBy([{ column: 'submissions', order: 'desc' }, { column: 'u.username' }]);
      return (rows as { id: string; username: string; submissions: number; completed: number; average_sentiment: unknown; last_submission_at: Date }[]).map((r) => ({
        userId: r.id,
        username: r.username,
        submissions: Number(r.submissions),
        completed: Number(r.completed),
        averageSentiment: num(r.average_sentiment),
        lastSubmissionAt: r.last_submission_at.toISOString(),
      }));
    },

    /**
     * Every submission in scope with its transcript and analysis, as a row stream straight from a database
     * cursor: an export of any size never sits in memory whole.
     */
    exportStream(scope: AnalyticsScope & { status?: string }): Readable {
      const q = scoped(db, scope)
        .leftJoin({ t: 'transcriptions' }, 't.submission_id', 's.id')
        .leftJoin({ a: 'analyses' }, 'a.submission_id', 's.id')
        .select(
          's.id', 's.user_id', 's.status', 's.title', 's.description', 's.category', 's.language', 's.detected_language', 's.duration_ms', 's.created_at', 's.completed_at',
          { transcript: 't.text', transcript_confidence: 't.confidence', asr_model: 't.model_version' },
          { sentiment: 'a.sentiment', sentiment_score: 'a.sentiment_score', intent: 'a.intent', keywords: 'a.keywords', importance_score: 'a.importance_score', model_version: 'a.model_version' },
        )
        .orderBy([{ column: 's.created_at' }, { column: 's.id' }]);
      if (scope.status) q.where('s.status', scope.status);
      return q.stream({ highWaterMark: 500 });
    },
  };
}

export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;
