import { ApplicationFailure } from '@temporalio/common';
import { INVALID_AUDIO_ERROR, REJECTION_REASONS, type RejectionReason } from '@voyce/core';

export const SUBMISSION_GONE_ERROR = 'SubmissionGone';
export const AUDIO_MISSING_ERROR = 'AudioMissing';
export const RUN_FAILED_ERROR = 'DatabricksRunFailed';
export const BAD_RUN_OUTPUT_ERROR = 'DatabricksBadOutput';
export const REQUEST_REJECTED_ERROR = 'DatabricksRequestRejected';

/** The audio itself is unusable: the workflow ends as `rejected`, and retrying cannot help. */
export function invalidAudio(reason: RejectionReason, message: string = REJECTION_REASONS[reason]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, INVALID_AUDIO_ERROR, { reason });
}

/** The submission row was deleted while its pipeline ran (a user DELETE): nothing left to do. */
export function submissionGone(id: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`submission ${id} no longer exists`, SUBMISSION_GONE_ERROR);
}
