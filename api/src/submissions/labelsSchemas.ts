import { z } from 'zod';
import { CORRECTABLE_FIELDS, EMOTION_LABELS, INTENT_LABELS, SENTIMENT_LABELS, type SubmissionLabels } from '@voyce/core';

const unknownKeys = (iss: { code: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `unknown field ${(iss.keys ?? []).map((k) => `"${k}"`).join(', ')}: a correction has only ${CORRECTABLE_FIELDS.join(', ')}` : undefined;

/**
 * The body of `PUT /api/submissions/:id/labels`. A field given replaces that head's correction, `null` clears
 * it (the model's value stands again), a field omitted keeps the previous correction.
 */
export const labelsBody = z
  .strictObject(
    {
      sentiment: z.enum(SENTIMENT_LABELS).nullable().optional().describe('the sentiment a person heard; null clears the correction'),
      intent: z.enum(INTENT_LABELS).nullable().optional().describe('what the feedback is; null clears the correction'),
      emotions: z
        .array(z.enum(EMOTION_LABELS))
        .min(1, 'give at least one emotion (`neutral` when none), or null to clear the correction')
        .refine((e) => new Set(e).size === e.length, 'name each emotion once')
        .nullable()
        .optional()
        .describe('every emotion a person heard, each once; null clears the correction'),
    },
    { error: unknownKeys },
  )
  .refine((b) => CORRECTABLE_FIELDS.some((f) => b[f] !== undefined), `give at least one of ${CORRECTABLE_FIELDS.join(', ')}`)
  .describe('A field given replaces that correction, `null` clears it, a field omitted keeps the previous correction.');

export type LabelsBody = z.infer<typeof labelsBody>;

/** `submission.labels` and the answer of the PUT: a person's correction beside the model's analysis. */
export const labelsSchema = z
  .object({
    sentiment: z.enum(SENTIMENT_LABELS).nullable(),
    intent: z.enum(INTENT_LABELS).nullable(),
    emotions: z.array(z.enum(EMOTION_LABELS)).nullable(),
    labelledBy: z.object({ id: z.uuid(), username: z.string() }).nullable().describe('who corrected last; null once their account is gone'),
    labelledAt: z.iso.datetime(),
  })
  .describe('A person\'s correction, kept beside the model\'s analysis (which it never changes); a null field was not corrected.');

export const presentLabels = (l: SubmissionLabels): z.infer<typeof labelsSchema> => ({
  sentiment: l.sentiment,
  intent: l.intent,
  emotions: l.emotions,
  labelledBy: l.labelledBy,
  labelledAt: l.labelledAt.toISOString(),
});
