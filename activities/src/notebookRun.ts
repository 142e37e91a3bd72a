import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CancelledFailure, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DatabricksApiError, FINAL_LIFE_CYCLE_STATES, type JobsClient, type Run } from '@voyce/databricks';
import { REQUEST_REJECTED_ERROR } from './failures';
import { settled } from './runEvents/settledRun';
import { waitForRunEnd, type RunCompletion } from './runEvents/waitForRunEnd';

export type { RunCompletion } from './runEvents/waitForRunEnd';

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
  /** Learn of the run's end from its webhook notification instead of polling (polling stays the fallback). */
  completion?: RunCompletion | undefined;
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

  const phase = phaseRecorder(ctx, req.stage);
  const notices = ctx.metricMeter.createCounter(
    'voyce_job_run_notices',
    '1',
    'How a waiting activity learned of each runs/get it made in callback mode: start, callback or fallback poll',
  );
  let runId = checkpoint?.runId;
  if (runId !== undefined && !(await isResumable(req.jobs, runId))) runId = undefined;
  if (runId === undefined) {
    const submitStarted = performance.now();
    const submitted = await rejectedAsFinal(req.jobs.submitRun({
      run_name: `voyce-${req.stage}-${workflowExecution.workflowId}`,
      idempotency_token: idempotencyToken(`${workflowExecution.workflowId}/${workflowExecution.runId}/${req.stage}/${attempt}`),
      timeout_seconds: req.timeoutSeconds ?? 1800,
      tasks: [{ task_key: req.stage, notebook_task: { notebook_path: req.notebookPath, base_parameters: req.params } }],
      ...(req.completion
        ? { webhook_notifications: { on_success: [{ id: req.completion.destinationId }], on_failure: [{ id: req.completion.destinationId }] } }
        : {}),
    }));
    runId = submitted.run_id;
    phase('submit', performance.now() - submitStarted);
  }
  ctx.heartbeat({ runId } satisfies Checkpoint);

  try {
    const waitStarted = performance.now();
    const run = req.completion
      ? await waitForRunEnd(req.jobs, runId, req.completion, (by) => notices.add(1, { stage: req.stage, by }))
      : await waitForRun(req, runId, checkpoint === undefined ? req.expectedMs : undefined);
    const waitedMs = performance.now() - waitStarted;
    // setup_duration is the run's time queued for a warm worker, execution_duration its time on one; what is
    // left of the wait is the time between the run's end and this activity noticing it (the polling cost).
    if (run.setup_duration !== undefined) phase('queued', run.setup_duration);
    if (run.execution_duration !== undefined) phase('execution', run.execution_duration);
    if (run.setup_duration !== undefined && run.execution_duration !== undefined) {
      phase('notice', Math.max(0, waitedMs - run.setup_duration - run.execution_duration));
    }
    const taskRunId = run.tasks?.[0]?.run_id ?? runId;
    const fetchStarted = performance.now();
    const out = await req.jobs.getRunOutput(taskRunId);
    phase('output_fetch', performance.now() - fetchStarted);
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

/** Records one phase of a job run in `voyce_job_run_phase_seconds{stage, phase}` on the worker's /metrics. */
function phaseRecorder(ctx: Context, stage: string): (phase: string, ms: number) => void {
  const histogram = ctx.metricMeter.createHistogram(
    'voyce_job_run_phase_seconds',
    'float',
    's',
    'Job run phases: submit, queued for a worker, execution, notice (end → seen), output_fetch',
  );
  return (phase, ms) => histogram.record(ms / 1000, { stage, phase });
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
    if (run && settled(run, runId)) return run;
    await ctx.sleep(delay); // throws CancelledFailure when the workflow cancels this activity
    ctx.heartbeat({ runId } satisfies Checkpoint);
    const elapsed = Date.now() - started;
    delay = elapsed < POLL_FAST_WINDOW_MS ? Math.min(delay * 2, POLL_FAST_MS) : Math.min(Math.round(Math.max(delay, POLL_FAST_MS) * 1.5), req.pollMaxMs);
  }
}
