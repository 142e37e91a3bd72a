jest.setTimeout(300_000);

import { ApiClient } from '../support/apiClient';
import { startApi, startWorker, type RunningApi } from '../support/services';
import type { ManagedProcess } from '../../scripts/stack/process';
import { speak } from '../support/speech';
import { findFreePort } from '../../scripts/stack/ports';

/**
 * Job runs complete by callback on the real stack: the jobs runtime POSTs jobs.on_success to the worker's
 * run-events receiver and the waiting activity reads the run at once. When callbacks are lost (nobody listens
 * where the destination points, or the receiver refuses the destination's credentials), the slow fallback poll
 * still completes the submission. Which path noticed each run is read from the worker's
 * `voyce_job_run_notices_total{stage, by}` counter, not inferred from timing.
 */
let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
}, 180_000);

afterAll(async () => {
  await api?.close();
});

type Notices = Record<string, number>; // "stage/by" → count

async function notices(metricsPort: number): Promise<Notices> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const out: Notices = {};
  for (const m of text.matchAll(/^voyce_job_run_notices_total\{([^}]*)\} (\d+)/gm)) {
    const labels = m[1] ?? '';
    const key = `${/stage="([^"]+)"/.exec(labels)?.[1]}/${/by="([^"]+)"/.exec(labels)?.[1]}`;
    out[key] = (out[key] ?? 0) + Number(m[2]);
  }
  return out;
}

/** One spoken submission through a worker started with `env`; returns the worker's notice counts. */
async function submitThrough(env: Record<string, string>, name: string): Promise<{ status: string; notices: Notices }> {
  const metricsPort = await findFreePort();
  let worker: ManagedProcess | undefined;
  try {
    worker = await startWorker({ WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, ...env }, name);
    const c = new ApiClient(api.url);
    await c.registerFresh();
    const res = await c.upload(speak('The invoice page shows the wrong total after I apply a discount.', 'wav'), { filename: 'n.wav' });
    expect(res.status).toBe(202);
    const done = await c.waitForTerminal(res.body.submission.id);
    return { status: done.status as string, notices: await notices(metricsPort) };
  } finally {
    await worker?.stop();
  }
}

it('the callback completes each model run with no poll between the first look and the end', async () => {
  expect(process.env.RUN_EVENTS_ADDRESS).toMatch(/^127\.0\.0\.1:\d+$/); // the stack's runtime posts there
  // A fallback interval far beyond the runs' length: any poll before the callback would show up as by="poll".
  const { status, notices: n } = await submitThrough({ DATABRICKS_FALLBACK_POLL_MS: '120000' }, 'worker-callbacks');
  expect(status).toBe('completed');
  // The worker shares the stack's task queue, so it may also finish runs other test files left behind: each run
  // it saw was looked at once at the start and then woken by its callback, never by a poll.
  for (const stage of ['transcription', 'analysis']) {
    expect(n[`${stage}/callback`]).toBeGreaterThanOrEqual(1);
    expect(n[`${stage}/start`]).toBeGreaterThanOrEqual(n[`${stage}/callback`] ?? 0);
    expect(n[`${stage}/poll`] ?? 0).toBe(0);
  }
});

describe('lost callbacks: the fallback poll completes the submission', () => {
  it('when nothing listens where the destination points (receiver down)', async () => {
    const elsewhere = `127.0.0.1:${await findFreePort()}`;
    const { status, notices: n } = await submitThrough({ RUN_EVENTS_ADDRESS: elsewhere, DATABRICKS_FALLBACK_POLL_MS: '1500' }, 'worker-receiver-down');
    expect(status).toBe('completed');
    for (const stage of ['transcription', 'analysis']) {
      expect(n[`${stage}/callback`] ?? 0).toBe(0);
      expect(n[`${stage}/poll`]).toBeGreaterThanOrEqual(1);
    }
  });

  it('when the receiver refuses the destination (wrong secret)', async () => {
    const { status, notices: n } = await submitThrough(
      { RUN_EVENTS_SECRET: 'not-the-secret-the-runtime-sends', DATABRICKS_FALLBACK_POLL_MS: '1500' },
      'worker-wrong-secret',
    );
    expect(status).toBe('completed');
    for (const stage of ['transcription', 'analysis']) {
      expect(n[`${stage}/callback`] ?? 0).toBe(0);
      expect(n[`${stage}/poll`]).toBeGreaterThanOrEqual(1);
    }
  });
});

it('DATABRICKS_RUN_COMPLETION=poll keeps the brisk polling and names no destination', async () => {
  const { status, notices: n } = await submitThrough({ DATABRICKS_RUN_COMPLETION: 'poll' }, 'worker-polling');
  expect(status).toBe('completed');
  expect(n).toEqual({});
});
