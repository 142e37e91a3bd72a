import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { SubmissionActivities } from '@voyce/activities';
// Pure constant modules only: the workflow bundle must not pull database or storage clients in.
import type { SubmissionStatus } from '@voyce/core/src/domain/submission';
import { INVALID_AUDIO_ERROR, REJECTION_REASONS, type RejectionReason } from '@voyce/core/src/domain/audioRejection';

export interface SubmissionWorkflowInput {
  submissionId: string;
}

export type SubmissionWorkflowResult =
  | { status: 'completed'; sentiment: string; wordCount: number }
  | { status: 'rejected'; reason: RejectionReason; message: string };

export interface PipelineProgress {
  stage: SubmissionStatus;
  error?: { code: string; message: string };
}

export const progressQuery = defineQuery<PipelineProgress>('progress');

const SUBMISSION_GONE = 'SubmissionGone';

// Bookkeeping must outlast an outage of PostgreSQL: retried without a limit, with capped backoff.
const { markStatus, discardStagedAudio } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

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

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * One durable pipeline per submission: validate → store → transcribe → analyse → complete. Invalid audio ends
 * it as `rejected` (the workflow itself succeeds); exhausted retries mark it `failed` and fail the workflow so
 * operators find it in Temporal; cancellation (a user delete) marks it `cancelled`.
 */
export async function submissionWorkflow({ submissionId }: SubmissionWorkflowInput): Promise<SubmissionWorkflowResult> {
  let progress: PipelineProgress = { stage: 'pending' };
  setHandler(progressQuery, () => progress);

  const advance = async (stage: SubmissionStatus, error?: { code: string; message: string }) => {
    progress = error ? { stage, error } : { stage };
    await markStatus({ submissionId, status: stage, ...(error ? { error } : {}) });
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

    await advance('completed');
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
    throw err;
  }
}
