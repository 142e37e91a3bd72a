import type { Knex } from 'knex';

/**
 * PostgreSQL text-search configurations by ISO 639-1 code: the same mapping as the SQL function
 * `voyce_text_search_config` (migration 012), which fills each row's `search_config`. Languages without a
 * stemmer in PostgreSQL are searched with `simple` (words as written, lower-cased).
 */
export const TEXT_SEARCH_CONFIGS: Readonly<Record<string, string>> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  pt: 'portuguese',
  it: 'italian',
  nl: 'dutch',
};
const SIMPLE = 'simple';

/** The configuration that stems a language, `simple` for one PostgreSQL has none for. */
export function textSearchConfig(language: string): string {
  return TEXT_SEARCH_CONFIGS[language.split('-')[0]?.toLowerCase() ?? ''] ?? SIMPLE;
}

/**
 * `table.search_vector` matches `q` in the row's own language: one clause per configuration (each query
 * stemmed as that language), every clause a constant tsquery so the GIN index answers it.
 * `language` narrows it to one configuration.
 */
export function matchesInOwnLanguage(db: Knex, table: string, q: string, language?: string): Knex.Raw {
  const configs = language ? [textSearchConfig(language)] : [...new Set([...Object.values(TEXT_SEARCH_CONFIGS), SIMPLE])];
  const clause = `(${table}.search_config = ?::regconfig AND ${table}.search_vector @@ websearch_to_tsquery(?::regconfig, ?))`;
  // One parenthesised condition: beside other conditions (`… AND <this>`) its ORs must not bind looser than the
  // AND (inside the transcript EXISTS that would uncorrelate every clause but the first: wrong rows, a scan per row).
  return db.raw(`(${configs.map(() => clause).join(' OR ')})`, configs.flatMap((c) => [c, c, q]));
}
