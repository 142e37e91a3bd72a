import type { Knex } from 'knex';

/** Per-user notification settings: a webhook (with its signing secret, encrypted per column) and e-mail. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notification_settings', (t) => {
    t.uuid('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('webhook_url');
    t.text('webhook_secret'); // ColumnCipher value: enc:v1:<keyId>:...
    t.boolean('email_enabled').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notification_settings');
}
