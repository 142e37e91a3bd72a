import type { Knex } from 'knex';

/** Users, submissions, results, idempotency keys and the stage history of every submission. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS citext');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.specificType('email', 'citext').notNullable().unique();
    t.specificType('username', 'citext').notNullable().unique();
    t.text('password_hash');
    t.text('role').notNullable().defaultTo('user');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('user','analyst','admin'))`);

  await knex.schema.createTable('voice_submissions', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('status').notNullable().defaultTo('pending');
    t.text('title');
    t.text('description');
    t.text('category');
    t.text('language');
    t.jsonb('context');
    t.text('content_type');
    t.text('original_filename');
    t.bigInteger('size_bytes').notNullable().defaultTo(0);
    t.integer('duration_ms');
    t.text('staging_blob');
    t.text('audio_blob');
    t.text('checksum_sha256');
    t.jsonb('audio_format');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error_code');
    t.text('error_message');
    t.text('workflow_id').notNullable();
    // millisecond precision so the (created_at, id) keyset cursor round-trips through JS dates exactly
    t.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['user_id', 'created_at']);
    t.index(['status']);
    t.index(['created_at']);
    t.index(['category']);
  });
  await knex.raw(
    `ALTER TABLE voice_submissions ADD CONSTRAINT voice_submissions_status_check CHECK (status IN
     ('pending','validating','stored','transcribing','analyzing','completed','rejected','failed','cancelled'))`,
  );

  await knex.schema.createTable('submission_events', (t) => {
    t.bigIncrements('id');
    t.uuid('submission_id').notNullable().references('voice_submissions.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.integer('attempt');
    t.jsonb('detail');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['submission_id', 'id']);
  });

  await knex.schema.createTable('upload_idempotency_keys', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('key').notNullable();
    t.uuid('submission_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'key']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('transcriptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('submission_id').notNullable().unique().references('voice_submissions.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.text('language').notNullable();
    t.double('confidence').notNullable();
    t.jsonb('words').notNullable();
    t.text('model').notNullable();
    t.text('model_version').notNullable();
    t.text('job_run_id');
    t.integer('compute_ms');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['language']);
    t.index(['confidence']);
  });

  await knex.schema.createTable('analyses', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('submission_id').notNullable().unique().references('voice_submissions.id').onDelete('CASCADE');
    t.text('sentiment').notNullable();
    t.double('sentiment_score').notNullable();
    t.double('sentiment_confidence').notNullable();
    t.jsonb('emotions').notNullable().defaultTo('[]');
    t.text('intent');
    t.double('intent_confidence');
    t.jsonb('action_items').notNullable().defaultTo('[]');
    t.jsonb('keywords').notNullable().defaultTo('[]');
    t.double('importance_score');
    t.text('model_version').notNullable();
    t.text('job_run_id');
    t.integer('compute_ms');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['sentiment']);
    t.index(['intent']);
    t.index(['importance_score']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['analyses', 'transcriptions', 'upload_idempotency_keys', 'submission_events', 'voice_submissions', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
