/**
 * Re-analysis throughput: the batch path (findStaleAnalyses + reanalyzeBatch → one `06_batch_inference` run per
 * batch, set-based UPDATE) against the one-by-one path (the pipeline's `analyze` activity → one
 * `03_sentiment_analysis` run and one upsert per submission), on the real jobs runtime, Azurite and PostgreSQL.
 * Both call the activity code the worker runs (MockActivityEnvironment supplies the activity context; Temporal's
 * own overhead, a few ms per activity, is left out of both).
 *
 *   npm run bench:batch                        # 5,000 transcripts, batches of 500, one-by-one on a 200 sample
 *   npm run bench:batch -- --n 1000 --sample 50 --batch-size 250 --concurrency 2
 */
import { parseArgs } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBatchInferenceActivities, createActivities, type ActivityDeps } from '@voyce/activities';
import {
  createBatchInferenceRepository,
  createBlobStore,
  createDb,
  createResultRepository,
  createSubmissionRepository,
  loadConfig,
  migrateLatest,
} from '@voyce/core';
import { createJobsClient } from '@voyce/databricks';
import { DEFAULT_TEST_DATABASE_URL, startInfrastructure } from '../scripts/stack';
import { jobsWorkerCount } from '../scripts/stack/jobsRuntime';
import { dropDatabase, perRunDatabaseUrl } from '../scripts/stack/testDatabase';
import { seedSubmissions } from './seed';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    sample: { type: 'string', default: '200' },
    'batch-size': { type: 'string', default: '500' },
    concurrency: { type: 'string' },
  },
});
const N = Number(values.n);
const SAMPLE = Math.min(Number(values.sample), N);
const BATCH_SIZE = Number(values['batch-size']);

const rate = (count: number, ms: number) => (count / (ms / 1000)).toFixed(2);

async function main(): Promise<void> {
  const databaseUrl = perRunDatabaseUrl(process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL);
  const stack = await startInfrastructure({ mode: 'test', databaseUrl });
  const config = loadConfig({ ...process.env, ...stack.env, LOG_LEVEL: 'warn' });
  const db = createDb(config.DATABASE_URL, 4);
  const runtimeWorkers = jobsWorkerCount();
  const concurrency = Number(values.concurrency ?? runtimeWorkers);
  try {
    await migrateLatest(db);
    const blob = createBlobStore({ connectionString: config.AZURE_STORAGE_CONNECTION_STRING, stagingContainer: config.BLOB_STAGING_CONTAINER, audioContainer: config.BLOB_AUDIO_CONTAINER });
    await blob.ensureContainers();
    // seedSubmissions makes 80 % of its rows completed (with transcript and analysis): seed enough for N.
    const t0 = Date.now();
    await seedSubmissions(db, Math.ceil(N / 0.8), 50);
    const stored = Number((await db('analyses').count<{ count: string }[]>({ count: '*' }))[0]?.count);
    if (stored < N) throw new Error(`seeded ${stored} analyses, wanted ${N}`);
    const extra = await db('analyses').select('submission_id').orderBy('submission_id', 'desc').limit(stored - N);
    await db('voice_submissions').whereIn('id', extra.map((r: { submission_id: string }) => r.submission_id)).update({ status: 'failed' });
    console.log(`seeded ${N} stored transcripts with analyses of model 'seed-1' in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const repo = createBatchInferenceRepository(db);
    const deps: ActivityDeps = {
      submissions: createSubmissionRepository(db),
      results: createResultRepository(db),
      batchInference: repo,
      blob,
      jobs: createJobsClient({ host: config.DATABRICKS_HOST, token: config.DATABRICKS_TOKEN }),
      probe: async () => {
        throw new Error('not used');
      },
      limits: { minMs: config.AUDIO_MIN_MS, maxMs: config.AUDIO_MAX_MS, maxBytes: config.UPLOAD_MAX_BYTES },
      notebookRoot: config.DATABRICKS_NOTEBOOK_ROOT,
      sasTtlSeconds: config.SAS_TTL_SECONDS,
      pollMaxMs: config.DATABRICKS_POLL_MAX_MS,
    };
    const batch = createBatchInferenceActivities(deps);
    const { analyze } = createActivities(deps);
    /** Runs `fn` as an activity of a workflow with this id (the context runNotebook needs for tokens and heartbeats). */
    const inActivity = <R>(workflowId: string, fn: () => Promise<R>): Promise<R> =>
      new MockActivityEnvironment({ workflowExecution: { workflowId, runId: `${workflowId}-run` }, attempt: 1 }).run(fn) as Promise<R>;

    // Batch path: what batchInferenceWorkflow does, batch after batch.
    let t = Date.now();
    const target = await inActivity('bench-batch', () => batch.currentModelVersion());
    const probeMs = Date.now() - t;
    const staleBefore = await repo.countStale(target);
    console.log(`\ncurrent model ${target} (asked through 06 in ${probeMs} ms); ${staleBefore} analyses of another version`);
    t = Date.now();
    let after: string | null = null;
    let updated = 0;
    let failed = 0;
    let jobMs = 0;
    for (let index = 1; ; index++) {
      const ids = await inActivity('bench-batch', () => batch.findStaleAnalyses({ modelVersion: target, afterSubmissionId: after, limit: BATCH_SIZE }));
      if (ids.length === 0) break;
      const r = await inActivity('bench-batch', () => batch.reanalyzeBatch({ batchIndex: index, submissionIds: ids }));
      updated += r.updated;
      failed += r.failures.length;
      jobMs += r.computeMs ?? 0;
      after = ids[ids.length - 1] ?? after;
      process.stdout.write(`  batch ${index}: ${r.updated}/${ids.length} in ${((Date.now() - t) / 1000).toFixed(0)} s so far\n`);
    }
    const batchMs = Date.now() - t;
    const staleAfter = await repo.countStale(target);
    const rows = Number((await db('analyses').count<{ count: string }[]>({ count: '*' }))[0]?.count);

    // One-by-one path on a sample: the pipeline's analyze activity, `concurrency` at a time (the runtime's worker
    // count: its best case), extrapolated to N.
    const sample = (await db('analyses as a').join('voice_submissions as s', 's.id', 'a.submission_id').where('s.status', 'completed').orderByRaw('md5(a.submission_id::text)').limit(SAMPLE).select('a.submission_id')).map(
      (r: { submission_id: string }) => r.submission_id,
    );
    t = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < sample.length) {
          const id = sample[next++] as string;
          await inActivity(`submission-${id}`, () => analyze({ submissionId: id }));
        }
      }),
    );
    const oneMs = Date.now() - t;

    const batchRate = updated / (batchMs / 1000);
    const oneRate = sample.length / (oneMs / 1000);
    console.log(`\nRe-analysis throughput, ${N} stored transcripts (jobs runtime: ${runtimeWorkers} warm worker(s), 2 cores shared):`);
    console.log(`  batch path (06, ${BATCH_SIZE} per run, sequential like the workflow): ${updated} updated, ${failed} failed in ${(batchMs / 1000).toFixed(1)} s → ${rate(updated, batchMs)} transcripts/s (job compute ${(jobMs / 1000).toFixed(1)} s)`);
    console.log(`  one-by-one path (03 per submission, ${concurrency} at a time): measured on a sample of ${sample.length} in ${(oneMs / 1000).toFixed(1)} s → ${rate(sample.length, oneMs)} transcripts/s; extrapolated to ${N}: ${(N / oneRate).toFixed(0)} s`);
    console.log(`  speed-up of the batch path: ${(batchRate / oneRate).toFixed(1)}×`);
    console.log(`  check: ${staleAfter} stale analyses left, ${rows} analysis rows (before: ${stored})`);
  } finally {
    await db.destroy();
    await stack.stop();
    await dropDatabase(databaseUrl).catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
