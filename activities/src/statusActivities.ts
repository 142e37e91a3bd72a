import { Context } from '@temporalio/activity';
import type { SubmissionStatus } from '@voyce/core';
import type { ActivityDeps } from './deps';

export interface MarkStatusInput {
  submissionId: string;
  status: SubmissionStatus;
  error?: { code: string; message: string };
}

/** Status bookkeeping, called by the workflow at every stage change. */
export function createStatusActivities({ submissions }: Pick<ActivityDeps, 'submissions'>) {
  return {
    async markStatus({ submissionId, status, error }: MarkStatusInput): Promise<void> {
      await submissions.markStatus(submissionId, status, error ? { error } : {});
      // Stage transitions by status and, for rejections and failures, by reason: the pipeline's health at a glance.
      Context.current()
        .metricMeter.createCounter('voyce_submission_stage', 'submissions', 'Submissions entering each pipeline stage')
        .add(1, { stage: status, reason: error?.code ?? '' });
    },
  };
}
