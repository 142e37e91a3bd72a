jest.setTimeout(300_000);

import { ApiClient } from '../support/apiClient';
import { startApiWithWorker, type RunningApi } from '../support/services';
import { FORMATS, speak } from '../support/speech';
import { findFreePort } from '../../scripts/stack/ports';
import { waitFor } from '../support/waitFor';
import { wordErrorRate } from '../support/wer';

/**
 * Speech through the whole real stack: HTTP upload → Azurite staging → Temporal workflow → jobs runtime
 * (faster-whisper, VADER) → PostgreSQL, read back over HTTP.
 */
let api: RunningApi;
const client = () => new ApiClient(api.url);

let metricsPort: number;

beforeAll(async () => {
  metricsPort = await findFreePort();
  api = await startApiWithWorker({ WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` });
}, 180_000);

afterAll(async () => {
  await api?.close();
});

const SENTENCES: Record<(typeof FORMATS)[number], string> = {
  wav: 'The checkout page crashes every time I press the pay button.',
  mp3: 'Please add a dark mode to the settings page.',
  ogg: 'I love the new search feature, it is fast and helpful.',
  webm: 'The export to spreadsheet option is missing from the report page.',
  m4a: 'Loading the dashboard takes more than ten seconds on my phone.',
  flac: 'Thank you for fixing the login problem so quickly.',
};

describe('a spoken submission in each accepted format', () => {
  const errorRates: Record<string, number> = {};

  afterAll(() => {
    const mean = Object.values(errorRates).reduce((a, b) => a + b, 0) / Math.max(1, Object.keys(errorRates).length);
    console.log(`word error rate per format: ${JSON.stringify(errorRates)}; mean ${(mean * 100).toFixed(1)} %`);
  });

  it.each(FORMATS)('%s goes to completed with a transcript of what was said', async (format) => {
    const c = client();
    const user = await c.registerFresh();
    const text = SENTENCES[format];
    const res = await c.upload(speak(text, format), { filename: `feedback.${format}`, fields: { title: `spoken ${format}`, category: 'bug' } });
    expect(res.status).toBe(202);
    expect(res.body.submission).toMatchObject({ status: 'pending', userId: user.id, title: `spoken ${format}`, category: 'bug' });
    expect(res.headers.get('location')).toBe(`/api/submissions/${res.body.submission.id}`);

    const done = await c.waitForTerminal(res.body.submission.id);
    expect(done.status).toBe('completed');
    expect(done.durationMs).toBeGreaterThan(1500);
    expect(done.transcription.language).toBe('en');
    const wer = wordErrorRate(text, done.transcription.text);
    errorRates[format] = Number(wer.toFixed(3));
    // One clip may lose a rare word to tiny.en; the mean over all formats is held tighter below.
    if (wer > 0.45) throw new Error(`word error rate ${wer.toFixed(2)}: said "${text}", heard "${done.transcription.text}"`);
    expect(done.analysis.sentiment.label).toMatch(/^(positive|neutral|negative)$/);
    expect(done.analysis.modelVersion).toMatch(/^voyce-clf-/);
    // every field of the full analysis (03_sentiment_analysis) is stored and served
    expect(done.analysis.intent.label).toMatch(/^(bug_report|feature_request|complaint|praise|question|other)$/);
    expect(done.analysis.emotions.length).toBeGreaterThan(0);
    expect(done.analysis.keywords.length).toBeGreaterThan(0);
    expect(Array.isArray(done.analysis.actionItems)).toBe(true);
    expect(Number(done.analysis.importanceScore)).toBeGreaterThanOrEqual(0);

    // Operators can find it in Temporal by owner and status (custom search attributes).
    const found = await waitFor('visibility to index the run', async () => {
      const ids: string[] = [];
      for await (const w of api.deps.temporal.workflow.list({ query: `VoyceUserId = '${user.id}' AND VoyceStatus = 'completed'` })) ids.push(w.workflowId);
      return ids.length > 0 ? ids : null;
    }, 10_000, 200);
    expect(found).toEqual([`submission-${done.id}`]);

    const t = await c.json('GET', `/api/submissions/${done.id}/transcription`);
    expect(t.status).toBe(200);
    expect(t.body.words.length).toBeGreaterThan(3);
    for (const w of t.body.words) expect(w.end).toBeGreaterThanOrEqual(w.start);
  });

  it('keeps the mean word error rate over the six formats at or under 20 %', () => {
    const rates = Object.values(errorRates);
    expect(rates).toHaveLength(FORMATS.length);
    expect(rates.reduce((a, b) => a + b, 0) / rates.length).toBeLessThanOrEqual(0.2);
  });
});

describe('sentiment of clearly worded feedback', () => {
  it.each([
    ['positive', 'I really love this app, it is wonderful and works great.'],
    ['negative', 'This is terrible, the app is broken and I hate the awful update.'],
  ])('labels a clearly %s clip %s', async (label, text) => {
    const c = client();
    await c.registerFresh();
    const res = await c.upload(speak(text, 'wav'), { filename: 'f.wav' });
    const done = await c.waitForTerminal(res.body.submission.id);
    expect(done.status).toBe('completed');
    expect(done.analysis.sentiment.label).toBe(label);
    if (label === 'positive') expect(done.analysis.sentiment.score).toBeGreaterThan(0.3);
    else expect(done.analysis.sentiment.score).toBeLessThan(-0.3);
  });
});

describe('exactly one result per submission, and the idempotency key', () => {
  it('answers a retried upload with the same key with the first submission', async () => {
    const c = client();
    await c.registerFresh();
    const audio = speak('The notifications arrive twice on my tablet.', 'mp3');
    const first = await c.upload(audio, { filename: 'a.mp3', idempotencyKey: 'retry-123' });
    const second = await c.upload(audio, { filename: 'a.mp3', idempotencyKey: 'retry-123' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.submission.id).toBe(first.body.submission.id);
    const list = await c.json('GET', '/api/submissions');
    expect(list.body.items).toHaveLength(1);
    const done = await c.waitForTerminal(first.body.submission.id);
    expect(done.status).toBe('completed');
    expect(await api.deps.crossOrg.results.countFor(done.id)).toEqual({ transcriptions: 1, analyses: 1 });
  });

  it('keeps another user out: their submission is 404', async () => {
    const owner = client();
    await owner.registerFresh();
    const res = await owner.upload(speak('Short private note about billing.', 'wav'), { filename: 'p.wav' });
    const stranger = client();
    await stranger.registerFresh();
    const peek = await stranger.json('GET', `/api/submissions/${res.body.submission.id}`);
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe('not_found');
    await owner.waitForTerminal(res.body.submission.id);
  });

  it('pages the list with a cursor, newest first', async () => {
    const c = client();
    await c.registerFresh();
    const clip = speak('One more short note.', 'mp3');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await c.upload(clip, { filename: 'n.mp3' })).body.submission.id);
    const page1 = await c.json('GET', '/api/submissions?limit=2');
    expect(page1.body.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const page2 = await c.json('GET', `/api/submissions?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();
    await Promise.all(ids.map((id) => c.waitForTerminal(id)));
  });
});

describe('worker metrics', () => {
  it('exposes Temporal SDK metrics and pipeline stage counters for Prometheus', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/^temporal_activity_execution_latency/m);
    expect(text).toMatch(/^voyce_submission_stage_total\{.*stage="completed".*\} \d+/m);
    // Stage durations by activity and outcome, from the worker's activity interceptor.
    expect(text).toMatch(/^voyce_activity_duration_seconds_bucket\{.*activity="transcribe".*outcome="completed".*\} \d+/m);
    // The waterfall's parts: queue wait per activity and each phase of a job run.
    expect(text).toMatch(/^voyce_activity_queue_wait_seconds_bucket\{.*activity="validateAudio".*\} \d+/m);
    for (const phase of ['submit', 'queued', 'execution', 'notice', 'output_fetch']) {
      expect(text).toMatch(new RegExp(`^voyce_job_run_phase_seconds_bucket\\{(?=[^}]*phase="${phase}")(?=[^}]*stage="transcription")[^}]*\\} \\d+`, 'm'));
    }
  });
});
