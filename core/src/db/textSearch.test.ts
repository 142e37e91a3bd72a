import knex from 'knex';
import { matchesInOwnLanguage, textSearchConfig } from './textSearch';

describe('matchesInOwnLanguage', () => {
  const db = knex({ client: 'pg' }); // builds SQL only; never connects

  it('is one parenthesised condition, so an AND beside it keeps applying to every language clause', () => {
    const sql = db('transcriptions')
      .whereRaw('transcriptions.submission_id = voice_submissions.id')
      .andWhere(matchesInOwnLanguage(db, 'transcriptions', 'checkout'))
      .toString();
    const where = sql.slice(sql.indexOf(' where ') + 7);
    expect(where.startsWith('transcriptions.submission_id = voice_submissions.id and ((transcriptions.search_config')).toBe(true);
    expect(where.endsWith("))")).toBe(true);
    // Every clause of the OR sits inside the one pair of parentheses that follows the AND.
    const inner = where.slice(where.indexOf(' and (') + 6, -1);
    let depth = 0;
    for (const ch of inner) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(inner.match(/ OR /g)).toHaveLength(7); // 8 configurations: 7 languages and simple
  });

  it('narrows to the one configuration of a given language', () => {
    const sql = db('t').where(matchesInOwnLanguage(db, 't', 'Rechnung', 'de')).toString();
    expect(sql).toContain("t.search_config = 'german'::regconfig");
    expect(sql).not.toContain(' OR ');
    expect(textSearchConfig('pt-BR')).toBe('portuguese');
    expect(textSearchConfig('ja')).toBe('simple');
  });
});
