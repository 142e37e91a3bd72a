import type { Knex } from 'knex';

/**
 * One-time authorization codes that finish a native app's OpenID sign-in (RFC 8252 + PKCE, RFC 7636): stored
 * only as SHA-256 digests, bound to the app's code challenge, spent once within a minute. `family_id` is the
 * session the code was exchanged for, so presenting the code again can end that session.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oauth_authorization_codes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('code_hash').notNullable().unique();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('provider').notNullable();
    t.text('code_challenge').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.uuid('family_id');
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('oauth_authorization_codes');
}
