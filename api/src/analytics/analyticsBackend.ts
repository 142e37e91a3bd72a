import { createAnalyticsRepository, type AnalyticsRepository, type Config, type Db } from '@voyce/core';
import { createDatabricksAnalyticsRepository, createDatabricksSqlRunner, type SqlRunner } from '@voyce/databricks';

type AnalyticsConfig = Pick<Config, 'ANALYTICS_BACKEND' | 'DATABRICKS_SQL_HOST' | 'DATABRICKS_SQL_HTTP_PATH' | 'DATABRICKS_SQL_TOKEN' | 'DATABRICKS_SQL_CATALOG'>;

/**
 * The analytics repository the configuration asks for: PostgreSQL (`ANALYTICS_BACKEND=postgres`, the default)
 * or a Databricks SQL warehouse (`databricks`; `DATABRICKS_SQL_HOST/HTTP_PATH/TOKEN/CATALOG`). Usernames stay
 * in PostgreSQL either way. `runner` replaces the warehouse connection (tests).
 */
export function createAnalyticsBackend(config: AnalyticsConfig, db: Db, runner?: SqlRunner): AnalyticsRepository {
  if (config.ANALYTICS_BACKEND !== 'databricks') return createAnalyticsRepository(db);
  const sql = runner ?? createDatabricksSqlRunner({ host: config.DATABRICKS_SQL_HOST, httpPath: config.DATABRICKS_SQL_HTTP_PATH, token: config.DATABRICKS_SQL_TOKEN });
  return createDatabricksAnalyticsRepository(sql, {
    catalog: config.DATABRICKS_SQL_CATALOG,
    usernames: async (ids) => {
      const rows = await db('users').whereIn('id', ids).select<{ id: string; username: string }[]>('id', 'username');
      return new Map(rows.map((r) => [r.id, r.username]));
    },
  });
}
