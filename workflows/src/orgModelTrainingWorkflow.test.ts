import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import type { OrgModelActivities } from '@voyce/activities';
import { orgModelTrainingWorkflow, orgModelTrainingStageQuery } from './orgModelTrainingWorkflow';
import { useWorkflowTestEnvironment } from './testing';

jest.setTimeout(60_000);

const temporal = useWorkflowTestEnvironment();
let queue = 0;

type Result = Awaited<ReturnType<OrgModelActivities['trainOrgModel']>>;

/** The org_models row and the 05 job, behind the activities' real names; `train` decides what the job does per attempt. */
function fakeOrg(train: (attempt: number) => Result) {
  const row = { status: 'queued', active: false, labels: 0, error: null as string | null, modelVersion: null as string | null };
  const calls: string[] = [];
  let attempts = 0;
  const activities: OrgModelActivities = {
    exportCorrections: async ({ orgModelId, orgId }) => {
      calls.push('export');
      row.status = 'running';
      row.labels = 12;
      return { labels: 12, blobName: `org-models/${orgId}/${orgModelId}/corrections.jsonl` };
    },
    trainOrgModel: async ({ blobName }) => {
      calls.push(`train ${blobName}`);
      return train(++attempts);
    },
    recordOrgModelOutcome: async ({ result }) => {
      calls.push(`record ${result.status}`);
      Object.assign(row, { status: result.status, active: result.status === 'activated', modelVersion: result.modelVersion ?? null });
    },
    markOrgModelFailed: async ({ error }) => {
      calls.push('failed');
      Object.assign(row, { status: 'failed', error });
    },
  };
  return { activities, row, calls, attempts: () => attempts };
}

async function run(activities: OrgModelActivities) {
  const taskQueue = `org-model-test-${++queue}-${Date.now()}`;
  const worker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue, workflowBundle: temporal.bundle, activities });
  return worker.runUntil(async () => {
    const handle = await temporal.env.client.workflow.start(orgModelTrainingWorkflow, {
      taskQueue,
      workflowId: `org-model-org-1-run-${queue}`,
      args: [{ orgId: 'org-1', orgModelId: `run-${queue}` }],
    });
    const outcome = await handle.result().then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error }));
    return { ...outcome, stage: await handle.query(orgModelTrainingStageQuery) };
  });
}

const activated: Result = { status: 'activated', labels: 12, evaluation: { before: 0.5, after: 0.75, n: 12 }, modelVersion: 'voyce-org-abc', artifactUri: '/m/org-1/org-abc/model.json', artifactSha256: 'a'.repeat(64) };

describe('orgModelTrainingWorkflow', () => {
  it('exports, trains (a transient job failure is retried) and records an activated model', async () => {
    const org = fakeOrg((attempt) => {
      if (attempt === 1) throw new Error('jobs runtime unavailable');
      return activated;
    });
    const { value, error, stage } = await run(org.activities);
    expect(error).toBeNull();
    expect(value).toEqual({ status: 'activated', labels: 12, modelVersion: 'voyce-org-abc', evaluation: { before: 0.5, after: 0.75, n: 12 } });
    expect(org.attempts()).toBe(2);
    expect(org.calls).toEqual(['export', 'train org-models/org-1/run-1/corrections.jsonl', 'train org-models/org-1/run-1/corrections.jsonl', 'record activated']);
    expect(org.row).toMatchObject({ status: 'activated', active: true, modelVersion: 'voyce-org-abc' });
    expect(stage).toBe('done');
  });

  it('records insufficient_labels and not_better without activating anything', async () => {
    for (const status of ['insufficient_labels', 'not_better'] as const) {
      const org = fakeOrg(() => ({ status, labels: 3, evaluation: { before: null, after: null, n: 3 } }));
      const { value } = await run(org.activities);
      expect(value).toEqual({ status, labels: 3, modelVersion: null, evaluation: { before: null, after: null, n: 3 } });
      expect(org.row).toMatchObject({ status, active: false });
    }
  });

  it('a job that fails for good marks the run failed with its error and fails the workflow', async () => {
    const org = fakeOrg(() => {
      throw ApplicationFailure.nonRetryable("run 7 failed: TaskInputError: corrections: unknown intent 'moan'", 'DatabricksRunFailed');
    });
    const { error, stage } = await run(org.activities);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(org.attempts()).toBe(1); // non-retryable: not attempted again
    expect(org.row).toMatchObject({ status: 'failed', active: false, error: "run 7 failed: TaskInputError: corrections: unknown intent 'moan'" });
    expect(org.calls).toEqual(['export', expect.stringMatching(/^train org-models\/org-1\/run-\d+\/corrections.jsonl$/), 'failed']);
    expect(stage).toBe('failed');
  });
});
