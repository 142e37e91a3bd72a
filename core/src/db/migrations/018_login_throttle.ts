import type { Knex } from 'knex';

/**
 * Sign-in throttling without lock-out (issue 20 item 8).
 *
 * `login_throttle`: the counters of rate-limiter-flexible's PostgreSQL store (its own schema: key, points,
 * expire in epoch ms), shared by every API replica and kept across restarts. Keys are prefixed by limiter and
 * carry login names only as SHA-256 digests.
 *
 * `login_unlock_tokens`: the single-use links e-mailed when an account's ceiling is reached, stored as SHA-256
 * like password-reset tokens.
 *
 * The per-account lock of migration 002 (`failed_login_count`, `locked_until`) goes: anyone could lock anyone out.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
    t.index(['expire']);
  });
  await knex.schema.createTable('login_unlock_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['user_id']);
  });
  await knex.schema.alterTable('users', (t) => t.dropColumns('failed_login_count', 'locked_until'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('failed_login_count').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
  });
  await knex.schema.dropTableIfExists('login_unlock_tokens');
  await knex.schema.dropTableIfExists('login_throttle');
}
