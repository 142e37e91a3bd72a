import { loadConfig } from '../config';
import { createDb } from './knex';
import { migrateLatest } from './migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL, 2, config.DATABASE_SSL);
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
