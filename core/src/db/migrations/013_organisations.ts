import type { Knex } from 'knex';

/**
 * Organisations, memberships (roles member / analyst / owner) and invitations (a SHA-256 digest of a
 * single-use token with an expiry). Every user has a personal organisation, of which they are the owner:
 * a trigger makes it with the user, whichever path creates the account (registration, OpenID sign-in,
 * the CLI), and existing users get theirs here. A membership change is announced on `user_changes`,
 * so API replicas drop the cached principal and a removal or demotion takes effect on the next request.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    // Set only on a personal organisation: whose it is (one each).
    t.uuid('personal_user_id').unique().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE organisations ADD CONSTRAINT organisations_name_check CHECK (length(btrim(name)) BETWEEN 1 AND 100)`);

  await knex.schema.createTable('org_memberships', (t) => {
    t.uuid('org_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['org_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.raw(`ALTER TABLE org_memberships ADD CONSTRAINT org_memberships_role_check CHECK (role IN ('member','analyst','owner'))`);

  await knex.schema.createTable('org_invitations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('organisations.id').onDelete('CASCADE');
    t.specificType('email', 'citext').notNullable();
    t.text('role').notNullable();
    t.text('token_hash').notNullable().unique();
    // No foreign key: an invitation's history outlives the account that sent it.
    t.uuid('invited_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.uuid('accepted_by');
    t.index(['org_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE org_invitations ADD CONSTRAINT org_invitations_role_check CHECK (role IN ('member','analyst','owner'))`);

  // SECURITY DEFINER: the API's own role (migration 015) may not write organisations of others, but a new
  // account's personal organisation is made on its behalf.
  await knex.raw(`
    CREATE FUNCTION voyce_create_personal_org() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE org uuid;
    BEGIN
      INSERT INTO organisations (name, personal_user_id) VALUES (NEW.username, NEW.id) RETURNING id INTO org;
      INSERT INTO org_memberships (org_id, user_id, role) VALUES (org, NEW.id, 'owner');
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER users_create_personal_org AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION voyce_create_personal_org()`);
  await knex.raw(`
    WITH made AS (
      INSERT INTO organisations (name, personal_user_id, created_at)
      SELECT u.username, u.id, u.created_at FROM users u
      RETURNING id, personal_user_id, created_at)
    INSERT INTO org_memberships (org_id, user_id, role, created_at)
    SELECT id, personal_user_id, 'owner', created_at FROM made`);

  await knex.raw(`
    CREATE FUNCTION voyce_notify_membership_change() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('user_changes', coalesce(NEW.user_id, OLD.user_id)::text);
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`
    CREATE TRIGGER org_memberships_notify_change AFTER INSERT OR UPDATE OR DELETE ON org_memberships
    FOR EACH ROW EXECUTE FUNCTION voyce_notify_membership_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS users_create_personal_org ON users');
  await knex.raw('DROP FUNCTION IF EXISTS voyce_create_personal_org()');
  for (const table of ['org_invitations', 'org_memberships', 'organisations']) await knex.schema.dropTableIfExists(table);
  await knex.raw('DROP FUNCTION IF EXISTS voyce_notify_membership_change()');
}
