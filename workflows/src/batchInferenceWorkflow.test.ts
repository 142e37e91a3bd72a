import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { BatchInferenceActivities, RecordBatchRunInput } from '@voyce/activities';
import { batchInferenceWorkflow, type BatchInferenceSummary } from './batchInferenceWorkflow';
import { HISTORIES_DIR, useWorkflowTestEnvironment } from './testing';

jest.setTimeout(60_000);

const temporal = useWorkflowTestEnvironment();
let queue = 0;

const NEW = 'voyce-clf-new';
const OLD = 'voyce-clf-old';
const ORG = 'voyce-org-team';

/**
 * An in-memory stand-in for the analyses table and the 06 job, behind the activities' real names: `versions`
 * is submission id → model version; ids in `broken` fail every attempt (as a job that cannot analyse them).
 */
function fakeStore(count: number, broken: Set<string> = new Set(), orgModel: { orgId: string; ids: Set<string> } | null = null) {
  const versions = new Map<string, string>();
  for (let i = 0; i < count; i++) versions.set(`sub-${String(i).padStart(3, '0')}`, OLD);
  const inOrg = (id: string, orgId?: string | null) => (orgModel?.ids.has(id) ?? false) === Boolean(orgId);
  const models: (string | undefined)[] = [];
  const records: RecordBatchRunInput[] = [];
  const batches: string[][] = [];
  let upserts = 0;
  const activities: BatchInferenceActivities = {
    currentModelVersion: async () => NEW,
    findStaleAnalyses: async ({ modelVersion, afterSubmissionId, limit, orgId }) =>
      [...versions].filter(([id, v]) => v !== modelVersion && inOrg(id, orgId) && (!afterSubmissionId || id > afterSubmissionId)).map(([id]) => id).sort().slice(0, limit),
    reanalyzeBatch: async ({ submissionIds, model }) => {
      batches.push(submissionIds);
      models.push(model?.path);
      if (submissionIds.some((id) => broken.has(id))) throw ApplicationFailure.nonRetryable('the job could not analyse this batch', 'DatabricksBadOutput');
      const version = model ? ORG : NEW;
      for (const id of submissionIds) {
        versions.set(id, version);
        upserts++;
      }
      return { modelVersion: version, updated: submissionIds.length, failures: [], jobRunId: batches.length, computeMs: 10 };
    },
    listActiveOrgModels: async () => (orgModel ? [{ orgId: orgModel.orgId, modelVersion: ORG, path: '/m/org-1/model.json', sha256: 'a'.repeat(64) }] : []),
    recordBatchRun: async (input) => {
      records.push(structuredClone(input));
      return { durationMs: input.status === 'running' ? null : 1234 };
    },
  };
  return { activities, versions, records, batches, models, upserts: () => upserts };
}

async function runBatch(activities: BatchInferenceActivities, args: Parameters<typeof batchInferenceWorkflow>[0], workflowId = `batch-inference-${++queue}`) {
  const taskQueue = `batch-test-${queue}-${Date.now()}`;
  const worker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue, workflowBundle: temporal.bundle, activities });
  return worker.runUntil(async () => {
    const handle = await temporal.env.client.workflow.start(batchInferenceWorkflow, { taskQueue, workflowId, args: [args] });
    const summary: BatchInferenceSummary = await handle.result();
    const description = await handle.describe();
    return { handle, summary, memo: description.memo, runId: description.runId, firstRunId: handle.firstExecutionRunId };
  });
}

describe('batchInferenceWorkflow', () => {
  it('moves every stale analysis to the current model in batches, continuing as new, with one summary', async () => {
    const store = fakeStore(7);
    const { handle, summary, memo, runId, firstRunId } = await runBatch(store.activities, { batchSize: 3, batchesPerRun: 2 });

    expect([...store.versions.values()].every((v) => v === NEW)).toBe(true);
    expect(store.upserts()).toBe(7); // each submission once: nothing lost, nothing twice
    expect(store.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(summary).toEqual({ status: 'completed', targetModelVersion: NEW, found: 7, updated: 7, failed: 0, batches: 3, durationMs: 1234, failures: [] });
    expect(memo?.summary).toEqual({ found: 7, updated: 7, failed: 0, batches: 3, targetModelVersion: NEW, durationMs: 1234 });

    // Two batches per run: the third ran in a continued run, which kept the totals and the same summary row.
    expect(runId).not.toBe(firstRunId);
    expect(store.records.map((r) => [r.status, r.totals.batches])).toEqual([['running', 0], ['running', 2], ['completed', 3]]);
    expect(new Set(store.records.map((r) => r.firstRunId))).toEqual(new Set([firstRunId]));

    if (process.env.RECORD_HISTORIES === '1') {
      // A short history (no continue-as-new) for the replay test.
      const small = fakeStore(2);
      const { handle: h } = await runBatch(small.activities, { batchSize: 1, batchesPerRun: 5 });
      writeFileSync(path.join(HISTORIES_DIR, 'batch-inference-completed.json'), historyToJSON(await h.fetchHistory()));
    }
    expect(handle.workflowId).toMatch(/^batch-inference-/);
  });

  it("re-analyses an organisation with its own active model against that model, the rest against the default", async () => {
    const store = fakeStore(5, new Set(), { orgId: 'org-1', ids: new Set(['sub-001', 'sub-003']) });
    const { summary } = await runBatch(store.activities, { batchSize: 10, batchesPerRun: 5 });
    expect(Object.fromEntries(store.versions)).toEqual({ 'sub-000': NEW, 'sub-001': ORG, 'sub-002': NEW, 'sub-003': ORG, 'sub-004': NEW });
    expect(store.batches).toEqual([['sub-000', 'sub-002', 'sub-004'], ['sub-001', 'sub-003']]);
    expect(store.models).toEqual([undefined, '/m/org-1/model.json']);
    expect(summary).toMatchObject({ found: 5, updated: 5, failed: 0, batches: 2 });
  });

  it('counts and lists a batch that keeps failing, goes on with the rest, and leaves it for the next run', async () => {
    const broken = new Set(['sub-003']);
    const store = fakeStore(6, broken);
    const first = await runBatch(store.activities, { batchSize: 2, batchesPerRun: 10 });

    expect(first.summary).toMatchObject({ found: 6, updated: 4, failed: 2, batches: 3 });
    expect(first.summary.failures.map((f) => f.submissionId)).toEqual(['sub-002', 'sub-003']);
    expect(first.summary.failures[0]?.error).toContain('could not analyse');
    expect(store.versions.get('sub-002')).toBe(OLD); // still stale: nothing was written for the failed batch
    expect(store.versions.get('sub-004')).toBe(NEW); // the batch after it ran

    broken.clear(); // the fault is fixed: the next scheduled run takes exactly what is left
    const second = await runBatch(store.activities, { batchSize: 2, batchesPerRun: 10 });
    expect(second.summary).toMatchObject({ found: 2, updated: 2, failed: 0, batches: 1 });
    expect([...store.versions.values()].every((v) => v === NEW)).toBe(true);
  });

  it('finds nothing to do when every analysis is current, and still records the run', async () => {
    const store = fakeStore(0);
    const { summary } = await runBatch(store.activities, {});
    expect(summary).toMatchObject({ found: 0, updated: 0, failed: 0, batches: 0 });
    expect(store.records.map((r) => r.status)).toEqual(['running', 'completed']);
  });
});
