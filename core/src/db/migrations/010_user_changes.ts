import type { Knex } from 'knex';

/**
 * Every change to an account (role, disabled, sessions revoked, deletion) is announced on `user_changes`,
 * so API replicas that cache who a token belongs to drop that entry at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION voyce_notify_user_change() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('user_changes', OLD.id::text);
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  // Only what decides whether a token still works: logins (failure counters) don't announce anything.
  await knex.raw(`
    CREATE TRIGGER users_notify_change AFTER UPDATE OF role, disabled, sessions_revoked_at OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION voyce_notify_user_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS users_notify_change ON users');
  await knex.raw('DROP FUNCTION IF EXISTS voyce_notify_user_change()');
}
