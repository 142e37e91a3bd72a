jest.setTimeout(300_000);
import type { ApiClient } from '../support/apiClient';
import { chunk, LiveClient, pcmOfWav } from '../support/liveClient';
import { freshClient, startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';

// Every way a live session can go wrong ends in a clear `error`, the contract's close code and nothing kept;
// MediaRecorder's WebM/Opus works like PCM. One API with short limits: 2 s without audio, 4 s of recording.
const SENTENCE = 'I want to report a problem with the checkout page. The payment button does nothing when I press it.';
const FRAME_BYTES = 3200; // 100 ms of 16 kHz mono s16le

describe('GET /api/live: bad input, drops and WebM', () => {
  let api: RunningApi;
  const wav = speak(SENTENCE, 'wav');
  const pcm = pcmOfWav(wav);

  beforeAll(async () => {
    api = await startApiWithWorker({}, { LIVE_IDLE_SECONDS: '2', AUDIO_MAX_MS: '4000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function started(user: ApiClient, encoding = 'pcm_s16le'): Promise<LiveClient> {
    const live = new LiveClient(api.url, user.token);
    await live.opened;
    live.sendJson({ type: 'start', encoding, ...(encoding === 'pcm_s16le' ? { sampleRate: 16000 } : {}) });
    await live.waitFor('ready');
    return live;
  }

  /** Nothing of the session was kept: no submission in the owner's list, now or a moment later. */
  async function expectNothingKept(user: ApiClient): Promise<void> {
    for (const wait of [0, 1500]) {
      await new Promise((r) => setTimeout(r, wait));
      const list = await user.json('GET', '/api/submissions');
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
    }
  }

  it('refuses audio in another encoding than start named (a WAV file sent as pcm_s16le) with 4400 wrong_encoding', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    live.ws.send(wav.subarray(0, FRAME_BYTES)); // "RIFF....WAVE": a file, not raw samples
    const result = await live.closed;
    expect(result.closeCode).toBe(4400);
    expect(result.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'wrong_encoding' } });
    await expectNothingKept(user);
  });

  it('refuses text where audio belongs with 4400 bad_message', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    live.ws.send(pcm.subarray(0, FRAME_BYTES));
    live.ws.send('here are some words instead of audio');
    const result = await live.closed;
    expect(result.closeCode).toBe(4400);
    expect(result.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'bad_message', message: expect.stringMatching(/binary frames/) } });
    await expectNothingKept(user);
  });

  it('makes nothing of a socket dropped mid-sentence, and counts it', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    await live.stream(chunk(pcm.subarray(0, FRAME_BYTES * 15), FRAME_BYTES), 100);
    live.ws.terminate(); // no close frame: the network went
    await live.closed;
    await expectNothingKept(user);
    expect(await (await fetch(`${api.url}/metrics`)).text()).toMatch(/voyce_live_sessions_ended_total\{reason="dropped"\} [1-9]/);
  });

  it('keeps nothing on cancel', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    await live.stream(chunk(pcm.subarray(0, FRAME_BYTES * 10), FRAME_BYTES), 100);
    live.sendJson({ type: 'cancel' });
    expect((await live.closed).closeCode).toBe(1000);
    await expectNothingKept(user);
  });

  it('closes a session that sends no audio for LIVE_IDLE_SECONDS with live_timeout', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    live.ws.send(pcm.subarray(0, FRAME_BYTES));
    const result = await live.closed;
    expect(result.closeCode).toBe(4400);
    expect(result.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'live_timeout', message: expect.stringMatching(/No audio for 2 s/) } });
    await expectNothingKept(user);
  });

  it('closes a recording past the length limit with 4413 recording_too_long, keeping nothing', async () => {
    const user = await freshClient(api);
    const live = await started(user);
    expect(pcm.length).toBeGreaterThan(FRAME_BYTES * 45); // the sentence lasts longer than the 4 s limit
    await live.stream(chunk(pcm, FRAME_BYTES), 20); // 5× real time: the limit counts audio, not wall time
    const result = await live.closed;
    expect(result.closeCode).toBe(4413);
    expect(result.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'recording_too_long' } });
    await expectNothingKept(user);
  });

  it('takes WebM/Opus in the pieces MediaRecorder sends, and its recording completes as a WebM submission', async () => {
    const short = 'Please fix the checkout page.'; // under the 4 s limit of this API
    const webm = speak(short, 'webm');
    const user = await freshClient(api);
    const live = await started(user, 'webm_opus');
    // MediaRecorder with a timeslice sends the header first, then a cluster's worth of bytes about every 100 ms.
    await live.stream(chunk(webm, 1500), 100);
    await new Promise((r) => setTimeout(r, 1000));
    live.sendJson({ type: 'stop' });
    const submitted = await live.waitFor('submission', 10_000);
    const result = await live.closed;
    expect(result.closeCode).toBe(1000);
    const heard = result.messages.filter((m) => m.type === 'partial' || m.type === 'final').map((m) => m.text).join(' ');
    expect(heard.toLowerCase()).toMatch(/fix|checkout|page/);
    const done = await user.waitForTerminal(submitted.submission.id);
    expect(done.status).toBe('completed');
    expect(done.contentType).toBe('audio/webm');
    expect(done.context.live).toBe(true);
    expect(done.durationMs).toBeGreaterThan(1000);
  });
});
