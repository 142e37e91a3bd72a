import type { ActivityDeps } from './deps';
import { createAudioActivities } from './audioActivities';
import { createInferenceActivities } from './inferenceActivities';
import { createNotifyActivities } from './notifyActivities';
import { createStatusActivities } from './statusActivities';

/** Builds every activity of the submission pipeline from its clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createStatusActivities(deps),
    ...createAudioActivities(deps),
    ...createInferenceActivities(deps),
    ...createNotifyActivities(deps),
  };
}

export type SubmissionActivities = ReturnType<typeof createActivities>;
export type { ActivityDeps, SubmissionRef } from './deps';
export type { MarkStatusInput } from './statusActivities';
export type { ValidatedAudio } from './audioActivities';
export type { TranscriptionSummary, AnalysisSummary } from './inferenceActivities';
export * from './failures';
export type { NotifyInput, SubmissionEventType } from './notifyActivities';
export type { NotifierDeps } from './deps';
export { signWebhook, verifyWebhook } from './webhookSignature';
