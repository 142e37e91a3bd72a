import type { Knex } from 'knex';
import { APP_ROLE, WORKER_ROLE } from './015_rls';

/** Same visibility rule as migration 015: the request's organisations, or the platform staff's all-orgs scope. */
const VISIBLE = `(current_setting('voyce.all_orgs', true) = 'on'
  OR org_id = ANY (coalesce(nullif(current_setting('voyce.org_ids', true), ''), '{}')::uuid[]))`;

/** Corrections and organisation models: organisation data under the same row-level security as migration 015's tables. */
export const ORG_LEARNING_TABLES = ['submission_labels', 'org_models'] as const;

/**
 * Corrections and organisation models.
 *
 * `submission_labels`: a person's correction of one submission's analysis, kept beside it (the `analyses` row
 * is never overwritten). One row per submission; a head left null was not corrected. `org_id` is copied from
 * the submission by the trigger of migration 014, so row-level security stays a plain column test.
 *
 * `org_models`: one row per training run of an organisation's model (`POST /api/orgs/:id/models`): its
 * Temporal workflow, the run's status, the artifact it wrote (versioned and hashed, per organisation) and its
 * evaluation against the model active at the time, on corrections it did not train on. At most one active
 * model per organisation (a partial unique index).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('submission_labels', (t) => {
    t.uuid('submission_id').primary().references('id').inTable('voice_submissions').onDelete('CASCADE');
    t.uuid('org_id').references('id').inTable('organisations').onDelete('CASCADE');
    t.text('sentiment').nullable();
    t.text('intent').nullable();
    t.jsonb('emotions').nullable();
    t.uuid('labelled_by').references('id').inTable('users').onDelete('SET NULL').nullable();
    t.timestamp('labelled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    CREATE TRIGGER submission_labels_inherit_org BEFORE INSERT ON submission_labels
    FOR EACH ROW EXECUTE FUNCTION voyce_inherit_submission_org()`);
  await knex.raw('ALTER TABLE submission_labels ALTER COLUMN org_id SET NOT NULL');
  await knex.raw('CREATE INDEX submission_labels_org_idx ON submission_labels (org_id, labelled_at DESC)');

  await knex.schema.createTable('org_models', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('org_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    // queued | running | activated | not_better | insufficient_labels | failed
    t.text('status').notNullable().defaultTo('queued');
    t.boolean('active').notNullable().defaultTo(false);
    t.text('model_version').nullable();
    t.text('artifact_uri').nullable();
    t.text('artifact_sha256').nullable();
    t.integer('labels').notNullable().defaultTo(0);
    t.jsonb('evaluation').nullable();
    t.text('workflow_id').nullable();
    t.text('error').nullable();
    t.uuid('requested_by').references('id').inTable('users').onDelete('SET NULL').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX org_models_one_active ON org_models (org_id) WHERE active');
  await knex.raw('CREATE INDEX org_models_org_created_idx ON org_models (org_id, created_at DESC)');

  for (const table of ORG_LEARNING_TABLES) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY ${table}_org_scope ON ${table} TO ${APP_ROLE} USING ${VISIBLE} WITH CHECK ${VISIBLE}`);
    await knex.raw(`CREATE POLICY ${table}_cross_org ON ${table} TO ${WORKER_ROLE} USING (true) WITH CHECK (true)`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('org_models');
  await knex.schema.dropTableIfExists('submission_labels');
}
