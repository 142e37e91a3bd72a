import knex, { type Knex } from 'knex';
import pg from 'pg';

// bigint counts (COUNT(*), size_bytes) fit comfortably in a JS number for our scales.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Knex;

/** Opens a pooled PostgreSQL connection. */
export function createDb(url: string, poolMax = 10): Db {
  return knex({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
