import type { Db } from '@voyce/core';
import type { SqlQuery, SqlRunner } from '@voyce/databricks';
import { createAnalyticsBackend } from './analyticsBackend';

const from = new Date('2026-11-01T10:30:00Z');
const to = new Date('2026-11-27T12:01:00Z');

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

describe('backend selection and the driver', () => {
  const settings = { DATABRICKS_SQL_HOST: 'adb-1.azuredatabricks.net', DATABRICKS_SQL_HTTP_PATH: '/sql/1.0/warehouses/abc', DATABRICKS_SQL_TOKEN: 'dapi-x', DATABRICKS_SQL_CATALOG: 'voyce_catalog' };

  it('postgres (the default) does not load @databricks/sql', () => {
    const repo = createAnalyticsBackend({ ANALYTICS_BACKEND: 'postgres', ...settings }, (() => undefined) as unknown as Db);
    expect(typeof repo.dashboard).toBe('function');
    expect(Object.keys(require.cache).some((k) => k.includes('@databricks/sql'))).toBe(false);
  });

  it('databricks answers through the runner, usernames from PostgreSQL', async () => {
    const runner = fakeRunner([[/AS submissions/, [{ user_id: 'u1', submissions: 1, completed: 1, average_sentiment: 0.5, last_submission_at: new Date('2026-11-05T10:00:00Z') }]]]);
    const whereIn = jest.fn().mockReturnValue({ select: async () => [{ id: 'u1', username: 'ann' }] });
    const db = jest.fn().mockReturnValue({ whereIn }) as unknown as Db;
    const repo = createAnalyticsBackend({ ANALYTICS_BACKEND: 'databricks', ...settings }, db, runner);
    await expect(repo.users({ from, to })).resolves.toEqual([
      { userId: 'u1', username: 'ann', submissions: 1, completed: 1, averageSentiment: 0.5, lastSubmissionAt: '2026-11-05T10:00:00.000Z' },
    ]);
    expect(db).toHaveBeenCalledWith('users');
    expect(whereIn).toHaveBeenCalledWith('id', ['u1']);
  });

});
