jest.setTimeout(1_200_000);

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '@voyce/core';
import { launchSupervisedStack, SUPERVISED_PARTS, type SupervisedStack } from '../../scripts/stack/supervisedStack';
import { ApiClient } from '../support/apiClient';
import { uploadHonouringRetryAfter } from '../support/retryAfter';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/**
 * The real `npm start` on free ports: each part it supervises is killed with SIGKILL in turn (the process itself,
 * as the kernel's OOM killer or `kill -9` would, leaving its children behind), comes back by itself, and a fresh
 * upload then completes with exactly one transcription and one analysis.
 */
const TEXT = 'The export button does nothing when I click it on the report page.';
/** The /ready check that covers each part (the API's own answer covers the API). */
const CHECK_OF: Record<string, string> = { temporal: 'temporal', azurite: 'blob', 'jobs-runtime': 'jobs', 'live-worker': 'live', worker: 'worker', api: 'postgres' };

let stack: SupervisedStack;
let db: Db;
let client: ApiClient;
let clip: Buffer;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-supervised-'));

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL as string; // this run's own database (jestGlobalSetup)
  stack = await launchSupervisedStack({ dataDir, databaseUrl, env: { VOYCE_JOBS_WORKERS: '1', VOYCE_LIVE_SESSIONS: '1' } });
  db = createDb(databaseUrl, 2);
  client = new ApiClient(stack.apiUrl);
  await client.registerFresh();
  clip = speak(TEXT, 'wav');
}, 400_000);

afterAll(async () => {
  await stack?.stop();
  await db?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectCompletesOnce(id: string): Promise<void> {
  const done = await client.waitForTerminal(id, 300_000, 250);
  expect(done.status).toBe('completed');
  expect(done.transcription.text.toLowerCase()).toMatch(/export|report/);
  const [t] = await db('transcriptions').where({ submission_id: id }).count<{ count: string }[]>({ count: '*' });
  const [a] = await db('analyses').where({ submission_id: id }).count<{ count: string }[]>({ count: '*' });
  expect({ transcriptions: Number(t?.count), analyses: Number(a?.count) }).toEqual({ transcriptions: 1, analyses: 1 });
}

it('starts every part under supervision and reports them on /ready', async () => {
  expect(stack.parts().map((p) => [p.name, p.state, p.restarts])).toEqual(SUPERVISED_PARTS.map((name) => [name, 'running', 0]));
  const ready = await waitFor('/ready to name every part running', async () => {
    const res = await client.json('GET', '/ready');
    return res.status === 200 && res.body.checks.worker === 'ok' ? res.body : null;
  }, 120_000, 250);
  expect(ready.status).toBe('ready');
  expect(Object.keys(ready.supervisor).sort()).toEqual([...SUPERVISED_PARTS].sort());
});

describe.each(SUPERVISED_PARTS.map((name) => [name]))('after kill -9 of %s', (name) => {
  it('comes back by itself, is counted, and a new submission completes exactly once', async () => {
    const before = stack.part(name);
    expect(before.state).toBe('running');
    process.kill(before.pid as number, 'SIGKILL');
    const back = await stack.waitForPart(name, 'running again', (p) => p.state === 'running' && p.restarts === before.restarts + 1);
    expect(back.pid).not.toBe(before.pid);
    expect(back.lastExit).toBe('signal SIGKILL');

    const check = CHECK_OF[name] as string;
    await waitFor(`/ready to be 200 with ${check} ok`, async () => {
      const res = await client.json('GET', '/ready');
      return res.status === 200 && res.body.checks[check] === 'ok';
    }, 120_000, 250);
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
    expect(metrics).toContain(`voyce_supervisor_restarts{part="${name}"} 1`);

    await expectCompletesOnce(await uploadHonouringRetryAfter(client, clip, { filename: 'export.wav' }));
    // Every part is running: no restart cascaded into a crash loop.
    expect(stack.parts().every((p) => p.state === 'running')).toBe(true);
  });
});
