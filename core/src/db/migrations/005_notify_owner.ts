import type { Knex } from 'knex';

/** Stage-change notifications carry the submission's owner, so caches of that user's analytics can be dropped. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION voyce_notify_submission_event() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('submission_events', json_build_object(
        'submissionId', NEW.submission_id, 'status', NEW.status, 'attempt', NEW.attempt,
        'detail', NEW.detail, 'at', NEW.created_at,
        'userId', (SELECT user_id FROM voice_submissions WHERE id = NEW.submission_id))::text);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION voyce_notify_submission_event() RETURNS trigger AS $$
    BEGIN
      PERFORM pg_notify('submission_events', json_build_object(
        'submissionId', NEW.submission_id, 'status', NEW.status, 'attempt', NEW.attempt,
        'detail', NEW.detail, 'at', NEW.created_at)::text);
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
}
