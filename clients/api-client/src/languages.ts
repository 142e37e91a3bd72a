/**
 * Languages as the API speaks them (ISO 639-1: the upload's `language`, `transcription.language`, `?language=`).
 * The languages offered in pickers (the ones the analysis has training examples and stop words for first,
 * then other common ones Whisper transcribes); any ISO 639-1 code the API returns is still shown by name.
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'pl', 'sv', 'tr', 'ru', 'uk', 'ar', 'he', 'fa', 'hi', 'ja', 'ko', 'zh'] as const;

/** Scripts written right to left (base language codes). */
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv']);

const names = typeof Intl !== 'undefined' && 'DisplayNames' in Intl ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;

/** "German" for `de` (and `de-AT`), the code itself when the browser has no name for it. */
export function languageName(code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code; // not a well-formed tag
  }
}

/** Text direction of a language, for `dir` on transcripts; `auto` lets the browser judge when unknown. */
export function languageDirection(code: string | null | undefined): 'rtl' | 'ltr' | 'auto' {
  if (!code) return 'auto';
  return RTL.has(code.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}
