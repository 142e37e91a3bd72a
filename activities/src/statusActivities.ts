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
    },
  };
}
