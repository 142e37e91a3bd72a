import { WorkflowNotFoundError } from '@temporalio/client';
import { isTerminal, type Submission } from '@voyce/core';
import type { ApiDeps } from '../deps';

/**
 * Deletes a submission for its owner or an admin: cancels its pipeline if it still runs (the workflow marks
 * it `cancelled`), removes its audio and screenshot from storage, and keeps the row and its history as the audit trail.
 */
export async function deleteSubmission(deps: Pick<ApiDeps, 'temporal' | 'blob' | 'submissions' | 'logger' | 'audit'>, sub: Submission, by: string): Promise<void> {
  if (!isTerminal(sub.status)) {
    try {
      await deps.temporal.workflow.getHandle(sub.workflowId).cancel();
    } catch (err) {
      // Already closed between our read and the cancel: nothing left to stop.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  if (sub.stagingBlob) await deps.blob.delete('staging', sub.stagingBlob);
  if (sub.audioBlob) await deps.blob.delete('audio', sub.audioBlob);
  if (sub.screenshot) await deps.blob.delete('audio', sub.screenshot.blob);
  await deps.submissions.markDeleted(sub.id, by);
  await deps.audit.record({ action: 'submission.deleted', actorId: by, subjectUserId: sub.userId, detail: { submissionId: sub.id, status: sub.status } });
  deps.logger.info({ submissionId: sub.id, by }, 'submission deleted');
}
