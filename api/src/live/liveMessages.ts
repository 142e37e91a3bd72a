import { z } from 'zod';
import { contextSchema } from '../submissions/uploadFields';

const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : undefined));

/** The client's `start` message (API.md, "Live transcription"). */
export const startMessage = z
  .object({
    type: z.literal('start'),
    encoding: z.enum(['pcm_s16le', 'webm_opus']),
    sampleRate: z.number().int().min(8000).max(48000).default(16000),
    title: optionalText(200),
    description: optionalText(5000),
    category: optionalText(64),
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language code such as "en" or "en-GB"').optional(),
    orgId: z.uuid().optional(),
    context: contextSchema.optional(),
  })
  .strict();
export type StartMessage = z.infer<typeof startMessage>;

/** What may follow the audio: the end of the recording, or dropping it. */
export const endMessage = z.object({ type: z.enum(['stop', 'cancel']) }).strict();

/** A text frame as JSON, or null when it is not JSON at all. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The first issue of a failed parse, as one sentence for the client. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the message is not valid';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
