import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { signWebhook } from '../webhookSignature';
import { loadOwnerSettings } from './ownerSettings';
import type { NotifyActivityDeps, NotifyInput } from './types';

export const WEBHOOK_REFUSED_ERROR = 'WebhookRefused';

/**
 * The signed webhook to the owner. A receiver's 5xx, 408, 429 or a network error is retried by Temporal with backoff;
 * another 4xx is final. The delivery id is stable across retries, so receivers can drop duplicates.
 */
export function createWebhookActivities(deps: NotifyActivityDeps) {
  return {
    /** Posts the signed event to the owner's webhook, if one is set. Returns whether a delivery was made. */
    async deliverWebhook({ submissionId, event }: NotifyInput): Promise<boolean> {
      const loaded = await loadOwnerSettings(deps, submissionId);
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
  };
}
