jest.setTimeout(120_000);

import { ApiClient } from '../support/apiClient';
import { freshClient, startApi, type RunningApi } from '../support/services';
import { synth } from '../support/speech';

/** `PUT /api/submissions/:id/labels` on the real API and PostgreSQL (API.md "Corrections and organisation models"). */
let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

async function person(): Promise<{ c: ApiClient; id: string; email: string; username: string }> {
  const c = new ApiClient(api.url);
  const user = await c.registerFresh();
  return { c, ...user };
}

async function join(owner: ApiClient, orgId: string, guest: { c: ApiClient; email: string }, role: string): Promise<void> {
  const inv = await owner.json('POST', `/api/orgs/${orgId}/invitations`, { email: guest.email, role });
  expect((await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token })).status).toBe(200);
}

/** A submission of `who` in `orgId`; with `analysed`, its results written as the worker writes them. */
async function submissionIn(who: ApiClient, orgId: string, { analysed = true, language = 'en' } = {}): Promise<string> {
  const up = await who.upload(synth('sine=frequency=330', 1.2), { filename: 'x.wav', fields: { orgId, title: 'correction probe', language } });
  expect(up.status).toBe(202);
  const id = up.body.submission.id as string;
  if (!analysed) return id;
  const db = api.deps.db; // the owner's connection, as a worker writes
  await db('analyses').insert({
    submission_id: id, sentiment: 'negative', sentiment_score: -0.5, sentiment_confidence: 0.8, model_version: 'test-v1', intent: 'bug_report', intent_confidence: 0.7,
    emotions: JSON.stringify([{ label: 'frustration', score: 0.6 }]),
  });
  await db('voice_submissions').where({ id }).update({ status: 'completed', completed_at: db.fn.now() });
  return id;
}

async function team() {
  const owner = await person();
  const member = await person();
  const analyst = await person();
  const orgId = (await owner.c.json('POST', '/api/orgs', { name: `Labels ${Math.random().toString(36).slice(2, 8)}` })).body.org.id as string;
  await join(owner.c, orgId, member, 'member');
  await join(owner.c, orgId, analyst, 'analyst');
  return { owner, member, analyst, orgId };
}

it("the submission's owner corrects it; the analysis stays as the model wrote it; GET shows both", async () => {
  const { member, orgId } = await team();
  const id = await submissionIn(member.c, orgId);
  const before = await api.deps.db('analyses').where({ submission_id: id }).first();

  const put = await member.c.json('PUT', `/api/submissions/${id}/labels`, { sentiment: 'positive', emotions: ['joy', 'gratitude'] });
  expect(put.status).toBe(200);
  expect(put.body).toEqual({
    labels: { sentiment: 'positive', intent: null, emotions: ['joy', 'gratitude'], labelledBy: { id: member.id, username: member.username }, labelledAt: expect.any(String) },
  });
  expect(Math.abs(Date.parse(put.body.labels.labelledAt) - Date.now())).toBeLessThan(60_000);
  expect(await api.deps.db('analyses').where({ submission_id: id }).first()).toEqual(before);

  const got = await member.c.json('GET', `/api/submissions/${id}`);
  expect(got.body.submission.labels).toEqual(put.body.labels);
  expect(got.body.submission.analysis).toMatchObject({ sentiment: { label: 'negative' }, intent: { label: 'bug_report' }, emotions: [{ label: 'frustration', score: 0.6 }] });

  // An omitted field keeps its correction, a given one replaces it, null clears it.
  const next = await member.c.json('PUT', `/api/submissions/${id}/labels`, { intent: 'praise', emotions: null });
  expect(next.status).toBe(200);
  expect(next.body.labels).toMatchObject({ sentiment: 'positive', intent: 'praise', emotions: null });
  // Nothing left corrected: the correction is gone.
  const cleared = await member.c.json('PUT', `/api/submissions/${id}/labels`, { sentiment: null, intent: null });
  expect(cleared.status).toBe(200);
  expect(cleared.body).toEqual({ labels: null });
  expect((await member.c.json('GET', `/api/submissions/${id}`)).body.submission.labels).toBeNull();
  expect(await api.deps.db('submission_labels').where({ submission_id: id }).count('* as n').first()).toEqual({ n: 0 });
  expect(await api.deps.db('analyses').where({ submission_id: id }).first()).toEqual(before);
});

it("an analyst or owner of the organisation corrects anyone's; a member nobody else's; another organisation nothing", async () => {
  const { owner, member, analyst, orgId } = await team();
  const membersId = await submissionIn(member.c, orgId);
  const ownersId = await submissionIn(owner.c, orgId);

  const byAnalyst = await analyst.c.json('PUT', `/api/submissions/${membersId}/labels`, { intent: 'feature_request' });
  expect(byAnalyst.status).toBe(200);
  expect(byAnalyst.body.labels).toMatchObject({ intent: 'feature_request', labelledBy: { id: analyst.id, username: analyst.username } });
  const byOwner = await owner.c.json('PUT', `/api/submissions/${membersId}/labels`, { sentiment: 'neutral' });
  expect(byOwner.status).toBe(200);
  // The last person to change it is named; the analyst's intent is kept.
  expect(byOwner.body.labels).toMatchObject({ sentiment: 'neutral', intent: 'feature_request', labelledBy: { id: owner.id } });

  // The member cannot see the owner's submission: 404, as for anything not visible.
  const byMember = await member.c.json('PUT', `/api/submissions/${ownersId}/labels`, { sentiment: 'positive' });
  expect(byMember.status).toBe(404);
  const outsider = await person();
  expect((await outsider.c.json('PUT', `/api/submissions/${membersId}/labels`, { sentiment: 'positive' })).status).toBe(404);
  expect((await outsider.c.json('PUT', `/api/submissions/${crypto.randomUUID()}/labels`, { sentiment: 'positive' })).status).toBe(404);
  expect((await outsider.c.json('PUT', '/api/submissions/not-a-uuid/labels', { sentiment: 'positive' })).status).toBe(404);
  // Platform analysts see every submission but correct none: visible, not allowed, 403.
  const staff = await freshClient(api, 'analyst');
  const denied = await staff.json('PUT', `/api/submissions/${membersId}/labels`, { sentiment: 'positive' });
  expect(denied.status).toBe(403);
  expect(denied.body.error.code).toBe('forbidden');
  expect((await api.deps.db('submission_labels').where({ submission_id: ownersId }).count('* as n').first())).toEqual({ n: 0 });
  expect((await member.c.json('GET', `/api/submissions/${membersId}`)).body.submission.labels).toMatchObject({ sentiment: 'neutral', intent: 'feature_request' });
  expect((await api.deps.db('submission_labels').where({ submission_id: membersId }).first()).org_id).toBe(orgId);
});

it('bad bodies are 400 with a message naming the problem; an unanalysed submission is 409 analysis_pending', async () => {
  const { member, orgId } = await team();
  const id = await submissionIn(member.c, orgId);
  const bad: [unknown, RegExp][] = [
    [{}, /at least one of sentiment, intent, emotions/],
    [{ sentiment: 'ecstatic' }, /sentiment/],
    [{ intent: 'rant' }, /intent/],
    [{ emotions: ['joy', 'boredom'] }, /emotions\.1/],
    [{ emotions: [] }, /at least one emotion/],
    [{ emotions: ['joy', 'joy'] }, /each emotion once/],
    [{ emotions: 'joy' }, /emotions/],
    [{ sentiment: 'positive', importance: 1 }, /unknown field "importance"/],
    [[], /expected object/],
  ];
  for (const [body, message] of bad) {
    const res = await member.c.json('PUT', `/api/submissions/${id}/labels`, body);
    expect([body, res.status, res.body.error.code]).toEqual([body, 400, 'invalid_request']);
    expect([body, res.body.error.message]).toEqual([body, expect.stringMatching(message)]);
  }
  expect(await api.deps.db('submission_labels').where({ submission_id: id }).count('* as n').first()).toEqual({ n: 0 });

  const pending = await submissionIn(member.c, orgId, { analysed: false });
  const res = await member.c.json('PUT', `/api/submissions/${pending}/labels`, { sentiment: 'positive' });
  expect(res.status).toBe(409);
  expect(res.body.error.code).toBe('analysis_pending');
});

it('list pages carry each submission\'s labels (null when uncorrected)', async () => {
  const { member, analyst, orgId } = await team();
  const corrected = await submissionIn(member.c, orgId);
  const plain = await submissionIn(member.c, orgId);
  await analyst.c.json('PUT', `/api/submissions/${corrected}/labels`, { emotions: ['anger'] });
  for (const query of [`orgId=${orgId}`, `orgId=${orgId}&include=results`]) {
    const page = await analyst.c.json('GET', `/api/submissions?${query}`);
    expect(page.status).toBe(200);
    const byId = new Map(page.body.items.map((s: { id: string; labels: unknown }) => [s.id, s.labels]));
    expect([query, byId.get(corrected)]).toEqual([query, expect.objectContaining({ emotions: ['anger'], sentiment: null, labelledBy: { id: analyst.id, username: analyst.username } })]);
    expect([query, byId.get(plain)]).toEqual([query, null]);
  }
});

it('a list page reads its labels in one query, however many items it has', async () => {
  const { member, orgId } = await team();
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await submissionIn(member.c, orgId));
  for (const id of ids) await member.c.json('PUT', `/api/submissions/${id}/labels`, { intent: 'question' });
  const labelQueries: string[] = [];
  const watch = (q: { sql: string }) => {
    if (q.sql.includes('submission_labels')) labelQueries.push(q.sql);
  };
  api.deps.appDb.on('query', watch);
  try {
    const page = await member.c.json('GET', `/api/submissions?orgId=${orgId}&limit=10`);
    expect(page.body.items).toHaveLength(4);
    expect(page.body.items.map((s: { labels: { intent: string } }) => s.labels.intent)).toEqual(['question', 'question', 'question', 'question']);
  } finally {
    api.deps.appDb.removeListener('query', watch);
  }
  expect(labelQueries).toHaveLength(1);
});

it('the dashboard counts corrected against model-only analyses, within the same scope, organisation and language', async () => {
  const { owner, member, analyst, orgId } = await team();
  const a = await submissionIn(member.c, orgId);
  const b = await submissionIn(owner.c, orgId, { language: 'de' });
  await submissionIn(owner.c, orgId);
  await submissionIn(owner.c, orgId, { analysed: false }); // no analysis: nothing to correct, not counted
  expect((await analyst.c.json('PUT', `/api/submissions/${a}/labels`, { sentiment: 'positive', emotions: ['joy'] })).status).toBe(200);
  expect((await analyst.c.json('PUT', `/api/submissions/${b}/labels`, { sentiment: 'neutral', intent: 'question' })).status).toBe(200);

  const corrections = async (c: ApiClient, query: string) => {
    const res = await c.json('GET', `/api/analytics/dashboard?orgId=${orgId}${query}`);
    expect(res.status).toBe(200);
    return res.body.corrections;
  };
  expect(await corrections(analyst.c, '')).toEqual({ corrected: 2, total: 3, byField: { sentiment: 2, intent: 1, emotions: 1 } });
  expect(await corrections(analyst.c, '&language=de')).toEqual({ corrected: 1, total: 1, byField: { sentiment: 1, intent: 1, emotions: 0 } });
  // A member's analytics cover their own submissions only.
  expect(await corrections(member.c, '')).toEqual({ corrected: 1, total: 1, byField: { sentiment: 1, intent: 0, emotions: 1 } });
  // Fresh at once, not after the analytics cache expires.
  expect((await analyst.c.json('PUT', `/api/submissions/${a}/labels`, { sentiment: null, emotions: null })).body).toEqual({ labels: null });
  expect(await corrections(analyst.c, '')).toEqual({ corrected: 1, total: 3, byField: { sentiment: 1, intent: 1, emotions: 0 } });
  const outsider = await person();
  expect((await outsider.c.json('GET', `/api/analytics/dashboard?orgId=${orgId}`)).status).toBe(404);
});
