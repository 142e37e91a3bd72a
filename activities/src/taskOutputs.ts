import { z } from 'zod';

/** What `02_voice_processing` returns (see databricks/README.md); validated before anything is stored. */
export const voiceProcessingOutput = z.object({
  text: z.string(),
  language: z.string().min(1),
  confidence: z.number().min(0).max(1),
  no_speech: z.boolean(),
  duration_ms: z.number().optional(),
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number(), confidence: z.number() })),
  model: z.object({ name: z.string(), version: z.string() }),
  timings: z.object({ compute_ms: z.number() }).partial().optional(),
});
export type VoiceProcessingOutput = z.infer<typeof voiceProcessingOutput>;

/** What `03_sentiment_analysis` returns. */
export const sentimentAnalysisOutput = z.object({
  sentiment: z.object({
    label: z.enum(['positive', 'neutral', 'negative']),
    score: z.number().min(-1).max(1),
    confidence: z.number().min(0).max(1),
  }),
  model_version: z.string().min(1),
  timings: z.object({ compute_ms: z.number() }).partial().optional(),
});
export type SentimentAnalysisOutput = z.infer<typeof sentimentAnalysisOutput>;
