import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { workflowIdFor } from '@voyce/core';
import type { submissionWorkflow } from '@voyce/workflows';

/** Starts the durable pipeline of one submission. Returns the workflow's run id. */
export async function startSubmissionPipeline(
  temporal: Client,
  taskQueue: string,
  submission: { id: string; userId: string; title: string | null; category: string | null },
): Promise<string> {
  const handle = await temporal.workflow.start<typeof submissionWorkflow>('submissionWorkflow', {
    taskQueue,
    workflowId: workflowIdFor(submission.id),
    args: [{ submissionId: submission.id, userId: submission.userId, category: submission.category }],
    // A replay starts a new run under the same id once the previous run has closed.
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    memo: submission.title ? { title: submission.title } : {},
  });
  return handle.firstExecutionRunId;
}
