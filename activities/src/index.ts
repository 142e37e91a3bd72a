import type { ActivityDeps } from './deps';
import { createAudioActivities } from './audioActivities';
import { createBatchInferenceActivities } from './batchInferenceActivities';
import { createInferenceActivities } from './inferenceActivities';
import { createNotifyActivities } from './notify';
import { createOrgModelActivities } from './orgModelActivities';
import { createStatusActivities } from './statusActivities';

/** Builds every activity of the submission pipeline from its clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createStatusActivities(deps),
    ...createAudioActivities(deps),
    ...createInferenceActivities(deps),
    ...createBatchInferenceActivities(deps),
    ...createNotifyActivities(deps),
    ...createOrgModelActivities({ ...deps, orgModelsDir: deps.orgModelsDir ?? '' }),
  };
}

export type SubmissionActivities = ReturnType<typeof createActivities>;
export type { ActivityDeps, SubmissionRef } from './deps';
export type { MarkStatusInput } from './statusActivities';
export type { ValidatedAudio } from './audioActivities';
export type { TranscriptionSummary, AnalysisSummary } from './inferenceActivities';
export * from './failures';
export type { BatchInferenceActivities, FindStaleInput, ReanalyzeBatchInput, ReanalyzeBatchResult, RecordBatchRunInput } from './batchInferenceActivities';
export { createBatchInferenceActivities, BATCH_INFERENCE_NOTEBOOK } from './batchInferenceActivities';
export type { NotifyInput, SubmissionEventType } from './notify';
export type { NotifierDeps, PushDeps } from './deps';
export type { CheckPushReceiptsInput, PushReceiptsResult, PushResult, PushTicketRef } from './notify';
export { DEVICE_NOT_REGISTERED, EXPO_PUSH_CHUNK_SIZE, EXPO_RECEIPTS_CHUNK_SIZE, PUSH_REFUSED_ERROR, expoReceiptsUrl } from './expoPush';
export type { ExpoPushMessage, ExpoPushReceipt, ExpoPushTicket } from './expoPush';
export { signWebhook, verifyWebhook } from './webhookSignature';
export { RunEndHub, type RunEndWaiter, type RunEndSubscription } from './runEvents/runEndHub';
export type { RunCompletion, NoticeSource } from './runEvents/waitForRunEnd';
export type { ExportedCorrections, OrgModelActivities, OrgModelRef, TrainOrgModelInput } from './orgModelActivities';
export { createOrgModelActivities, MODEL_TRAINING_NOTEBOOK, ORG_MODELS_UNAVAILABLE_ERROR, orgTrainingOutput } from './orgModelActivities';
