import type { Knex } from 'knex';

/** A submission may carry a screenshot (PNG or JPEG) of the page it is about, stored beside its audio. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('voice_submissions', (t) => {
    t.text('screenshot_blob');
    t.text('screenshot_content_type');
    t.integer('screenshot_size_bytes');
    t.text('screenshot_sha256');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('voice_submissions', (t) => {
    t.dropColumn('screenshot_blob');
    t.dropColumn('screenshot_content_type');
    t.dropColumn('screenshot_size_bytes');
    t.dropColumn('screenshot_sha256');
  });
}
