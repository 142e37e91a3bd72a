import type { Request, Response } from 'express';

const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * After answering early (413, 415, ...) the client may still be sending. Reading a bounded amount more lets
 * ordinary clients see the answer instead of a reset; past the bound the connection is closed.
 */
export function discardRestOfBody(req: Request, res: Response): void {
  if (req.complete || req.readableEnded) return;
  res.setHeader('Connection', 'close');
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}
