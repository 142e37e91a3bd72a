import knex, { type Knex } from 'knex';
import pg from 'pg';

// bigint counts (COUNT(*), size_bytes) fit comfortably in a JS number for our scales.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Knex;

export type DatabaseSsl = 'disable' | 'require' | 'verify-full';

/** node-postgres TLS options for a DATABASE_SSL mode. */
export function sslOptions(mode: DatabaseSsl): false | { rejectUnauthorized: boolean } {
  return mode === 'disable' ? false : { rejectUnauthorized: mode === 'verify-full' };
}

/** Opens a pooled PostgreSQL connection, over TLS unless `ssl` is 'disable'. */
export function createDb(url: string, poolMax = 10, ssl: DatabaseSsl = 'disable'): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: url, ssl: sslOptions(ssl) },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
