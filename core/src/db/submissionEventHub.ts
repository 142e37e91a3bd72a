import { EventEmitter } from 'node:events';
import pg from 'pg';
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
const RECONNECT_MS = 1000;

/**
 * One LISTEN connection per API process, fanning PostgreSQL notifications of stage changes out to the
 * clients watching each submission. Because every stage change is a row insert with a NOTIFY (trigger in
 * migration 004), a client connected to any replica sees every change, whichever worker made it.
 */
export function createSubmissionEventHub(databaseUrl: string, logger?: Logger) {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as SubmissionStatusEvent;
        emitter.emit(event.submissionId, event);
        emitter.emit(ALL, event);
      } catch (err) {
        logger?.warn({ err }, 'unreadable submission event notification');
      }
    });
    c.on('error', (err) => {
      logger?.warn({ err }, 'submission event listener lost its connection; reconnecting');
      client = null;
      void c.end().catch(() => undefined);
      if (!closed) setTimeout(() => void ensure().catch(() => undefined), RECONNECT_MS).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  }

  function ensure(): Promise<void> {
    if (client) return Promise.resolve();
    connecting ??= connect().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  return {
    /** Calls `listener` for every stage change of one submission until the returned function is called. */
    async subscribe(submissionId: string, listener: (e: SubmissionStatusEvent) => void): Promise<() => void> {
      await ensure();
      emitter.on(submissionId, listener);
      return () => emitter.off(submissionId, listener);
    },
    /** Calls `listener` for every stage change of every submission. */
    async subscribeAll(listener: (e: SubmissionStatusEvent) => void): Promise<() => void> {
      await ensure();
      emitter.on(ALL, listener);
      return () => emitter.off(ALL, listener);
    },
    /** Open subscriptions, for the metrics. */
    listenerCount(): number {
      return emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0);
    },
    async close(): Promise<void> {
      closed = true;
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

export type SubmissionEventHub = ReturnType<typeof createSubmissionEventHub>;
