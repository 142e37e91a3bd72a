import type { Knex } from 'knex';
import { APP_ROLE, ORG_DATA_TABLES } from './015_rls';
import { ORG_LEARNING_TABLES } from './016_corrections_org_models';

const TABLES = [...ORG_DATA_TABLES, ...ORG_LEARNING_TABLES];

/** The rule of migrations 015/016, as it was: the settings are read, and the uuid[] cast, for every row. */
const PER_ROW = `(current_setting('voyce.all_orgs', true) = 'on'
  OR org_id = ANY (coalesce(nullif(current_setting('voyce.org_ids', true), ''), '{}')::uuid[]))`;

/**
 * The same rule with each setting in a scalar sub-select: PostgreSQL evaluates those once per statement (an
 * InitPlan) instead of once per row, so a dashboard aggregating thousands of rows (and their analyses) no longer
 * parses the `uuid[]` literal for each. (The outer cast makes `ANY` read one array value, not a sub-select's rows.) `npm run bench:api-rls` measured the difference (README).
 */
const ONCE_PER_STATEMENT = `((SELECT current_setting('voyce.all_orgs', true)) = 'on'
  OR org_id = ANY ((SELECT coalesce(nullif(current_setting('voyce.org_ids', true), ''), '{}')::uuid[])::uuid[]))`;

async function policies(knex: Knex, rule: string): Promise<void> {
  for (const table of TABLES) {
    await knex.raw(`ALTER POLICY ${table}_org_scope ON ${table} TO ${APP_ROLE} USING ${rule} WITH CHECK ${rule}`);
  }
}

export const up = (knex: Knex) => policies(knex, ONCE_PER_STATEMENT);
export const down = (knex: Knex) => policies(knex, PER_ROW);
