import { log, proxyActivities } from '@temporalio/workflow';
import type { NotifyInput, SubmissionActivities } from '@voyce/activities';

// A receiver may be down for a while: retried for about an hour, then given up (the pipeline's result stands).
const { deliverWebhook, sendEmail } = proxyActivities<SubmissionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['WebhookRefused'] },
});

/** Tells a submission's owner how it ended: a signed webhook and an e-mail, each retried on its own. */
export async function notifyOwnerWorkflow(input: NotifyInput): Promise<{ webhook: boolean; email: boolean }> {
  const [webhook, email] = await Promise.allSettled([deliverWebhook(input), sendEmail(input)]);
  for (const outcome of [webhook, email]) {
    if (outcome.status === 'rejected') log.warn('could not notify the owner', { ...input, error: String(outcome.reason) });
  }
  return { webhook: webhook.status === 'fulfilled' && webhook.value, email: email.status === 'fulfilled' && email.value };
}
