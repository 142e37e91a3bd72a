import { Readable } from 'node:stream';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type {
  AnalysisInput,
  BatchFailure,
  BatchInferenceRepository,
  BatchRunStatus,
  BatchRunTotals,
} from '@voyce/core';
import type { ActivityDeps } from './deps';
import { BAD_RUN_OUTPUT_ERROR } from './failures';
import { runNotebook } from './notebookRun';
import { sentimentAnalysisOutput } from './taskOutputs';

export const BATCH_INFERENCE_NOTEBOOK = '06_batch_inference';
/** The activities were built without a batch repository (a process that runs no batch re-inference). */
export const BATCH_UNAVAILABLE_ERROR = 'BatchInferenceUnavailable';

/**
 * Databricks caps a run's parameters at 10 KB: larger item lists travel as a short-lived read-only blob URL
 * (`items_url`), smaller ones inline.
 */
const INLINE_ITEMS_MAX_BYTES = 8 * 1024;
/** Encoder batch inside the job (the job's own default, the measured sweet spot on CPU). */
const ENCODER_BATCH_SIZE = 64;

/** What `06_batch_inference` returns (databricks/README.md); each analysis has the shape 03 returns. */
export const batchInferenceOutput = z.object({
  model_version: z.string().min(1),
  count: z.number().int().min(0),
  results: z.array(z.object({ submission_id: z.string().min(1), analysis: sentimentAnalysisOutput })),
  failures: z.array(z.object({ submission_id: z.string(), error: z.string() })),
  timings: z.object({ compute_ms: z.number(), per_item_ms: z.number() }).partial().optional(),
});

export interface FindStaleInput {
  modelVersion: string;
  /** Only this organisation's submissions (it has an active model); absent: those of organisations without one. */
  orgId?: string | null;
  afterSubmissionId?: string | null;
  limit: number;
}

export interface ReanalyzeBatchInput {
  /** Distinguishes batches in run names and idempotency tokens (several batches per workflow run). */
  batchIndex: number;
  submissionIds: string[];
  /** An organisation's active model to analyse with (absent: the jobs' default). */
  model?: { path: string; sha256: string } | null;
}

export interface ReanalyzeBatchResult {
  modelVersion: string;
  updated: number;
  failures: BatchFailure[];
  jobRunId: number;
  computeMs: number | null;
}

export interface RecordBatchRunInput {
  /** The first run of the workflow's chain (continued-as-new runs update the same row). */
  firstRunId: string;
  status: BatchRunStatus;
  targetModelVersion: string | null;
  totals: BatchRunTotals;
  failures: BatchFailure[];
}

export interface BatchActivityDeps extends Pick<ActivityDeps, 'jobs' | 'blob' | 'notebookRoot' | 'pollMaxMs' | 'sasTtlSeconds' | 'orgModels'> {
  batchInference?: BatchInferenceRepository;
}

const MAX_ERROR_CHARS = 300;
const clip = (s: string) => (s.length > MAX_ERROR_CHARS ? `${s.slice(0, MAX_ERROR_CHARS)}…` : s);

function parseBatchOutput(output: unknown, runId: number) {
  const parsed = batchInferenceOutput.safeParse(output);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(`run ${runId} returned an unexpected output: ${parsed.error.message}`, BAD_RUN_OUTPUT_ERROR);
  }
  return parsed.data;
}

/** Activities of scheduled batch re-inference: find stale analyses, re-analyse them through 06, record the run. */
export function createBatchInferenceActivities(deps: BatchActivityDeps) {
  const notebookPath = `${deps.notebookRoot.replace(/\/+$/, '')}/${BATCH_INFERENCE_NOTEBOOK}`;
  const repo = (): BatchInferenceRepository => {
    if (!deps.batchInference) throw ApplicationFailure.nonRetryable('this worker has no batch inference repository', BATCH_UNAVAILABLE_ERROR);
    return deps.batchInference;
  };

  return {
    /**
     * The model version the jobs would analyse with now: a 06 run over no items answers it without
     * analysing anything (the worker has its models loaded), from the same place every analysis comes from.
     */
    async currentModelVersion(): Promise<string> {
      const run = await runNotebook({
        jobs: deps.jobs,
        notebookPath,
        stage: 'batch-model-version',
        pollMaxMs: deps.pollMaxMs,
        timeoutSeconds: 600,
        params: { items: '[]' },
      });
      return parseBatchOutput(run.output, run.runId).model_version;
    },

    /** The next page of completed submissions analysed with another model version, after a cursor. */
    async findStaleAnalyses(input: FindStaleInput): Promise<string[]> {
      return repo().findStale(input);
    },

    /**
     * Re-analyses one batch through `06_batch_inference` and overwrites its analysis rows. Heartbeats while
     * the run works (through runNotebook), and a retry resumes the checkpointed run for the same ids; the
     * rows are updated in place, so a retried batch rewrites rather than duplicates. Items the job could
     * not analyse, or that it left out, come back as failures (they stay stale and are retried next run).
     */
    async reanalyzeBatch({ batchIndex, submissionIds, model }: ReanalyzeBatchInput): Promise<ReanalyzeBatchResult> {
      const ctx = Context.current();
      const items = (await repo().transcripts(submissionIds)).map((t) => ({ submission_id: t.submissionId, text: t.text }));
      const found = new Set(items.map((i) => i.submission_id));
      const missing: BatchFailure[] = submissionIds.filter((id) => !found.has(id)).map((id) => ({ submissionId: id, error: 'no transcript' }));
      if (items.length === 0) return { modelVersion: '', updated: 0, failures: missing, jobRunId: 0, computeMs: null };

      const workflowId = ctx.info.workflowExecution?.workflowId ?? 'batch-inference';
      const runPart = ctx.info.workflowExecution?.runId ?? 'run';
      const itemsJson = JSON.stringify(items);
      let itemsBlob: string | null = null;
      const params: Record<string, string> = {
        batch_size: String(ENCODER_BATCH_SIZE),
        ...(model ? { model_path: model.path, model_sha256: model.sha256 } : {}),
      };
      if (Buffer.byteLength(itemsJson) <= INLINE_ITEMS_MAX_BYTES) {
        params.items = itemsJson;
      } else {
        itemsBlob = `batch-inference/${workflowId}/${runPart}-${batchIndex}.json`;
        await deps.blob.uploadStaging(itemsBlob, Readable.from([Buffer.from(itemsJson)]), 'application/json');
        params.items_url = await deps.blob.readUrl('staging', itemsBlob, deps.sasTtlSeconds);
      }
      // Keep the previous attempt's checkpoint (if any) as the recorded detail until runNotebook replaces it.
      ctx.heartbeat(ctx.info.heartbeatDetails);

      const run = await runNotebook({
        jobs: deps.jobs,
        notebookPath,
        stage: `batch-${batchIndex}`,
        pollMaxMs: deps.pollMaxMs,
        params,
      });
      const out = parseBatchOutput(run.output, run.runId);
      const computeMs = out.timings?.compute_ms ?? run.executionMs;
      const perItemMs = out.timings?.per_item_ms;
      const asked = new Set(items.map((i) => i.submission_id));
      const rows: AnalysisInput[] = out.results
        .filter((r) => asked.has(r.submission_id))
        .map(({ submission_id, analysis }) => ({
          submissionId: submission_id,
          sentiment: analysis.sentiment,
          emotions: analysis.emotions ?? [],
          intent: analysis.intent ?? null,
          actionItems: analysis.action_items ?? [],
          keywords: analysis.keywords ?? [],
          importanceScore: analysis.importance_score ?? null,
          modelVersion: analysis.model_version,
          jobRunId: String(run.runId),
          computeMs: perItemMs === undefined ? null : Math.round(perItemMs),
        }));
      ctx.heartbeat({ runId: run.runId });
      // The job has read its items: drop them (a failed attempt leaves its one blob, overwritten by the retry).
      if (itemsBlob) await deps.blob.delete('staging', itemsBlob).catch(() => undefined);
      const updated = new Set(await repo().updateAnalyses(rows));
      const failed = new Map<string, string>();
      for (const f of out.failures) if (asked.has(f.submission_id)) failed.set(f.submission_id, clip(f.error));
      for (const id of asked) if (!updated.has(id) && !failed.has(id)) failed.set(id, 'not in the run output or no longer stored');
      return {
        modelVersion: out.model_version,
        updated: updated.size,
        failures: [...missing, ...[...failed].map(([submissionId, error]) => ({ submissionId, error }))],
        jobRunId: run.runId,
        computeMs: computeMs === null ? null : Math.round(computeMs),
      };
    },

    /** Every organisation's active model: each organisation's submissions are re-analysed with its own. */
    async listActiveOrgModels(): Promise<{ orgId: string; modelVersion: string; path: string; sha256: string }[]> {
      const active = deps.orgModels ? await deps.orgModels.listActive() : [];
      return active.map((m) => ({ orgId: m.orgId, modelVersion: m.modelVersion, path: m.artifactUri, sha256: m.artifactSha256 }));
    },

    /** Writes the run's summary row (absolute totals: safe to repeat); answers the run's duration once it ended. */
    async recordBatchRun(input: RecordBatchRunInput): Promise<{ durationMs: number | null }> {
      const info = Context.current().info.workflowExecution;
      if (!info) throw new Error('recordBatchRun runs only as a workflow activity');
      const record = await repo().recordRun({ workflowId: info.workflowId, ...input });
      return { durationMs: record.durationMs };
    },
  };
}

export type BatchInferenceActivities = ReturnType<typeof createBatchInferenceActivities>;
