jest.setTimeout(300_000);

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJobsRuntime, type RunningJobsRuntime } from '../../scripts/stack/jobsRuntime';
import { findFreePort } from '../../scripts/stack/ports';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { crash, sleep, waitFor } from '../support/waitFor';
import { wordErrorRate } from '../support/wer';

/** Crashes mid-pipeline lose nothing and double nothing: one transcription and one analysis row at the end. */
// Six different sentences: a text that repeats itself makes Whisper's compression-ratio check fall back to
// sampling at a higher temperature, whose output is not reproducible.
const LONG_TEXT = [
  'The report page is slow to load every morning, and the export button sometimes does nothing when I click it.',
  'Yesterday the mobile app logged me out twice while I was writing a long comment about our delivery times.',
  'Please add a way to filter the dashboard by team, because our managers only want to see their own customers.',
  'The search results look great, but the dates are shown in the wrong time zone for everyone in Berlin.',
  'When I upload a large spreadsheet the progress bar stops at ninety percent and never finishes at all.',
  'Overall we like the product a lot, and the support team answered our questions quickly and politely.',
].join(' ');

let api: RunningApi;
let clip: Buffer;

beforeAll(async () => {
  api = await startApi();
  clip = speak(LONG_TEXT, 'ogg');
}, 180_000);

afterAll(async () => {
  await api?.close();
});

async function uploadAndWaitForStage(c: ApiClient, stage: string): Promise<string> {
  await c.registerFresh();
  const res = await c.upload(clip, { filename: 'long.ogg' });
  expect(res.status).toBe(202);
  const id = res.body.submission.id as string;
  await waitFor(`submission ${id} to reach ${stage}`, async () => {
    const r = await c.json('GET', `/api/submissions/${id}`);
    return r.body?.submission?.status === stage;
  }, 60_000, 50);
  return id;
}

async function expectExactlyOneResult(c: ApiClient, id: string): Promise<void> {
  const done = await c.waitForTerminal(id, 240_000);
  expect(done.status).toBe('completed');
  expect(wordErrorRate(LONG_TEXT, done.transcription.text)).toBeLessThan(0.35);
  expect(await api.deps.crossOrg.results.countFor(id)).toEqual({ transcriptions: 1, analyses: 1 });
}

it('survives the worker being killed while the submission is transcribed', async () => {
  const first = await startWorker({}, 'worker-a');
  const c = new ApiClient(api.url);
  const id = await uploadAndWaitForStage(c, 'transcribing');
  crash(first.pid);
  await first.exited;
  const second = await startWorker({}, 'worker-b');
  try {
    await expectExactlyOneResult(c, id);
  } finally {
    await second.stop();
  }
});

describe('when the jobs runtime dies mid-run', () => {
  let runtime: RunningJobsRuntime | undefined;
  let worker: ManagedProcess | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-crash-runtime-'));
  const token = 'crash-test-token';

  afterAll(async () => {
    await worker?.stop();
    await runtime?.stop();
  });

  it('resubmits the lost run and still completes once', async () => {
    const port = await findFreePort();
    runtime = await startJobsRuntime({ dataDir, port, token, quiet: true, workers: 1 });
    const env = { DATABRICKS_HOST: runtime.host, DATABRICKS_TOKEN: token };
    worker = await startWorker(env, 'worker-runtime-crash');
    const c = new ApiClient(api.url);
    const id = await uploadAndWaitForStage(c, 'transcribing');
    // Kill it only once the transcription run is really in flight inside the runtime (on a loaded machine
    // the stage can be recorded well before the run is submitted).
    const host = runtime.host;
    await waitFor('the transcription run to be running in the runtime', async () => {
      const res = await fetch(`${host}/api/2.1/jobs/runs/list?limit=25`, { headers: { authorization: `Bearer ${token}` } });
      const runs = ((await res.json()) as { runs?: { state: { life_cycle_state: string } }[] }).runs ?? [];
      return runs.some((r) => ['PENDING', 'RUNNING'].includes(r.state.life_cycle_state));
    }, 60_000, 50);
    crash(runtime.process.pid);
    await runtime.process.exited;
    await sleep(3000);
    runtime = await startJobsRuntime({ dataDir, port, token, quiet: true, workers: 1 });
    await expectExactlyOneResult(c, id);
    // The runtime really lost a run (it was killed mid-run), and a fresh one did the work.
    const list = await fetch(`${runtime.host}/api/2.1/jobs/runs/list?limit=25`, { headers: { authorization: `Bearer ${token}` } });
    const states = ((await list.json()) as { runs: { state: { life_cycle_state: string } }[] }).runs.map((r) => r.state.life_cycle_state);
    expect(states).toContain('INTERNAL_ERROR');
    expect(states).toContain('TERMINATED');
  });
});
