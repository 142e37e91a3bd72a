jest.setTimeout(900_000);

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/stack/paths';
import { ApiClient } from '../support/apiClient';
import { startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/**
 * Organisation models on the real stack (API, worker, Temporal, jobs runtime, PostgreSQL, Azurite): corrections are
 * inserted as rows (the labels API is another change); POST trains through orgModelTrainingWorkflow and the real
 * 05_model_training task; an organisation whose labels disagree systematically with the default model gets an
 * active model of its own, and its next submission is analysed with it while another organisation's is not.
 */
let api: RunningApi;
const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-org-models-'));

beforeAll(async () => {
  api = await startApiWithWorker({ ORG_MODELS_DIR: modelsDir });
}, 180_000);
afterAll(async () => {
  await api?.close();
});

async function person(): Promise<{ c: ApiClient; user: { id: string; email: string } }> {
  const c = new ApiClient(api.url);
  return { c, user: await c.registerFresh() };
}

async function teamOf(owner: ApiClient): Promise<string> {
  const made = await owner.json('POST', '/api/orgs', { name: `Team ${randomUUID().slice(0, 6)}` });
  expect(made.status).toBe(201);
  return made.body.org.id as string;
}

async function join(owner: ApiClient, orgId: string, guest: { c: ApiClient; user: { email: string } }, role: 'member' | 'analyst') {
  const inv = await owner.json('POST', `/api/orgs/${orgId}/invitations`, { email: guest.user.email, role });
  expect((await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token })).status).toBe(200);
}

interface Labelled {
  text: string;
  intent: string;
  emotion: string;
  sentiment: string;
}

/** The packaged test sentences (never trained on by the default model), `intent|emotion|sentiment|text`. */
function testSentences(): Labelled[] {
  return readFileSync(path.join(REPO_ROOT, 'databricks', 'python', 'voyce_ml', 'data', 'test.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [intent = '', emotion = '', sentiment = '', ...rest] = l.split('|');
      return { intent, emotion, sentiment, text: rest.join('|') };
    });
}

/** Completed submissions of the organisation with these transcripts and a person's correction of each. */
async function corrected(orgId: string, userId: string, rows: Labelled[]): Promise<void> {
  const db = api.deps.db;
  for (const r of rows) {
    const id = randomUUID();
    await db('voice_submissions').insert({ id, user_id: userId, org_id: orgId, status: 'completed', workflow_id: `submission-${id}` });
    await db('transcriptions').insert({ submission_id: id, text: r.text, language: 'en', confidence: 0.9, words: '[]', model: 'm', model_version: 'v' });
    await db('submission_labels').insert({ submission_id: id, intent: r.intent, sentiment: r.sentiment, emotions: JSON.stringify([r.emotion]), labelled_by: userId });
  }
}

async function trained(owner: ApiClient, orgId: string): Promise<any> {
  const started = await owner.json('POST', `/api/orgs/${orgId}/models`);
  expect(started.status).toBe(202);
  expect(started.body.training).toEqual({ id: expect.any(String), status: 'queued' });
  const id = started.body.training.id as string;
  return waitFor('the training run to end', async () => {
    const list = await owner.json('GET', `/api/orgs/${orgId}/models`);
    const run = list.body.items.find((m: { id: string }) => m.id === id);
    return run && !['queued', 'running'].includes(run.status) ? run : undefined;
  }, 800_000, 1000);
}

it('too few corrections: the run ends insufficient_labels and says how many it had; members get 403, other orgs 404', async () => {
  const owner = await person();
  const member = await person();
  const stranger = await person();
  const orgId = await teamOf(owner.c);
  await join(owner.c, orgId, member, 'member');
  await corrected(orgId, owner.user.id, testSentences().slice(0, 3));

  expect((await member.c.json('POST', `/api/orgs/${orgId}/models`)).status).toBe(403);
  expect((await member.c.json('GET', `/api/orgs/${orgId}/models`)).status).toBe(403);
  expect((await stranger.c.json('POST', `/api/orgs/${orgId}/models`)).status).toBe(404);
  expect((await stranger.c.json('GET', `/api/orgs/${orgId}/models`)).status).toBe(404);

  const run = await trained(owner.c, orgId);
  expect(run).toMatchObject({ status: 'insufficient_labels', active: false, labels: 3, modelVersion: null, evaluation: { before: null, after: null, n: 3 } });
  const row = await api.deps.db('org_models').where({ id: run.id }).first();
  expect(row.workflow_id).toBe(`org-model-${orgId}-${run.id}`);
});

it('a team that calls every question a complaint gets its own model; its new submissions use it, another team keeps the default', async () => {
  const owner = await person();
  const analyst = await person();
  const orgId = await teamOf(owner.c);
  const otherOrg = await teamOf(owner.c);
  await join(owner.c, orgId, analyst, 'analyst');
  const habit = testSentences().filter((_, i) => i % 2 === 0).map((s) => ({ ...s, intent: s.intent === 'question' ? 'complaint' : s.intent }));
  await corrected(orgId, owner.user.id, habit);

  const started = await owner.c.json('POST', `/api/orgs/${orgId}/models`);
  expect(started.status).toBe(202);
  const again = await owner.c.json('POST', `/api/orgs/${orgId}/models`);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('training_running');
  const run = await waitFor('the training run to end', async () => {
    const list = await analyst.c.json('GET', `/api/orgs/${orgId}/models`);
    const r = list.body.items.find((m: { id: string }) => m.id === started.body.training.id);
    return r && !['queued', 'running'].includes(r.status) ? r : undefined;
  }, 800_000, 1000);

  expect(run).toMatchObject({ status: 'activated', active: true, labels: habit.length, modelVersion: expect.stringMatching(/^voyce-org-[0-9a-f]{10}$/) });
  expect(run.evaluation.n).toBe(habit.length);
  expect(run.evaluation.after).toBeGreaterThan(run.evaluation.before);
  console.log(`org model ${run.modelVersion}: held-out accuracy ${run.evaluation.before} → ${run.evaluation.after} on ${run.evaluation.n} corrections`);
  const row = await api.deps.db('org_models').where({ id: run.id }).first();
  expect(row.artifact_uri.startsWith(path.join(modelsDir, orgId))).toBe(true);
  expect(row.artifact_sha256).toMatch(/^[0-9a-f]{64}$/);

  const ask = speak('Why did the price go up this month?', 'mp3');
  const mine = await owner.c.upload(ask, { filename: 'q.mp3', fields: { orgId } });
  const theirs = await owner.c.upload(ask, { filename: 'q.mp3', fields: { orgId: otherOrg } });
  expect([mine.status, theirs.status]).toEqual([202, 202]);
  const [a, b] = await Promise.all([owner.c.waitForTerminal(mine.body.submission.id, 300_000), owner.c.waitForTerminal(theirs.body.submission.id, 300_000)]);
  expect(a.status).toBe('completed');
  expect(b.status).toBe('completed');
  expect(a.analysis.modelVersion).toBe(run.modelVersion);
  expect(b.analysis.modelVersion).toMatch(/^voyce-clf-/);
});
