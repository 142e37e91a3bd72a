import { createEmailActivities } from './email';
import { createPushActivities } from './push';
import { createReceiptsActivities } from './receipts';
import type { NotifyActivityDeps } from './types';
import { createWebhookActivities } from './webhook';

/**
 * Tells the owner that their submission finished: a signed webhook and/or an e-mail, per their settings, and a push
 * to each of their devices, whose receipts are checked later. One activity per channel, so a retry of one never
 * repeats another.
 */
export function createNotifyActivities(deps: NotifyActivityDeps) {
  return {
    ...createWebhookActivities(deps),
    ...createEmailActivities(deps),
    ...createPushActivities(deps),
    ...createReceiptsActivities(deps),
  };
}

export type { CheckPushReceiptsInput, NotifyActivityDeps, NotifyInput, PushReceiptsResult, PushResult, PushTicketRef, SubmissionEventType } from './types';
export { WEBHOOK_REFUSED_ERROR } from './webhook';
export { previewOf, pushContent } from './push';
