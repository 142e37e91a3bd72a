import { z } from 'zod';

/** What `02_voice_processing` returns (see databricks/README.md); validated before anything is stored. */
export const voiceProcessingOutput = z.object({
  text: z.string(),
  language: z.string().min(1),
  // Optional: a runtime from before languages (tiny.en only) does not send them.
  language_probability: z.number().min(0).max(1).optional(),
  language_source: z.enum(['given', 'detected']).optional(),
  confidence: z.number().min(0).max(1),
  no_speech: z.boolean(),
  duration_ms: z.number().optional(),
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number(), confidence: z.number() })),
  model: z.object({ name: z.string(), version: z.string() }),
  timings: z.object({ compute_ms: z.number() }).partial().optional(),
});
export type VoiceProcessingOutput = z.infer<typeof voiceProcessingOutput>;

/** What `03_sentiment_analysis` returns: the full analysis (see databricks/README.md and voyce_ml/analysis.py). */
export const sentimentAnalysisOutput = z.object({
  sentiment: z.object({
    label: z.enum(['positive', 'neutral', 'negative']),
    score: z.number().min(-1).max(1),
    confidence: z.number().min(0).max(1),
  }),
  // Optional so a runtime still on the VADER-only task (older deploys) keeps working; stored as [] / null.
  emotions: z.array(z.object({ label: z.string().min(1), score: z.number().min(0).max(1) })).optional(),
  intent: z.object({ label: z.string().min(1), confidence: z.number().min(0).max(1) }).optional(),
  action_items: z.array(z.object({ text: z.string().min(1), priority: z.enum(['high', 'medium', 'low']) })).optional(),
  keywords: z.array(z.string().min(1)).max(8).optional(),
  importance_score: z.number().min(0).max(1).optional(),
  model_version: z.string().min(1),
  timings: z.object({ compute_ms: z.number() }).partial().optional(),
});
export type SentimentAnalysisOutput = z.infer<typeof sentimentAnalysisOutput>;
