import type { Knex } from 'knex';

/** The tables holding an organisation's data; each has `org_id` (migration 014) and row-level security here. */
export const ORG_DATA_TABLES = ['voice_submissions', 'transcriptions', 'analyses', 'submission_events'] as const;

/** The role the API works as: not the owner of any table, no BYPASSRLS, so every row it touches passes the policies. */
export const APP_ROLE = 'voyce_app';
/** The role of workers and batch inference: explicitly cross-organisation (a policy admits every row to it). */
export const WORKER_ROLE = 'voyce_worker';

/**
 * A row is visible to the API when the transaction's scope names its organisation. The API sets the scope per
 * request, transaction-locally (`set_config(..., true)`, see core/src/db/orgScope.ts), from the verified
 * memberships: `voyce.org_ids` is a uuid[] literal, `voyce.all_orgs = 'on'` is the platform staff's scope.
 * Without a setting nothing is visible: a query outside a scope sees zero rows and cannot write.
 */
const VISIBLE = `(current_setting('voyce.all_orgs', true) = 'on'
  OR org_id = ANY (coalesce(nullif(current_setting('voyce.org_ids', true), ''), '{}')::uuid[]))`;

/** Roles are cluster-wide, so parallel test databases may race to create them: the loser's error is harmless. */
const createRole = (role: string) => `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE ${role} NOLOGIN NOBYPASSRLS;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  for (const role of [APP_ROLE, WORKER_ROLE]) {
    await knex.raw(createRole(role));
    // The migration runner (owner of the tables) must be able to SET ROLE to it: a superuser always can,
    // a managed database's admin user needs the grant.
    await knex.raw(`DO $$ BEGIN EXECUTE format('GRANT ${role} TO %I', current_user); EXCEPTION WHEN OTHERS THEN NULL; END $$`);
    await knex.raw(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await knex.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // Tables of later migrations (run by the same owner) get the same grants; their RLS is theirs to add.
    await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
    await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
  }
  // Migrations are the owner's business only.
  await knex.raw(`REVOKE ALL ON knex_migrations, knex_migrations_lock FROM ${APP_ROLE}, ${WORKER_ROLE}`);
  for (const table of ORG_DATA_TABLES) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY ${table}_org_scope ON ${table} TO ${APP_ROLE} USING ${VISIBLE} WITH CHECK ${VISIBLE}`);
    await knex.raw(`CREATE POLICY ${table}_cross_org ON ${table} TO ${WORKER_ROLE} USING (true) WITH CHECK (true)`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ORG_DATA_TABLES) {
    await knex.raw(`DROP POLICY IF EXISTS ${table}_org_scope ON ${table}`);
    await knex.raw(`DROP POLICY IF EXISTS ${table}_cross_org ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
  }
  // The roles stay: they are cluster-wide and other databases of the cluster may use them.
  for (const role of [APP_ROLE, WORKER_ROLE]) {
    await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${role}`);
    await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${role}`);
    await knex.raw(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
    await knex.raw(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`);
    await knex.raw(`REVOKE USAGE ON SCHEMA public FROM ${role}`);
  }
}
