/**
 * The worker's receiver of Databricks job-run webhooks (a notification destination of type generic webhook with
 * basic auth). `POST /databricks/run-events` with `{event_type: "jobs.on_success" | "jobs.on_failure" | …, run:
 * {run_id}}` wakes the activities of this worker waiting for that run (`RunEndHub`); they then read the run's
 * state with runs/get themselves, so the body is trusted for nothing but "look now".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEndHub } from '@voyce/activities';
import type { Logger } from '@voyce/core';
import { RUN_EVENTS_PATH, RUN_EVENTS_USER } from '@voyce/core';

export { RUN_EVENTS_PATH, RUN_EVENTS_USER };

const MAX_BODY_BYTES = 64 * 1024;
const END_EVENTS = new Set(['jobs.on_success', 'jobs.on_failure']);

export interface RunEventsReceiver {
  /** host:port it listens on. */
  readonly address: string;
  close(): Promise<void>;
}

/** The Authorization header a destination with this secret sends. */
export const runEventsAuthorization = (secret: string): string =>
  `Basic ${Buffer.from(`${RUN_EVENTS_USER}:${secret}`).toString('base64')}`;

/** Constant-time comparison: both sides hashed first, so neither length nor content leaks through timing. */
export function authorized(header: string | undefined, secret: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(header ?? ''), digest(runEventsAuthorization(secret)));
}

export type ParsedRunEvent = { ok: true; eventType: string; runId: number } | { ok: false; message: string };

/** Reads the Databricks job webhook body; run ids may be numbers or numeric strings. */
export function parseRunEvent(raw: string): ParsedRunEvent {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'body must be JSON' };
  }
  const b = body as { event_type?: unknown; run?: { run_id?: unknown } } | null;
  if (typeof b?.event_type !== 'string' || !b.event_type.startsWith('jobs.')) return { ok: false, message: 'event_type must be a jobs.* event' };
  const rawId = b.run?.run_id;
  const runId = typeof rawId === 'number' ? rawId : typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isSafeInteger(runId) || runId <= 0) return { ok: false, message: 'run.run_id must be a positive integer' };
  return { ok: true, eventType: b.event_type, runId };
}

function answer(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** Starts listening on `host:port`; rejects if the address cannot be bound (e.g. in use). */
export async function startRunEventsReceiver(opts: { address: string; secret: string; hub: RunEndHub; logger: Logger }): Promise<RunEventsReceiver> {
  const { secret, hub, logger } = opts;
  const server = http.createServer((req, res) => {
    if (req.url !== RUN_EVENTS_PATH || req.method !== 'POST') {
      req.resume();
      answer(res, req.url === RUN_EVENTS_PATH ? 405 : 404, { error: { code: 'not_found', message: `POST ${RUN_EVENTS_PATH} only` } });
      return;
    }
    if (!authorized(req.headers.authorization, secret)) {
      req.resume();
      logger.warn({ remote: req.socket.remoteAddress }, 'run event refused: bad credentials');
      answer(res, 401, { error: { code: 'unauthorized', message: 'bad credentials' } }, { 'www-authenticate': 'Basic realm="voyce-run-events"' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return answer(res, 413, { error: { code: 'too_large', message: `body over ${MAX_BODY_BYTES} bytes` } });
      const event = parseRunEvent(Buffer.concat(chunks).toString('utf8'));
      if (!event.ok) return answer(res, 400, { error: { code: 'bad_event', message: event.message } });
      const woke = END_EVENTS.has(event.eventType) ? hub.ended(event.runId) : 0;
      logger.debug({ runId: event.runId, eventType: event.eventType, woke }, 'run event');
      answer(res, 200, { received: true, woke });
    });
  });
  server.keepAliveTimeout = 5_000;
  const [host, port] = splitAddress(opts.address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${bound.address}:${bound.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
