import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { MarkStatusInput, SubmissionActivities } from '@voyce/activities';
import { progressQuery, submissionWorkflow } from './submissionWorkflow';
import { VOYCE_CATEGORY, VOYCE_MODEL_VERSION, VOYCE_STATUS, VOYCE_USER_ID } from './searchAttributes';
import { HISTORIES_DIR, useWorkflowTestEnvironment } from './testing';

type Fakes = Pick<SubmissionActivities, 'markStatus' | 'deliverWebhook' | 'sendEmail' | 'sendPush' | 'discardStagedAudio' | 'validateAudio' | 'storeAudio' | 'transcribe' | 'analyze'>;

jest.setTimeout(30_000);

const temporal = useWorkflowTestEnvironment();
let queue = 0;

/** Fake activities through the same names the real factory returns; `statuses` records every markStatus. */
function fakes(overrides: Partial<Fakes> = {}) {
  const statuses: MarkStatusInput[] = [];
  const discarded: string[] = [];
  const notified: string[] = [];
  const activities: Fakes = {
    markStatus: async (input) => {
      statuses.push(input);
    },
    deliverWebhook: async ({ event }) => {
      notified.push(event);
      return true;
    },
    sendEmail: async () => false,
    sendPush: async () => ({ devices: 0, accepted: 0, refused: 0, unregistered: 0 }),
    discardStagedAudio: async ({ submissionId }) => {
      discarded.push(submissionId);
    },
    validateAudio: async () => ({ container: 'wav', durationMs: 3000, sizeBytes: 1000 }),
    storeAudio: async ({ submissionId }) => ({ audioBlob: `u/${submissionId}.wav`, sha256: 'abc' }),
    transcribe: async () => ({ noSpeech: false, wordCount: 5, jobRunId: 1, computeMs: 100 }),
    analyze: async () => ({ sentiment: 'negative', modelVersion: 'vader-test', jobRunId: 2, computeMs: 5 }),
    ...overrides,
  };
  return { activities, statuses, discarded, notified };
}

async function run(activities: Fakes, submissionId = `s-${++queue}`, extra: { userId?: string; category?: string } = {}) {
  const taskQueue = `test-${queue}-${Date.now()}`;
  const worker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue, workflowBundle: temporal.bundle, activities });
  return worker.runUntil(async () => {
    const handle = await temporal.env.client.workflow.start(submissionWorkflow, { taskQueue, workflowId: `submission-${submissionId}`, args: [{ submissionId, ...extra }] });
    const outcome = await handle.result().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // The owner is notified by an abandoned child workflow: let it finish while this worker still runs.
    for (const event of ['submission.completed', 'submission.failed']) {
      const child = temporal.env.client.workflow.getHandle(`notify-${event}-${handle.firstExecutionRunId}`);
      if (await child.describe().then(() => true, () => false)) await child.result().catch(() => undefined);
    }
    // Queries are answered by a worker, so ask while this one still runs.
    const progress = await handle.query(progressQuery);
    const { typedSearchAttributes } = await handle.describe();
    return { handle, outcome, progress, typedSearchAttributes };
  });
}

describe('submissionWorkflow', () => {
  it('walks every stage in order and completes', async () => {
    const { activities, statuses, discarded, notified } = fakes();
    const { handle, outcome, progress, typedSearchAttributes } = await run(activities, 'happy', { userId: 'user-1', category: 'bug' });
    expect(discarded).toEqual([]);
    expect(notified).toEqual(['submission.completed']);
    expect(outcome).toEqual({ ok: true, value: { status: 'completed', sentiment: 'negative', wordCount: 5 } });
    expect(statuses.map((s) => s.status)).toEqual(['validating', 'stored', 'transcribing', 'analyzing', 'completed']);
    expect(progress).toEqual({ stage: 'completed' });
    // Searchable in the Temporal UI: status, owner, category and the model that analysed it.
    expect(typedSearchAttributes.get(VOYCE_STATUS)).toBe('completed');
    expect(typedSearchAttributes.get(VOYCE_USER_ID)).toBe('user-1');
    expect(typedSearchAttributes.get(VOYCE_CATEGORY)).toBe('bug');
    expect(typedSearchAttributes.get(VOYCE_MODEL_VERSION)).toBe('vader-test');
    if (process.env.RECORD_HISTORIES === '1') {
      const history = await handle.fetchHistory();
      writeFileSync(path.join(HISTORIES_DIR, 'submission-completed-local-status.json'), historyToJSON(history));
    }
  });

  it('ends as rejected, with the reason, when the audio is invalid (and does not retry it)', async () => {
    let probes = 0;
    const { activities, statuses, discarded } = fakes({
      validateAudio: async () => {
        probes++;
        throw ApplicationFailure.nonRetryable('The recording is too short.', 'InvalidAudio', { reason: 'too_short' });
      },
    });
    const { outcome, progress } = await run(activities);
    expect(outcome).toEqual({ ok: true, value: { status: 'rejected', reason: 'too_short', message: 'The recording is too short.' } });
    expect(progress).toEqual({ stage: 'rejected', error: { code: 'too_short', message: 'The recording is too short.' } });
    expect(probes).toBe(1);
    expect(discarded).toHaveLength(1); // the invalid upload is not kept
    expect(statuses.at(-1)).toEqual({ submissionId: expect.any(String), status: 'rejected', error: { code: 'too_short', message: 'The recording is too short.' } });
  });

  it('rejects a clip in which no speech was found', async () => {
    const { activities, statuses } = fakes({ transcribe: async () => ({ noSpeech: true, wordCount: 0, jobRunId: 1, computeMs: 10 }) });
    const { outcome } = await run(activities);
    expect(outcome.ok && outcome.value).toMatchObject({ status: 'rejected', reason: 'no_speech' });
    expect(statuses.map((s) => s.status)).not.toContain('analyzing');
  });

  it('retries a transient failure and then completes', async () => {
    let calls = 0;
    const { activities, statuses } = fakes({
      transcribe: async () => {
        if (++calls === 1) throw new Error('jobs API unreachable');
        return { noSpeech: false, wordCount: 3, jobRunId: 9, computeMs: 50 };
      },
    });
    const { outcome } = await run(activities);
    expect(outcome.ok).toBe(true);
    expect(calls).toBe(2);
    expect(statuses.at(-1)?.status).toBe('completed');
  }, 30_000);

  it('marks the submission failed, keeping the error, and fails the workflow when a stage cannot succeed', async () => {
    const { activities, statuses, notified } = fakes({
      analyze: async () => {
        throw ApplicationFailure.nonRetryable('run 7 returned an unexpected output', 'DatabricksBadOutput');
      },
    });
    const { outcome } = await run(activities);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toBeInstanceOf(WorkflowFailedError);
    expect(statuses.at(-1)).toMatchObject({ status: 'failed', error: { code: 'pipeline_failed', message: 'run 7 returned an unexpected output' } });
    expect(notified).toEqual(['submission.failed']);
  });

  it('completes even when the owner cannot be notified', async () => {
    const { activities } = fakes({
      deliverWebhook: async () => {
        throw ApplicationFailure.nonRetryable('webhook answered 410; not retried', 'WebhookRefused');
      },
    });
    const { outcome, handle } = await run(activities);
    expect(outcome).toMatchObject({ ok: true, value: { status: 'completed' } });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('marks the submission cancelled when the workflow is cancelled mid-transcription', async () => {
    let started!: () => void;
    const transcribing = new Promise<void>((r) => (started = r));
    const { activities, statuses } = fakes({
      transcribe: async () => {
        started();
        const { Context } = await import('@temporalio/activity');
        for (;;) {
          await Context.current().sleep(200);
          Context.current().heartbeat();
        }
      },
    });
    const taskQueue = `cancel-${Date.now()}`;
    const worker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue, workflowBundle: temporal.bundle, activities });
    await worker.runUntil(async () => {
      const handle = await temporal.env.client.workflow.start(submissionWorkflow, { taskQueue, workflowId: `submission-cancel-${Date.now()}`, args: [{ submissionId: 'c1' }] });
      await transcribing;
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
    });
    expect(statuses.at(-1)?.status).toBe('cancelled');
  }, 30_000);
});
