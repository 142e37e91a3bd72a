import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { SubmissionActivities, SubmissionEventType } from '@voyce/activities';
// Pure constant modules only: the workflow bundle must not pull database or storage clients in.
import { INVALID_AUDIO_ERROR, PROGRESS_QUERY, REJECTION_REASONS, type PipelineProgress, type RejectionReason, type SubmissionStatus } from '@voyce/core/domain';
import { notifyOwnerWorkflow } from './notifyOwnerWorkflow';
import { SEARCH_ATTRIBUTES_PATCH, VOYCE_CATEGORY, VOYCE_MODEL_VERSION, VOYCE_STATUS, VOYCE_USER_ID } from './searchAttributes';

export interface SubmissionWorkflowInput {
  submissionId: string;
  /** For search attributes only (optional: runs started before they existed carry just the id). */
  userId?: string;
  category?: string | null;
}

export type SubmissionWorkflowResult =
  | { status: 'completed'; sentiment: string; wordCount: number }
  | { status: 'rejected'; reason: RejectionReason; message: string };

export type { PipelineProgress };
export const progressQuery = defineQuery<PipelineProgress>(PROGRESS_QUERY);

const SUBMISSION_GONE = 'SubmissionGone';
const NOTIFICATIONS_PATCH = 'voyce-notifications-v1';

const LOCAL_STATUS_PATCH = 'voyce-local-status-v1';

// Bookkeeping must outlast an outage of PostgreSQL: retried without a limit, with capped backoff.
const BOOKKEEPING = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;
const { markStatus, discardStagedAudio } = proxyActivities<SubmissionActivities>(BOOKKEEPING);
// A status write is one short UPDATE: as a local activity it runs inside the workflow task on the worker that
// holds it, instead of a task-queue round trip per stage (five per submission). Behind a patch: histories that
// recorded it as an ordinary activity replay unchanged.
const local = proxyLocalActivities<SubmissionActivities>(BOOKKEEPING);

const { validateAudio, storeAudio } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [INVALID_AUDIO_ERROR, SUBMISSION_GONE],
  },
});

// Model runs heartbeat every poll, so a dead worker is noticed in seconds and the run resumed elsewhere.
const { transcribe, analyze } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '40 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [INVALID_AUDIO_ERROR, SUBMISSION_GONE],
  },
});

/** The reason an activity rejected the audio, if that is why it failed. */
function rejectionOf(err: unknown): { reason: RejectionReason; message: string } | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === INVALID_AUDIO_ERROR) {
    const reason = (cause.details?.[0] as { reason?: RejectionReason } | undefined)?.reason ?? 'corrupt_audio';
    return { reason, message: cause.message };
  }
  return null;
}

function isSubmissionGone(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === SUBMISSION_GONE;
}

/**
 * Hands notification of the owner to a child workflow that outlives this one (ABANDON): the submission's run
 * closes at once with its real outcome, while deliveries to a slow or broken receiver retry on their own.
 */
async function notifyOwner(submissionId: string, event: SubmissionEventType): Promise<void> {
  if (!patched(NOTIFICATIONS_PATCH)) return;
  await startChild(notifyOwnerWorkflow, {
    workflowId: `notify-${event}-${workflowInfo().runId}`,
    args: [{ submissionId, event }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * One durable pipeline per submission: validate → store → transcribe → analyse → complete. Invalid audio ends
 * it as `rejected` (the workflow itself succeeds); exhausted retries mark it `failed` and fail the workflow so
 * operators find it in Temporal; cancellation (a user delete) marks it `cancelled`.
 */
export async function submissionWorkflow({ submissionId, userId, category }: SubmissionWorkflowInput): Promise<SubmissionWorkflowResult> {
  let progress: PipelineProgress = { stage: 'pending' };
  setHandler(progressQuery, () => progress);

  // Guarded by a patch: histories recorded before search attributes existed replay unchanged.
  const tag = (pairs: SearchAttributeUpdatePair[]) => {
    if (patched(SEARCH_ATTRIBUTES_PATCH)) upsertSearchAttributes(pairs);
  };
  tag([
    { key: VOYCE_STATUS, value: 'pending' },
    ...(userId ? [{ key: VOYCE_USER_ID, value: userId }] : []),
    ...(category ? [{ key: VOYCE_CATEGORY, value: category }] : []),
  ]);

  const advance = async (stage: SubmissionStatus, error?: { code: string; message: string }) => {
    progress = error ? { stage, error } : { stage };
    const write = patched(LOCAL_STATUS_PATCH) ? local.markStatus : markStatus;
    await write({ submissionId, status: stage, ...(error ? { error } : {}) });
    tag([{ key: VOYCE_STATUS, value: stage }]);
  };

  try {
    await advance('validating');
    await validateAudio({ submissionId });
    await storeAudio({ submissionId });
    await advance('stored');

    await advance('transcribing');
    const transcription = await transcribe({ submissionId });
    if (transcription.noSpeech) {
      throw ApplicationFailure.nonRetryable(REJECTION_REASONS.no_speech, INVALID_AUDIO_ERROR, { reason: 'no_speech' });
    }

    await advance('analyzing');
    const analysis = await analyze({ submissionId });
    if (analysis.modelVersion) tag([{ key: VOYCE_MODEL_VERSION, value: analysis.modelVersion }]);

    await advance('completed');
    await notifyOwner(submissionId, 'submission.completed');
    return { status: 'completed', sentiment: analysis.sentiment, wordCount: transcription.wordCount };
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(() => advance('cancelled'));
      throw err;
    }
    if (isSubmissionGone(err)) {
      log.info('submission deleted while its pipeline ran', { submissionId });
      throw err;
    }
    const rejection = rejectionOf(err);
    if (rejection) {
      await discardStagedAudio({ submissionId });
      await advance('rejected', { code: rejection.reason, message: rejection.message });
      return { status: 'rejected', ...rejection };
    }
    await advance('failed', { code: 'pipeline_failed', message: describe(err) });
    await notifyOwner(submissionId, 'submission.failed');
    throw err;
  }
}
