import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { NotifyInput, PushResult, SubmissionActivities } from '@voyce/activities';
import { notifyOwnerWorkflow } from './notifyOwnerWorkflow';
import { HISTORIES_DIR, useWorkflowTestEnvironment } from './testing';

type Fakes = Pick<SubmissionActivities, 'deliverWebhook' | 'sendEmail' | 'sendPush'>;

jest.setTimeout(30_000);

const temporal = useWorkflowTestEnvironment({ searchAttributes: false });

const PUSHED: PushResult = { devices: 2, accepted: 2, refused: 0, unregistered: 0 };

async function run(activities: Fakes, input: NotifyInput) {
  const taskQueue = `notify-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue, workflowBundle: temporal.bundle, activities });
  return worker.runUntil(async () => {
    const handle = await temporal.env.client.workflow.start(notifyOwnerWorkflow, { taskQueue, workflowId: `notify-${input.event}-${taskQueue}`, args: [input] });
    return { handle, result: await handle.result() };
  });
}

describe('notifyOwnerWorkflow', () => {
  it('pushes to the devices alongside the webhook and the e-mail', async () => {
    const pushed: NotifyInput[] = [];
    const { handle, result } = await run(
      {
        deliverWebhook: async () => true,
        sendEmail: async () => false,
        sendPush: async (input) => {
          pushed.push(input);
          return PUSHED;
        },
      },
      { submissionId: 's-push', event: 'submission.completed' },
    );
    expect(pushed).toEqual([{ submissionId: 's-push', event: 'submission.completed' }]);
    expect(result).toEqual({ webhook: true, email: false, push: true });
    if (process.env.RECORD_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES_DIR, 'notify-owner-completed-push.json'), historyToJSON(await handle.fetchHistory()));
    }
  });

  it('reports no push when the owner has no device, and still delivers the rest when the push service refuses', async () => {
    const none = await run(
      { deliverWebhook: async () => false, sendEmail: async () => true, sendPush: async () => ({ devices: 0, accepted: 0, refused: 0, unregistered: 0 }) },
      { submissionId: 's-none', event: 'submission.failed' },
    );
    expect(none.result).toEqual({ webhook: false, email: true, push: false });

    let attempts = 0;
    const refused = await run(
      {
        deliverWebhook: async () => true,
        sendEmail: async () => true,
        sendPush: async () => {
          attempts++;
          throw ApplicationFailure.nonRetryable('push service refused the request (401)', 'PushRefused');
        },
      },
      { submissionId: 's-refused', event: 'submission.completed' },
    );
    expect(refused.result).toEqual({ webhook: true, email: true, push: false });
    expect(attempts).toBe(1); // refused outright: not retried
  });
});
