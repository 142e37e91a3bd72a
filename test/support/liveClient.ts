import WebSocket from 'ws';

export interface LiveMessage {
  type: string;
  at: number;
  [key: string]: any;
}

export interface LiveResult {
  messages: LiveMessage[];
  closeCode: number;
  finals: string;
}

/** A `/api/live` session from a test or benchmark: connect, then drive it with `send*`; `closed` resolves at close. */
export class LiveClient {
  readonly messages: LiveMessage[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<LiveResult>;
  readonly opened: Promise<void>;

  constructor(apiUrl: string, token: string | null, opts: { header?: boolean } = {}) {
    const base = apiUrl.replace(/^http/, 'ws') + '/api/live';
    const url = token && !opts.header ? `${base}?access_token=${encodeURIComponent(token)}` : base;
    this.ws = new WebSocket(url, token && opts.header ? { headers: { authorization: `Bearer ${token}` } } : {});
    this.ws.on('message', (data, binary) => {
      if (!binary) this.messages.push({ ...(JSON.parse(String(data)) as object), at: Date.now() } as LiveMessage);
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code) =>
        resolve({ messages: this.messages, closeCode: code, finals: this.messages.filter((m) => m.type === 'final').map((m) => m.text).join(' ') }),
      );
    });
    this.closed.catch(() => undefined);
  }

  sendJson(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  async waitFor(type: string, timeoutMs = 15_000): Promise<LiveMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.type === type);
      if (found) return found;
      if (Date.now() > deadline || this.ws.readyState === WebSocket.CLOSED) throw new Error(`no ${type} message (got ${this.messages.map((m) => m.type).join(', ')})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends `chunks` one every `intervalMs` (real time for 100 ms frames at 100). */
  async stream(chunks: readonly Buffer[], intervalMs: number): Promise<void> {
    const start = Date.now();
    for (let i = 0; i < chunks.length; i++) {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const chunk = chunks[i];
      if (chunk) this.ws.send(chunk);
      const wait = start + (i + 1) * intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Splits `data` into pieces of `size` bytes. */
export function chunk(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

/** Raw 16 kHz mono s16le samples of a WAV file made by test/support/speech (its data chunk after the header). */
export function pcmOfWav(wav: Buffer): Buffer {
  const at = wav.indexOf('data', 12, 'latin1');
  return wav.subarray(at + 8);
}
