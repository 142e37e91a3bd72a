import {
  ActivityFailure,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  defineQuery,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { BatchInferenceActivities, ReanalyzeBatchResult } from '@voyce/activities';

/** The Temporal Schedule that starts this workflow (created by the worker at start; the id lives in the domain). */
export { BATCH_INFERENCE_SCHEDULE_ID } from '@voyce/core/domain';
/** Workflow ids of scheduled runs start with this (the schedule appends the scheduled time). */
export const BATCH_INFERENCE_WORKFLOW_ID = 'batch-inference';

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_BATCHES_PER_RUN = 20;
/** The most failures a summary lists; the counts stay exact. */
const MAX_LISTED_FAILURES = 100;

type Failure = ReanalyzeBatchResult['failures'][number];

export interface BatchInferenceTotals {
  found: number;
  updated: number;
  failed: number;
  batches: number;
}

/** State carried across continueAsNew, so a long re-inference is one logical run with one summary. */
export interface BatchInferenceCarry {
  firstRunId: string;
  targetModelVersion: string;
  afterSubmissionId: string | null;
  totals: BatchInferenceTotals;
  failures: Failure[];
}

export interface BatchInferenceInput {
  /** Submissions per 06 run (default 500). */
  batchSize?: number;
  /** Batches per workflow run before it continues as new, keeping the history short (default 20). */
  batchesPerRun?: number;
  carry?: BatchInferenceCarry;
}

export interface BatchInferenceSummary extends BatchInferenceTotals {
  status: 'completed';
  targetModelVersion: string;
  durationMs: number | null;
  failures: Failure[];
}

export interface BatchInferenceProgress extends BatchInferenceTotals {
  targetModelVersion: string | null;
}

export const batchProgressQuery = defineQuery<BatchInferenceProgress>('batchProgress');

/** Organisations with an active model of their own are walked after the default pass, each against its model. */
const ORG_MODELS_PATCH = 'voyce-org-models-v1';

const NON_RETRYABLE = ['DatabricksBadOutput', 'DatabricksRequestRejected', 'BatchInferenceUnavailable'];

// Bookkeeping and lookups: cheap, retried until PostgreSQL answers.
const { findStaleAnalyses, recordBatchRun, listActiveOrgModels } = proxyActivities<BatchInferenceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
});

const { currentModelVersion } = proxyActivities<BatchInferenceActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

// One 06 run per batch; it heartbeats every poll, so a dead worker is noticed within a minute and the run resumed.
const { reanalyzeBatch } = proxyActivities<BatchInferenceActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE },
});

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Re-analyses every completed submission whose analysis came from another model version than the one the
 * jobs use now, in batches through `06_batch_inference`, and records a summary (run table, memo, result).
 * A batch that fails after its retries is counted, listed and left stale, so the next run picks it up; the
 * walk goes on by id, so one bad batch never stops the rest. Continues as new every `batchesPerRun` batches.
 */
export async function batchInferenceWorkflow(input: BatchInferenceInput = {}): Promise<BatchInferenceSummary> {
  const batchSize = Math.max(1, Math.floor(input.batchSize ?? DEFAULT_BATCH_SIZE));
  const batchesPerRun = Math.max(1, Math.floor(input.batchesPerRun ?? DEFAULT_BATCHES_PER_RUN));
  const carry = input.carry;
  const totals: BatchInferenceTotals = carry ? { ...carry.totals } : { found: 0, updated: 0, failed: 0, batches: 0 };
  const failures: Failure[] = carry ? [...carry.failures] : [];
  let targetModelVersion: string | null = carry?.targetModelVersion ?? null;
  setHandler(batchProgressQuery, () => ({ ...totals, targetModelVersion }));

  const firstRunId = carry?.firstRunId ?? workflowInfo().firstExecutionRunId;
  if (!carry) {
    targetModelVersion = await currentModelVersion();
    await recordBatchRun({ firstRunId, status: 'running', targetModelVersion, totals, failures });
  }
  const target = targetModelVersion as string;
  let after = carry?.afterSubmissionId ?? null;

  try {
    for (let batchesThisRun = 0; ; batchesThisRun++) {
      const ids = await findStaleAnalyses({ modelVersion: target, afterSubmissionId: after, limit: batchSize });
      if (ids.length === 0) break;
      if (batchesThisRun >= batchesPerRun) {
        // Record progress first, so the run table shows it while the next run starts.
        await recordBatchRun({ firstRunId, status: 'running', targetModelVersion: target, totals, failures });
        const next: BatchInferenceCarry = { firstRunId, targetModelVersion: target, afterSubmissionId: after, totals, failures };
        await continueAsNew<typeof batchInferenceWorkflow>({ batchSize, batchesPerRun, carry: next });
      }
      totals.found += ids.length;
      totals.batches += 1;
      try {
        const result = await reanalyzeBatch({ batchIndex: totals.batches, submissionIds: ids });
        totals.updated += result.updated;
        totals.failed += result.failures.length;
        failures.push(...result.failures.slice(0, Math.max(0, MAX_LISTED_FAILURES - failures.length)));
        if (result.modelVersion && result.modelVersion !== target) {
          log.warn('the jobs analysed with another model version than expected', { expected: target, got: result.modelVersion });
        }
      } catch (err) {
        if (isCancellation(err)) throw err;
        const error = describe(err);
        log.warn('batch failed after its retries; its submissions stay stale for the next run', { batch: totals.batches, size: ids.length, error });
        totals.failed += ids.length;
        failures.push(...ids.slice(0, Math.max(0, MAX_LISTED_FAILURES - failures.length)).map((submissionId) => ({ submissionId, error })));
      }
      after = ids[ids.length - 1] ?? after;
      upsertMemo({ progress: { ...totals, targetModelVersion: target } });
    }
    if (patched(ORG_MODELS_PATCH)) {
      // Each organisation with its own active model: its submissions analysed with any other version. These walks
      // are short (one organisation's corrections-era backlog), so they run within this run, without continue-as-new.
      for (const org of await listActiveOrgModels()) {
        let orgAfter: string | null = null;
        for (;;) {
          const ids: string[] = await findStaleAnalyses({ modelVersion: org.modelVersion, orgId: org.orgId, afterSubmissionId: orgAfter, limit: batchSize });
          if (ids.length === 0) break;
          totals.found += ids.length;
          totals.batches += 1;
          try {
            const result = await reanalyzeBatch({ batchIndex: totals.batches, submissionIds: ids, model: { path: org.path, sha256: org.sha256 } });
            totals.updated += result.updated;
            totals.failed += result.failures.length;
            failures.push(...result.failures.slice(0, Math.max(0, MAX_LISTED_FAILURES - failures.length)));
          } catch (err) {
            if (isCancellation(err)) throw err;
            const error = describe(err);
            log.warn('an organisation batch failed after its retries', { orgId: org.orgId, size: ids.length, error });
            totals.failed += ids.length;
            failures.push(...ids.slice(0, Math.max(0, MAX_LISTED_FAILURES - failures.length)).map((submissionId) => ({ submissionId, error })));
          }
          orgAfter = ids[ids.length - 1] ?? orgAfter;
          upsertMemo({ progress: { ...totals, targetModelVersion: target } });
        }
      }
    }
  } catch (err) {
    // continueAsNew ends this run by throwing; anything else is a real failure worth a row that says so.
    if (!isCancellation(err) && !(err instanceof ContinueAsNew)) {
      await recordBatchRun({ firstRunId, status: 'failed', targetModelVersion: target, totals, failures });
    }
    throw err;
  }

  const { durationMs } = await recordBatchRun({ firstRunId, status: 'completed', targetModelVersion: target, totals, failures });
  const summary: BatchInferenceSummary = { status: 'completed', targetModelVersion: target, ...totals, durationMs, failures };
  upsertMemo({ summary: { ...totals, targetModelVersion: target, durationMs } });
  return summary;
}
