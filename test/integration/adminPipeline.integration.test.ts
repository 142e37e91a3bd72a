jest.setTimeout(300_000);

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../scripts/stack/paths';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { freshClient, startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

const execFileAsync = promisify(execFile);

/**
 * Operations: a fault fails submissions; once it is fixed, an admin replays them (one, then in bulk) and they
 * complete with exactly one result each; the pipeline endpoint counts from Temporal's visibility.
 */
let api: RunningApi;
let admin: ApiClient;
let user: ApiClient;

beforeAll(async () => {
  api = await startApi();
  [admin, user] = await Promise.all([freshClient(api, 'admin'), freshClient(api)]);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

/** Submissions processed by a worker whose Databricks token was revoked (a bad deploy): they end `failed`. */
async function failedSubmissions(n: number): Promise<string[]> {
  const broken: ManagedProcess = await startWorker({ DATABRICKS_TOKEN: 'revoked-token' }, 'worker-broken');
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await user.upload(speak(`The upload button is grey number ${i + 1}.`, 'mp3'), { filename: 'f.mp3' });
      ids.push(res.body.submission.id);
    }
    for (const id of ids) {
      const done = await user.waitForTerminal(id);
      expect(done.status).toBe('failed');
      expect(done.progress.error.code).toBe('pipeline_failed');
      expect(done.progress.error.message).toContain('UNAUTHENTICATED');
      // …and Temporal records the run as failed (it closes a moment after the row is written).
      await waitFor('the run to close as failed', async () => (await api.deps.temporal.workflow.getHandle(`submission-${id}`).describe()).status.name === 'FAILED', 10_000, 100);
    }
    return ids;
  } finally {
    await broken.stop();
  }
}

it('replays a failed submission after the fault is fixed', async () => {
  const [id] = await failedSubmissions(1);
  const pipeline = await admin.json('GET', '/api/admin/pipeline');
  expect(pipeline.status).toBe(200);
  expect(pipeline.body.workflows.failed).toBeGreaterThanOrEqual(1);
  expect(Array.isArray(pipeline.body.recentBatchRuns)).toBe(true);

  expect((await user.json('POST', `/api/admin/submissions/${id}/replay`)).status).toBe(403);
  const worker = await startWorker({}, 'worker-fixed');
  try {
    const replay = await admin.json('POST', `/api/admin/submissions/${id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ submissionId: id, runId: expect.any(String) });
    const done = await user.waitForTerminal(id!);
    expect(done.status).toBe('completed');
    expect(done.progress.error).toBeUndefined();
    expect(await api.deps.crossOrg.results.countFor(id!)).toEqual({ transcriptions: 1, analyses: 1 });
    const audit = await api.deps.db('audit_log').where({ action: 'submission.replayed' }).whereRaw(`detail->>'submissionId' = ?`, [id!]);
    expect(audit).toHaveLength(1);

    // Completed ones can be replayed too (e.g. after a model change); results are overwritten, not doubled.
    const again = await admin.json('POST', `/api/admin/submissions/${id}/replay`);
    expect(again.status).toBe(202);
    expect((await user.waitForTerminal(id!)).status).toBe('completed');
    expect(await api.deps.crossOrg.results.countFor(id!)).toEqual({ transcriptions: 1, analyses: 1 });
  } finally {
    await worker.stop();
  }
});

it('replays every failed submission in bulk and refuses what cannot be replayed', async () => {
  const ids = await failedSubmissions(2);
  const worker = await startWorker({}, 'worker-fixed-bulk');
  try {
    const bulk = await admin.json('POST', '/api/admin/submissions/replay', { status: 'failed' });
    expect(bulk.status).toBe(202);
    expect(bulk.body.started).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect((await user.waitForTerminal(id)).status).toBe('completed');
    const notFinished = await admin.json('POST', `/api/admin/submissions/00000000-0000-4000-8000-000000000000/replay`);
    expect(notFinished.status).toBe(404);
    expect((await admin.json('POST', '/api/admin/submissions/replay', { status: 'pending' })).status).toBe(422);
  } finally {
    await worker.stop();
  }
});

it('offers the same status and replay from the ops CLI', async () => {
  const [id] = await failedSubmissions(1);
  const cli = (...args: string[]) =>
    execFileAsync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api', 'src', 'cli', 'main.ts'), ...args], { env: process.env, cwd: REPO_ROOT });
  const status = await cli('status', id!);
  expect(status.stdout).toContain(`submission ${id}  status failed`);
  expect(status.stdout).toContain(`workflow submission-${id}`);
  expect(status.stdout).toMatch(/FAILED/);

  const bad = await cli('replay', '--since', 'yesterday').catch((e: { code: number; stderr: string }) => e);
  expect(bad).toMatchObject({ code: 2 });
  expect((bad as { stderr: string }).stderr).toContain('--since takes a duration');

  const worker = await startWorker({}, 'worker-cli');
  try {
    const replay = await cli('replay', '--status', 'failed', '--since', '1h');
    expect(replay.stdout).toMatch(/replaying \d+ failed submission/);
    expect((await user.waitForTerminal(id!)).status).toBe('completed');
    const audit = await api.deps.db('audit_log').where({ action: 'submission.replayed' }).whereRaw("detail->>'submissionId' = ?", [id!]).first();
    expect(audit).toMatchObject({ actor_id: null, detail: expect.objectContaining({ via: 'cli' }) });
  } finally {
    await worker.stop();
  }
});
