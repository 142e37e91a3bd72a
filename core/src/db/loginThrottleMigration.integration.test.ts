import { createDb } from './knex';
import { migrateLatest, migrateTo } from './migrate';
import * as m018 from './migrations/018_login_throttle';
import { dropDatabase, perRunDatabaseUrl } from '../../../scripts/stack/testDatabase';
import { ensureDatabase } from '../../../scripts/stack/postgres';

const columnsOfUsers = async (db: ReturnType<typeof createDb>) =>
  (await db('information_schema.columns').where({ table_name: 'users' }).pluck('column_name')) as string[];

/** Migration 018 drops the per-name lock of 002 and adds the throttle's tables; both directions keep the users. */
it('018 moves a database with locked accounts to the throttle tables, and back', async () => {
  const url = perRunDatabaseUrl(process.env.DATABASE_URL as string) + '_m018';
  await ensureDatabase(url);
  const db = createDb(url, 2);
  try {
    await migrateTo(db, '016_corrections_org_models');
    const [user] = await db('users')
      .insert({ email: 'locked@example.test', username: 'locked', password_hash: null, failed_login_count: 9, locked_until: db.raw("now() + interval '1 hour'") })
      .returning('id');
    await migrateLatest(db);
    expect(await columnsOfUsers(db)).not.toContain('failed_login_count');
    expect(await columnsOfUsers(db)).not.toContain('locked_until');
    expect(await db('users').where({ id: user.id }).first()).toMatchObject({ username: 'locked' });
    await db('login_throttle').insert({ key: 'ceil:x', points: 1, expire: Date.now() + 1000 });
    await db('login_unlock_tokens').insert({ user_id: user.id, token_hash: 'h', expires_at: db.fn.now() });

    await m018.down(db);
    expect(await columnsOfUsers(db)).toEqual(expect.arrayContaining(['failed_login_count', 'locked_until']));
    expect(await db.schema.hasTable('login_throttle')).toBe(false);
    await m018.up(db);
    expect(await db.schema.hasTable('login_unlock_tokens')).toBe(true);
  } finally {
    await db.destroy();
    await dropDatabase(url);
  }
});
