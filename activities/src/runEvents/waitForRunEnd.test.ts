import { MockActivityEnvironment } from '@temporalio/testing';
import type { JobsClient, Run, RunState } from '@voyce/databricks';
import { runNotebook, type NotebookRunResult } from '../notebookRun';
import { RunEndHub } from './runEndHub';

const RUNNING: RunState = { life_cycle_state: 'RUNNING' };
const SUCCESS: RunState = { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' };
const FAILED: RunState = { life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'boom' };

/** A Jobs API whose run is RUNNING until `finish(state)`; records submits and every runs/get. */
function controllableJobs() {
  let state: RunState = RUNNING;
  const submitted: Record<string, unknown>[] = [];
  const polls: number[] = [];
  const jobs = {
    submitRun: async (req: Record<string, unknown>) => {
      submitted.push(req);
      return { run_id: 500 };
    },
    getRun: async (runId: number): Promise<Run> => {
      polls.push(Date.now());
      return { run_id: runId, state, setup_duration: 1, execution_duration: 2 } as Run;
    },
    getRunOutput: async () => ({ notebook_output: { result: '{"ok":true}' } }),
    cancelRun: async () => ({}),
    listRuns: async () => ({ runs: [] }),
  } as unknown as JobsClient;
  return { jobs, submitted, polls, finish: (s: RunState) => (state = s) };
}

const request = (jobs: JobsClient, hub: RunEndHub, fallbackPollMs = 60_000) => ({
  jobs,
  notebookPath: '/nb/02_voice_processing',
  params: {},
  stage: 'transcription',
  pollMaxMs: 50,
  completion: { waiter: hub, destinationId: 'voyce-worker', fallbackPollMs },
});

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('runNotebook with completion by callback', () => {
  it('names the destination on submit, looks once, then waits for the notification: no poll in between', async () => {
    const hub = new RunEndHub();
    const { jobs, submitted, polls, finish } = controllableJobs();
    const env = new MockActivityEnvironment();
    const done = env.run(runNotebook, request(jobs, hub)) as Promise<NotebookRunResult>;
    await tick(300);
    expect(submitted[0]?.webhook_notifications).toEqual({ on_success: [{ id: 'voyce-worker' }], on_failure: [{ id: 'voyce-worker' }] });
    expect(polls).toHaveLength(1); // the look at the start only
    finish(SUCCESS);
    expect(hub.ended(500)).toBe(1);
    expect(await done).toMatchObject({ runId: 500, output: { ok: true } });
    expect(polls).toHaveLength(2);
  });

  it('falls back to polling when the notification is lost', async () => {
    const hub = new RunEndHub();
    const { jobs, polls, finish } = controllableJobs();
    const env = new MockActivityEnvironment();
    const done = env.run(runNotebook, request(jobs, hub, 150)) as Promise<NotebookRunResult>;
    await tick(400);
    finish(SUCCESS); // and nobody calls hub.ended
    expect(await done).toMatchObject({ runId: 500 });
    expect(polls.length).toBeGreaterThanOrEqual(3);
  });

  it('an end heard before the activity looked completes it at its first look; a duplicate later is harmless', async () => {
    const hub = new RunEndHub();
    const { jobs, polls, finish } = controllableJobs();
    finish(SUCCESS);
    hub.ended(500);
    const env = new MockActivityEnvironment();
    expect(await env.run(runNotebook, request(jobs, hub))).toMatchObject({ runId: 500 });
    expect(polls).toHaveLength(1);
    expect(hub.ended(500)).toBe(0);
  });

  it('a notification while runs/get still says RUNNING keeps waiting; a failed run fails retryably', async () => {
    const hub = new RunEndHub();
    const { jobs, polls, finish } = controllableJobs();
    const env = new MockActivityEnvironment();
    const done = env.run(runNotebook, request(jobs, hub)).catch((e: unknown) => e);
    await tick(100);
    hub.ended(500); // early (e.g. a forged-but-authenticated or racing notification): state still RUNNING
    await tick(100);
    expect(polls).toHaveLength(2);
    finish(FAILED);
    hub.ended(500);
    expect(await done).toMatchObject({ type: 'DatabricksRunFailed', nonRetryable: false });
    expect(polls).toHaveLength(3);
    expect(hub.waitingCount).toBe(0);
  });

  it('is cancelled while waiting, and cancels the run', async () => {
    const hub = new RunEndHub();
    const { jobs } = controllableJobs();
    const cancelled: number[] = [];
    (jobs as { cancelRun: unknown }).cancelRun = async (id: number) => cancelled.push(id);
    const env = new MockActivityEnvironment();
    const done = env.run(runNotebook, request(jobs, hub)).catch((e: unknown) => e);
    await tick(100);
    env.cancel();
    expect(await done).toMatchObject({ name: 'CancelledFailure' });
    expect(cancelled).toEqual([500]);
    expect(hub.waitingCount).toBe(0);
  });
});
