/**
 * Each integration run gets a database of its own (`<base>_<pid>`), created empty and dropped at the end:
 * concurrent runs on one machine cannot disturb each other, and no run inherits a schema from another
 * branch's migrations.
 */
import pg from 'pg';
import { databaseName, withDatabase } from './postgres';
import { isAlive } from './testEnv';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function perRunDatabaseUrl(baseUrl: string, pid = process.pid): string {
  return withDatabase(baseUrl, `${databaseName(baseUrl)}_${pid}`);
}

async function withAdmin<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops databases left by earlier runs whose process is gone (a killed jest leaves its database behind). */
export async function dropStaleRunDatabases(baseUrl: string): Promise<string[]> {
  const prefix = `${databaseName(baseUrl)}_`;
  return withAdmin(baseUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    const stale = rows.map((r) => r.datname).filter((name) => /^\d+$/.test(name.slice(prefix.length)) && !isAlive(Number(name.slice(prefix.length))));
    for (const name of stale) await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    return stale;
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quote(databaseName(url))} WITH (FORCE)`));
}
