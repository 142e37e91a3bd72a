import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { conflict, orgModelWorkflowId, type OrgModel, type OrgModelRepository } from '@voyce/core';
import type { orgModelTrainingWorkflow } from '@voyce/workflows';

export interface TrainingDeps {
  orgModels: OrgModelRepository;
  temporal: Client;
  taskQueue: string;
}

/**
 * Queues a training run of the organisation's model and starts its workflow. One run at a time per organisation:
 * while one is queued or running, 409 `training_running`. A workflow that cannot be started marks its run failed
 * (so it blocks nothing) and the error reaches the caller.
 */
export async function startOrgModelTraining(deps: TrainingDeps, orgId: string, requestedBy: string): Promise<OrgModel> {
  const run = await deps.orgModels.beginTraining(orgId, requestedBy);
  if (!run) throw conflict('training_running', "A training run of this organisation's model is already going.");
  const workflowId = orgModelWorkflowId(orgId, run.id);
  try {
    await deps.temporal.workflow.start<typeof orgModelTrainingWorkflow>('orgModelTrainingWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ orgId, orgModelId: run.id }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    await deps.orgModels.markFailed(run.id, `could not start the training workflow: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  await deps.orgModels.attachWorkflow(run.id, workflowId);
  return { ...run, workflowId };
}
