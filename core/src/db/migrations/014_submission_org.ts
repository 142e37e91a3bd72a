import type { Knex } from 'knex';

/** Tables whose rows hang off a submission and carry its organisation, so row-level security needs no join. */
export const SUBMISSION_CHILD_TABLES = ['transcriptions', 'analyses', 'submission_events'] as const;

/**
 * Every submission belongs to one organisation: existing ones move into their uploader's personal
 * organisation, then `org_id` is required. The tables holding a submission's results and history carry the
 * same `org_id` (copied from the submission on insert by a trigger, so writers need not know it), which
 * keeps the row-level-security policies of migration 015 a plain column test. An insert that names no
 * organisation lands in the uploader's personal one, as an upload without `orgId` does.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE voice_submissions ADD COLUMN org_id uuid REFERENCES organisations(id) ON DELETE CASCADE');
  await knex.raw(`
    UPDATE voice_submissions s SET org_id = o.id FROM organisations o WHERE o.personal_user_id = s.user_id`);
  await knex.raw('ALTER TABLE voice_submissions ALTER COLUMN org_id SET NOT NULL');
  await knex.raw('CREATE INDEX voice_submissions_org_created_idx ON voice_submissions (org_id, created_at DESC, id DESC)');
  await knex.raw(`
    CREATE FUNCTION voyce_default_submission_org() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NEW.org_id IS NULL THEN
        NEW.org_id := (SELECT id FROM organisations WHERE personal_user_id = NEW.user_id);
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER voice_submissions_default_org BEFORE INSERT ON voice_submissions
    FOR EACH ROW EXECUTE FUNCTION voyce_default_submission_org()`);

  // SECURITY DEFINER: the copy must read the parent even where the writer's row-level security would hide it.
  await knex.raw(`
    CREATE FUNCTION voyce_inherit_submission_org() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NEW.org_id IS NULL THEN
        NEW.org_id := (SELECT org_id FROM voice_submissions WHERE id = NEW.submission_id);
      END IF;
      RETURN NEW;
    END $$`);
  for (const table of SUBMISSION_CHILD_TABLES) {
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN org_id uuid REFERENCES organisations(id) ON DELETE CASCADE`);
    await knex.raw(`UPDATE ${table} c SET org_id = s.org_id FROM voice_submissions s WHERE s.id = c.submission_id`);
    await knex.raw(`ALTER TABLE ${table} ALTER COLUMN org_id SET NOT NULL`);
    await knex.raw(`CREATE INDEX ${table}_org_idx ON ${table} (org_id)`);
    await knex.raw(`
      CREATE TRIGGER ${table}_inherit_org BEFORE INSERT ON ${table}
      FOR EACH ROW EXECUTE FUNCTION voyce_inherit_submission_org()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of SUBMISSION_CHILD_TABLES) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_inherit_org ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} DROP COLUMN IF EXISTS org_id`);
  }
  await knex.raw('DROP FUNCTION IF EXISTS voyce_inherit_submission_org()');
  await knex.raw('DROP TRIGGER IF EXISTS voice_submissions_default_org ON voice_submissions');
  await knex.raw('DROP FUNCTION IF EXISTS voyce_default_submission_org()');
  await knex.raw('ALTER TABLE voice_submissions DROP COLUMN IF EXISTS org_id');
}
