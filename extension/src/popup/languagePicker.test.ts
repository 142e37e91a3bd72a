import { describe, expect, it } from 'vitest';
import { describeLanguage, LANGUAGE_KEY, languageOptions, rememberedLanguage } from './languagePicker';

describe('the popup language picker', () => {
  it('offers detection first, then languages by name', () => {
    const options = languageOptions();
    expect(options[0]).toEqual({ value: '', label: 'Detect automatically' });
    expect(options).toContainEqual({ value: 'de', label: 'German' });
    expect(options).toContainEqual({ value: 'ar', label: 'Arabic' });
  });

  it('restores a remembered language and falls back to detection for anything else', () => {
    expect(rememberedLanguage({ [LANGUAGE_KEY]: 'pt' })).toBe('pt');
    expect(rememberedLanguage({ [LANGUAGE_KEY]: 'klingon' })).toBe('');
    expect(rememberedLanguage({ [LANGUAGE_KEY]: 42 })).toBe('');
    expect(rememberedLanguage({})).toBe('');
    expect(describeLanguage('es')).toBe('Spanish');
  });
});
