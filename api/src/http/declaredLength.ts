import type { IncomingMessage } from 'node:http';

/** The body length the client announced (`Content-Length`), or null for chunked or missing. */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}
