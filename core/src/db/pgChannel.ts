import pg from 'pg';
import type { Logger } from 'pino';

export interface PgChannel {
  /** True while the LISTEN connection is up: only then is every notification known to arrive. */
  isLive(): boolean;
  /** Resolves once the connection is listening; rejects if the attempt under way (or the next one) fails. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface PgChannelHandlers {
  onPayload(payload: string): void;
  /** Called when the connection drops: anything derived from notifications may have missed some. */
  onGap?(): void;
}

/**
 * One LISTEN connection on one channel that reconnects by itself. Callers that cache on the strength of
 * notifications must treat `isLive() === false` (and `onGap`) as "the cache may be stale".
 */
export function listenChannel(databaseUrl: string, channel: string, handlers: PgChannelHandlers, logger?: Logger, reconnectMs = 1000): PgChannel {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let waiters: { resolve(): void; reject(err: unknown): void }[] = [];
  const settle = (err?: unknown) => {
    const pending = waiters;
    waiters = [];
    for (const w of pending) if (err === undefined) w.resolve(); else w.reject(err);
  };
  // During an outage one line on the first failed attempt and one a minute after that, not one a second.
  let failures = 0;
  const logFailure = (err: unknown) => {
    if (failures++ % 60 === 0) logger?.warn({ err, channel, attempts: failures }, 'LISTEN connection failed; retrying');
  };

  async function connect(): Promise<void> {
    let c: pg.Client;
    try {
      c = await openClient();
    } catch (err) {
      settle(err);
      throw err;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    if (failures > 0) logger?.info({ channel, attempts: failures }, 'LISTEN connection back');
    failures = 0;
    client = c;
    settle();
  }

  async function openClient(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) handlers.onPayload(msg.payload);
    });
    c.on('error', (err) => {
      logger?.warn({ err, channel }, 'LISTEN connection lost; reconnecting');
      if (client === c) client = null;
      handlers.onGap?.();
      void c.end().catch(() => undefined);
      schedule();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      void c.end().catch(() => undefined);
      throw err;
    }
    return c;
  }

  function schedule(): void {
    if (closed) return;
    setTimeout(() => {
      connect().catch((err: unknown) => {
        logFailure(err);
        schedule();
      });
    }, reconnectMs).unref();
  }

  connect().catch((err: unknown) => {
    logFailure(err);
    schedule();
  });

  return {
    isLive: () => client !== null,
    ready() {
      if (client) return Promise.resolve();
      if (closed) return Promise.reject(new Error(`LISTEN ${channel}: closed`));
      return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    async close() {
      closed = true;
      settle(new Error(`LISTEN ${channel}: closed`));
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
