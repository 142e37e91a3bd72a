/** The popup's language picker: "Detect automatically" or a language, remembered in chrome.storage.local. */
import { LANGUAGES, languageName } from '@voyce/api-client';

export const LANGUAGE_KEY = 'uploadLanguage';

/** The picker's options: detect first (value ''), then each language by its name. */
export function languageOptions(): { value: string; label: string }[] {
  return [{ value: '', label: 'Detect automatically' }, ...LANGUAGES.map((code) => ({ value: code, label: languageName(code) }))];
}

/** The remembered choice, if it is still one the picker offers; '' (detect) otherwise. */
export function rememberedLanguage(stored: Record<string, unknown>): string {
  const code = stored[LANGUAGE_KEY];
  return typeof code === 'string' && languageOptions().some((o) => o.value === code) ? code : '';
}

/** Fills `select`, restores the last choice, remembers changes; answers the current choice ('' = detect). */
export function mountLanguagePicker(select: HTMLSelectElement, storage: Pick<chrome.storage.StorageArea, 'get' | 'set'> = chrome.storage.local): () => string {
  select.replaceChildren(...languageOptions().map((o) => new Option(o.label, o.value)));
  void storage.get(LANGUAGE_KEY).then((stored) => {
    select.value = rememberedLanguage(stored as Record<string, unknown>);
  });
  select.addEventListener('change', () => void storage.set({ [LANGUAGE_KEY]: select.value }));
  return () => select.value;
}

/** How a recent submission names its transcript's language: "German". */
export const describeLanguage = (code: string): string => languageName(code);
