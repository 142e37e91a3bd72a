import { createDb } from './knex';
import { migrateLatest } from './migrate';
import { dropDatabase, perRunDatabaseUrl } from '../../../scripts/stack/testDatabase';
import { ensureDatabase } from '../../../scripts/stack/postgres';

/** Several processes starting on a brand-new database at once (API replicas, a worker) must all succeed. */
it('migrates a new database from several connections at once', async () => {
  const url = perRunDatabaseUrl(process.env.DATABASE_URL as string) + '_mig';
  await ensureDatabase(url);
  const dbs = [createDb(url, 2), createDb(url, 2), createDb(url, 2)];
  try {
    const results = await Promise.all(dbs.map((db) => migrateLatest(db)));
    expect(results.flat().filter((name) => name === '001_initial')).toHaveLength(1);
    const rows = await dbs[0]!('knex_migrations').select('name');
    expect(new Set(rows.map((r: { name: string }) => r.name)).size).toBe(rows.length);
  } finally {
    await Promise.all(dbs.map((db) => db.destroy()));
    await dropDatabase(url);
  }
});
