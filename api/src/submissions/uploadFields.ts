import { z } from 'zod';
import { CLIENT_KINDS } from '@voyce/core';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** The client's `context` (uploads and live `start`). */
export const contextSchema = z
  .object({
    client: z.enum(CLIENT_KINDS),
    pageUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    pageTitle: z.string().max(512).optional(),
    selection: z.string().max(4096).optional(),
    viewport: z.object({ width: z.number().int().positive().max(100000), height: z.number().int().positive().max(100000) }).optional(),
    appVersion: z.string().max(64).optional(),
    device: z.string().max(256).optional(),
  })
  .strict();

/** The optional text fields of an upload. `context` arrives as a JSON string inside the multipart body. */
export const uploadFields = z.object({
  title: optionalText(200),
  description: optionalText(5000),
  category: optionalText(64),
  /** The organisation to file it in (default: the uploader's personal one). */
  orgId: z.uuid().optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language code such as "en" or "en-GB"')
    .optional(),
  context: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(contextSchema.optional()),
});
export type UploadFields = z.infer<typeof uploadFields>;
