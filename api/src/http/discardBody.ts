import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much more of a refused body is read and thrown away before the connection is cut (nginx: lingering close). */
export const LINGER_MAX_BYTES = 64 * 1024 * 1024;
/** How long, in all, a refused body may keep arriving. */
export const LINGER_MAX_MS = 30_000;
/** How long the client may stay silent while we linger. */
export const LINGER_IDLE_MS = 5_000;

export interface LingerBounds {
  maxBytes: number;
  maxMs: number;
  idleMs: number;
}

const DEFAULT_BOUNDS: LingerBounds = { maxBytes: LINGER_MAX_BYTES, maxMs: LINGER_MAX_MS, idleMs: LINGER_IDLE_MS };

/**
 * After answering early (413, 415, ...) the client may still be sending. Many clients (Python's urllib, most
 * mobile stacks) write the whole body before they read anything: closing the socket while their bytes still
 * arrive makes the kernel send a reset, which throws away the answer on their side. So the rest of the body is
 * read and discarded — bounded in bytes and time — and the connection stays open until the body has ended, then
 * closes; past a bound it is cut. The answer itself goes out at once.
 *
 * Node's own `Connection: close` handling destroys the socket as soon as the answer is written (a reset under
 * an unread body), so the close is done here, after the body, instead.
 */
export function discardRestOfBody(req: IncomingMessage, res: ServerResponse, bounds: LingerBounds = DEFAULT_BOUNDS): void {
  if (req.complete || req.readableEnded) return;
  const socket = req.socket;
  let drained = 0;
  const cut = () => {
    cleanup();
    socket.destroy();
  };
  const total = setTimeout(cut, bounds.maxMs);
  let idle = setTimeout(cut, bounds.idleMs);
  const cleanup = () => {
    clearTimeout(total);
    clearTimeout(idle);
  };
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    clearTimeout(idle);
    if (drained > bounds.maxBytes) return cut();
    idle = setTimeout(cut, bounds.idleMs);
  });
  req.once('end', () => {
    cleanup();
    // The body is in: close once the answer is out, so the connection does not carry a half-refused request.
    if (res.writableFinished) socket.end();
    else res.once('finish', () => socket.end());
  });
  req.once('close', cleanup);
  req.resume();
}
