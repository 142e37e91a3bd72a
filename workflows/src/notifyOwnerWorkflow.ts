import { log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { NotifyInput, PushReceiptsResult, PushResult, SubmissionActivities } from '@voyce/activities';

const PUSH_PATCH = 'voyce-push-v1';
const PUSH_RECEIPTS_PATCH = 'voyce-push-receipts-v1';

/** Wait before fetching receipts when sendPush names none (Expo suggests about 15 minutes; receipts last about a day). */
const DEFAULT_RECEIPT_DELAY_MS = 15 * 60 * 1000;

// A receiver may be down for a while: retried for about an hour, then given up (the pipeline's result stands).
const { deliverWebhook, sendEmail } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['WebhookRefused'] },
});

// Expo's push service (send and receipts): the same patience; a request it refuses outright (bad access token, malformed) is final.
const { sendPush, checkPushReceipts } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['PushRefused'] },
});

export interface NotifyOwnerResult {
  webhook: boolean;
  email: boolean;
  push: boolean;
  /** What the push receipts said, when any accepted push was followed up (absent before the receipts patch). */
  receipts?: PushReceiptsResult | null;
}

/**
 * Tells a submission's owner how it ended: a signed webhook, an e-mail and a push to their devices, each retried
 * on its own. The push is behind a patch, so notifications already in flight before it existed replay unchanged.
 * Behind a second patch, accepted pushes are followed up: after a durable sleep (the worker's receipt delay) their
 * receipts are fetched, and devices Expo reports as `DeviceNotRegistered` only then are deleted.
 */
export async function notifyOwnerWorkflow(input: NotifyInput): Promise<NotifyOwnerResult> {
  const webhookSent = deliverWebhook(input);
  const emailSent = sendEmail(input);
  const pushSent = patched(PUSH_PATCH) ? sendPush(input) : Promise.resolve(null);
  const [webhook, email, push] = await Promise.allSettled([webhookSent, emailSent, pushSent]);
  for (const outcome of [webhook, email, push]) {
    if (outcome.status === 'rejected') log.warn('could not notify the owner', { ...input, error: String(outcome.reason) });
  }
  const result: NotifyOwnerResult = {
    webhook: webhook.status === 'fulfilled' && webhook.value,
    email: email.status === 'fulfilled' && email.value,
    push: push.status === 'fulfilled' && (push.value?.accepted ?? 0) > 0,
  };
  const pushed = push.status === 'fulfilled' ? push.value : null;
  if (pushed?.tickets?.length && patched(PUSH_RECEIPTS_PATCH)) result.receipts = await followUpReceipts(input, pushed);
  return result;
}

/** Sleeps, then checks the push receipts; a failure is logged (the notifications already went out). */
async function followUpReceipts({ submissionId }: NotifyInput, pushed: PushResult): Promise<PushReceiptsResult | null> {
  await sleep(pushed.receiptDelayMs ?? DEFAULT_RECEIPT_DELAY_MS);
  try {
    return await checkPushReceipts({ submissionId, tickets: pushed.tickets ?? [] });
  } catch (err) {
    log.warn('could not check the push receipts', { submissionId, error: String(err) });
    return null;
  }
}
