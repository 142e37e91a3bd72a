import { LANGUAGES, languageDirection, languageName } from './languages';

describe('languages', () => {
  it('names languages and knows which scripts run right to left', () => {
    expect(languageName('de')).toBe('German');
    expect(languageName('pt-BR')).toBe('Brazilian Portuguese');
    expect(languageName('not a tag!')).toBe('not a tag!');
    expect(languageDirection('ar')).toBe('rtl');
    expect(languageDirection('he-IL')).toBe('rtl');
    expect(languageDirection('fr')).toBe('ltr');
    expect(languageDirection(null)).toBe('auto');
  });

  it('offers only two-letter codes the API accepts, each once', () => {
    expect(new Set(LANGUAGES).size).toBe(LANGUAGES.length);
    for (const code of LANGUAGES) expect(code).toMatch(/^[a-z]{2}$/);
  });
});
