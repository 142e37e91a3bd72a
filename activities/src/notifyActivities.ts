import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps, NotifierDeps } from './deps';
import { signWebhook } from './webhookSignature';

export type SubmissionEventType = 'submission.completed' | 'submission.failed';

export interface NotifyInput {
  submissionId: string;
  event: SubmissionEventType;
}

export const WEBHOOK_REFUSED_ERROR = 'WebhookRefused';

/**
 * Tells the owner that their submission finished: a signed webhook and/or an e-mail, per their settings.
 * A receiver's 5xx, 408, 429 or a network error is retried by Temporal with backoff; another 4xx is final.
 * The delivery id is stable across retries, so receivers can drop duplicates.
 */
export function createNotifyActivities(deps: Pick<ActivityDeps, 'submissions' | 'results'> & { notifier?: NotifierDeps }) {
  /** The submission and its owner's settings, or null when there is nothing to tell anyone. */
  async function load(submissionId: string) {
    const n = deps.notifier;
    if (!n) return null;
    const sub = await deps.submissions.findById(submissionId);
    if (!sub) return null;
    return { n, sub, settings: await n.settings.get(sub.userId) };
  }

  return {
    /** Posts the signed event to the owner's webhook, if one is set. Returns whether a delivery was made. */
    async deliverWebhook({ submissionId, event }: NotifyInput): Promise<boolean> {
      const loaded = await load(submissionId);
      if (!loaded?.settings.webhookUrl || !loaded.settings.webhookSecret) return false;
      const { n, sub, settings } = loaded;
      const webhookUrl = settings.webhookUrl as string;
      const analysis = event === 'submission.completed' ? await deps.results.findAnalysis(submissionId) : null;
      const { workflowExecution } = Context.current().info;
      const deliveryId = `${workflowExecution?.runId ?? 'run'}:${event}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        id: deliveryId,
        type: event,
        createdAt: new Date().toISOString(),
        data: {
          submission: { id: sub.id, status: sub.status, title: sub.title, category: sub.category, error: sub.progress.error ?? null },
          ...(analysis ? { analysis: { sentiment: analysis.sentiment, intent: analysis.intent, importanceScore: analysis.importanceScore, modelVersion: analysis.modelVersion } } : {}),
        },
      });
      let res: Response;
      try {
        res = await fetch(webhookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Voyce-Webhooks/1',
            'x-voyce-event': event,
            'x-voyce-delivery': deliveryId,
            'x-voyce-timestamp': String(timestamp),
            'x-voyce-signature': signWebhook(settings.webhookSecret as string, timestamp, body),
          },
          body,
          redirect: 'manual', // a redirect could point the signed body somewhere else
          signal: AbortSignal.timeout(n.webhookTimeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        throw new Error(`webhook ${new URL(webhookUrl).host} unreachable: ${(err as Error).message}`);
      }
      if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error(`webhook answered ${res.status}`);
      if (res.status >= 300) throw ApplicationFailure.nonRetryable(`webhook answered ${res.status}; not retried`, WEBHOOK_REFUSED_ERROR);
      return true;
    },

    /** E-mails the owner, if they asked for e-mail. A separate activity, so a webhook retry never re-sends it. */
    async sendEmail({ submissionId, event }: NotifyInput): Promise<boolean> {
      const loaded = await load(submissionId);
      if (!loaded?.settings.emailEnabled) return false;
      const { n, sub } = loaded;
      const user = await n.users.findById(sub.userId);
      if (!user) return false;
      const analysis = event === 'submission.completed' ? await deps.results.findAnalysis(submissionId) : null;
      const what = event === 'submission.completed' ? 'has been transcribed and analysed' : 'could not be processed';
      await n.mailer.send({
        to: user.email,
        subject: `Your feedback "${sub.title ?? 'recording'}" ${what}`,
        text: `Your feedback ${sub.title ? `"${sub.title}" ` : ''}${what}.${analysis ? ` Sentiment: ${analysis.sentiment.label}.` : ''}\n`,
      });
      return true;
    },
  };
}
