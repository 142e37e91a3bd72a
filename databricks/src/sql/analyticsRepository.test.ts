import { databricksAnalyticsQueries } from './analyticsQueries';
import { createDatabricksAnalyticsRepository } from './analyticsRepository';
import { createDatabricksSqlRunner, type SqlQuery, type SqlRunner } from './sqlRunner';

const from = new Date('2026-11-01T10:30:00Z');
const to = new Date('2026-11-27T12:01:00Z');
const q = databricksAnalyticsQueries('voyce_catalog');

/** A runner that records every statement and answers from a table of canned rows keyed by a SQL fragment. */
function fakeRunner(answers: [RegExp, Record<string, unknown>[]][]): SqlRunner & { seen: SqlQuery[] } {
  const seen: SqlQuery[] = [];
  const answer = (s: SqlQuery) => {
    seen.push(s);
    return answers.find(([re]) => re.test(s.sql))?.[1] ?? [];
  };
  return {
    seen,
    query: async (s) => answer(s),
    async *stream(s) {
      yield* answer(s);
    },
    close: async () => undefined,
  };
}

describe('Databricks analytics: query building', () => {
  it('binds every value as a named parameter, never in the SQL text', () => {
    const evil = "x' OR 1=1 --";
    const built = [
      q.countsByStatus({ from, to, userId: evil, category: evil }),
      q.intents({ from, to, userId: evil, category: evil }),
      q.users({ from, to, category: evil }),
      q.export({ from, to, userId: evil, status: evil }),
      q.sentimentTrends({ from, to, category: evil }, 'week'),
      q.countsByLanguage({ from, to, language: evil }),
    ];
    for (const b of built) {
      expect(b.sql).not.toContain(evil);
      expect(Object.values(b.params)).toContain(evil);
      for (const name of b.sql.match(/:[a-z_]+/g) ?? []) expect(b.params).toHaveProperty(name.slice(1));
    }
  });

  it('reads gold.sentiment_trends for everyone, by whole UTC days', () => {
    const b = q.sentimentTrends({ from, to, category: 'billing' }, 'month');
    expect(b.sql).toContain('FROM voyce_catalog.gold.sentiment_trends g');
    expect(b.sql).toContain("date_trunc('MONTH', g.day)");
    expect(b.sql).toContain('sum(g.average_score * g.submissions) / sum(g.submissions) AS average_score');
    expect(b.params).toEqual({ from_day: '2026-11-01', to_day: '2026-11-28', category: 'billing' });
    // A range ending exactly at midnight does not include the next day.
    expect(q.sentimentTrends({ from, to: new Date('2026-11-27T00:00:00Z') }, 'day').params).toEqual({ from_day: '2026-11-01', to_day: '2026-11-27' });
  });

  it('reads silver.enriched_metadata with exact timestamps for one user (gold has no user column)', () => {
    const b = q.sentimentTrends({ from, to, userId: 'u1' }, 'day');
    expect(b.sql).toContain('FROM voyce_catalog.silver.enriched_metadata e');
    expect(b.sql).toContain("count_if(e.sentiment = 'negative') AS negative");
    expect(b.sql).toContain('e.created_at >= :from AND e.created_at < :to AND e.user_id = :user_id');
    expect(b.params).toEqual({ from, to, user_id: 'u1' });
    expect(q.averageSentiment({ from, to, userId: 'u1' }).sql).toContain('silver.enriched_metadata');
    expect(q.averageSentiment({ from, to }).sql).toContain('gold.sentiment_trends');
  });

  it('takes the latest bronze.metadata row per submission and leaves deleted ones out', () => {
    const b = q.countsByStatus({ from, to });
    expect(b.sql).toMatch(/QUALIFY row_number\(\) OVER \(PARTITION BY submission_id ORDER BY updated_at DESC, ingested_at DESC\) = 1/);
    expect(b.sql).toContain("m.status <> 'deleted'");
    expect(q.medianProcessingMs({ from, to }).sql).toContain('percentile(unix_millis(m.updated_at) - unix_millis(m.created_at), 0.5)');
    expect(q.topKeywords({ from, to }).sql).toContain('LATERAL VIEW explode(e.keywords) k AS keyword');
    expect(q.topKeywords({ from, to }).sql).toMatch(/LIMIT 20$/);
  });

  it('uses the configured catalog and refuses names that are not identifiers', () => {
    expect(databricksAnalyticsQueries('analytics_prod').intents({ from, to }).sql).toContain('analytics_prod.silver.enriched_metadata');
    expect(() => databricksAnalyticsQueries('x; DROP TABLE y')).toThrow(/invalid catalog/);
    expect(() => q.sentimentTrends({ from, to }, 'year' as never)).toThrow(/invalid interval/);
  });

  it('narrows every question to one language (named on upload, else transcribed), leaving gold aside', () => {
    const scope = { from, to, language: 'de' };
    for (const b of [q.countsByStatus(scope), q.topIntents(scope), q.averageSentiment(scope), q.sentimentTrends(scope, 'day'), q.export(scope), q.countsByLanguage(scope)]) {
      expect(b.sql).toMatch(/submission_id IN \(SELECT l\.submission_id FROM \(.*silver\.transcriptions t.*\) l WHERE l\.language = :language\)/);
      expect(b.sql).not.toContain('gold.sentiment_trends');
      expect(b.params.language).toBe('de');
    }
    expect(q.countsByLanguage({ from, to }).sql).toContain("coalesce(split_part(m.language, '-', 1), split_part(t.language, '-', 1)) AS language");
    expect(q.countsByLanguage({ from, to }).params).not.toHaveProperty('language');
    expect(q.export({ from, to }).sql).toContain('t.language AS detected_language');
  });

  it('filters the export by status when asked', () => {
    const b = q.export({ from, to, status: 'completed' });
    expect(b.sql).toContain('AND m.status = :status');
    expect(b.params.status).toBe('completed');
    expect(b.sql).toContain('LEFT JOIN voyce_catalog.silver.transcriptions t');
  });
});

describe('Databricks analytics: rows become the PostgreSQL result types', () => {
  it('dashboard', async () => {
    const runner = fakeRunner([
      [/SELECT m.status AS status/, [{ status: 'completed', count: 3 }, { status: 'failed', count: 1 }, { status: 'pending', count: 2 }]],
      [/AS language, count/, [{ language: 'de', count: 4 }, { language: null, count: 2 }]],
      [/AS day, count/, [{ day: '2026-11-02', count: 4 }, { day: '2026-11-03', count: 2 }]],
      [/AS average, /, [{ average: -0.25, analysed: 3 }]],
      [/SELECT e.intent AS intent/, [{ intent: 'bug_report', count: 2 }, { intent: 'praise', count: 1 }]],
      [/AS keyword, count/, [{ keyword: 'checkout', count: 2 }]],
      [/median_ms/, [{ median_ms: 1500.5 }]],
    ]);
    const repo = createDatabricksAnalyticsRepository(runner);
    await expect(repo.dashboard({ from, to })).resolves.toEqual({
      countsByStatus: { completed: 3, failed: 1, pending: 2 },
      total: 6,
      countsByLanguage: [{ language: 'de', count: 4 }, { language: null, count: 2 }],
      submissionsPerDay: [{ day: '2026-11-02', count: 4 }, { day: '2026-11-03', count: 2 }],
      averageSentiment: -0.25,
      topIntents: [{ intent: 'bug_report', count: 2 }, { intent: 'praise', count: 1 }],
      topKeywords: [{ keyword: 'checkout', count: 2 }],
      processingSuccessRate: 0.75,
      medianProcessingMs: 1500.5,
    });
    expect(runner.seen).toHaveLength(7);
  });

  it('empty answers map to nulls as in PostgreSQL', async () => {
    const repo = createDatabricksAnalyticsRepository(fakeRunner([[/AS average, /, [{ average: null, analysed: 0 }]]]));
    const d = await repo.dashboard({ from, to });
    expect(d).toMatchObject({ total: 0, averageSentiment: null, processingSuccessRate: null, medianProcessingMs: null, countsByStatus: {} });
  });

  it('sentiment trends, intents, users', async () => {
    const runner = fakeRunner([
      [/AS bucket/, [{ bucket: '2026-11-02', positive: 1, neutral: 0, negative: 2, average_score: -0.4 }]],
      [/coalesce\(e.intent, 'unknown'\)/, [{ intent: 'bug_report', count: 3 }, { intent: 'unknown', count: 1 }]],
      [/AS submissions/, [{ user_id: 'u1', submissions: 2, completed: 1, average_sentiment: null, last_submission_at: '2026-11-05T10:00:00.000Z' }]],
    ]);
    const repo = createDatabricksAnalyticsRepository(runner, { usernames: async (ids) => new Map(ids.map((id) => [id, `name-of-${id}`])) });
    await expect(repo.sentimentTrends({ from, to }, 'day')).resolves.toEqual([{ bucket: '2026-11-02', positive: 1, neutral: 0, negative: 2, averageScore: -0.4 }]);
    await expect(repo.intents({ from, to })).resolves.toEqual([
      { intent: 'bug_report', count: 3, share: 0.75 },
      { intent: 'unknown', count: 1, share: 0.25 },
    ]);
    await expect(repo.users({ from, to })).resolves.toEqual([
      { userId: 'u1', username: 'name-of-u1', submissions: 2, completed: 1, averageSentiment: null, lastSubmissionAt: '2026-11-05T10:00:00.000Z' },
    ]);
  });

  it('exportStream streams rows with dates and keyword arrays', async () => {
    const runner = fakeRunner([[/AS transcript/, [{ id: 's1', created_at: '2026-11-02T08:00:00Z', completed_at: null, keywords: '["pay button"]', sentiment_score: '-0.5', duration_ms: 3000 }]]]);
    const rows: Record<string, unknown>[] = [];
    for await (const r of createDatabricksAnalyticsRepository(runner).exportStream({ from, to })) rows.push(r as Record<string, unknown>);
    expect(rows).toEqual([
      { id: 's1', created_at: new Date('2026-11-02T08:00:00Z'), completed_at: null, keywords: ['pay button'], sentiment_score: -0.5, duration_ms: 3000, transcript_confidence: null, importance_score: null },
    ]);
  });
});

describe('the @databricks/sql runner', () => {
  it('the runner connects once, binds dates as TIMESTAMP, fetches every chunk and closes what it opens', async () => {
    const calls: string[] = [];
    let executed: { sql: string; options: { namedParameters: Record<string, unknown> } } | undefined;
    const chunks = [[{ a: 1 }, { a: 2 }], [{ a: 3 }]];
    class DBSQLParameter {
      constructor(readonly o: { type: string; value: unknown }) {}
    }
    class DBSQLClient {
      async connect(o: unknown) {
        calls.push(`connect ${JSON.stringify(o)}`);
        return this;
      }
      async openSession() {
        calls.push('openSession');
        return {
          executeStatement: async (sql: string, options: { namedParameters: Record<string, unknown> }) => {
            executed = { sql, options };
            let i = 0;
            return {
              fetchChunk: async () => chunks[i++] ?? [],
              hasMoreRows: async () => i < chunks.length,
              close: async () => calls.push('op.close'),
            };
          },
          close: async () => calls.push('session.close'),
        };
      }
      async close() {
        calls.push('client.close');
      }
    }
    const load = jest.fn(async () => ({ DBSQLClient, DBSQLParameter, DBSQLParameterType: { TIMESTAMP: 'TIMESTAMP' } }) as never);
    const runner = createDatabricksSqlRunner({ host: 'h', httpPath: '/p', token: 't' }, load);
    expect(load).not.toHaveBeenCalled();
    const rows = await runner.query({ sql: 'SELECT 1', params: { from, user_id: 'u1' } });
    expect(rows).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(executed?.options.namedParameters.user_id).toBe('u1');
    expect(executed?.options.namedParameters.from).toEqual(new DBSQLParameter({ type: 'TIMESTAMP', value: from }));
    await runner.query({ sql: 'SELECT 2', params: {} });
    await runner.close();
    expect(load).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.startsWith('connect'))).toEqual(['connect {"host":"h","path":"/p","token":"t"}']);
    expect(calls.filter((c) => c === 'session.close')).toHaveLength(2);
    expect(calls.filter((c) => c === 'op.close')).toHaveLength(2);
    expect(calls.at(-1)).toBe('client.close');
  });
});
