jest.setTimeout(300_000);

import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApi as startApiProcess } from '../../scripts/stack/apps';
import { findFreePort } from '../../scripts/stack/ports';
import { ApiClient } from '../support/apiClient';
import { startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';
import { waitFor } from '../support/waitFor';

/** Editing, deleting, listening to and searching submissions, through the HTTP API on the real stack. */
let api: RunningApi;

beforeAll(async () => {
  api = await startApiWithWorker();
}, 180_000);

afterAll(async () => {
  await api?.close();
});

/** Reads an SSE stream until it ends, returning the `status` events in order. */
async function readEvents(url: string): Promise<{ status: string }[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text(); // the server closes the stream after a terminal status
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: status'))
    .map((block) => JSON.parse(block.split('\ndata: ')[1] ?? '{}') as { status: string });
}

it('streams every stage of a submission as Server-Sent Events until it completes', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const res = await c.upload(speak('The settings page forgets my language choice.', 'mp3'), { filename: 's.mp3' });
  const id = res.body.submission.id as string;
  const events = await readEvents(`${api.url}/api/submissions/${id}/events?access_token=${c.token}`);
  const statuses = events.map((e) => e.status);
  expect(statuses.at(-1)).toBe('completed');
  // The first event is the status at connection time; after it, the stages arrive in pipeline order.
  const order = ['pending', 'validating', 'stored', 'transcribing', 'analyzing', 'completed'];
  const indexes = statuses.map((s) => order.indexOf(s));
  expect(indexes.every((v, i) => i === 0 || v > (indexes[i - 1] ?? -1))).toBe(true);
  expect(statuses).toContain('analyzing');
});

it('streams to a client of another API process (replicas share events through PostgreSQL)', async () => {
  const port = await findFreePort();
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-api-b-'));
  const replica = await startApiProcess(port, { env: { ...process.env, LOG_LEVEL: 'warn' }, logDir, quiet: true });
  try {
    const c = new ApiClient(api.url); // uploads through replica A
    await c.registerFresh();
    const res = await c.upload(speak('Two replicas, one stream of events.', 'ogg'), { filename: 'r.ogg' });
    const events = await readEvents(`http://127.0.0.1:${port}/api/submissions/${res.body.submission.id}/events?access_token=${c.token}`);
    expect(events.map((e) => e.status).at(-1)).toBe('completed');
    expect(events.length).toBeGreaterThanOrEqual(2);
  } finally {
    await replica.stop();
  }
});

it('refuses the event stream without a token and for another user', async () => {
  const owner = new ApiClient(api.url);
  await owner.registerFresh();
  const res = await owner.upload(speak('A private note.', 'wav'), { filename: 'p.wav' });
  const id = res.body.submission.id as string;
  expect((await fetch(`${api.url}/api/submissions/${id}/events`)).status).toBe(401);
  const other = new ApiClient(api.url);
  await other.registerFresh();
  expect((await fetch(`${api.url}/api/submissions/${id}/events?access_token=${other.token}`)).status).toBe(404);
  await owner.waitForTerminal(id);
});

it('edits title, description and category, and validates the fields', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const res = await c.upload(speak('Search results are in the wrong order.', 'ogg'), { filename: 'o.ogg' });
  const id = res.body.submission.id as string;
  const patched = await c.json('PATCH', `/api/submissions/${id}`, { title: 'Search order', category: 'search' });
  expect(patched.status).toBe(200);
  expect(patched.body.submission).toMatchObject({ title: 'Search order', category: 'search' });
  expect((await c.json('PATCH', `/api/submissions/${id}`, {})).status).toBe(422);
  expect((await c.json('PATCH', `/api/submissions/${id}`, { status: 'completed' })).status).toBe(422);
  expect((await c.json('PATCH', `/api/submissions/${randomUUID()}`, { title: 'x' })).status).toBe(404);
  await c.waitForTerminal(id);
});

it('redirects to a short-lived signed URL of the stored audio', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const audio = speak('The audio player skips the last second.', 'flac');
  const res = await c.upload(audio, { filename: 'a.flac' });
  const id = res.body.submission.id as string;
  await c.waitForTerminal(id);
  const redirect = await fetch(`${api.url}/api/submissions/${id}/audio`, { headers: { authorization: `Bearer ${c.token}` }, redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get('location') ?? '';
  expect(location).toMatch(/sig=/);
  expect(location).toMatch(/sp=r(&|$)/); // read-only
  const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
  expect(bytes.equals(audio)).toBe(true);
});

it('deletes a running submission: cancels its pipeline, removes its audio, keeps the audit trail', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const long = Array.from({ length: 5 }, () => 'The export keeps failing for large reports and I need it fixed.').join(' ');
  const res = await c.upload(speak(long, 'webm'), { filename: 'd.webm' });
  const id = res.body.submission.id as string;
  await waitFor('transcribing', async () => (await c.json('GET', `/api/submissions/${id}`)).body.submission.status === 'transcribing', 60_000, 50);
  const before = await api.deps.crossOrg.submissions.findById(id);
  expect(before?.audioBlob).toBeTruthy();

  const del = await c.json('DELETE', `/api/submissions/${id}`);
  expect(del.status).toBe(204);
  expect((await c.json('GET', `/api/submissions/${id}`)).status).toBe(404);
  expect((await c.json('GET', '/api/submissions')).body.items).toEqual([]);
  expect(await api.deps.blob.exists('audio', before?.audioBlob ?? '')).toBe(false);

  const handle = api.deps.temporal.workflow.getHandle(`submission-${id}`);
  await waitFor('the workflow to close', async () => (await handle.describe()).status.name === 'CANCELLED', 60_000, 200);
  const row = await api.deps.db('voice_submissions').where({ id }).first();
  expect(row.deleted_at).not.toBeNull();
  const history = (await api.deps.db('submission_events').where({ submission_id: id }).orderBy('id')).map((e: { status: string }) => e.status);
  expect(history).toContain('deleted');
  expect(await api.deps.crossOrg.results.countFor(id)).toEqual({ transcriptions: 0, analyses: 0 });
});

it('finds submissions by words of their transcript, title or description', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const a = await c.upload(speak('The invoice total is wrong after applying a discount code.', 'wav'), { filename: 'a.wav', fields: { title: 'Billing' } });
  const b = await c.upload(speak('Please add keyboard shortcuts to the editor.', 'wav'), { filename: 'b.wav', fields: { description: 'power users want speed' } });
  await Promise.all([c.waitForTerminal(a.body.submission.id), c.waitForTerminal(b.body.submission.id)]);
  const ids = async (q: string) => (await c.json('GET', `/api/submissions?q=${encodeURIComponent(q)}`)).body.items.map((s: { id: string }) => s.id);
  expect(await ids('discount')).toEqual([a.body.submission.id]); // transcript, stemmed
  expect(await ids('billing')).toEqual([a.body.submission.id]); // title
  expect(await ids('power users')).toEqual([b.body.submission.id]); // description
  expect(await ids('shortcut')).toEqual([b.body.submission.id]);
  expect(await ids('spaceship')).toEqual([]);
});

it('filters by the analysis’ intent and sentiment, and can carry each item’s results', async () => {
  const c = new ApiClient(api.url);
  await c.registerFresh();
  const up = await c.upload(speak('Please add a dark mode to the dashboard.', 'wav'), { filename: 'f.wav' });
  const id = up.body.submission.id as string;
  await c.waitForTerminal(id);
  const detail = (await c.json('GET', `/api/submissions/${id}`)).body.submission;
  const { intent, sentiment } = { intent: detail.analysis.intent.label as string, sentiment: detail.analysis.sentiment.label as string };
  const list = async (query: string) => (await c.json('GET', `/api/submissions?${query}`)).body;

  expect((await list(`intent=${intent}&sentiment=${sentiment}`)).items.map((s: { id: string }) => s.id)).toEqual([id]);
  const otherIntent = intent === 'praise' ? 'bug_report' : 'praise';
  const otherSentiment = sentiment === 'negative' ? 'positive' : 'negative';
  expect((await list(`intent=${otherIntent}`)).items).toEqual([]);
  expect((await list(`sentiment=${otherSentiment}`)).items).toEqual([]);

  const plain = (await list('limit=5')).items[0];
  expect(plain.analysis).toBeUndefined();
  const withResults = (await list('limit=5&include=results')).items[0];
  expect(withResults.analysis).toEqual(detail.analysis);
  expect(withResults.transcription.text).toBe(detail.transcription.text);
  expect(withResults.transcription.words).toEqual([]); // word timings only on the detail

  expect((await c.json('GET', '/api/submissions?intent=rant')).status).toBe(400);
  expect((await c.json('GET', '/api/submissions?include=everything')).status).toBe(400);
});
