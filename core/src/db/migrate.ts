import type { Knex } from 'knex';
import type { Db } from './knex';
import * as m001 from './migrations/001_initial';
import * as m002 from './migrations/002_accounts';
import * as m004 from './migrations/004_submission_search';
import * as m005 from './migrations/005_notify_owner';
import * as m006 from './migrations/006_notification_settings';
import * as m007 from './migrations/007_screenshots';
import * as m008 from './migrations/008_devices';
import * as m009 from './migrations/009_batch_inference_runs';
import * as m010 from './migrations/010_user_changes';
import * as m011 from './migrations/011_oauth_codes';
import * as m012 from './migrations/012_lang_languages';
import * as m013 from './migrations/013_organisations';
import * as m014 from './migrations/014_submission_org';
import * as m015 from './migrations/015_rls';
import * as m016 from './migrations/016_corrections_org_models';
import * as m018 from './migrations/018_login_throttle';
import * as m019 from './migrations/019_rls_initplan';

type Migration = { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> };

// Listed explicitly so migrations work the same under tsx, jest and a bundled build (no directory scanning).
const MIGRATIONS: Record<string, Migration> = {
  '001_initial': m001,
  '002_accounts': m002,
  '004_submission_search': m004,
  '005_notify_owner': m005,
  '006_notification_settings': m006,
  '007_screenshots': m007,
  '008_devices': m008,
  '009_batch_inference_runs': m009,
  '010_user_changes': m010,
  '011_oauth_codes': m011,
  '012_lang_languages': m012,
  '013_organisations': m013,
  '014_submission_org': m014,
  '015_rls': m015,
  '016_corrections_org_models': m016,
  '018_login_throttle': m018,
  '019_rls_initplan': m019,
};

const sourceUpTo = (last?: string): Knex.MigrationSource<string> => ({
  getMigrations: async () => Object.keys(MIGRATIONS).sort().filter((name) => last === undefined || name <= last),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`Unknown migration ${name}`);
    return migration;
  },
});
const source = sourceUpTo();

/** Brings the schema up to and including migration `last` (tests of a migration's backfill start there). */
export async function migrateTo(db: Db, last: string): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: sourceUpTo(last), disableMigrationsListValidation: true })) as [number, string[]];
  return applied;
}

/** Brings the schema to the newest version; safe to run concurrently (knex takes a lock). */
export async function migrateLatest(db: Db): Promise<string[]> {
  // A database migrated by a newer branch (a developer switching branches) must not stop this one from
  // starting; knex otherwise refuses with "migration directory is corrupt".
  // knex locks the migrations themselves, but two processes meeting a brand-new database can both try to
  // create knex's own bookkeeping tables; the loser gets "already exists". Once they exist the lock works,
  // so trying again is the fix.
  for (let attempt = 1; ; attempt++) {
    try {
      const [, applied] = (await db.migrate.latest({ migrationSource: source, disableMigrationsListValidation: true })) as [number, string[]];
      return applied;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const lostCreationRace = code === '42P07' || code === '23505' || /already exists|Migration table is already locked/i.test(String((err as Error).message));
      if (!lostCreationRace || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
