import { Readable } from 'node:stream';
import type { AnalyticsRepository, AnalyticsScope, TrendInterval } from '../db/analyticsRepository';

/**
 * The analytics questions of the API answered by a Databricks SQL warehouse over the Unity Catalog tables
 * (`databricks/python/voyce_ml/catalog.py`), behind the same interface and result types as the PostgreSQL
 * repository (`createAnalyticsRepository`). Selected with `ANALYTICS_BACKEND=databricks`.
 *
 * Where each answer comes from:
 * - sentiment trends and the dashboard's sentiment average, for everyone's data: `gold.sentiment_trends`
 *   (day × category), so the warehouse reads the small aggregate. The gold table has day granularity:
 *   the range is widened to whole UTC days. A user-scoped question (gold has no user column) reads
 *   `silver.enriched_metadata` instead, with the exact timestamps.
 * - intents, keywords, per-user statistics: `silver.enriched_metadata` (one row per analysed submission).
 *   `gold.user_insights` is all-time, and the API's questions are ranged, so it is not used for them.
 * - statuses, submissions per day, processing time, export: the latest `bronze.metadata` row per submission
 *   (bronze is append-only); processing time is `updated_at − created_at` of completed submissions, i.e.
 *   the time of the last status change.
 * - usernames are not copied to the catalog (PII stays in PostgreSQL): `users()` asks `usernames()`.
 *
 * Every value arrives as a named parameter (`:from`, `:to`, `:user_id`, …); only identifiers from a fixed
 * list (the catalog name, validated by config, and the trend unit) are spliced into the SQL text.
 */

export interface SqlQuery {
  sql: string;
  params: Record<string, string | number | Date>;
}

/** Runs one statement on the warehouse; rows are plain objects keyed by column alias. */
export interface SqlRunner {
  query(q: SqlQuery): Promise<Record<string, unknown>[]>;
  /** Rows a chunk at a time, for exports of any size. */
  stream(q: SqlQuery): AsyncIterable<Record<string, unknown>>;
  close(): Promise<void>;
}

const TREND_UNIT: Record<TrendInterval, string> = { day: 'DAY', week: 'WEEK', month: 'MONTH' };
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a Date in UTC. */
const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

function assertCatalog(catalog: string): string {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(catalog)) throw new Error(`invalid catalog name: ${catalog}`);
  return catalog;
}

/** Builds the SQL of every question (pure: unit-tested without a warehouse). */
export function databricksAnalyticsQueries(catalogName = 'voyce_catalog') {
  const c = assertCatalog(catalogName);
  const latestMeta = `WITH meta AS (
  SELECT submission_id, user_id, status, title, category, language, created_at, updated_at
  FROM ${c}.bronze.metadata
  QUALIFY row_number() OVER (PARTITION BY submission_id ORDER BY updated_at DESC, ingested_at DESC) = 1
)`;

  /** WHERE clause and parameters for a scope over a table alias whose rows have created_at/user_id/category. */
  function where(alias: string, scope: AnalyticsScope, extra: string[] = []): { clause: string; params: SqlQuery['params'] } {
    const conds = [`${alias}.created_at >= :from`, `${alias}.created_at < :to`];
    const params: SqlQuery['params'] = { from: scope.from, to: scope.to };
    if (scope.userId) {
      conds.push(`${alias}.user_id = :user_id`);
      params.user_id = scope.userId;
    }
    if (scope.category) {
      conds.push(`${alias}.category = :category`);
      params.category = scope.category;
    }
    return { clause: `WHERE ${[...conds, ...extra].join(' AND ')}`, params };
  }

  /** Submissions (latest metadata) in scope; deleted ones are excluded as in PostgreSQL. */
  const scopedMeta = (scope: AnalyticsScope) => where('m', scope, [`m.status <> 'deleted'`]);

  return {
    countsByStatus(scope: AnalyticsScope): SqlQuery {
      const w = scopedMeta(scope);
      return { sql: `${latestMeta}\nSELECT m.status AS status, count(*) AS count FROM meta m ${w.clause} GROUP BY m.status`, params: w.params };
    },

    submissionsPerDay(scope: AnalyticsScope): SqlQuery {
      const w = scopedMeta(scope);
      return {
        sql: `${latestMeta}\nSELECT date_format(date_trunc('DAY', m.created_at), 'yyyy-MM-dd') AS day, count(*) AS count FROM meta m ${w.clause} GROUP BY 1 ORDER BY day`,
        params: w.params,
      };
    },

    /** Mean sentiment and analysed count: from gold for everyone's data, from silver for one user's. */
    averageSentiment(scope: AnalyticsScope): SqlQuery {
      if (!scope.userId) {
        const g = goldRange(scope);
        return {
          sql: `SELECT sum(g.average_score * g.submissions) / sum(g.submissions) AS average, coalesce(sum(g.submissions), 0) AS analysed FROM ${c}.gold.sentiment_trends g ${g.clause}`,
          params: g.params,
        };
      }
      const w = where('e', scope);
      return { sql: `SELECT avg(e.sentiment_score) AS average, count(*) AS analysed FROM ${c}.silver.enriched_metadata e ${w.clause}`, params: w.params };
    },

    topIntents(scope: AnalyticsScope, limit = 10): SqlQuery {
      const w = where('e', scope, ['e.intent IS NOT NULL']);
      return {
        sql: `SELECT e.intent AS intent, count(*) AS count FROM ${c}.silver.enriched_metadata e ${w.clause} GROUP BY e.intent ORDER BY count DESC, intent LIMIT ${Math.trunc(limit)}`,
        params: w.params,
      };
    },

    topKeywords(scope: AnalyticsScope, limit = 20): SqlQuery {
      const w = where('e', scope);
      return {
        sql: `SELECT lower(k.keyword) AS keyword, count(*) AS count FROM ${c}.silver.enriched_metadata e LATERAL VIEW explode(e.keywords) k AS keyword ${w.clause} GROUP BY 1 ORDER BY count DESC, keyword LIMIT ${Math.trunc(limit)}`,
        params: w.params,
      };
    },

    medianProcessingMs(scope: AnalyticsScope): SqlQuery {
      const w = where('m', scope, [`m.status = 'completed'`]);
      return {
        sql: `${latestMeta}\nSELECT percentile(unix_millis(m.updated_at) - unix_millis(m.created_at), 0.5) AS median_ms FROM meta m ${w.clause}`,
        params: w.params,
      };
    },

    sentimentTrends(scope: AnalyticsScope, interval: TrendInterval): SqlQuery {
      const unit = TREND_UNIT[interval];
      if (!unit) throw new Error(`invalid interval: ${String(interval)}`);
      if (!scope.userId) {
        const g = goldRange(scope);
        return {
          sql:
            `SELECT date_format(date_trunc('${unit}', g.day), 'yyyy-MM-dd') AS bucket, sum(g.positive) AS positive, sum(g.neutral) AS neutral, ` +
            `sum(g.negative) AS negative, sum(g.average_score * g.submissions) / sum(g.submissions) AS average_score ` +
            `FROM ${c}.gold.sentiment_trends g ${g.clause} GROUP BY 1 ORDER BY bucket`,
          params: g.params,
        };
      }
      const w = where('e', scope);
      return {
        sql:
          `SELECT date_format(date_trunc('${unit}', e.created_at), 'yyyy-MM-dd') AS bucket, count_if(e.sentiment = 'positive') AS positive, ` +
          `count_if(e.sentiment = 'neutral') AS neutral, count_if(e.sentiment = 'negative') AS negative, avg(e.sentiment_score) AS average_score ` +
          `FROM ${c}.silver.enriched_metadata e ${w.clause} GROUP BY 1 ORDER BY bucket`,
        params: w.params,
      };
    },

    intents(scope: AnalyticsScope): SqlQuery {
      const w = where('e', scope);
      return {
        sql: `SELECT coalesce(e.intent, 'unknown') AS intent, count(*) AS count FROM ${c}.silver.enriched_metadata e ${w.clause} GROUP BY 1 ORDER BY count DESC, intent`,
        params: w.params,
      };
    },

    users(scope: AnalyticsScope): SqlQuery {
      const w = scopedMeta(scope);
      return {
        sql:
          `${latestMeta}\nSELECT m.user_id AS user_id, count(*) AS submissions, count_if(m.status = 'completed') AS completed, ` +
          `avg(e.sentiment_score) AS average_sentiment, max(m.created_at) AS last_submission_at ` +
          `FROM meta m LEFT JOIN ${c}.silver.enriched_metadata e ON e.submission_id = m.submission_id ${w.clause} ` +
          `GROUP BY m.user_id ORDER BY submissions DESC, user_id`,
        params: w.params,
      };
    },

    export(scope: AnalyticsScope & { status?: string }): SqlQuery {
      const w = scopedMeta(scope);
      if (scope.status) {
        w.clause += ' AND m.status = :status';
        w.params.status = scope.status;
      }
      return {
        sql:
          `${latestMeta}\nSELECT m.submission_id AS id, m.user_id AS user_id, m.status AS status, m.title AS title, m.category AS category, ` +
          `m.language AS language, a.duration_ms AS duration_ms, m.created_at AS created_at, ` +
          `CASE WHEN m.status = 'completed' THEN m.updated_at END AS completed_at, t.text AS transcript, t.confidence AS transcript_confidence, ` +
          `t.model_version AS asr_model, e.sentiment AS sentiment, e.sentiment_score AS sentiment_score, e.intent AS intent, ` +
          `e.keywords AS keywords, e.importance_score AS importance_score, e.model_version AS model_version ` +
          `FROM meta m LEFT JOIN ${c}.silver.transcriptions t ON t.submission_id = m.submission_id ` +
          `LEFT JOIN ${c}.silver.enriched_metadata e ON e.submission_id = m.submission_id ` +
          `LEFT JOIN (SELECT submission_id, max(duration_ms) AS duration_ms FROM ${c}.bronze.audio_files GROUP BY submission_id) a ON a.submission_id = m.submission_id ` +
          `${w.clause} ORDER BY m.created_at, m.submission_id`,
        params: w.params,
      };
    },
  };

  /** gold.sentiment_trends is per day: the range becomes the whole UTC days it touches; no user column. */
  function goldRange(scope: AnalyticsScope): { clause: string; params: SqlQuery['params'] } {
    const conds = ['g.day >= CAST(:from_day AS DATE)', 'g.day < CAST(:to_day AS DATE)'];
    const params: SqlQuery['params'] = { from_day: utcDay(scope.from), to_day: utcDay(new Date(scope.to.getTime() - 1 + DAY_MS)) };
    if (scope.category) {
      conds.push('g.category = :category');
      params.category = scope.category;
    }
    return { clause: `WHERE ${conds.join(' AND ')}`, params };
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString());

/** Looks up usernames (kept in PostgreSQL) for user ids. */
export type UsernameLookup = (ids: string[]) => Promise<Map<string, string>>;

/** The AnalyticsRepository interface over a Databricks SQL warehouse. */
export function createDatabricksAnalyticsRepository(runner: SqlRunner, opts: { catalog?: string; usernames?: UsernameLookup } = {}): AnalyticsRepository {
  const q = databricksAnalyticsQueries(opts.catalog);
  return {
    async dashboard(scope: AnalyticsScope) {
      const [byStatus, perDay, sentiment, intents, keywords, timing] = await Promise.all([
        runner.query(q.countsByStatus(scope)),
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

export interface DatabricksSqlSettings {
  host: string;
  httpPath: string;
  token: string;
}

/**
 * A SqlRunner on `@databricks/sql`. The driver (and its Thrift/Arrow dependencies) is imported on first use,
 * so processes on the default PostgreSQL backend never load it. One session per statement keeps the
 * runner safe for concurrent questions; the client connection is shared.
 */
export function createDatabricksSqlRunner(settings: DatabricksSqlSettings, load: () => Promise<typeof import('@databricks/sql')> = () => import('@databricks/sql')): SqlRunner {
  type Driver = typeof import('@databricks/sql');
  let client: Promise<{ driver: Driver; client: InstanceType<Driver['DBSQLClient']> }> | null = null;

  function connect() {
    client ??= (async () => {
      const driver = await load();
      // The driver logs every connection at info on the console; only its warnings and errors matter here.
      const c = new driver.DBSQLClient(driver.DBSQLLogger ? { logger: new driver.DBSQLLogger({ level: driver.LogLevel.warn }) } : {});
      await c.connect({ host: settings.host, path: settings.httpPath, token: settings.token });
      return { driver, client: c };
    })().catch((err: unknown) => {
      client = null; // try again on the next question
      throw err;
    });
    return client;
  }

  function parameters(driver: Driver, params: SqlQuery['params']) {
    return Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, v instanceof Date ? new driver.DBSQLParameter({ type: driver.DBSQLParameterType.TIMESTAMP, value: v }) : v]),
    );
  }

  async function* run(q: SqlQuery): AsyncGenerator<Record<string, unknown>[]> {
    const { driver, client: c } = await connect();
    const session = await c.openSession();
    try {
      const op = await session.executeStatement(q.sql, { namedParameters: parameters(driver, q.params) });
      try {
        do {
          const chunk = (await op.fetchChunk({ maxRows: 1000 })) as Record<string, unknown>[];
          if (chunk.length) yield chunk;
        } while (await op.hasMoreRows());
      } finally {
        await op.close();
      }
    } finally {
      await session.close();
    }
  }

  return {
    async query(q) {
      const out: Record<string, unknown>[] = [];
      for await (const chunk of run(q)) out.push(...chunk);
      return out;
    },
    async *stream(q) {
      for await (const chunk of run(q)) yield* chunk;
    },
    async close() {
      const current = client;
      client = null;
      if (current) await (await current).client.close();
    },
  };
}
