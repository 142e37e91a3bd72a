import type { Knex } from 'knex';

/**
 * Full-text search over title, description and transcript (generated tsvector columns with GIN indexes),
 * soft deletion of submissions (the row stays as the audit trail; the audio goes), and a NOTIFY on every
 * stage change so any API replica can push it to clients over Server-Sent Events.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE voice_submissions
      ADD COLUMN deleted_at timestamptz,
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')
      ) STORED`);
  await knex.raw('CREATE INDEX voice_submissions_search_idx ON voice_submissions USING gin (search_vector)');
  await knex.raw(`
    ALTER TABLE transcriptions
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED`);
  await knex.raw('CREATE INDEX transcriptions_search_idx ON transcriptions USING gin (search_vector)');
  await knex.raw(`
    CREATE FUNCTION voyce_notify_submission_event() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('submission_events', json_build_object(
        'submissionId', NEW.submission_id, 'status', NEW.status, 'attempt', NEW.attempt,
        'detail', NEW.detail, 'at', NEW.created_at)::text);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await knex.raw(`
    CREATE TRIGGER submission_events_notify AFTER INSERT ON submission_events
    FOR EACH ROW EXECUTE FUNCTION voyce_notify_submission_event()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS submission_events_notify ON submission_events');
  await knex.raw('DROP FUNCTION IF EXISTS voyce_notify_submission_event()');
  await knex.raw('ALTER TABLE transcriptions DROP COLUMN IF EXISTS search_vector');
  await knex.raw('ALTER TABLE voice_submissions DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS deleted_at');
}
