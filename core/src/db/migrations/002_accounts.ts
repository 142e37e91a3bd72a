import type { Knex } from 'knex';

/** Refresh tokens, password-reset tokens, the audit log and the login back-off columns of users. */
export async function up(knex: Knex): Promise<void> {
  // Millisecond precision so the admin list's (created_at, id) keyset cursor round-trips through JS dates.
  await knex.raw('ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz(3)');
  await knex.schema.alterTable('users', (t) => {
    t.integer('failed_login_count').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
    // Access tokens issued before this instant are refused (password reset, disable): JWTs cannot be recalled.
    t.timestamp('sessions_revoked_at', { useTz: true });
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // Every token descended from one login shares a family; reuse of a rotated one revokes the family.
    t.uuid('family_id').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('rotated_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['family_id']);
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('password_reset_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['user_id']);
  });

  // Sign-ins through OpenID Connect providers: (provider, subject) is the identity, linked to one user.
  await knex.schema.createTable('oauth_identities', (t) => {
    t.text('provider').notNullable();
    t.text('subject').notNullable();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.specificType('email', 'citext');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'subject']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    // No foreign keys: the trail must outlive the users and submissions it speaks of.
    t.uuid('actor_id');
    t.uuid('subject_user_id');
    t.text('action').notNullable();
    t.text('ip');
    t.jsonb('detail');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['action', 'created_at']);
    t.index(['subject_user_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['audit_log', 'oauth_identities', 'password_reset_tokens', 'refresh_tokens']) await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('users', (t) => {
    t.dropColumns('failed_login_count', 'locked_until', 'last_login_at', 'sessions_revoked_at');
  });
}
