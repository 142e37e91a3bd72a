import { EventEmitter } from 'node:events';
import { listenChannel } from './pgChannel';
import type { Logger } from 'pino';
import type { SubmissionStatus } from '../domain/submission';

export interface SubmissionStatusEvent {
  submissionId: string;
  /** The owner (from migration 005 on; older notifications lack it). */
  userId?: string;
  status: SubmissionStatus | 'deleted';
  attempt: number | null;
  detail: { error?: { code: string; message: string } } | null;
  at: string;
}

const CHANNEL = 'submission_events';
const ALL = Symbol('every submission');

/**
 * One LISTEN connection per API process, fanning PostgreSQL notifications of stage changes out to the
 * clients watching each submission. Because every stage change is a row insert with a NOTIFY (trigger in
 * migration 004), a client connected to any replica sees every change, whichever worker made it.
 */
export function createSubmissionEventHub(databaseUrl: string, logger?: Logger) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const channel = listenChannel(
    databaseUrl,
    CHANNEL,
    {
      onPayload(payload) {
        try {
          const event = JSON.parse(payload) as SubmissionStatusEvent;
          emitter.emit(event.submissionId, event);
          emitter.emit(ALL, event);
        } catch (err) {
          logger?.warn({ err }, 'unreadable submission event notification');
        }
      },
    },
    logger,
  );

  return {
    /** Calls `listener` for every stage change of one submission until the returned function is called. */
    async subscribe(submissionId: string, listener: (e: SubmissionStatusEvent) => void): Promise<() => void> {
      await channel.ready();
      emitter.on(submissionId, listener);
      return () => emitter.off(submissionId, listener);
    },
    /** Calls `listener` for every stage change of every submission. */
    async subscribeAll(listener: (e: SubmissionStatusEvent) => void): Promise<() => void> {
      await channel.ready();
      emitter.on(ALL, listener);
      return () => emitter.off(ALL, listener);
    },
    /** Open subscriptions, for the metrics. */
    listenerCount(): number {
      return emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0);
    },
    close: (): Promise<void> => channel.close(),
  };
}

export type SubmissionEventHub = ReturnType<typeof createSubmissionEventHub>;
