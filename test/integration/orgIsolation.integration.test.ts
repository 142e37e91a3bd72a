jest.setTimeout(120_000);

import { APP_ROLE, createDb, ORG_DATA_TABLES, ORG_LEARNING_TABLES, withOrgScope, type Db } from '@voyce/core';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';
import { synth } from '../support/speech';

/**
 * Isolation between organisations, route by route and in the database itself (row-level security, migration
 * 015): another organisation's submission is 404 everywhere, and the API's role sees nothing without a scope.
 */
let api: RunningApi;
let appRole: Db;

beforeAll(async () => {
  api = await startApi();
  appRole = createDb(process.env.DATABASE_URL as string, 2, 'disable', APP_ROLE);
});
afterAll(async () => {
  await appRole?.destroy();
  await api?.close();
});

async function person(): Promise<{ c: ApiClient; id: string; email: string }> {
  const c = new ApiClient(api.url);
  const user = await c.registerFresh();
  return { c, id: user.id, email: user.email };
}

async function join(owner: ApiClient, orgId: string, guest: { c: ApiClient; email: string }, role: string): Promise<void> {
  const inv = await owner.json('POST', `/api/orgs/${orgId}/invitations`, { email: guest.email, role });
  expect((await guest.c.json('POST', '/api/orgs/invitations/accept', { token: inv.body.token })).status).toBe(200);
}

/** A submission of `who` in `orgId`, with a transcription and an analysis written as the worker would. */
async function submissionIn(who: ApiClient, orgId: string): Promise<string> {
  const up = await who.upload(synth('sine=frequency=330', 1.2), { filename: 'x.wav', fields: { orgId, title: 'isolation probe' } });
  expect(up.status).toBe(202);
  const id = up.body.submission.id as string;
  const db = api.deps.db; // the owner, as a worker writes
  await db('transcriptions').insert({ submission_id: id, text: 'the quick isolation probe', language: 'en', confidence: 0.9, words: '[]', model: 'm', model_version: 'v' });
  await db('analyses').insert({ submission_id: id, sentiment: 'negative', sentiment_score: -0.5, sentiment_confidence: 0.8, model_version: 'v', intent: 'bug_report' });
  await db('voice_submissions').where({ id }).update({ status: 'completed', completed_at: db.fn.now() });
  return id;
}

const SUBMISSION_ROUTES = (id: string): [string, string, unknown?][] => [
  ['GET', `/api/submissions/${id}`],
  ['GET', `/api/submissions/${id}/transcription`],
  ['GET', `/api/submissions/${id}/audio`],
  ['GET', `/api/submissions/${id}/screenshot`],
  ['GET', `/api/submissions/${id}/events`],
  ['PATCH', `/api/submissions/${id}`, { title: 'taken over' }],
  ['PUT', `/api/submissions/${id}/labels`, { sentiment: 'positive' }],
  ['DELETE', `/api/submissions/${id}`],
];

it("a member of another organisation gets 404 on every route of a submission, and never finds it in lists, search, analytics or export", async () => {
  const a = await person();
  const b = await person();
  const orgA = (await a.c.json('POST', '/api/orgs', { name: 'A' })).body.org.id;
  const orgB = (await b.c.json('POST', '/api/orgs', { name: 'B' })).body.org.id;
  const id = await submissionIn(a.c, orgA);
  await submissionIn(b.c, orgB);

  for (const [method, path, body] of SUBMISSION_ROUTES(id)) {
    const res = await b.c.json(method, path, body);
    expect([method, path, res.status]).toEqual([method, path, 404]);
  }
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((s) => s.id);
  expect(ids(await b.c.json('GET', '/api/submissions'))).not.toContain(id);
  expect(ids(await b.c.json('GET', '/api/submissions?q=isolation'))).not.toContain(id);
  expect(ids(await a.c.json('GET', '/api/submissions?q=isolation'))).toContain(id);
  const dashB = await b.c.json('GET', '/api/analytics/dashboard');
  expect(dashB.status).toBe(200);
  expect(JSON.stringify(dashB.body)).not.toContain(id);
  const exportB = await fetch(`${api.url}/api/analytics/export?format=json`, { headers: { authorization: `Bearer ${b.c.token}` } });
  expect(await exportB.text()).not.toContain(id);
  const exportA = await fetch(`${api.url}/api/analytics/export?format=json`, { headers: { authorization: `Bearer ${a.c.token}` } });
  expect(await exportA.text()).toContain(id);
  // Still there for its owner after all those attempts.
  expect((await a.c.json('GET', `/api/submissions/${id}`)).body.submission).toMatchObject({ id, title: 'isolation probe', status: 'completed' });
});

it('inside an organisation a member sees only their own submissions, an analyst all of them', async () => {
  const owner = await person();
  const member = await person();
  const analyst = await person();
  const orgId = (await owner.c.json('POST', '/api/orgs', { name: 'Shared' })).body.org.id;
  await join(owner.c, orgId, member, 'member');
  await join(owner.c, orgId, analyst, 'analyst');
  const ownersId = await submissionIn(owner.c, orgId);
  const membersId = await submissionIn(member.c, orgId);
  expect((await member.c.json('GET', `/api/submissions/${ownersId}`)).status).toBe(404);
  expect((await member.c.json('GET', `/api/submissions/${membersId}`)).status).toBe(200);
  expect((await analyst.c.json('GET', `/api/submissions/${ownersId}`)).status).toBe(200);
  expect((await analyst.c.json('GET', `/api/submissions/${membersId}`)).status).toBe(200);
  const listed = async (c: ApiClient) => {
    const res = await c.json('GET', `/api/submissions?orgId=${orgId}`);
    return res.status === 200 ? (res.body.items.map((i: { id: string }) => i.id) as string[]).sort() : res.status;
  };
  expect(await listed(member.c)).toEqual([membersId]);
  expect(await listed(analyst.c)).toEqual([ownersId, membersId].sort());
  const outsider = await person();
  expect(await listed(outsider.c)).toBe(404);
  const exported = async (c: ApiClient) => {
    const res = await fetch(`${api.url}/api/analytics/export?format=json&orgId=${orgId}`, { headers: { authorization: `Bearer ${c.token}` } });
    return res.status === 200 ? ((await res.json()) as { id: string }[]).map((r) => r.id).sort() : res.status;
  };
  expect(await exported(member.c)).toEqual([membersId]);
  expect(await exported(analyst.c)).toEqual([ownersId, membersId].sort());
  expect(await exported(outsider.c)).toBe(404);
  expect((await outsider.c.json('GET', `/api/analytics/dashboard?orgId=${orgId}`)).status).toBe(404);
  expect((await analyst.c.json('GET', `/api/analytics/dashboard?orgId=${orgId}`)).status).toBe(200);
  // An analyst of the organisation reads but does not change someone else's submission.
  expect((await analyst.c.json('PATCH', `/api/submissions/${membersId}`, { title: 'x' })).status).toBe(403);

  // Removed from the organisation, the member loses even their own submission there, token unchanged.
  expect((await owner.c.json('DELETE', `/api/orgs/${orgId}/members/${member.id}`)).status).toBe(204);
  expect((await member.c.json('GET', `/api/submissions/${membersId}`)).status).toBe(404);
  expect((await analyst.c.json('GET', `/api/submissions/${membersId}`)).status).toBe(200);
});

it("the API's role sees zero rows and can write none without a scope; with one it sees exactly that organisation's", async () => {
  const a = await person();
  const b = await person();
  const orgA = (await a.c.json('POST', '/api/orgs', { name: 'Raw A' })).body.org.id;
  const orgB = (await b.c.json('POST', '/api/orgs', { name: 'Raw B' })).body.org.id;
  const idA = await submissionIn(a.c, orgA);
  const idB = await submissionIn(b.c, orgB);
  await api.deps.db('submission_events').insert({ submission_id: idA, status: 'completed' });
  // A correction (org_id from the submission by trigger) and an organisation model, so every table has rows.
  await api.deps.db('submission_labels').insert({ submission_id: idA, sentiment: 'positive', labelled_by: a.id });
  await api.deps.db('org_models').insert({ org_id: orgA, status: 'queued' });

  for (const table of [...ORG_DATA_TABLES, ...ORG_LEARNING_TABLES]) {
    expect(await api.deps.db(table).count('* as n').first()).not.toEqual({ n: 0 }); // the owner sees rows
    expect([table, await appRole(table).count('* as n').first()]).toEqual([table, { n: 0 }]);
  }
  expect((await appRole.raw('SELECT current_user AS u')).rows[0].u).toBe(APP_ROLE);
  await expect(appRole('voice_submissions').where({ id: idA }).update({ title: 'x' })).resolves.toBe(0);
  await expect(
    appRole('voice_submissions').insert({ id: crypto.randomUUID(), user_id: a.id, org_id: orgA, workflow_id: 'submission-x' }),
  ).rejects.toThrow(/row-level security/);
  await expect(appRole.raw('ALTER TABLE voice_submissions DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/owner/);

  const seen = await withOrgScope(appRole, { all: false, orgIds: [orgA] }, async (trx) => ({
    submissions: (await trx('voice_submissions').whereIn('id', [idA, idB]).pluck('id')) as string[],
    analyses: (await trx('analyses').whereIn('submission_id', [idA, idB]).pluck('submission_id')) as string[],
    labels: (await trx('submission_labels').whereIn('submission_id', [idA, idB]).pluck('submission_id')) as string[],
  }));
  expect(seen).toEqual({ submissions: [idA], analyses: [idA], labels: [idA] });
  // Nor can the API's role write a correction of another organisation's submission inside a scope.
  await expect(
    withOrgScope(appRole, { all: false, orgIds: [orgA] }, (trx) => trx('submission_labels').insert({ submission_id: idB, intent: 'praise' })),
  ).rejects.toThrow(/row-level security/);
  // The scope was transaction-local: the same pool, outside the transaction, is back to nothing.
  expect(await appRole('voice_submissions').whereIn('id', [idA, idB]).count('* as n').first()).toEqual({ n: 0 });
});
