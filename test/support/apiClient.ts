import { randomUUID } from 'node:crypto';

export interface UploadOptions {
  filename?: string;
  fields?: Record<string, string>;
  idempotencyKey?: string;
  token?: string;
}

/** A small typed client of the Voyce HTTP API, as any outside integration would use it. */
export class ApiClient {
  token = '';
  refreshToken = '';
  constructor(readonly baseUrl: string) {}

  async json(method: string, path: string, body?: unknown, token = this.token): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  /** Registers a fresh user and keeps its access token. */
  async registerFresh(): Promise<{ id: string; username: string; email: string }> {
    const name = `u${randomUUID().slice(0, 12).replace(/-/g, '')}`;
    const res = await this.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: 'correct horse battery staple' });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.accessToken;
    this.refreshToken = res.body.refreshToken;
    return res.body.user;
  }

  /** Trades the refresh token for new tokens (access tokens live minutes); false when the API refused. */
  async refresh(): Promise<boolean> {
    const res = await this.json('POST', '/api/auth/refresh', { refreshToken: this.refreshToken }, '');
    if (res.status !== 200) return false;
    this.token = res.body.accessToken;
    this.refreshToken = res.body.refreshToken;
    return true;
  }

  async upload(bytes: Buffer | null, opts: UploadOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const form = new FormData();
    for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
    if (bytes) form.append('audio', new Blob([bytes]), opts.filename ?? 'clip.bin');
    const token = opts.token ?? this.token;
    const res = await fetch(`${this.baseUrl}/api/submissions/upload`, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}) },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  /**
   * Follows the submission's event stream (`GET /:id/events`, Server-Sent Events) as the web app does; the
   * server ends it at a terminal status, then the submission is read once. No polling: a benchmark's client
   * then costs the machine one request and one open socket per submission.
   */
  async waitViaEvents(id: string, timeoutMs = 180_000): Promise<any> {
    const res = await fetch(`${this.baseUrl}/api/submissions/${id}/events`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 200) throw new Error(`events of ${id} answered ${res.status}`);
    await res.text(); // the stream ends after the terminal status event
    const sub = (await this.json('GET', `/api/submissions/${id}`)).body?.submission;
    if (!sub || !['completed', 'rejected', 'failed', 'cancelled'].includes(sub.status)) throw new Error(`events of ${id} ended at status ${sub?.status}`);
    return sub;
  }

  /** Polls the submission until it ends; `pollMs` lets a benchmark poll gently (it must not steal the pipeline's CPU). */
  async waitForTerminal(id: string, timeoutMs = 180_000, pollMs = 200): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.json('GET', `/api/submissions/${id}`);
      const sub = res.body?.submission;
      if (sub && ['completed', 'rejected', 'failed', 'cancelled'].includes(sub.status)) return sub;
      if (Date.now() > deadline) throw new Error(`submission ${id} still ${sub?.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
