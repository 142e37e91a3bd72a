import type { Knex } from 'knex';

/**
 * Languages: how sure the transcription is of its language and whether the upload named it, and full-text
 * search with the stemming of each row's language. `voyce_text_search_config` maps an ISO 639-1 code to a
 * PostgreSQL text-search configuration (`simple`, no stemming, for languages PostgreSQL has none for);
 * each searchable table keeps that configuration in a generated column beside its tsvector, so a query
 * is one GIN-indexed match per configuration (see core/src/db/textSearch.ts, which lists the same names).
 * Submissions: title and description follow the language the upload named, else the transcript's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION voyce_text_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE split_part(lower(coalesce(language, 'en')), '-', 1)
        WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
        WHEN 'pt' THEN 'portuguese' WHEN 'it' THEN 'italian' WHEN 'nl' THEN 'dutch'
        ELSE 'simple' END::regconfig
    $$`);
  await knex.raw(`
    ALTER TABLE transcriptions
      ADD COLUMN language_probability real,
      ADD COLUMN language_source text CHECK (language_source IN ('given', 'detected')),
      DROP COLUMN search_vector`);
  await knex.raw(`
    ALTER TABLE transcriptions
      ADD COLUMN search_config regconfig GENERATED ALWAYS AS (voyce_text_search_config(language)) STORED,
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector(voyce_text_search_config(language), text)) STORED`);
  await knex.raw('CREATE INDEX transcriptions_search_idx ON transcriptions USING gin (search_vector)');
  await knex.raw('CREATE INDEX transcriptions_language_idx ON transcriptions (language)');
  // The submission's own language column: given on upload, else filled from the transcription.
  await knex.raw(`
    ALTER TABLE voice_submissions
      ADD COLUMN detected_language text,
      DROP COLUMN search_vector`);
  await knex.raw(`
    UPDATE voice_submissions s SET detected_language = t.language FROM transcriptions t WHERE t.submission_id = s.id`);
  await knex.raw(`
    ALTER TABLE voice_submissions
      ADD COLUMN search_config regconfig GENERATED ALWAYS AS (voyce_text_search_config(coalesce(language, detected_language))) STORED,
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(voyce_text_search_config(coalesce(language, detected_language)), coalesce(title, '')), 'A') ||
        setweight(to_tsvector(voyce_text_search_config(coalesce(language, detected_language)), coalesce(description, '')), 'B')
      ) STORED`);
  await knex.raw('CREATE INDEX voice_submissions_search_idx ON voice_submissions USING gin (search_vector)');
  await knex.raw("CREATE INDEX voice_submissions_language_idx ON voice_submissions ((split_part(coalesce(language, detected_language), '-', 1)))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE voice_submissions DROP COLUMN search_vector, DROP COLUMN search_config, DROP COLUMN detected_language`);
  await knex.raw(`
    ALTER TABLE voice_submissions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
  await knex.raw('CREATE INDEX voice_submissions_search_idx ON voice_submissions USING gin (search_vector)');
  await knex.raw(`
    ALTER TABLE transcriptions DROP COLUMN search_vector, DROP COLUMN search_config,
      DROP COLUMN language_probability, DROP COLUMN language_source`);
  await knex.raw(`ALTER TABLE transcriptions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED`);
  await knex.raw('CREATE INDEX transcriptions_search_idx ON transcriptions USING gin (search_vector)');
  await knex.raw('DROP FUNCTION voyce_text_search_config(text)');
}
