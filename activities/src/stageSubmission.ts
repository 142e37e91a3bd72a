import { Context } from '@temporalio/activity';
import type { Submission } from '@voyce/core';
import type { ActivityDeps } from './deps';
import { submissionGone } from './failures';

/**
 * The submission a stage activity works on; a retry records its attempt number so `progress.attempts`
 * shows it. A deleted submission ends the pipeline (non-retryable `SubmissionGone`).
 */
export async function loadStageSubmission(deps: Pick<ActivityDeps, 'submissions'>, submissionId: string): Promise<Submission> {
  const sub = await deps.submissions.findById(submissionId);
  if (!sub) throw submissionGone(submissionId);
  const { attempt } = Context.current().info;
  if (attempt > 1) await deps.submissions.recordAttempt(submissionId, sub.status, attempt);
  return sub;
}
