/**
 * The framed TCP protocol spoken with a live worker (voyce_ml/live/protocol.py): a kind byte (`J` JSON, `A` audio),
 * a 4-byte big-endian length, the payload.
 */
const HEADER_BYTES = 5;
const MAX_FRAME_BYTES = 1 << 20;

export type WorkerMessage = { type: string } & Record<string, unknown>;

export function jsonFrame(message: Record<string, unknown>): Buffer {
  const payload = Buffer.from(JSON.stringify(message));
  return Buffer.concat([header('J', payload.length), payload]);
}

export function audioFrames(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let at = 0; at < data.length; at += MAX_FRAME_BYTES) {
    const part = data.subarray(at, at + MAX_FRAME_BYTES);
    frames.push(header('A', part.length), part);
  }
  return frames;
}

function header(kind: 'J' | 'A', length: number): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  buf.write(kind, 0, 'latin1');
  buf.writeUInt32BE(length, 1);
  return buf;
}

/** Splits a byte stream from the worker into its JSON messages (the worker sends no audio). */
export class WorkerFrameParser {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): WorkerMessage[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const messages: WorkerMessage[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const length = this.pending.readUInt32BE(1);
      if (length > MAX_FRAME_BYTES) throw new Error(`live worker frame of ${length} bytes is over the limit`);
      if (this.pending.length < HEADER_BYTES + length) break;
      const kind = this.pending.toString('latin1', 0, 1);
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.pending = this.pending.subarray(HEADER_BYTES + length);
      if (kind !== 'J') throw new Error(`unexpected live worker frame kind ${JSON.stringify(kind)}`);
      const message = JSON.parse(payload.toString('utf8')) as unknown;
      if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') {
        throw new Error('live worker message without a type');
      }
      messages.push(message as WorkerMessage);
    }
    return messages;
  }
}
