/**
 * `npm run bench:e2e`: 10 s spoken clips through the whole real stack (HTTP → Temporal → jobs runtime →
 * PostgreSQL), one at a time (an English clip, then a German one: language detection and multilingual analysis) and then 4 at once, against the same model code run directly (the raw ceiling).
 * Prints upload→completed p50/p95, model compute per clip (from the job runs), orchestration overhead,
 * throughput, and the ceiling. Starts and stops its own stack (services given by env are reused).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startInfrastructure } from '../scripts/stack';
import { REPO_ROOT } from '../scripts/stack/paths';
import { resolvePython } from '../scripts/stack/jobsRuntime';
import { ApiClient } from '../test/support/apiClient';
import { startApi, startWorker } from '../test/support/services';
import { speak } from '../test/support/speech';
import { findFreePort } from '../scripts/stack/ports';
import { printWaterfall, timelineOf, type Timeline } from './lib/waterfall';
import { describeDelta, snapshot, type WorkerSnapshot } from './lib/workerMetrics';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 8);
const PER_CLIENT = Number(process.env.BENCH_PER_CLIENT ?? 4);
const CONCURRENCY = 4;
const TEXT =
  'I tried to export last month report to a spreadsheet, but the download never starts and the page just keeps spinning. Please fix it soon.';
const GERMAN =
  'Ich wollte den Bericht vom letzten Monat als Tabelle exportieren, aber der Download startet nie und die Seite lädt endlos. Bitte behebt das bald.';

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = (s.length - 1) * q;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] ?? 0) + ((s[hi] ?? 0) - (s[lo] ?? 0)) * (k - lo);
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Sample {
  e2eMs: number;
  computeMs: number;
  timeline: Timeline;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function one(c: ApiClient, clip: Buffer, api: Awaited<ReturnType<typeof startApi>>): Promise<Sample> {
  const t0 = Date.now();
  const res = await c.upload(clip, { filename: 'bench.wav' });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}`);
  const id = res.body.submission.id as string;
  // Completion time comes from the row's completedAt (same clock); the client follows the event stream as the
  // web app does, instead of polling, which on a 2-core machine would steal CPU from the pipeline it measures.
  const sub = await c.waitViaEvents(id, 600_000);
  if (sub.status !== 'completed') throw new Error(`submission ${id} ended ${sub.status}`);
  const completedAt = sub.completedAt as string;
  const e2eMs = new Date(completedAt).getTime() - t0;
  const t = await api.deps.crossOrg.results.findTranscription(id);
  const a = await api.deps.crossOrg.results.findAnalysis(id);
  const events = await api.deps.crossOrg.submissions.history(id);
  const timeline = timelineOf(t0, events, t?.computeMs ?? 0, a?.computeMs ?? 0);
  return { e2eMs, computeMs: (t?.computeMs ?? 0) + (a?.computeMs ?? 0), timeline };
}

function summarise(label: string, samples: Sample[], wallMs: number) {
  const e2e = samples.map((s) => s.e2eMs);
  const compute = samples.map((s) => s.computeMs);
  const overhead = samples.map((s) => s.e2eMs - s.computeMs);
  console.log(`\n${label} (${samples.length} clips)`);
  console.log(`  upload→completed   p50 ${fmt(pct(e2e, 0.5))}   p95 ${fmt(pct(e2e, 0.95))}`);
  console.log(`  model compute      p50 ${fmt(pct(compute, 0.5))}   p95 ${fmt(pct(compute, 0.95))}`);
  console.log(`  overhead           p50 ${fmt(pct(overhead, 0.5))}   p95 ${fmt(pct(overhead, 0.95))}`);
  console.log(`  throughput         ${((samples.length / wallMs) * 60_000).toFixed(1)} clips/min   (load average ${loadavg()})`);
  printWaterfall(label, samples.map((s) => s.timeline), pct);
}

async function main() {
  const stack = await startInfrastructure({ mode: 'test' });
  Object.assign(process.env, stack.env);
  const metricsUrl = `http://127.0.0.1:${await findFreePort()}/metrics`;
  const [api, worker] = await Promise.all([startApi(), startWorker({ WORKER_METRICS_ADDRESS: new URL(metricsUrl).host })]);
  console.log(`job-run completion: ${process.env.DATABRICKS_RUN_COMPLETION ?? 'callback'} (DATABRICKS_RUN_COMPLETION)`);
  let mark: WorkerSnapshot = await snapshot(metricsUrl);
  const noticeSince = async () => {
    const now = await snapshot(metricsUrl);
    for (const line of describeDelta(mark, now)) console.log(line);
    mark = now;
  };
  try {
    const c = new ApiClient(api.url);
    await c.registerFresh();
    // Exactly 10 s: pad the speech with silence or cut it.
    const tenSeconds = (text: string, voice: string, name: string): Buffer => {
      const clipPath = path.join(stack.dataDir, `${name}.wav`);
      writeFileSync(path.join(stack.dataDir, `${name}-spoken.wav`), speak(text, 'wav', { voice }));
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(stack.dataDir, `${name}-spoken.wav`), '-af', 'apad', '-t', '10', clipPath]);
      return readFileSync(clipPath);
    };
    const clip = tenSeconds(TEXT, 'en-us', 'clip10');
    const german = tenSeconds(GERMAN, 'de', 'clip10-de');

    await one(c, clip, api); // warm-up: first-run costs (JIT, connection pools) are not what we measure
    mark = await snapshot(metricsUrl);

    const seq: Sample[] = [];
    const seqStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) seq.push(await one(c, clip, api));
    summarise('one at a time', seq, performance.now() - seqStart);
    await noticeSince();

    const de: Sample[] = [];
    const deStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) de.push(await one(c, german, api));
    summarise('German, one at a time (language detected)', de, performance.now() - deStart);
    await noticeSince();

    // Sustained load: a closed loop of CONCURRENCY clients, each uploading its next clip as soon as the last completes.
    const conc: Sample[] = [];
    const concStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < PER_CLIENT; i++) conc.push(await one(c, clip, api));
      }),
    );
    const concWall = performance.now() - concStart;
    summarise(`${CONCURRENCY} at once`, conc, concWall);
    await noticeSince();

    console.log('\nraw ceiling: the same clip through the same transcription + analysis task code in a loop, no server (python -m voyce_bench.direct)');
    const workers = Number(process.env.VOYCE_JOBS_WORKERS ?? 2);
    // The very clip uploaded above, through the same task code and model policy as the job runs.
    const direct = execFileSync(resolvePython(), ['-m', 'voyce_bench.direct', '--clip', path.join(stack.dataDir, 'clip10.wav'), '--reference', TEXT, '--n', '16', '--concurrency', String(workers), '--threads', '1', '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const ceiling = JSON.parse(direct.trim().split('\n').at(-1) ?? '{}') as { clips_per_minute: number; compute_p50_s: number; transcription_p50_s: number };
    console.log(
      `  transcription p50 ${ceiling.transcription_p50_s.toFixed(2)} s, transcription + analysis p50 ${ceiling.compute_p50_s.toFixed(2)} s per clip,` +
        ` ${ceiling.clips_per_minute} clips/min with ${workers} processes × 1 thread   (load average ${loadavg()})`,
    );
    const e2eRate = (conc.length / concWall) * 60_000;
    console.log(`  end-to-end ${e2eRate.toFixed(1)} clips/min is ${((e2eRate / ceiling.clips_per_minute) * 100).toFixed(0)} % of the transcription + analysis ceiling`);
  } finally {
    await worker.stop();
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
