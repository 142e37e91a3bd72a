import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import type { CheckPushReceiptsInput, NotifyInput, PushReceiptsResult, PushResult, SubmissionActivities } from '@voyce/activities';
import { notifyOwnerWorkflow } from './notifyOwnerWorkflow';
import { HISTORIES_DIR, useWorkflowTestEnvironment } from './testing';

type Fakes = Pick<SubmissionActivities, 'deliverWebhook' | 'sendEmail' | 'sendPush'> & Partial<Pick<SubmissionActivities, 'checkPushReceipts'>>;

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

  it('sleeps the receipt delay after an accepted push, then checks the receipts of its tickets once', async () => {
    const tickets = [
      { id: 'ticket-1', deviceId: 'device-1' },
      { id: 'ticket-2', deviceId: 'device-2' },
    ];
    const RECEIPTS: PushReceiptsResult = { tickets: 2, ok: 1, missing: 0, errors: { DeviceNotRegistered: 1 }, unregistered: 1 };
    let pushedAt = 0;
    const checks: { input: CheckPushReceiptsInput; at: number }[] = [];
    const { handle, result } = await run(
      {
        deliverWebhook: async () => false,
        sendEmail: async () => false,
        sendPush: async () => {
          pushedAt = Date.now();
          return { ...PUSHED, tickets, receiptDelayMs: 1500 };
        },
        checkPushReceipts: async (input) => {
          checks.push({ input, at: Date.now() });
          return RECEIPTS;
        },
      },
      { submissionId: 's-receipts', event: 'submission.completed' },
    );
    expect(checks.map((c) => c.input)).toEqual([{ submissionId: 's-receipts', tickets }]);
    expect((checks[0]?.at ?? 0) - pushedAt).toBeGreaterThanOrEqual(1400);
    expect(result).toEqual({ webhook: false, email: false, push: true, receipts: RECEIPTS });
    const history = await handle.fetchHistory();
    const timers = history.events?.filter((e) => e.timerStartedEventAttributes) ?? [];
    expect(timers.map((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds))).toEqual([1]);
    // Two patch markers: voyce-push-v1, and voyce-push-receipts-v1 before the sleep.
    expect(history.events?.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toHaveLength(2);
    if (process.env.RECORD_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES_DIR, 'notify-owner-completed-push-receipts.json'), historyToJSON(history));
    }
  });

  it('checks no receipts when nothing was accepted, and still succeeds when the receipts cannot be fetched', async () => {
    let checked = 0;
    const nothing = await run(
      {
        deliverWebhook: async () => false,
        sendEmail: async () => false,
        sendPush: async () => ({ devices: 1, accepted: 0, refused: 1, unregistered: 0, tickets: [], receiptDelayMs: 1000 }),
        checkPushReceipts: async () => {
          checked++;
          throw new Error('not expected');
        },
      },
      { submissionId: 's-nothing', event: 'submission.completed' },
    );
    expect(nothing.result).toEqual({ webhook: false, email: false, push: false });
    expect(checked).toBe(0);

    const refused = await run(
      {
        deliverWebhook: async () => false,
        sendEmail: async () => false,
        sendPush: async () => ({ ...PUSHED, tickets: [{ id: 'ticket-1', deviceId: 'device-1' }], receiptDelayMs: 1000 }),
        checkPushReceipts: async () => {
          checked++;
          throw ApplicationFailure.nonRetryable('push service refused the request (401)', 'PushRefused');
        },
      },
      { submissionId: 's-receipts-refused', event: 'submission.completed' },
    );
    expect(refused.result).toEqual({ webhook: false, email: false, push: true, receipts: null });
    expect(checked).toBe(1);
  });
});
