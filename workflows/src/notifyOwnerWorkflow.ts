import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { NotifyInput, SubmissionActivities } from '@voyce/activities';

const PUSH_PATCH = 'voyce-push-v1';

// A receiver may be down for a while: retried for about an hour, then given up (the pipeline's result stands).
const { deliverWebhook, sendEmail } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['WebhookRefused'] },
});

// Expo's push service: the same patience; a request it refuses outright (bad access token, malformed) is final.
const { sendPush } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['PushRefused'] },
});

/**
 * Tells a submission's owner how it ended: a signed webhook, an e-mail and a push to their devices, each retried
 * on its own. The push is behind a patch, so notifications already in flight before it existed replay unchanged.
 */
export async function notifyOwnerWorkflow(input: NotifyInput): Promise<{ webhook: boolean; email: boolean; push: boolean }> {
  const webhookSent = deliverWebhook(input);
  const emailSent = sendEmail(input);
  const pushSent = patched(PUSH_PATCH) ? sendPush(input) : Promise.resolve(null);
  const [webhook, email, push] = await Promise.allSettled([webhookSent, emailSent, pushSent]);
  for (const outcome of [webhook, email, push]) {
    if (outcome.status === 'rejected') log.warn('could not notify the owner', { ...input, error: String(outcome.reason) });
  }
  return {
    webhook: webhook.status === 'fulfilled' && webhook.value,
    email: email.status === 'fulfilled' && email.value,
    push: push.status === 'fulfilled' && (push.value?.accepted ?? 0) > 0,
  };
}
