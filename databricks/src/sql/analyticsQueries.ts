import type { AnalyticsScope, TrendInterval } from '@voyce/core';
import type { SqlQuery } from './sqlRunner';

/**
 * The analytics questions of the API answered by a Databricks SQL warehouse over the Unity Catalog tables
 * (`databricks/python/voyce_ml/catalog.py`), behind the same interface and result types as the PostgreSQL
 * repository (`createAnalyticsRepository`). Selected with `ANALYTICS_BACKEND=databricks`.
 *
 * Where each answer comes from:
 * - sentiment trends and the dashboard's sentiment average, for everyone's data in every language: `gold.sentiment_trends`
 *   (day × category), so the warehouse reads the small aggregate. The gold table has day granularity:
 *   the range is widened to whole UTC days. A user- or language-scoped question (gold has neither column) reads
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

  // A submission's language: the one its upload named, else its transcript's (as in PostgreSQL).
  const languages =
    `SELECT b.submission_id, coalesce(split_part(b.language, '-', 1), split_part(t.language, '-', 1)) AS language ` +
    `FROM ${c}.bronze.metadata b LEFT JOIN ${c}.silver.transcriptions t ON t.submission_id = b.submission_id`;

  /** WHERE clause and parameters for a scope over a table alias whose rows have created_at/user_id/category. */
  function where(alias: string, scope: AnalyticsScope, extra: string[] = []): { clause: string; params: SqlQuery['params'] } {
    const conds = [`${alias}.created_at >= :from`, `${alias}.created_at < :to`];
    const params: SqlQuery['params'] = { from: scope.from, to: scope.to };
    // The bronze/silver tables carry no organisation yet: refuse rather than answer with every organisation's rows.
    if (scope.orgId) throw new Error('Analytics by organisation need ANALYTICS_BACKEND=postgres for now.');
    if (scope.userId) {
      conds.push(`${alias}.user_id = :user_id`);
      params.user_id = scope.userId;
    }
    if (scope.category) {
      conds.push(`${alias}.category = :category`);
      params.category = scope.category;
    }
    if (scope.language) {
      conds.push(`${alias}.submission_id IN (SELECT l.submission_id FROM (${languages}) l WHERE l.language = :language)`);
      params.language = scope.language;
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

    countsByLanguage(scope: AnalyticsScope): SqlQuery {
      const w = scopedMeta(scope);
      return {
        sql:
          `${latestMeta}\nSELECT coalesce(split_part(m.language, '-', 1), split_part(t.language, '-', 1)) AS language, count(*) AS count ` +
          `FROM meta m LEFT JOIN ${c}.silver.transcriptions t ON t.submission_id = m.submission_id ${w.clause} GROUP BY 1 ORDER BY count DESC, language`,
        params: w.params,
      };
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
      if (!scope.userId && !scope.language) {
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
      if (!scope.userId && !scope.language) {
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
          `m.language AS language, t.language AS detected_language, a.duration_ms AS duration_ms, m.created_at AS created_at, ` +
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
