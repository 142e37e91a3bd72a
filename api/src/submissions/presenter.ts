import type { Analysis, Submission, SubmissionLabels, Transcription } from '@voyce/core';
import { presentLabels } from './labelsSchemas';

/** The public JSON of a transcription (API.md). */
export const presentTranscription = (t: Transcription) => ({
  text: t.text,
  language: t.language,
  languageProbability: t.languageProbability,
  languageSource: t.languageSource,
  confidence: t.confidence,
  words: t.words,
  model: t.model,
  modelVersion: t.modelVersion,
});

/** The public JSON of an analysis (API.md). */
export const presentAnalysis = (a: Analysis) => ({
  sentiment: a.sentiment,
  emotions: a.emotions,
  intent: a.intent,
  actionItems: a.actionItems,
  keywords: a.keywords,
  importanceScore: a.importanceScore,
  modelVersion: a.modelVersion,
});

/** What is shown with a submission besides its own row; `labels` given (null: none) puts `labels` in the answer. */
export interface SubmissionResults {
  transcription?: Transcription | null;
  analysis?: Analysis | null;
  labels?: SubmissionLabels | null;
}

/** The public JSON of a submission; storage internals (blob names, checksums) stay inside. */
export function presentSubmission(s: Submission, results: SubmissionResults = {}) {
  return {
    id: s.id,
    userId: s.userId,
    orgId: s.orgId,
    status: s.status,
    title: s.title,
    description: s.description,
    category: s.category,
    language: s.language,
    detectedLanguage: s.detectedLanguage,
    context: s.context,
    contentType: s.contentType,
    sizeBytes: s.sizeBytes,
    durationMs: s.durationMs,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    completedAt: s.completedAt?.toISOString() ?? null,
    progress: s.progress,
    // The image itself is at GET /api/submissions/:id/screenshot (a signed URL); here only whether there is one.
    screenshot: s.screenshot ? { contentType: s.screenshot.contentType, sizeBytes: s.screenshot.sizeBytes } : null,
    ...(results.transcription ? { transcription: presentTranscription(results.transcription) } : {}),
    ...(results.analysis ? { analysis: presentAnalysis(results.analysis) } : {}),
    // A person's correction beside the model's analysis (PUT /:id/labels), or null when nobody corrected it.
    ...(results.labels !== undefined ? { labels: results.labels ? presentLabels(results.labels) : null } : {}),
  };
}
