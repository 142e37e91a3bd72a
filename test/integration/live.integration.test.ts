jest.setTimeout(300_000);
import { chunk, LiveClient, pcmOfWav } from '../support/liveClient';
import { freshClient, startApi, startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';

// "report" is a word Whisper hears reliably in a clear espeak clip (see the pipeline tests).
const SENTENCE = 'I want to report a problem with the checkout page. The payment button does nothing when I press it.';
const FRAME_BYTES = 3200; // 100 ms of 16 kHz mono s16le

async function metricsText(api: RunningApi): Promise<string> {
  return (await fetch(`${api.url}/metrics`)).text();
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('GET /api/live', () => {
  let api: RunningApi;
  const pcm = pcmOfWav(speak(SENTENCE, 'wav'));

  beforeAll(async () => {
    api = await startApiWithWorker();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('streams words before stop, then makes one ordinary submission that completes', async () => {
    const user = await freshClient(api);
    const live = new LiveClient(api.url, user.token);
    await live.opened;
    live.sendJson({ type: 'start', encoding: 'pcm_s16le', sampleRate: 16000, title: 'Live one' });
    await live.waitFor('ready');
    expect(metricValue(await metricsText(api), 'voyce_live_sessions_open')).toBeGreaterThanOrEqual(1);
    await live.stream(chunk(pcm, FRAME_BYTES), 100);
    const stopAt = Date.now();
    const wordsBeforeStop = live.messages.filter((m) => (m.type === 'partial' || m.type === 'final') && m.text);
    expect(wordsBeforeStop.length).toBeGreaterThan(0);
    live.sendJson({ type: 'stop' });
    const submission = await live.waitFor('submission', 10_000);
    const result = await live.closed;
    expect(result.closeCode).toBe(1000);
    expect(result.finals.toLowerCase()).toMatch(/report|problem|checkout|payment/);
    expect(submission.submission.status).toBe('pending');
    expect(submission.submission.context.live).toBe(true);
    expect(submission.at - stopAt).toBeLessThan(10_000);
    const done = await user.waitForTerminal(submission.submission.id);
    expect(done.status).toBe('completed');
    const metrics = await metricsText(api);
    expect(metrics).toMatch(/voyce_live_sessions_ended_total\{reason="submitted"\} [1-9]/);
    expect(metrics).toMatch(/voyce_live_lag_seconds_count [1-9]/);
  });

  it('closes the session past the per-user cap with 4429 and a clear error; other users are unaffected', async () => {
    const user = await freshClient(api);
    const cap = api.deps.config.LIVE_MAX_SESSIONS_PER_USER;
    const open: LiveClient[] = [];
    for (let i = 0; i < cap; i++) {
      const s = new LiveClient(api.url, user.token);
      await s.opened;
      open.push(s);
    }
    const extra = new LiveClient(api.url, user.token);
    const refused = await extra.closed;
    expect(refused.closeCode).toBe(4429);
    expect(refused.messages[0]).toMatchObject({ type: 'error', error: { code: 'too_many_live_sessions' } });

    const other = await freshClient(api);
    const theirs = new LiveClient(api.url, other.token);
    await theirs.opened;
    theirs.sendJson({ type: 'start', encoding: 'pcm_s16le', sampleRate: 16000 });
    await theirs.waitFor('ready');
    theirs.sendJson({ type: 'cancel' });
    expect((await theirs.closed).closeCode).toBe(1000);

    for (const s of open) s.ws.close();
    await Promise.all(open.map((s) => s.closed));
    // A closed session frees its place.
    const again = new LiveClient(api.url, user.token);
    await again.opened;
    again.sendJson({ type: 'start', encoding: 'pcm_s16le', sampleRate: 16000 });
    await again.waitFor('ready');
    again.ws.close();
    await again.closed;
    expect(await metricsText(api)).toMatch(/voyce_live_sessions_ended_total\{reason="user_cap"\} [1-9]/);
  });

  it('refuses a missing token at the upgrade and bad first messages with 4400', async () => {
    await expect(new LiveClient(api.url, null).opened).rejects.toThrow(/401/);
    const user = await freshClient(api);
    const live = new LiveClient(api.url, user.token);
    await live.opened;
    live.sendJson({ type: 'start', encoding: 'mp3', sampleRate: 16000 });
    const result = await live.closed;
    expect(result.closeCode).toBe(4400);
    expect(result.messages[0]).toMatchObject({ type: 'error', error: { code: 'bad_message' } });
  });

  it('is served by two API processes at once, each relaying its own session', async () => {
    const second = await startApi();
    try {
      const [a, b] = await Promise.all([freshClient(api), freshClient(second)]);
      const sessions = [new LiveClient(api.url, a.token), new LiveClient(second.url, b.token)];
      await Promise.all(sessions.map((s) => s.opened));
      for (const s of sessions) s.sendJson({ type: 'start', encoding: 'pcm_s16le', sampleRate: 16000 });
      await Promise.all(sessions.map((s) => s.waitFor('ready')));
      await Promise.all(sessions.map((s) => s.stream(chunk(pcm, FRAME_BYTES), 100)));
      for (const s of sessions) s.sendJson({ type: 'stop' });
      const results = await Promise.all(sessions.map((s) => s.closed));
      for (const r of results) {
        expect(r.closeCode).toBe(1000);
        // Two sessions share the worker's CPU: the words heard so far (settled or not) carry the tolerant word.
        const heard = r.messages.filter((m) => m.type === 'partial' || m.type === 'final').map((m) => m.text).join(' ');
        expect(heard.toLowerCase()).toMatch(/report|problem|checkout|payment|button/);
        expect(r.messages.some((m) => m.type === 'submission')).toBe(true);
      }
      expect(metricValue(await metricsText(second), 'voyce_live_sessions_open')).toBe(0);
    } finally {
      await second.close();
    }
  });
});
