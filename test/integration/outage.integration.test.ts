jest.setTimeout(400_000);

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../../scripts/stack/azurite';
import { findFreePort } from '../../scripts/stack/ports';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { sleep, waitFor } from '../support/waitFor';

/**
 * Storage or database gone for 20 s mid-pipeline: activities retry with backoff, and the submission still
 * completes with exactly one transcription and one analysis.
 */
const TEXT = 'The calendar view forgets my filters every time I switch between weeks and months.';
const OUTAGE_MS = 20_000;

async function expectCompletedOnce(api: RunningApi, c: ApiClient, id: string) {
  const done = await c.waitForTerminal(id, 300_000);
  expect(done.status).toBe('completed');
  expect(done.transcription.text.toLowerCase()).toContain('calendar');
  expect(await api.deps.crossOrg.results.countFor(id)).toEqual({ transcriptions: 1, analyses: 1 });
}

describe('Azurite stopped for 20 s right after an upload', () => {
  let azurite: RunningAzurite | undefined;
  let api: RunningApi | undefined;
  let worker: ManagedProcess | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-outage-azurite-'));

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await azurite?.stop();
  });

  it('validates, stores and completes once storage is back', async () => {
    const port = await findFreePort();
    azurite = await startAzurite({ dataDir, port, quiet: true });
    const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
    [api, worker] = await Promise.all([startApi(env), startWorker(env, 'worker-azurite-outage')]);
    const c = new ApiClient(api.url);
    await c.registerFresh();
    const res = await c.upload(speak(TEXT, 'm4a'), { filename: 'cal.m4a' });
    expect(res.status).toBe(202);
    await azurite.stop();
    await sleep(OUTAGE_MS);
    const during = await c.json('GET', `/api/submissions/${res.body.submission.id}`);
    expect(['pending', 'validating']).toContain(during.body.submission.status);
    azurite = await startAzurite({ dataDir, port, quiet: true });
    await expectCompletedOnce(api, c, res.body.submission.id);
  });
});

describe('PostgreSQL stopped for 20 s while a submission is transcribed', () => {
  let api: RunningApi | undefined;
  let worker: ManagedProcess | undefined;
  const version = readdirSync('/etc/postgresql')[0] ?? '15';
  const pg = (action: 'start' | 'stop') => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);
  /** Starts the cluster unless something else on the machine (another test run's set-up) already has. */
  const startPg = () => {
    try {
      pg('start');
    } catch (err) {
      const status = execFileSync('pg_lsclusters', ['--no-header', version, 'main'], { encoding: 'utf8' });
      if (!/\bonline\b/.test(status)) throw err;
    }
  };

  afterAll(async () => {
    try {
      startPg();
    } catch {
      // nothing more to do here; the next run's set-up starts PostgreSQL when it is down
    }
    await worker?.stop();
    await api?.close();
  });

  it('completes once the database is back, without doubled rows', async () => {
    [api, worker] = await Promise.all([startApi(), startWorker({}, 'worker-pg-outage')]);
    const c = new ApiClient(api.url);
    await c.registerFresh();
    // Different sentences: a repeated one trips Whisper's compression-ratio fallback to (unreproducible) sampling.
    const long = [
      TEXT,
      'Yesterday the mobile app logged me out twice while I was writing a long comment.',
      'Please add a way to filter the dashboard by team for our managers.',
      'The search results show the dates in the wrong time zone for everyone in Berlin.',
    ].join(' ');
    const res = await c.upload(speak(long, 'webm'), { filename: 'cal.webm' });
    const id = res.body.submission.id as string;
    await waitFor('transcribing', async () => (await c.json('GET', `/api/submissions/${id}`)).body?.submission?.status === 'transcribing', 60_000, 50);
    pg('stop');
    await sleep(OUTAGE_MS);
    startPg();
    await waitFor('PostgreSQL to accept connections', async () => (await api!.deps.db.raw('select 1')) !== undefined, 60_000, 500);
    await expectCompletedOnce(api, c, id);
  });
});
