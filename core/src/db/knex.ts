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

/**
 * Opens a pooled PostgreSQL connection, over TLS unless `ssl` is 'disable'. With `role`, every connection
 * works as that role (SET ROLE right after connecting), e.g. the API's non-owner role of migration 015.
 */
export function createDb(url: string, poolMax = 10, ssl: DatabaseSsl = 'disable', role = ''): Db {
  if (role && !/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`Invalid database role ${role}`);
  return knex({
    client: 'pg',
    connection: { connectionString: url, ssl: sslOptions(ssl) },
    pool: {
      min: 0,
      max: poolMax,
      ...(role
        ? { afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => void conn.query(`SET ROLE ${role}`).then(() => done(null, conn), (err: Error) => done(err, conn)) }
        : {}),
    },
    acquireConnectionTimeout: 10_000,
  });
}
