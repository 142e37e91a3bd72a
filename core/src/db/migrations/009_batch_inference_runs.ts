import type { Knex } from 'knex';

/**
 * Batch re-inference: one summary row per scheduled run (keyed by its workflow id, so a retried or
 * continued-as-new run updates its own row instead of adding one), and an index that lets the
 * re-inference find analyses of an older model version without scanning every row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_inference_runs', (t) => {
    t.text('workflow_id').primary();
    t.text('first_run_id').notNullable();
    t.text('status').notNullable().defaultTo('running'); // running | completed | failed
    t.text('target_model_version');
    t.integer('found').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.integer('batches').notNullable().defaultTo(0);
    t.jsonb('failures').notNullable().defaultTo('[]');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.integer('duration_ms');
    t.index(['started_at']);
  });
  await knex.raw('CREATE INDEX IF NOT EXISTS analyses_model_version_idx ON analyses (model_version, submission_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS analyses_model_version_idx');
  await knex.schema.dropTableIfExists('batch_inference_runs');
}
