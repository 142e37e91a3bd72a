import { Readable } from 'node:stream';
import type { AnalyticsRepository, AnalyticsScope, TrendInterval } from '@voyce/core';
import { databricksAnalyticsQueries } from './analyticsQueries';
import type { SqlRunner } from './sqlRunner';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

/** Looks up usernames (kept in PostgreSQL) for user ids. */
export type UsernameLookup = (ids: string[]) => Promise<Map<string, string>>;

/** The AnalyticsRepository interface over a Databricks SQL warehouse. */
export function createDatabricksAnalyticsRepository(runner: SqlRunner, opts: { catalog?: string; usernames?: UsernameLookup } = {}): AnalyticsRepository {
  const q = databricksAnalyticsQueries(opts.catalog);
  return {
    async dashboard(scope: AnalyticsScope) {
      const [byStatus, byLanguage, perDay, sentiment, intents, keywords, timing] = await Promise.all([
        runner.query(q.countsByStatus(scope)),
        runner.query(q.countsByLanguage(scope)),
        runner.query(q.submissionsPerDay(scope)),
        runner.query(q.averageSentiment(scope)),
        runner.query(q.topIntents(scope)),
        runner.query(q.topKeywords(scope)),
        runner.query(q.medianProcessingMs(scope)),
      ]);
      const counts = Object.fromEntries(byStatus.map((r) => [String(r.status), Number(r.count)]));
      const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
      return {
        countsByStatus: counts,
        total: Object.values(counts).reduce((a, b) => a + b, 0),
        countsByLanguage: byLanguage.map((r) => ({ language: r.language == null || r.language === '' ? null : String(r.language), count: Number(r.count) })),
        submissionsPerDay: perDay.map((r) => ({ day: String(r.day), count: Number(r.count) })),
        averageSentiment: num(sentiment[0]?.average),
        topIntents: intents.map((r) => ({ intent: String(r.intent), count: Number(r.count) })),
        topKeywords: keywords.map((r) => ({ keyword: String(r.keyword), count: Number(r.count) })),
        processingSuccessRate: finished === 0 ? null : (counts.completed ?? 0) / finished,
        medianProcessingMs: num(timing[0]?.median_ms),
      };
    },

    async sentimentTrends(scope: AnalyticsScope, interval: TrendInterval) {
      const rows = await runner.query(q.sentimentTrends(scope, interval));
      return rows.map((r) => ({
        bucket: String(r.bucket),
        positive: Number(r.positive),
        neutral: Number(r.neutral),
        negative: Number(r.negative),
        averageScore: Number(r.average_score),
      }));
    },

    async intents(scope: AnalyticsScope) {
      const rows = await runner.query(q.intents(scope));
      const total = rows.reduce((n, r) => n + Number(r.count), 0);
      return rows.map((r) => ({ intent: String(r.intent), count: Number(r.count), share: total ? Number(r.count) / total : 0 }));
    },

    async users(scope: AnalyticsScope) {
      const rows = await runner.query(q.users(scope));
      const ids = rows.map((r) => String(r.user_id));
      const names = opts.usernames && ids.length ? await opts.usernames(ids) : new Map<string, string>();
      return rows.map((r) => ({
        userId: String(r.user_id),
        username: names.get(String(r.user_id)) ?? String(r.user_id),
        submissions: Number(r.submissions),
        completed: Number(r.completed),
        averageSentiment: num(r.average_sentiment),
        lastSubmissionAt: iso(r.last_submission_at) as string,
      }));
    },

    exportStream(scope: AnalyticsScope & { status?: string }): Readable {
      const query = q.export(scope);
      async function* rows() {
        for await (const r of runner.stream(query)) {
          yield {
            ...r,
            duration_ms: num(r.duration_ms),
            transcript_confidence: num(r.transcript_confidence),
            sentiment_score: num(r.sentiment_score),
            importance_score: num(r.importance_score),
            created_at: r.created_at == null ? null : new Date(iso(r.created_at) as string),
            completed_at: r.completed_at == null ? null : new Date(iso(r.completed_at) as string),
            keywords: r.keywords == null ? null : Array.isArray(r.keywords) ? r.keywords : JSON.parse(String(r.keywords)),
          };
        }
      }
      return Readable.from(rows(), { objectMode: true, highWaterMark: 500 });
    },
  };
}
