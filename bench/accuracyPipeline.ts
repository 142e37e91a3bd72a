/**
 * The spoken half of `npm run bench:accuracy`: every held-out test sentence, spoken by espeak-ng in the voice,
 * speed and format the Python plan gives it (`voyce_bench.accuracy --plan`), uploaded to the API of a real
 * stack (HTTP → Temporal workflow → jobs runtime 02/03 → PostgreSQL), and read back as the API serves it. The
 * answers are scored by the same Python code as the text level (`--score`), so the figures compare.
 * Then the multilingual set (`voyce_bench.multilingual`: de, fr, es, pt, it in their espeak-ng voices), uploaded
 * with no language so Whisper detects it, scored per language (language right, WER, sentiment, intent).
 * Starts and stops its own stack (services given by env are reused). Options: --rotation N, --verbose,
 * --set english|multilingual (default both).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startInfrastructure } from '../scripts/stack';
import { resolvePython } from '../scripts/stack/jobsRuntime';
import { REPO_ROOT } from '../scripts/stack/paths';
import { ApiClient } from '../test/support/apiClient';
import { startApiWithWorker } from '../test/support/services';
import { speak, type Format } from '../test/support/speech';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

interface PlannedClip {
  index: number;
  language?: string;
  text: string;
  voice: string;
  speed: number;
  format: Format;
}

interface Answer {
  index: number;
  transcript: string;
  language: string | null;
  analysis: { sentiment: { label: string }; intent: { label: string }; emotions: { label: string }[] };
  seconds: number;
}

/** The two spoken sets: the English test set and the multilingual one, each planned and scored by its module. */
const SETS = { english: 'voyce_bench.accuracy', multilingual: 'voyce_bench.multilingual' } as const;
type SetName = keyof typeof SETS;

function python(args: string[], module: string = SETS.english): string {
  return execFileSync(resolvePython(), ['-m', module, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function submit(client: ApiClient, clip: PlannedClip, audio: Buffer): Promise<Answer> {
  const t0 = performance.now();
  const res = await client.upload(audio, { filename: `bench-${clip.index}.${clip.format}`, fields: { title: `accuracy bench #${clip.index}` } });
  if (res.status !== 202) throw new Error(`clip ${clip.index}: upload answered ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.submission.id as string;
  // Gentle polling: the benchmark must not steal the pipeline's CPU on a 2-core machine.
  const sub = await client.waitForTerminal(id, 600_000, 500);
  if (sub.status !== 'completed') throw new Error(`clip ${clip.index} (${id}) ended ${sub.status}: ${JSON.stringify(sub.progress)}`);
  return { index: clip.index, transcript: sub.transcription?.text ?? '', language: sub.transcription?.language ?? null, analysis: sub.analysis, seconds: (performance.now() - t0) / 1000 };
}

async function main() {
  const args = process.argv.slice(2);
  const rotation = args.includes('--rotation') ? Number(args[args.indexOf('--rotation') + 1]) : 0;
  const verbose = args.includes('--verbose');
  const only = args.includes('--set') ? (args[args.indexOf('--set') + 1] as SetName) : null;
  if (only && !(only in SETS)) throw new Error(`--set ${only}: expected ${Object.keys(SETS).join(' or ')}`);
  const sets = only ? [only] : (Object.keys(SETS) as SetName[]);
  const planned = sets.map((set) => {
    const plan = JSON.parse(python(['--plan', '--rotation', String(rotation)], SETS[set])) as PlannedClip[];
    return { set, clips: plan.map((c) => ({ clip: c, audio: speak(c.text, c.format, { voice: c.voice, speed: c.speed }) })) };
  });

  const stack = await startInfrastructure({ mode: 'test' });
  Object.assign(process.env, stack.env);
  // One bench user uploads all 125 clips; the per-user upload limit (120 per window) guards real users, not this.
  process.env.RATE_LIMIT_UPLOADS_PER_USER ??= '1000';
  const api = await startApiWithWorker();
  const results: { set: SetName; file: string }[] = [];
  try {
    const client = new ApiClient(api.url);
    await client.registerFresh();
    for (const { set, clips } of planned) {
      const answers: Answer[] = [];
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < clips.length; i = next++) {
            const { clip, audio } = clips[i]!;
            answers.push(await submit(client, clip, audio));
          }
        }),
      );
      const wallS = (performance.now() - t0) / 1000;
      answers.sort((a, b) => a.index - b.index);
      const file = path.join(REPO_ROOT, '.data', set === 'english' ? `accuracy-pipeline-r${rotation}.json` : `accuracy-pipeline-${set}-r${rotation}.json`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(answers, null, 1));
      const seconds = answers.map((a) => a.seconds).sort((a, b) => a - b);
      console.log(
        `pipeline (${set}): ${answers.length} clips uploaded ${CONCURRENCY} at a time, all completed in ${wallS.toFixed(0)} s; ` +
          `upload→completed p50 ${seconds[Math.floor(seconds.length / 2)]!.toFixed(1)} s; answers in ${path.relative(REPO_ROOT, file)}`,
      );
      results.push({ set, file });
    }
  } finally {
    await api.close();
    await stack.stop();
  }
  for (const { set, file } of results) process.stdout.write(python(['--score', file, ...(verbose && set === 'english' ? ['--verbose'] : [])], SETS[set]));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
