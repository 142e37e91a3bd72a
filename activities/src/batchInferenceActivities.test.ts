import { MockActivityEnvironment } from '@temporalio/testing';
import type { AnalysisInput, BatchInferenceRepository, BlobStore } from '@voyce/core';
import type { JobsClient, Run } from '@voyce/databricks';
import { createBatchInferenceActivities, type ReanalyzeBatchResult } from './batchInferenceActivities';

const analysis = (label: 'positive' | 'negative') => ({
  sentiment: { label, score: label === 'positive' ? 0.8 : -0.8, confidence: 0.9 },
  emotions: [{ label: 'joy', score: 0.6 }],
  intent: { label: 'praise', confidence: 0.7 },
  action_items: [],
  keywords: ['search'],
  importance_score: 0.2,
  model_version: 'voyce-clf-new',
});

/** A Jobs API whose 06 run analyses the items it was given (inline or through items_url); records the params. */
function fakeJobs(blobs: Map<string, string>, opts: { fail?: string[]; drop?: string[] } = {}) {
  const params: Record<string, string>[] = [];
  const jobs = {
    submitRun: async (req: { tasks: { notebook_task: { base_parameters: Record<string, string> } }[] }) => {
      params.push(req.tasks[0]!.notebook_task.base_parameters);
      return { run_id: params.length };
    },
    getRun: async (runId: number): Promise<Run> => ({ run_id: runId, state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS' }, execution_duration: 50 }) as Run,
    getRunOutput: async (runId: number) => {
      const p = params[runId - 1]!;
      const raw = p.items ?? blobs.get(p.items_url!.replace('sas://', ''))!;
      const items = JSON.parse(raw) as { submission_id: string; text: string }[];
      const ok = items.filter((i) => !opts.fail?.includes(i.submission_id) && !opts.drop?.includes(i.submission_id));
      const result = {
        model_version: 'voyce-clf-new',
        count: ok.length,
        results: ok.map((i) => ({ submission_id: i.submission_id, analysis: analysis(i.text.includes('love') ? 'positive' : 'negative') })),
        failures: items.filter((i) => opts.fail?.includes(i.submission_id)).map((i) => ({ submission_id: i.submission_id, error: 'TaskInputError: bad text' })),
        timings: { compute_ms: 120, per_item_ms: 12 },
      };
      return { notebook_output: { result: JSON.stringify(result) } };
    },
    cancelRun: async () => ({}),
  } as unknown as JobsClient;
  return { jobs, params };
}

function fakeBlob() {
  const blobs = new Map<string, string>();
  const deleted: string[] = [];
  const blob = {
    uploadStaging: async (name: string, body: AsyncIterable<Buffer>) => {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c);
      blobs.set(name, Buffer.concat(chunks).toString('utf8'));
    },
    readUrl: async (_kind: string, name: string) => `sas://${name}`,
    delete: async (_kind: string, name: string) => {
      deleted.push(name);
    },
  } as unknown as BlobStore;
  return { blob, blobs, deleted };
}

function fakeRepo(texts: Record<string, string>) {
  const written: AnalysisInput[] = [];
  const repo = {
    transcripts: async (ids: string[]) => ids.filter((id) => id in texts).map((id) => ({ submissionId: id, text: texts[id]! })),
    updateAnalyses: async (rows: AnalysisInput[]) => {
      written.push(...rows);
      return rows.map((r) => r.submissionId);
    },
  } as unknown as BatchInferenceRepository;
  return { repo, written };
}

const deps = (jobs: JobsClient, blob: BlobStore, repo: BatchInferenceRepository) => ({
  jobs,
  blob,
  batchInference: repo,
  notebookRoot: '/Workspace/voyce/notebooks/',
  pollMaxMs: 50,
  sasTtlSeconds: 600,
});
const env = () => new MockActivityEnvironment({ workflowExecution: { workflowId: 'batch-inference-1', runId: 'run-1' } });

describe('reanalyzeBatch', () => {
  it('sends a small batch inline to 06, writes every analysis with the run id, and reports no failures', async () => {
    const { blob, deleted } = fakeBlob();
    const { jobs, params } = fakeJobs(new Map());
    const { repo, written } = fakeRepo({ a: 'I love it', b: 'it crashes' });
    const { reanalyzeBatch } = createBatchInferenceActivities(deps(jobs, blob, repo));
    const result = (await env().run(reanalyzeBatch, { batchIndex: 1, submissionIds: ['a', 'b'] })) as ReanalyzeBatchResult;

    expect(params[0]).toEqual({ batch_size: '64', items: JSON.stringify([{ submission_id: 'a', text: 'I love it' }, { submission_id: 'b', text: 'it crashes' }]) });
    expect(result).toEqual({ modelVersion: 'voyce-clf-new', updated: 2, failures: [], jobRunId: 1, computeMs: 120 });
    expect(written.map((w) => [w.submissionId, w.sentiment.label, w.modelVersion, w.jobRunId])).toEqual([
      ['a', 'positive', 'voyce-clf-new', '1'],
      ['b', 'negative', 'voyce-clf-new', '1'],
    ]);
    expect(deleted).toEqual([]);
  });

  it('passes a large batch as a blob URL (Databricks caps parameters at 10 KB) and removes the blob afterwards', async () => {
    const { blob, blobs, deleted } = fakeBlob();
    const { jobs, params } = fakeJobs(blobs);
    const texts = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s${i}`, `feedback number ${i} about the export page being slow again`]));
    const { repo, written } = fakeRepo(texts);
    const { reanalyzeBatch } = createBatchInferenceActivities(deps(jobs, blob, repo));
    const result = (await env().run(reanalyzeBatch, { batchIndex: 3, submissionIds: Object.keys(texts) })) as ReanalyzeBatchResult;

    expect(params[0]?.items).toBeUndefined();
    expect(params[0]?.items_url).toBe('sas://batch-inference/batch-inference-1/run-1-3.json');
    expect(result.updated).toBe(200);
    expect(written).toHaveLength(200);
    expect(deleted).toEqual(['batch-inference/batch-inference-1/run-1-3.json']);
  });

  it('reports items the job refused, left out or that have no transcript as failures (they stay stale)', async () => {
    const { blob } = fakeBlob();
    const { jobs } = fakeJobs(new Map(), { fail: ['bad'], drop: ['lost'] });
    const { repo, written } = fakeRepo({ ok: 'fine', bad: 'x', lost: 'y' });
    const { reanalyzeBatch } = createBatchInferenceActivities(deps(jobs, blob, repo));
    const result = (await env().run(reanalyzeBatch, { batchIndex: 1, submissionIds: ['ok', 'bad', 'lost', 'gone'] })) as ReanalyzeBatchResult;

    expect(result.updated).toBe(1);
    expect(written.map((w) => w.submissionId)).toEqual(['ok']);
    expect(result.failures).toEqual([
      { submissionId: 'gone', error: 'no transcript' },
      { submissionId: 'bad', error: 'TaskInputError: bad text' },
      { submissionId: 'lost', error: 'not in the run output or no longer stored' },
    ]);
  });
});

describe('currentModelVersion', () => {
  it('asks 06 with no items for the version the jobs analyse with', async () => {
    const { blob } = fakeBlob();
    const { jobs, params } = fakeJobs(new Map());
    const { repo } = fakeRepo({});
    const { currentModelVersion } = createBatchInferenceActivities(deps(jobs, blob, repo));
    expect(await env().run(currentModelVersion)).toBe('voyce-clf-new');
    expect(params[0]).toEqual({ items: '[]' });
  });
});
