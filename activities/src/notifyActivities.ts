import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Submission, Transcription } from '@voyce/core';
import type { ActivityDeps, NotifierDeps } from './deps';
import { chunk, DEVICE_NOT_REGISTERED, EXPO_RECEIPTS_CHUNK_SIZE, fetchExpoReceipts, postToExpo, type ExpoPushMessage } from './expoPush';
import { signWebhook } from './webhookSignature';

export type SubmissionEventType = 'submission.completed' | 'submission.failed';

export interface NotifyInput {
  submissionId: string;
  event: SubmissionEventType;
}

export const WEBHOOK_REFUSED_ERROR = 'WebhookRefused';

/** An accepted message: Expo's ticket id (to fetch its receipt by) and the device it went to. */
export interface PushTicketRef {
  id: string;
  deviceId: string;
}

/** What one `sendPush` did: messages Expo accepted, refused, and dead tokens removed from the devices table. */
export interface PushResult {
  devices: number;
  accepted: number;
  refused: number;
  unregistered: number;
  /** One per accepted message, for `checkPushReceipts` (absent from results recorded before receipts were checked). */
  tickets?: PushTicketRef[];
  /** How long to wait before fetching the receipts (the worker's EXPO_PUSH_RECEIPT_DELAY_SECONDS). */
  receiptDelayMs?: number;
}

/** Tokens Expo already answered for, kept across attempts so a retry never pushes to a device twice. */
interface PushCheckpoint {
  answered: string[];
  /** Tickets of the messages already accepted, so a retry still hands them on. */
  tickets?: PushTicketRef[];
}

export interface CheckPushReceiptsInput {
  submissionId: string;
  tickets: PushTicketRef[];
}

/** What one `checkPushReceipts` found: receipts ok, not there (yet), errors by code, and devices removed. */
export interface PushReceiptsResult {
  tickets: number;
  ok: number;
  missing: number;
  /** Receipt errors by Expo's code (DeviceNotRegistered, MessageRateExceeded, ...). */
  errors: Record<string, number>;
  /** Devices deleted because their receipt said DeviceNotRegistered. */
  unregistered: number;
}

/** Receipt chunks already handled, and what they found, so a retry asks Expo only for the rest. */
interface ReceiptsCheckpoint {
  chunksDone: number;
  result: PushReceiptsResult;
}

const PUSH_PREVIEW_WORDS = 12;

/** The first words of the transcript, as a notification preview. */
export function previewOf(text: string, words = PUSH_PREVIEW_WORDS): string {
  const all = text.trim().split(/\s+/).filter(Boolean);
  const head = all.slice(0, words).join(' ');
  return all.length > words ? `${head}…` : head;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Title and body of the push for a finished submission (Expo caps the whole payload at 4 KB; these stay far below). */
export function pushContent(event: SubmissionEventType, sub: Pick<Submission, 'title' | 'progress'>, transcription: Pick<Transcription, 'text'> | null): { title: string; body: string } {
  const name = sub.title ? `“${clip(sub.title, 60)}”` : 'Your feedback';
  if (event === 'submission.completed') {
    const preview = transcription ? previewOf(transcription.text) : '';
    return { title: `${name} is ready`, body: preview ? clip(preview, 178) : 'The transcript and analysis are ready.' };
  }
  return { title: `${name} could not be processed`, body: clip(sub.progress.error?.message || 'Something went wrong; you can try again.', 178) };
}

/**
 * Tells the owner that their submission finished: a signed webhook and/or an e-mail, per their settings, and a push
 * to each of their devices. A receiver's 5xx, 408, 429 or a network error is retried by Temporal with backoff;
 * another 4xx is final.
 * The delivery id is stable across retries, so receivers can drop duplicates.
 */
export function createNotifyActivities(deps: Pick<ActivityDeps, 'submissions' | 'results' | 'logger'> & { notifier?: NotifierDeps }) {
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

    /**
     * Pushes the outcome to every device of the owner through Expo's push API, in chunks of at most 100.
     * Expo down (network error, 429, 5xx) throws and Temporal retries; tokens Expo has already answered for are
     * checkpointed in the heartbeat, so a retry sends only to the rest. Tokens reported `DeviceNotRegistered` are
     * deleted; other refusals are logged.
     */
    async sendPush({ submissionId, event }: NotifyInput): Promise<PushResult> {
      const push = deps.notifier?.push;
      if (!push) return { devices: 0, accepted: 0, refused: 0, unregistered: 0, tickets: [] };
      const none: PushResult = { devices: 0, accepted: 0, refused: 0, unregistered: 0, tickets: [], receiptDelayMs: push.receiptDelayMs };
      const sub = await deps.submissions.findById(submissionId);
      if (!sub) return none;
      const devices = await push.devices.listForUser(sub.userId);
      if (devices.length === 0) return none;

      const ctx = Context.current();
      const checkpoint = ctx.info.heartbeatDetails as PushCheckpoint | undefined;
      const answered = new Set(checkpoint?.answered ?? []);
      const tickets: PushTicketRef[] = [...(checkpoint?.tickets ?? [])];
      const transcription = event === 'submission.completed' ? await deps.results.findTranscription(submissionId) : null;
      const { title, body } = pushContent(event, sub, transcription);
      const status = event === 'submission.completed' ? 'completed' : 'failed';
      const messages: ExpoPushMessage[] = devices
        .filter((d) => !answered.has(d.pushToken))
        .map((d) => ({ to: d.pushToken, title, body, sound: 'default', data: { submissionId, status } }));
      const deviceOf = new Map(devices.map((d) => [d.pushToken, d.id]));

      const result: PushResult = { ...none, devices: devices.length, tickets };
      for (const part of chunk(messages)) {
        const answers = await postToExpo(push, part);
        const dead: string[] = [];
        answers.forEach((ticket, i) => {
          const token = (part[i] as ExpoPushMessage).to;
          answered.add(token);
          if (ticket.status === 'ok') {
            result.accepted++;
            const deviceId = deviceOf.get(token);
            if (ticket.id && deviceId) tickets.push({ id: ticket.id, deviceId });
          } else if (ticket.details?.error === DEVICE_NOT_REGISTERED) {
            dead.push(token);
          } else {
            result.refused++;
            deps.logger?.warn({ submissionId, deviceId: deviceOf.get(token), error: ticket.details?.error, message: ticket.message }, 'push refused for a device');
          }
        });
        if (dead.length > 0) {
          result.unregistered += await push.devices.deleteByTokens(dead);
          deps.logger?.info({ submissionId, devices: dead.map((t) => deviceOf.get(t)) }, 'removed devices the push service no longer knows');
        }
        ctx.heartbeat({ answered: [...answered], tickets } satisfies PushCheckpoint);
      }
      return result;
    },

    /**
     * Fetches the receipts of the tickets `sendPush` got (Expo reports some delivery errors only there), in chunks
     * of at most 1000 ids, and deletes the devices whose receipt says `DeviceNotRegistered`; other receipt errors
     * are logged with their counts. Expo down throws and Temporal retries, as for `sendPush`; chunks already
     * handled are checkpointed in the heartbeat. Tickets without a receipt (not ready, or expired) are counted.
     */
    async checkPushReceipts({ submissionId, tickets }: CheckPushReceiptsInput): Promise<PushReceiptsResult> {
      const ctx = Context.current();
      const checkpoint = ctx.info.heartbeatDetails as ReceiptsCheckpoint | undefined;
      const result: PushReceiptsResult = checkpoint?.result ?? { tickets: tickets.length, ok: 0, missing: 0, errors: {}, unregistered: 0 };
      const push = deps.notifier?.push;
      if (!push || tickets.length === 0) return result;
      const chunks = chunk(tickets, EXPO_RECEIPTS_CHUNK_SIZE);
      for (let i = checkpoint?.chunksDone ?? 0; i < chunks.length; i++) {
        const part = chunks[i] as PushTicketRef[];
        const receipts = await fetchExpoReceipts(push, part.map((t) => t.id));
        const dead: string[] = [];
        for (const ticket of part) {
          const receipt = receipts[ticket.id];
          if (!receipt) {
            result.missing++;
          } else if (receipt.status === 'ok') {
            result.ok++;
          } else {
            const code = receipt.details?.error ?? 'unknown';
            result.errors[code] = (result.errors[code] ?? 0) + 1;
            if (code === DEVICE_NOT_REGISTERED) dead.push(ticket.deviceId);
          }
        }
        if (dead.length > 0) {
          result.unregistered += await push.devices.deleteByIds(dead);
          deps.logger?.info({ submissionId, devices: dead }, 'removed devices whose push receipt said DeviceNotRegistered');
        }
        ctx.heartbeat({ chunksDone: i + 1, result } satisfies ReceiptsCheckpoint);
      }
      const otherErrors = Object.entries(result.errors).filter(([code]) => code !== DEVICE_NOT_REGISTERED);
      if (otherErrors.length > 0) {
        deps.logger?.warn({ submissionId, errors: Object.fromEntries(otherErrors), tickets: result.tickets }, 'push receipts report delivery errors');
      }
      if (result.missing > 0) deps.logger?.info({ submissionId, missing: result.missing, tickets: result.tickets }, 'push receipts not available');
      return result;
    },
  };
}
