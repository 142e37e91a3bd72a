import { conflict, type Submission, type SubmissionLabels } from '@voyce/core';
import type { AnalyticsCache } from '../analytics/analyticsCache';
import type { ApiDeps } from '../deps';
import type { LabelsBody } from './labelsSchemas';

/**
 * Records a person's correction of a submission's analysis, beside it: the `analyses` row stays as the model
 * wrote it. There is nothing to correct before the analysis exists (409 `analysis_pending`).
 */
export async function correctLabels(
  deps: Pick<ApiDeps, 'results' | 'labels'>,
  sub: Submission,
  body: LabelsBody,
  userId: string,
  analyticsCache: Pick<AnalyticsCache, 'invalidate'>,
): Promise<SubmissionLabels | null> {
  const analysis = await deps.results.findAnalysis(sub.id);
  if (!analysis) throw conflict('analysis_pending', 'The submission has no analysis yet; correct it once it is analysed.');
  const labels = await deps.labels.upsert(sub.id, body, userId);
  // The dashboard's corrections count is cached: the owner's and everyone's answers change with this one.
  await analyticsCache.invalidate(sub.userId).catch(() => undefined);
  return labels;
}
