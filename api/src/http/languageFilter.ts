import { z } from 'zod';

/** `?language=`: an ISO 639-1 code (`de`); lists, analytics and export keep only submissions in that language. */
export const languageFilter = z
  .string()
  .regex(/^[a-z]{2}$/, 'a two-letter ISO 639-1 language code such as "de"')
  .optional();
