jest.setTimeout(120_000);

import { randomUUID } from 'node:crypto';
import { ApiClient } from '../support/apiClient';
import { freshClient, startApi, type RunningApi } from '../support/services';

/**
 * Analytics over seeded rows (the SQL is what is under test; the pipeline that writes such rows is tested
 * elsewhere): the numbers, the role scoping, and the streamed export with hostile transcript text.
 */
let api: RunningApi;
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-04-01T00:00:00Z';
const range = `from=${FROM}&to=${TO}`;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

interface Seed {
  day: string;
  status: string;
  sentiment?: 'positive' | 'neutral' | 'negative';
  score?: number;
  intent?: string;
  keywords?: string[];
  text?: string;
  minutes?: number;
  /** The language the upload named; `transcriptLanguage` the one the transcription found (default en). */
  language?: string;
  transcriptLanguage?: string;
}

async function seed(userId: string, rows: Seed[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const id = randomUUID();
    ids.push(id);
    const created = new Date(`${r.day}T10:00:00Z`);
    await api.deps.db('voice_submissions').insert({
      id, user_id: userId, status: r.status, title: `seed ${r.day}`, language: r.language ?? null, content_type: 'audio/wav', size_bytes: 1000, workflow_id: `submission-${id}`,
      created_at: created, updated_at: created,
      completed_at: r.status === 'completed' ? new Date(created.getTime() + (r.minutes ?? 1) * 60_000) : null,
    });
    if (r.text !== undefined) {
      await api.deps.crossOrg.results.upsertTranscription({ submissionId: id, text: r.text, language: r.transcriptLanguage ?? 'en', confidence: 0.9, words: [], model: 'm', modelVersion: 'v', jobRunId: null, computeMs: 10 });
    }
    if (r.sentiment) {
      await api.deps.crossOrg.results.upsertAnalysis({
        submissionId: id, sentiment: { label: r.sentiment, score: r.score ?? 0, confidence: 0.8 },
        intent: r.intent ? { label: r.intent, confidence: 0.7 } : null, keywords: r.keywords ?? [], modelVersion: 'test-1', jobRunId: null, computeMs: 1,
      });
    }
  }
  return ids;
}

let alice: ApiClient;
let bob: ApiClient;
let analyst: ApiClient;
let aliceId: string;

beforeAll(async () => {
  alice = new ApiClient(api.url);
  bob = new ApiClient(api.url);
  aliceId = (await alice.registerFresh()).id;
  const bobId = (await bob.registerFresh()).id;
  analyst = await freshClient(api, 'analyst');
  await seed(aliceId, [
    { day: '2026-03-02', status: 'completed', sentiment: 'positive', score: 0.8, intent: 'praise', keywords: ['Search', 'speed'], text: 'Fast search, love it', minutes: 1 },
    { day: '2026-03-02', status: 'completed', sentiment: 'negative', score: -0.6, intent: 'bug_report', keywords: ['search', 'crash'], text: 'He said "it crashes", then, well,\nit crashed', minutes: 3 },
    { day: '2026-03-10', status: 'failed' },
    { day: '2026-03-11', status: 'rejected' },
  ]);
  await seed(bobId, [{ day: '2026-03-03', status: 'completed', sentiment: 'neutral', score: 0, intent: 'question', keywords: ['billing'], text: 'How do I pay?', minutes: 2 }]);
});

it('answers a user dashboard from their own submissions only', async () => {
  const res = await alice.json('GET', `/api/analytics/dashboard?${range}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    total: 4,
    countsByStatus: { completed: 2, failed: 1, rejected: 1 },
    submissionsPerDay: [{ day: '2026-03-02', count: 2 }, { day: '2026-03-10', count: 1 }, { day: '2026-03-11', count: 1 }],
    topIntents: [{ intent: 'bug_report', count: 1 }, { intent: 'praise', count: 1 }],
    topKeywords: [{ keyword: 'search', count: 2 }, { keyword: 'crash', count: 1 }, { keyword: 'speed', count: 1 }],
    medianProcessingMs: 120_000,
  });
  expect(res.body.averageSentiment).toBeCloseTo(0.1);
  expect(res.body.processingSuccessRate).toBeCloseTo(2 / 3);
});

it('gives analysts everyone, and one user on request', async () => {
  const all = await analyst.json('GET', `/api/analytics/dashboard?${range}`);
  expect(all.body.total).toBeGreaterThanOrEqual(5);
  const one = await analyst.json('GET', `/api/analytics/dashboard?${range}&userId=${aliceId}`);
  expect(one.body.total).toBe(4);
  // A user's userId parameter cannot widen their scope.
  const sneaky = await bob.json('GET', `/api/analytics/dashboard?${range}&userId=${aliceId}`);
  expect(sneaky.body.total).toBe(1);
});

it('buckets sentiment by day, week and month', async () => {
  const daily = await alice.json('GET', `/api/analytics/sentiment-trends?interval=day&${range}`);
  expect(daily.body).toEqual([{ bucket: '2026-03-02', positive: 1, neutral: 0, negative: 1, averageScore: expect.closeTo(0.1, 5) }]);
  const monthly = await analyst.json('GET', `/api/analytics/sentiment-trends?interval=month&${range}&userId=${aliceId}`);
  expect(monthly.body).toHaveLength(1);
  expect(monthly.body[0].bucket).toBe('2026-03-01');
  expect((await alice.json('GET', `/api/analytics/sentiment-trends?interval=hour&${range}`)).status).toBe(400);
});

it('shares intents and refuses per-user statistics to users', async () => {
  const res = await alice.json('GET', `/api/analytics/intents?${range}`);
  expect(res.body).toEqual([{ intent: 'bug_report', count: 1, share: 0.5 }, { intent: 'praise', count: 1, share: 0.5 }]);
  expect((await alice.json('GET', `/api/analytics/users?${range}`)).status).toBe(403);
  const users = await analyst.json('GET', `/api/analytics/users?${range}`);
  expect(users.body.find((u: { userId: string }) => u.userId === aliceId)).toMatchObject({ submissions: 4, completed: 2 });
  expect((await bob.json('GET', `/api/analytics/users/${aliceId}/stats?${range}`)).status).toBe(404);
  expect((await alice.json('GET', `/api/analytics/users/${aliceId}/stats?${range}`)).body).toMatchObject({ submissions: 4 });
});

it('rejects a reversed range with 400 naming the field', async () => {
  const res = await alice.json('GET', `/api/analytics/dashboard?from=${TO}&to=${FROM}`);
  expect(res.status).toBe(400);
  expect(res.body.error.details[0].field).toBe('from');
});

it('exports CSV with quotes, commas and newlines escaped, and JSON, streamed', async () => {
  const csv = await fetch(`${api.url}/api/analytics/export?format=csv&${range}`, { headers: { authorization: `Bearer ${alice.token}` } });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toContain('text/csv');
  expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="voyce-export-.*\.csv"/);
  const text = await csv.text();
  expect(text.split('\n')[0]).toBe(
    'id,user_id,status,title,description,category,language,detected_language,duration_ms,created_at,completed_at,transcript,transcript_confidence,asr_model,sentiment,sentiment_score,intent,keywords,importance_score,model_version',
  );
  expect(text).toContain('"He said ""it crashes"", then, well,\nit crashed"');
  const json = await fetch(`${api.url}/api/analytics/export?format=json&status=completed&${range}`, { headers: { authorization: `Bearer ${alice.token}` } });
  const rows = (await json.json()) as { status: string; transcript: string; keywords: string[] }[];
  expect(rows).toHaveLength(2);
  expect(rows.every((r) => r.status === 'completed')).toBe(true);
  expect(rows.map((r) => r.transcript)).toContain('Fast search, love it');
});

it('counts by language and narrows dashboard, trends, intents and export to one language', async () => {
  const c = new ApiClient(api.url);
  const me = await c.registerFresh();
  await seed(me.id, [
    { day: '2026-03-04', status: 'completed', sentiment: 'negative', score: -0.7, intent: 'bug_report', keywords: ['absturz'], text: 'Die App stürzt ab', transcriptLanguage: 'de' },
    { day: '2026-03-05', status: 'completed', sentiment: 'positive', score: 0.6, intent: 'praise', keywords: ['suche'], text: 'Die Suche ist super', transcriptLanguage: 'de' },
    { day: '2026-03-05', status: 'completed', sentiment: 'neutral', score: 0, intent: 'question', keywords: ['factura'], text: '¿Dónde está la factura?', language: 'es-ES', transcriptLanguage: 'es' },
    { day: '2026-03-06', status: 'completed', sentiment: 'positive', score: 0.5, intent: 'praise', keywords: ['search'], text: 'Great search' },
    { day: '2026-03-07', status: 'pending', language: 'es' },
    { day: '2026-03-07', status: 'pending' },
  ]);
  const all = await c.json('GET', `/api/analytics/dashboard?${range}`);
  expect(all.body.total).toBe(6);
  // Given on upload (region dropped) counts before the detected language; not yet known is null.
  expect(all.body.countsByLanguage).toEqual([{ language: 'de', count: 2 }, { language: 'es', count: 2 }, { language: 'en', count: 1 }, { language: null, count: 1 }]);

  const de = await c.json('GET', `/api/analytics/dashboard?${range}&language=de`);
  expect(de.status).toBe(200);
  expect(de.body).toMatchObject({ total: 2, countsByLanguage: [{ language: 'de', count: 2 }], topKeywords: [{ keyword: 'absturz', count: 1 }, { keyword: 'suche', count: 1 }] });
  expect(de.body.averageSentiment).toBeCloseTo(-0.05);
  expect((await c.json('GET', `/api/analytics/dashboard?${range}&language=es`)).body.total).toBe(2);
  expect((await c.json('GET', `/api/analytics/intents?${range}&language=de`)).body).toEqual([{ intent: 'bug_report', count: 1, share: 0.5 }, { intent: 'praise', count: 1, share: 0.5 }]);
  expect((await c.json('GET', `/api/analytics/sentiment-trends?interval=month&${range}&language=es`)).body).toEqual([{ bucket: '2026-03-01', positive: 0, neutral: 1, negative: 0, averageScore: 0 }]);

  const json = await fetch(`${api.url}/api/analytics/export?format=json&${range}&language=es`, { headers: { authorization: `Bearer ${c.token}` } });
  const rows = (await json.json()) as { language: string | null; detected_language: string | null; transcript: string | null }[];
  expect(rows.map((r) => [r.language, r.detected_language, r.transcript])).toEqual([['es-ES', 'es', '¿Dónde está la factura?'], ['es', null, null]]);

  const bad = await c.json('GET', `/api/analytics/dashboard?${range}&language=german`);
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('language');
});

it('serves repeated questions from the cache and drops it when a submission of that scope completes', async () => {
  const c = new ApiClient(api.url);
  const me = await c.registerFresh();
  const q = `/api/analytics/dashboard?${range}`;
  const first = await fetch(`${api.url}${q}`, { headers: { authorization: `Bearer ${c.token}` } });
  expect(first.headers.get('x-cache')).toBe('miss');
  expect(((await first.json()) as { total: number }).total).toBe(0);
  const second = await fetch(`${api.url}${q}`, { headers: { authorization: `Bearer ${c.token}` } });
  expect(second.headers.get('x-cache')).toBe('hit');

  const [id] = await seed(me.id, [{ day: '2026-03-05', status: 'analyzing', sentiment: 'positive', score: 0.5 }]);
  await api.deps.crossOrg.submissions.markStatus(id!, 'completed'); // what the pipeline does; NOTIFY reaches every replica
  const after = await (async () => {
    for (let i = 0; i < 50; i++) {
      const r = await fetch(`${api.url}${q}`, { headers: { authorization: `Bearer ${c.token}` } });
      const body = (await r.json()) as { total: number };
      if (body.total === 1) return { cache: r.headers.get('x-cache'), total: body.total };
      await new Promise((r2) => setTimeout(r2, 100));
    }
    return null;
  })();
  expect(after).toEqual({ cache: 'miss', total: 1 });
});
