import type { ApiClient } from './client';

/** A recognised word: seconds of audio from the first frame (API.md "Live transcription"). */
export interface LiveWord {
  word: string;
  start: number;
  end: number;
}

export interface LiveStart {
  encoding: 'pcm_s16le' | 'webm_opus';
  sampleRate?: number;
  title?: string;
  description?: string;
  category?: string;
  language?: string;
  orgId?: string;
  context?: Record<string, unknown>;
}

/** The server's messages on `/api/live`. */
export type LiveServerMessage =
  | { type: 'ready'; sessionId: string }
  | { type: 'partial'; text: string; words: LiveWord[] }
  | { type: 'final'; text: string; words: LiveWord[] }
  | { type: 'submission'; submission: { id: string; status: string; [key: string]: unknown } }
  | { type: 'error'; error: { code: string; message: string } };

/** Why a live session ended without a submission: the caller falls back to recording and uploading. */
export class LiveError extends Error {
  constructor(readonly code: string, message: string, readonly closeCode?: number) {
    super(message);
    this.name = 'LiveError';
  }
}

/** The part of the browser's WebSocket this needs (the `ws` package's fits too, for tests). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => unknown) | null;
  onmessage: ((ev: { data: unknown }) => unknown) | null;
  onclose: ((ev: { code: number; reason: string }) => unknown) | null;
  onerror: ((ev: unknown) => unknown) | null;
}

export interface LiveOptions {
  /** Settled words, in order, each time more are settled. */
  onFinal?: (text: string, words: LiveWord[]) => void;
  /** The unsettled tail (replaces the previous one). */
  onPartial?: (text: string, words: LiveWord[]) => void;
  /** The session ended before a submission (socket failure, server error): `done` rejects with the same error. */
  onFailure?: (error: LiveError) => void;
  createWebSocket?: (url: string) => WebSocketLike;
  /** How long `open` waits for `ready` (ms). */
  readyTimeoutMs?: number;
}

const OPEN = 1;

/**
 * One `/api/live` session over WebSocket: `open` connects with the access token and sends `start`, resolving at
 * `ready`; `send` forwards audio frames; `stop` resolves with the submission the server made of the recording.
 * Any failure rejects (LiveError), so the caller can keep its own copy of the audio and upload it instead.
 */
export class LiveSession {
  /** All `final` texts joined: the live transcript so far. */
  settled = '';
  /** The latest unsettled tail. */
  tail = '';
  private ws: WebSocketLike | null = null;
  private ended = false;
  private submission: ((s: { id: string; status: string }) => void) | null = null;
  private failed: ((e: LiveError) => void) | null = null;
  private lastError: LiveError | null = null;

  private constructor(private readonly opts: LiveOptions) {}

  static async open(client: ApiClient, start: LiveStart, opts: LiveOptions = {}): Promise<LiveSession> {
    const session = new LiveSession(opts);
    await session.connect(client, start);
    return session;
  }

  private async connect(client: ApiClient, start: LiveStart): Promise<void> {
    const token = await client.accessToken();
    if (!token) throw new LiveError('unauthenticated', 'Not signed in.');
    const http = await client.url(`/api/live?access_token=${encodeURIComponent(token)}`);
    const url = new URL(http, typeof location !== 'undefined' ? location.href : undefined).toString().replace(/^http/, 'ws');
    const create = this.opts.createWebSocket ?? ((u: string) => new WebSocket(u) as unknown as WebSocketLike);
    const ws = create(url);
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new LiveError('live_timeout', 'The live service did not answer.'));
        ws.close();
      }, this.opts.readyTimeoutMs ?? 10_000);
      const settle = (err?: LiveError) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      ws.onopen = () => ws.send(JSON.stringify({ type: 'start', sampleRate: 16000, ...start }));
      ws.onerror = () => undefined; // onclose follows with the code
      ws.onclose = (ev) => {
        const err = this.lastError ?? new LiveError('live_unreachable', `The live connection closed (${ev.code}).`, ev.code);
        this.end(err);
        settle(err);
      };
      ws.onmessage = (ev) => {
        const msg = parse(ev.data);
        if (!msg) return;
        if (msg.type === 'ready') settle();
        this.onMessage(msg);
      };
    });
  }

  private onMessage(msg: LiveServerMessage): void {
    switch (msg.type) {
      case 'final':
        this.settled = this.settled ? `${this.settled} ${msg.text}` : msg.text;
        this.tail = '';
        this.opts.onFinal?.(msg.text, msg.words);
        break;
      case 'partial':
        this.tail = msg.text;
        this.opts.onPartial?.(msg.text, msg.words);
        break;
      case 'submission':
        this.ended = true;
        this.submission?.(msg.submission);
        break;
      case 'error':
        this.lastError = new LiveError(msg.error.code, msg.error.message);
        break;
      case 'ready':
        break;
    }
  }

  private end(err: LiveError): void {
    if (this.ended) return;
    this.ended = true;
    this.failed?.(err);
    this.opts.onFailure?.(err);
  }

  /** True while audio can be sent. */
  get isOpen(): boolean {
    return !this.ended && this.ws?.readyState === OPEN;
  }

  /** Forwards one audio frame in the session's encoding. */
  async send(frame: Blob | ArrayBuffer | Uint8Array): Promise<void> {
    if (!this.isOpen) return;
    const data = frame instanceof Blob ? await frame.arrayBuffer() : frame;
    if (this.isOpen) this.ws?.send(data);
  }

  /** Ends the recording; resolves with the submission made of it (rejects if the session failed). */
  stop(timeoutMs = 10_000): Promise<{ id: string; status: string }> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(this.lastError ?? new LiveError('live_unreachable', 'The live session is no longer open.'));
      const timer = setTimeout(() => {
        reject(new LiveError('live_timeout', 'The live service did not confirm the recording in time.'));
        this.cancel();
      }, timeoutMs);
      this.submission = (s) => {
        clearTimeout(timer);
        resolve(s);
      };
      this.failed = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.ws?.send(JSON.stringify({ type: 'stop' }));
    });
  }

  /** Ends the session keeping nothing on the server. */
  cancel(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.ws?.readyState === OPEN) this.ws.send(JSON.stringify({ type: 'cancel' }));
    this.ws?.close();
  }
}

function parse(data: unknown): LiveServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data) as LiveServerMessage;
    return typeof msg?.type === 'string' ? msg : null;
  } catch {
    return null;
  }
}
