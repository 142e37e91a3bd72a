import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { NewSubmission, Submission } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { startSubmissionPipeline } from './pipelineStarter';
import { uploadGate } from './uploadGate';

/**
 * Records a submission whose audio is already in staging (`pending`) and starts its workflow; when the workflow
 * cannot start, the row goes again, so the caller only has its staging blob to remove.
 */
export async function registerSubmission(deps: ApiDeps, input: NewSubmission): Promise<Submission> {
  const submission = await deps.submissions.create(input);
  try {
    await startSubmissionPipeline(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, submission);
  } catch (err) {
    // The id is fresh, so a workflow already under it can only be this very start, answered late: it runs.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return submission;
    deps.logger.error({ err, submissionId: input.id }, 'could not start the submission workflow');
    await deps.submissions.deleteUnstarted(input.id);
    const gate = uploadGate(deps);
    gate.markDown('temporal', err instanceof Error ? err.message : String(err));
    throw gate.outage('temporal');
  }
  return submission;
}
