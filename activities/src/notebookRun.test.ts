import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DatabricksApiError, type JobsClient, type Run, type RunState } from '@voyce/databricks';
import { idempotencyToken, runNotebook, type NotebookRunResult } from './notebookRun';

/** A scripted Jobs API: each getRun answers the next state; records what was submitted. */
function fakeJobs(states: RunState[], output: unknown = { ok: true }) {
  const submitted: { idempotency_token?: string }[] = [];
  const polled: number[] = [];
  let i = 0;
  const jobs = {
    submitRun: async (req: { idempotency_token?: string }) => {
      submitted.push(req);
      return { run_id: 100 + submitted.length };
    },
    getRun: async (runId: number): Promise<Run> => {
      polled.push(runId);
      const state = states[Math.min(i++, states.length - 1)] as RunState;
      return { run_id: runId, state, tasks: [{ run_id: runId + 1, task_key: 't', state }], execution_duration: 420 };
    },
    getRunOutput: async () => ({ notebook_output: { result: JSON.stringify(output) } }),
    cancelRun: async () => ({}),
    listRuns: async () => ({ runs: [] }),
  } as unknown as JobsClient;
  return { jobs, submitted, polled };
}

const RUNNING: RunState = { life_cycle_state: 'RUNNING' };
const SUCCESS: RunState = { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' };
const FAILED: RunState = { life_cycle_state: 'INTERNAL_ERROR', result_state: 'FAILED', state_message: 'runtime restarted' };

const request = (jobs: JobsClient) => ({ jobs, notebookPath: '/nb/02_voice_processing', params: { a: 'b' }, stage: 'transcription', pollMaxMs: 50 });

describe('runNotebook', () => {
  it('submits once, heartbeats the run id, and returns the parsed notebook output', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const { jobs, submitted } = fakeJobs([RUNNING, RUNNING, SUCCESS], { text: 'hi' });
    const result = (await env.run(runNotebook, request(jobs))) as NotebookRunResult;
    expect(result).toEqual({ runId: 101, output: { text: 'hi' }, executionMs: 420 });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.idempotency_token).toHaveLength(64);
    expect(beats).toContainEqual({ runId: 101 });
  });

  it('resumes the checkpointed run after a worker crash instead of submitting again', async () => {
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { runId: 77 } });
    const { jobs, submitted, polled } = fakeJobs([RUNNING, SUCCESS]);
    const result = (await env.run(runNotebook, request(jobs))) as NotebookRunResult;
    expect(submitted).toHaveLength(0);
    expect(result.runId).toBe(77);
    expect(polled.every((id) => id === 77)).toBe(true);
  });

  it('starts a fresh run when the checkpointed one was lost', async () => {
    const env = new MockActivityEnvironment({ attempt: 3, heartbeatDetails: { runId: 77 } });
    const { jobs, submitted } = fakeJobs([FAILED, SUCCESS]);
    const result = (await env.run(runNotebook, request(jobs))) as NotebookRunResult;
    expect(submitted).toHaveLength(1);
    expect(result.runId).toBe(101);
  });

  it('fails retryably with the run state when the run fails', async () => {
    const env = new MockActivityEnvironment();
    const { jobs } = fakeJobs([RUNNING, FAILED]);
    const err = await env.run(runNotebook, request(jobs)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'DatabricksRunFailed', nonRetryable: false });
    expect((err as Error).message).toContain('runtime restarted');
  });

  it('fails at once, not retryably, when the Jobs API refuses the request itself', async () => {
    const env = new MockActivityEnvironment();
    const { jobs } = fakeJobs([SUCCESS]);
    (jobs as { submitRun: unknown }).submitRun = async () => {
      throw new DatabricksApiError('Jobs API runs/submit answered 400 INVALID_PARAMETER_VALUE: unknown notebook', 400, 'INVALID_PARAMETER_VALUE', false);
    };
    const err = await env.run(runNotebook, request(jobs)).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'DatabricksRequestRejected', nonRetryable: true });
  });

  it('derives a distinct 64-character token per attempt', () => {
    expect(idempotencyToken('wf/run/transcription/1')).not.toBe(idempotencyToken('wf/run/transcription/2'));
    expect(idempotencyToken('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
