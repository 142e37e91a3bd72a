import { ActivityFailure, CancellationScope, defineQuery, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import type { OrgModelActivities } from '@voyce/activities';

export interface OrgModelTrainingInput {
  orgId: string;
  /** The `org_models` row of this run (inserted `queued` by the API). */
  orgModelId: string;
}

export type OrgModelTrainingStage = 'exporting' | 'training' | 'recording' | 'done' | 'failed';

export interface OrgModelTrainingResult {
  status: 'activated' | 'not_better' | 'insufficient_labels';
  labels: number;
  modelVersion: string | null;
  evaluation: { before: number | null; after: number | null; n: number };
}

export const orgModelTrainingStageQuery = defineQuery<OrgModelTrainingStage>('orgModelTrainingStage');

const NON_RETRYABLE = ['DatabricksBadOutput', 'DatabricksRequestRejected', 'DatabricksRunFailed', 'OrgModelsUnavailable'];

// Bookkeeping: cheap, retried without limit (it must outlast a database outage, as the submission pipeline's markStatus).
const { exportCorrections, recordOrgModelOutcome, markOrgModelFailed } = proxyActivities<OrgModelActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
});

// One 05 run: it heartbeats every poll, so a dead worker is noticed within a minute and the run resumed, not repeated.
const { trainOrgModel } = proxyActivities<OrgModelActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Trains an organisation's model (workflow id `org-model-<orgId>-<orgModelId>`, started by the API): exports its corrections, runs `05_model_training` in organisation mode (default
 * data plus the corrections, scored against the active model on corrections it did not train on), and records the
 * outcome, which makes the new model active only when the job says it scored better. Any failure, cancellation
 * included, marks the run `failed` with the error; the active model stays as it was.
 */
export async function orgModelTrainingWorkflow({ orgId, orgModelId }: OrgModelTrainingInput): Promise<OrgModelTrainingResult> {
  let stage: OrgModelTrainingStage = 'exporting';
  setHandler(orgModelTrainingStageQuery, () => stage);
  try {
    const exported = await exportCorrections({ orgModelId, orgId });
    stage = 'training';
    const result = await trainOrgModel({ orgModelId, orgId, blobName: exported.blobName });
    stage = 'recording';
    await recordOrgModelOutcome({ orgModelId, result });
    stage = 'done';
    const { before, after, n } = result.evaluation;
    return { status: result.status, labels: result.labels, modelVersion: result.modelVersion ?? null, evaluation: { before, after, n } };
  } catch (err) {
    stage = 'failed';
    const error = isCancellation(err) ? 'cancelled' : describe(err);
    // Also when cancelled: the row must not stay `running` (it would block the organisation's next run).
    await CancellationScope.nonCancellable(() => markOrgModelFailed({ orgModelId, error }));
    throw err;
  }
}
