import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { workflowIdFor } from '@voyce/core';
import type { submissionWorkflow } from '@voyce/workflows';

/** Starts the durable pipeline of one submission. Returns the workflow's run id. */
export async function startSubmissionPipeline(
  temporal: Client,
  taskQueue: string,
  submission: { id: string; title: string | null },
): Promise<string> {
  const handle = await temporal.workflow.start<typeof submissionWorkflow>('submissionWorkflow', {
    taskQueue,
    workflowId: workflowIdFor(submission.id),
    args: [{ submissionId: submission.id }],
    // A replay starts a new run under the same id once the previous run has closed.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    memo: submission.title ? { title: submission.title } : {},
  });
  return handle.firstExecutionRunId;
}
