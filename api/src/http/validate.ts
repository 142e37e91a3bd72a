import type { z } from 'zod';
import { AppError } from '@voyce/core';

/** Parses input with a zod schema; failures become a 400 (or 422 for semantic field errors) naming each field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, status: 400 | 422 = 400): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    const summary = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
    throw new AppError(status === 400 ? 'invalid_request' : 'validation_failed', `Invalid request: ${summary}.`, status, details);
  }
  return parsed.data;
}
