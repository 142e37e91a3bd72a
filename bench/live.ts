/**
 * `npm run bench:live`: spoken clips streamed in real time (100 ms pcm_s16le frames) through `/api/live` of the
 * real API and live worker, one session at a time and then 2 at once. Prints partial latency p50/p90 (how far
 * the words shown trail the audio sent: arrival time minus the end of the last word, both from the first frame),
 * first-words latency (first frame → first non-empty words), live WER (the joined finals against the script),
 * stop→submission, and the machine's load average. Starts and stops its own stack (no Temporal worker: the
 * pipeline after the submission is bench:e2e's).
 */
import os from 'node:os';
import { startInfrastructure } from '../scripts/stack';
import { ApiClient } from '../test/support/apiClient';
import { chunk, LiveClient, pcmOfWav, type LiveMessage } from '../test/support/liveClient';
import { startApi, type RunningApi } from '../test/support/services';
import { speak } from '../test/support/speech';
import { wordErrorRate } from '../test/support/wer';

const ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 4);
const SCRIPTS = [
  'I tried to export last month report to a spreadsheet, but the download never starts and the page just keeps spinning.',
  'The new dashboard is much faster than before, and I really like the dark theme. Thank you for that.',
  'When I search for an order number nothing comes back, even though the order is in my account.',
  'Please add a way to share a report with my team by e-mail, it would save me a lot of time every week.',
];
const FRAME_BYTES = 3200; // 100 ms of 16 kHz mono s16le

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = (s.length - 1) * q;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (k - lo);
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Sample {
  partialLagMs: number[];
  firstWordsMs: number;
  wer: number;
  stopToSubmissionMs: number;
}

/**
 * A session that is ready. The worker holds a slot until it has decoded all of a stopped session's audio, even
 * after the API stopped waiting for its finals (1.8 s), so on a loaded machine a full worker is retried (up to 60 s).
 */
async function ready(api: RunningApi, token: string): Promise<LiveClient> {
  for (let attempt = 1; ; attempt++) {
    const live = new LiveClient(api.url, token);
    await live.opened;
    live.sendJson({ type: 'start', encoding: 'pcm_s16le', sampleRate: 16000, language: 'en' });
    try {
      await live.waitFor('ready');
      return live;
    } catch (err) {
      const error = live.messages.find((m) => m.type === 'error')?.error as { code: string; message: string } | undefined;
      if (error?.code !== 'live_capacity_reached' || attempt >= 30) throw new Error(`no session: ${error ? `${error.code}: ${error.message}` : String(err)}`);
      console.log(`  (worker full, retrying: ${error.message})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function session(api: RunningApi, token: string, text: string, pcm: Buffer): Promise<Sample> {
  const live = await ready(api, token);
  const t0 = Date.now();
  await live.stream(chunk(pcm, FRAME_BYTES), 100);
  const stopAt = Date.now();
  live.sendJson({ type: 'stop' });
  const submission = await live.waitFor('submission', 20_000);
  const result = await live.closed;
  const worded = result.messages.filter((m): m is LiveMessage & { words: { end: number }[] } => (m.type === 'partial' || m.type === 'final') && Array.isArray(m.words) && m.words.length > 0);
  const during = worded.filter((m) => m.at <= stopAt);
  return {
    partialLagMs: during.map((m) => m.at - t0 - (m.words.at(-1)?.end ?? 0) * 1000),
    firstWordsMs: (worded[0]?.at ?? NaN) - t0,
    wer: wordErrorRate(text, result.finals),
    stopToSubmissionMs: submission.at - stopAt,
  };
}

function summarise(label: string, samples: Sample[]) {
  const lag = samples.flatMap((s) => s.partialLagMs);
  const first = samples.map((s) => s.firstWordsMs).filter(Number.isFinite);
  const stop = samples.map((s) => s.stopToSubmissionMs);
  const wer = samples.reduce((a, s) => a + s.wer, 0) / samples.length;
  console.log(`\n${label} (${samples.length} sessions, ${lag.length} word updates while streaming)`);
  console.log(`  partial latency     p50 ${fmt(pct(lag, 0.5))}   p90 ${fmt(pct(lag, 0.9))}`);
  console.log(`  first words         p50 ${fmt(pct(first, 0.5))}   p90 ${fmt(pct(first, 0.9))}   (${samples.length - first.length} sessions had no words at all)`);
  console.log(`  live WER (finals)   mean ${(wer * 100).toFixed(1)} %`);
  console.log(`  stop→submission     p50 ${fmt(pct(stop, 0.5))}   max ${fmt(Math.max(...stop))}`);
}

async function main() {
  const stack = await startInfrastructure({ mode: 'test' });
  Object.assign(process.env, stack.env);
  const api = await startApi();
  try {
    const clips = SCRIPTS.map((t) => ({ text: t, pcm: pcmOfWav(speak(t, 'wav')) }));
    const users = [new ApiClient(api.url), new ApiClient(api.url)];
    for (const u of users) await u.registerFresh();
    console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    const one: Sample[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const c = clips[i % clips.length]!;
      one.push(await session(api, users[0]!.token, c.text, c.pcm));
    }
    summarise('1 session at a time', one);
    const two: Sample[] = [];
    for (let i = 0; i < ROUNDS / 2; i++) {
      const pair = [clips[(2 * i) % clips.length]!, clips[(2 * i + 1) % clips.length]!];
      two.push(...(await Promise.all(pair.map((c, k) => session(api, users[k]!.token, c.text, c.pcm)))));
    }
    summarise('2 sessions at once', two);
    console.log(`\nload average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await api.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
