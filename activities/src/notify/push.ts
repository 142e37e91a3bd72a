import { Context } from '@temporalio/activity';
import type { Submission, Transcription } from '@voyce/core';
import { chunk, DEVICE_NOT_REGISTERED, postToExpo, type ExpoPushMessage } from '../expoPush';
import type { NotifyActivityDeps, NotifyInput, PushResult, PushTicketRef, SubmissionEventType } from './types';

/** Tokens Expo already answered for, kept across attempts so a retry never pushes to a device twice. */
interface PushCheckpoint {
  answered: string[];
  /** Tickets of the messages already accepted, so a retry still hands them on. */
  tickets?: PushTicketRef[];
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

/** The push to each of the owner's devices through Expo. */
export function createPushActivities(deps: NotifyActivityDeps) {
  return {
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
  };
}
