jest.setTimeout(900_000);

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolvePython, startJobsRuntime, type RunningJobsRuntime } from '../../scripts/stack/jobsRuntime';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { findFreePort } from '../../scripts/stack/ports';
import type { ManagedProcess } from '../../scripts/stack/process';
import { ApiClient } from '../support/apiClient';
import { freshClient, startApi, startWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

const execFileAsync = promisify(execFile);

/**
 * Batch re-inference on the real stack: submissions analysed with the committed model; a new model version
 * is trained (the real 05 training code, on the packaged data plus one new labelled sentence) and a jobs
 * runtime is started on it; an admin triggers the schedule; every old analysis moves to the new version,
 * with the same rows (same ids, same count): nothing lost, nothing doubled.
 */
const SENTENCES = [
  'The checkout page crashes when I press the pay button.',
  'Please add a dark mode to the settings page.',
  'I love the new search, it is fast and helpful.',
];

let api: RunningApi;
let admin: ApiClient;
let user: ApiClient;
let runtime: RunningJobsRuntime | undefined;
let worker: ManagedProcess | undefined;

beforeAll(async () => {
  api = await startApi();
  [admin, user] = await Promise.all([freshClient(api, 'admin'), freshClient(api)]);
}, 120_000);

afterAll(async () => {
  // The schedule outlives the worker on this Temporal server: remove it so later test files never meet a run.
  await api?.deps.temporal.schedule.getHandle('voyce-batch-inference').delete().catch(() => undefined);
  await worker?.stop();
  await runtime?.stop();
  await api?.close();
});

/** Trains a new artifact with the project's training code; the version is a hash of the data, so it is new. */
async function trainNewModel(dir: string): Promise<{ version: string; modelPath: string }> {
  const train = path.join(dir, 'train.txt');
  const packaged = readFileSync(path.join(REPO_ROOT, 'databricks', 'python', 'voyce_ml', 'data', 'train.txt'), 'utf8');
  writeFileSync(train, `${packaged.trimEnd()}\nbug_report|frustration|negative|the batch export freezes every time I open the reports tab\n`);
  const { stdout } = await execFileAsync(resolvePython(), ['-m', 'voyce_ml.training', '--out', path.join(dir, 'models'), '--train', train], {
    cwd: REPO_ROOT,
    env: { ...process.env, VOYCE_EMBED_THREADS: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const m = /saved (\S+model\.json) .*version (clf-[0-9a-f]+)/.exec(stdout);
  if (!m?.[1] || !m[2]) throw new Error(`training printed no saved model:\n${stdout.slice(-2000)}`);
  return { modelPath: m[1], version: m[2] };
}

async function completedSubmissions(): Promise<string[]> {
  const w = await startWorker({ BATCH_INFERENCE_INTERVAL: 'off' }, 'worker-old-model');
  try {
    const ids: string[] = [];
    for (const [i, text] of SENTENCES.entries()) {
      const res = await user.upload(speak(text, 'mp3'), { filename: `b${i}.mp3` });
      expect(res.status).toBe(202);
      ids.push(res.body.submission.id);
    }
    for (const id of ids) expect((await user.waitForTerminal(id, 300_000)).status).toBe('completed');
    return ids;
  } finally {
    await w.stop();
  }
}

type AnalysisRow = { id: string; submission_id: string; model_version: string; created_at: Date };
const analysesOf = (ids: string[]) =>
  api.deps.db<AnalysisRow>('analyses').whereIn('submission_id', ids).orderBy('submission_id').select('id', 'submission_id', 'model_version', 'created_at');

async function waitForBatchRun(after: Set<string>): Promise<any> {
  return waitFor('a batch inference run to complete', async () => {
    const res = await admin.json('GET', '/api/admin/pipeline');
    const run = (res.body?.recentBatchRuns ?? []).find((r: any) => !after.has(r.workflowId));
    return run && run.status === 'COMPLETED' && run.summary?.status === 'completed' ? run : null;
  }, 600_000, 500);
}

it('re-analyses every old row with a newly trained model when the schedule is triggered', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voyce-batch-'));
  const [ids, model] = await Promise.all([completedSubmissions(), trainNewModel(dir)]);
  const newVersion = `voyce-${model.version}`;

  const before = await analysesOf(ids);
  expect(before).toHaveLength(SENTENCES.length);
  const oldVersion = before[0]!.model_version;
  expect(before.every((r) => r.model_version === oldVersion)).toBe(true);
  expect(oldVersion).not.toBe(newVersion);
  const totalBefore = Number((await api.deps.db('analyses').count<{ count: string }[]>({ count: '*' }))[0]!.count);

  // The jobs now run the new model; the worker creates the schedule (batches of 2, one batch per workflow run,
  // so the three rows take two batches and a continue-as-new).
  const token = 'batch-test-token';
  runtime = await startJobsRuntime({ dataDir: path.join(dir, 'runtime'), port: await findFreePort(), token, quiet: true, workers: 1, env: { ...process.env, VOYCE_MODEL_PATH: model.modelPath } });
  worker = await startWorker({ DATABRICKS_HOST: runtime.host, DATABRICKS_TOKEN: token, BATCH_INFERENCE_INTERVAL: '1h', BATCH_INFERENCE_BATCH_SIZE: '2', BATCH_INFERENCE_BATCHES_PER_RUN: '1' }, 'worker-new-model');

  const schedule = await admin.json('GET', '/api/admin/schedules/batch-inference');
  expect(schedule.status).toBe(200);
  expect(schedule.body.schedule).toMatchObject({ scheduleId: 'voyce-batch-inference', paused: false, overlap: 'SKIP', interval: '3600s' });
  expect((await user.json('POST', '/api/admin/schedules/batch-inference/trigger')).status).toBe(403);

  const known = new Set<string>(((await admin.json('GET', '/api/admin/pipeline')).body.recentBatchRuns ?? []).map((r: any) => r.workflowId));
  const trigger = await admin.json('POST', '/api/admin/schedules/batch-inference/trigger');
  expect(trigger.status).toBe(202);
  const run = await waitForBatchRun(known);

  const after = await analysesOf(ids);
  expect(after.map((r) => r.model_version)).toEqual(ids.map(() => newVersion));
  // The same rows, updated in place: same ids, same count, none added anywhere.
  expect(after.map((r) => [r.id, r.submission_id])).toEqual(before.map((r) => [r.id, r.submission_id]));
  expect(Number((await api.deps.db('analyses').count<{ count: string }[]>({ count: '*' }))[0]!.count)).toBe(totalBefore);
  for (const id of ids) expect(await api.deps.crossOrg.results.countFor(id)).toEqual({ transcriptions: 1, analyses: 1 });
  const shown = await user.json('GET', `/api/submissions/${ids[0]}`);
  expect(shown.body.submission.analysis.modelVersion).toBe(newVersion);

  // The summary: from Temporal (status) and from the run table (counts), one entry despite the continue-as-new.
  expect(run.summary).toMatchObject({ targetModelVersion: newVersion, failed: 0, failures: [] });
  expect(run.summary.found).toBeGreaterThanOrEqual(SENTENCES.length);
  expect(run.summary.updated).toBe(run.summary.found);
  expect(run.summary.batches).toBeGreaterThanOrEqual(2);
  expect(run.summary.durationMs).toBeGreaterThan(0);
  const handle = api.deps.temporal.workflow.getHandle(run.workflowId);
  expect(await handle.result()).toMatchObject({ status: 'completed', updated: run.summary.updated, targetModelVersion: newVersion });
  expect((await handle.describe()).memo?.summary).toMatchObject({ updated: run.summary.updated, failed: 0 });
  const audit = await api.deps.db('audit_log').where({ action: 'schedule.triggered' });
  expect(audit.length).toBeGreaterThanOrEqual(1);

  // Run again: nothing is stale any more, so nothing is touched.
  const updatedAt = (await api.deps.db('analyses').whereIn('submission_id', ids).max<{ max: Date }[]>({ max: 'updated_at' }))[0]!.max;
  known.add(run.workflowId);
  expect((await admin.json('POST', '/api/admin/schedules/batch-inference/trigger')).status).toBe(202);
  const second = await waitForBatchRun(known);
  expect(second.summary).toMatchObject({ found: 0, updated: 0, failed: 0 });
  expect((await api.deps.db('analyses').whereIn('submission_id', ids).max<{ max: Date }[]>({ max: 'updated_at' }))[0]!.max).toEqual(updatedAt);
});

it('pauses, describes and unpauses the schedule from the API and the ops CLI, audited', async () => {
  const paused = await admin.json('POST', '/api/admin/schedules/batch-inference/pause', { reason: 'model rollout on hold' });
  expect(paused.status).toBe(200);
  expect(paused.body.schedule).toMatchObject({ paused: true, note: 'model rollout on hold' });

  const cli = (...args: string[]) =>
    execFileAsync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api', 'src', 'cli', 'main.ts'), ...args], { env: process.env, cwd: REPO_ROOT });
  const described = await cli('schedule', 'describe');
  expect(described.stdout).toContain('schedule voyce-batch-inference  PAUSED');
  expect(described.stdout).toMatch(/batch-inference-\S+\s+COMPLETED .*updated \d+ failed 0/);

  const unpaused = await cli('schedule', 'unpause');
  expect(unpaused.stdout).toContain('schedule voyce-batch-inference  active');
  expect((await admin.json('GET', '/api/admin/schedules/batch-inference')).body.schedule.paused).toBe(false);
  const bad = await cli('schedule', 'explode').catch((e: { code: number }) => e);
  expect(bad).toMatchObject({ code: 2 });

  const actions = (await api.deps.db('audit_log').whereIn('action', ['schedule.paused', 'schedule.unpaused']).orderBy('id')).map((r: { action: string; detail: { via: string } }) => [r.action, r.detail.via]);
  expect(actions).toEqual([['schedule.paused', 'api'], ['schedule.unpaused', 'cli']]);
});
