import net from 'node:net';
import { audioFrames, jsonFrame, WorkerFrameParser, type WorkerMessage } from './workerFrames';

/** Every configured live worker is full (or unreachable): the server-wide cap. */
export class LiveCapacityError extends Error {
  override readonly name = 'LiveCapacityError';
}

export interface WorkerStart {
  encoding: 'pcm_s16le' | 'webm_opus';
  sampleRate: number;
  language?: string | undefined;
}

export interface WorkerHandlers {
  /** partial / final / done / error messages, in order. */
  onMessage(message: WorkerMessage): void;
  /** The connection ended without `done` or `error` (the worker died). */
  onLost(): void;
}

const CONNECT_TIMEOUT_MS = 3_000;
// Past this much audio queued towards the worker, the client's socket is paused until it drains.
const HIGH_WATER_BYTES = 1 << 20;

/** One live session's connection to a worker. */
export class WorkerConnection {
  private ended = false;

  constructor(private readonly socket: net.Socket, parser: WorkerFrameParser, handlers: WorkerHandlers) {
    socket.on('data', (chunk: Buffer) => {
      let messages: WorkerMessage[];
      try {
        messages = parser.push(chunk);
      } catch {
        this.close();
        handlers.onLost();
        return;
      }
      for (const message of messages) {
        if (message.type === 'done' || message.type === 'error') this.ended = true;
        handlers.onMessage(message);
      }
    });
    socket.on('close', () => {
      if (!this.ended) {
        this.ended = true;
        handlers.onLost();
      }
    });
    socket.on('error', () => undefined); // 'close' follows
  }

  /** Queues audio; false when the worker is behind and the sender should pause until `onDrain`. */
  sendAudio(data: Buffer): boolean {
    let ok = true;
    for (const frame of audioFrames(data)) ok = this.socket.write(frame) && ok;
    return ok && this.socket.writableLength < HIGH_WATER_BYTES;
  }

  onDrain(listener: () => void): void {
    this.socket.once('drain', listener);
  }

  stop(): void {
    this.socket.write(jsonFrame({ type: 'stop' }));
  }

  /** Cancel or drop: the worker forgets the session. */
  close(): void {
    this.ended = true;
    if (!this.socket.destroyed) this.socket.end(jsonFrame({ type: 'cancel' }));
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }
}

/** Opens a session on the first worker (from a random start) that has room; LiveCapacityError when none has. */
export async function openWorkerSession(addresses: readonly string[], start: WorkerStart, handlers: WorkerHandlers): Promise<WorkerConnection> {
  const first = Math.floor(Math.random() * addresses.length);
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[(first + i) % addresses.length];
    if (address === undefined) continue;
    const connection = await tryWorker(address, start, handlers).catch(() => null);
    if (connection) return connection;
  }
  throw new LiveCapacityError('Every live recogniser is busy.');
}

function tryWorker(address: string, start: WorkerStart, handlers: WorkerHandlers): Promise<WorkerConnection | null> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const parser = new WorkerFrameParser();
    const timer = setTimeout(() => fail(new Error(`live worker ${address} did not answer`)), CONNECT_TIMEOUT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', fail);
    socket.once('close', () => fail(new Error(`live worker ${address} closed the connection`)));
    const onData = (chunk: Buffer) => {
      let messages: WorkerMessage[];
      try {
        messages = parser.push(chunk);
      } catch (err) {
        fail(err as Error);
        return;
      }
      const answer = messages[0];
      if (!answer) return;
      clearTimeout(timer);
      socket.removeAllListeners();
      if (answer.type !== 'ready') {
        socket.destroy();
        if (answer.type === 'busy') resolve(null);
        else reject(new Error(`live worker ${address} refused the session: ${JSON.stringify(answer)}`));
        return;
      }
      const connection = new WorkerConnection(socket, parser, handlers);
      for (const later of messages.slice(1)) handlers.onMessage(later);
      resolve(connection);
    };
    socket.on('data', onData);
    socket.write(jsonFrame({ type: 'start', ...start }));
  });
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
