import { create } from 'zustand';

const KEY = 'voyce.uploadLanguage';

function stored(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return ''; // storage blocked: detect
  }
}

interface UploadLanguage {
  /** ISO 639-1 code the person speaks in, or `''`: let the server detect it. */
  language: string;
  setLanguage: (code: string) => void;
}

/** The language named on uploads; remembered on this device, since a person mostly speaks one. */
export const useUploadLanguage = create<UploadLanguage>((set) => ({
  language: stored(),
  setLanguage: (language) => {
    try {
      if (language) localStorage.setItem(KEY, language);
      else localStorage.removeItem(KEY);
    } catch {
      // not remembered; still used for this upload
    }
    set({ language });
  },
}));

/** The upload's `language` field (empty: not sent, the server detects). */
export const uploadLanguage = (): string => useUploadLanguage.getState().language;
