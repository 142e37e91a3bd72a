import { createHash } from 'node:crypto';
import { CancelledFailure, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DatabricksApiError, FINAL_LIFE_CYCLE_STATES, type JobsClient, type Run } from '@voyce/databricks';
import { REQUEST_REJECTED_ERROR, RUN_FAILED_ERROR } from './failures';

export interface NotebookRunRequest {
  jobs: JobsClient;
  notebookPath: string;
  params: Record<string, string>;
  /** Names the stage in run names and idempotency tokens, e.g. "transcription". */
  stage: string;
  pollMaxMs: number;
  timeoutSeconds?: number;
  /** How long the run will probably take; the first poll waits about that long instead of asking early and often. */
  expectedMs?: number;
}

export interface NotebookRunResult {
  runId: number;
  /** The parsed value the notebook passed to dbutils.notebook.exit. */
  output: unknown;
  executionMs: number | null;
}

interface Checkpoint {
  runId: number;
}

// Most runs end within seconds: poll briskly at first (a late poll is pure added latency), then back off
// so that long runs cost few Jobs API calls.
const POLL_FAST_MS = 100;
const POLL_FIRST_MS = 25;
const POLL_FAST_WINDOW_MS = 5_000;

/**
 * Submits a one-time notebook run and waits for it, heartbeating the run id so that a retry after a worker
 * crash resumes the same run instead of paying for a second one. The idempotency token is unique per
 * activity attempt: a retry after a *failed* run must start a fresh run, while a lost submit reply is safe.
 */
export async function runNotebook(req: NotebookRunRequest): Promise<NotebookRunResult> {
  const ctx = Context.current();
  const { workflowExecution, attempt } = ctx.info;
  if (!workflowExecution) throw new Error('runNotebook runs only as a workflow activity (its idempotency token names the workflow run)');
  const checkpoint = ctx.info.heartbeatDetails as Checkpoint | undefined;

  let runId = checkpoint?.runId;
  if (runId !== undefined && !(await isResumable(req.jobs, runId))) runId = undefined;
  if (runId === undefined) {
    const submitted = await rejectedAsFinal(req.jobs.submitRun({
      run_name: `voyce-${req.stage}-${workflowExecution.workflowId}`,
      idempotency_token: idempotencyToken(`${workflowExecution.workflowId}/${workflowExecution.runId}/${req.stage}/${attempt}`),
      timeout_seconds: req.timeoutSeconds ?? 1800,
      tasks: [{ task_key: req.stage, notebook_task: { notebook_path: req.notebookPath, base_parameters: req.params } }],
    }));
    runId = submitted.run_id;
  }
  ctx.heartbeat({ runId } satisfies Checkpoint);

  try {
    const run = await waitForRun(req, runId, checkpoint === undefined ? req.expectedMs : undefined);
    const taskRunId = run.tasks?.[0]?.run_id ?? runId;
    const out = await req.jobs.getRunOutput(taskRunId);
    const raw = out.notebook_output?.result;
    if (raw === undefined) throw new Error(`run ${runId} succeeded without a notebook result`);
    return { runId, output: JSON.parse(raw) as unknown, executionMs: run.execution_duration ?? run.tasks?.[0]?.execution_duration ?? null };
  } catch (err) {
    if (err instanceof CancelledFailure) {
      await req.jobs.cancelRun(runId).catch(() => undefined); // best effort: the run is abandoned either way
    }
    throw err;
  }
}

/**
 * A request the Jobs API refuses (4xx other than 429: unknown notebook, bad parameters, bad token) will be
 * refused again: fail at once, so the submission is marked failed and can be replayed once the fault is fixed.
 */
async function rejectedAsFinal<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof DatabricksApiError && !err.transient) {
      throw ApplicationFailure.nonRetryable(err.message, REQUEST_REJECTED_ERROR, { status: err.status, errorCode: err.errorCode });
    }
    throw err;
  }
}

/** Databricks caps idempotency tokens at 64 characters: a SHA-256 hex digest of the identity fits exactly. */
export const idempotencyToken = (identity: string): string => createHash('sha256').update(identity).digest('hex');

/** A checkpointed run is worth waiting for unless it has already ended badly or no longer exists. */
async function isResumable(jobs: JobsClient, runId: number): Promise<boolean> {
  try {
    const run = await jobs.getRun(runId);
    return !FINAL_LIFE_CYCLE_STATES.includes(run.state.life_cycle_state) || run.state.result_state === 'SUCCESS';
  } catch (err) {
    if (err instanceof DatabricksApiError && !err.transient) return false;
    throw err;
  }
}

async function waitForRun(req: NotebookRunRequest, runId: number, expectedMs?: number): Promise<Run> {
  const ctx = Context.current();
  const started = Date.now();
  let delay = expectedMs === undefined ? POLL_FIRST_MS : Math.min(Math.max(Math.round(expectedMs), POLL_FIRST_MS), POLL_FAST_WINDOW_MS);
  for (;;) {
    let run: Run | undefined;
    try {
      run = await req.jobs.getRun(runId);
    } catch (err) {
      // An unreachable Jobs API is waited out (the heartbeat keeps the activity alive); anything else is real.
      if (!(err instanceof DatabricksApiError && err.transient)) throw err;
    }
    if (run && FINAL_LIFE_CYCLE_STATES.includes(run.state.life_cycle_state)) {
      if (run.state.result_state === 'SUCCESS') return run;
      throw ApplicationFailure.retryable(
        `Databricks run ${runId} ended ${run.state.life_cycle_state}/${run.state.result_state ?? '-'}: ${run.state.state_message ?? ''}`.trim(),
        RUN_FAILED_ERROR,
        { runId, state: run.state },
      );
    }
    await ctx.sleep(delay); // throws CancelledFailure when the workflow cancels this activity
    ctx.heartbeat({ runId } satisfies Checkpoint);
    const elapsed = Date.now() - started;
    delay = elapsed < POLL_FAST_WINDOW_MS ? Math.min(delay * 2, POLL_FAST_MS) : Math.min(Math.round(Math.max(delay, POLL_FAST_MS) * 1.5), req.pollMaxMs);
  }
}
