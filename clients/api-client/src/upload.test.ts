import { ApiClient } from './client';
import { followEvents, type EventSourceLike } from './events';
import type { TokenStore } from './tokenStore';
import { uploadFormData, uploadSubmission } from './upload';

const store = (): TokenStore & { refreshToken: string } => {
  const s = { refreshToken: 'r1', accessToken: 'a1' as string | null };
  return Object.assign(s, { load: () => s, save: (t: { accessToken: string; refreshToken?: string }) => void Object.assign(s, t), clear: () => undefined });
};
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('uploadSubmission', () => {
  it('builds the form anew for the retry after a 401 and keeps the idempotency key', async () => {
    const seen: { auth: string | null; key: string | null; form: FormData }[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      if (req.url.endsWith('/api/auth/refresh')) return json(200, { accessToken: 'a2', refreshToken: 'r2' });
      seen.push({ auth: req.headers.get('authorization'), key: req.headers.get('idempotency-key'), form: await req.formData() });
      return seen.length === 1 ? json(401, {}) : json(202, { submission: { id: 's1', status: 'pending' } });
    }) as typeof globalThis.fetch;
    const client = new ApiClient({ baseUrl: 'http://voyce.test', store: store(), fetch });
    let built = 0;
    const form = () => {
      built += 1;
      return uploadFormData({ audio: new Blob(['RIFF'], { type: 'audio/wav' }), fileName: 'a.wav', fields: { title: 'Hi', category: '' }, context: { client: 'test' } });
    };
    await expect(uploadSubmission(client, form, { idempotencyKey: 'k1' })).resolves.toEqual({ id: 's1', status: 'pending' });
    expect(built).toBe(2);
    expect(seen.map((s) => [s.auth, s.key])).toEqual([['Bearer a1', 'k1'], ['Bearer a2', 'k1']]);
    const sent = seen[1]!.form;
    expect([sent.get('title'), sent.get('category'), sent.get('context'), (sent.get('audio') as File).name]).toEqual(['Hi', null, '{"client":"test"}', 'a.wav']);
  });

  it('anything but 202 is the server error as ApiError', async () => {
    const fetch = (async () => json(415, { error: { code: 'unsupported_media_type', message: 'not audio' } })) as typeof globalThis.fetch;
    const client = new ApiClient({ baseUrl: 'http://voyce.test', store: store(), fetch });
    await expect(uploadSubmission(client, () => new FormData(), { idempotencyKey: 'k' })).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });
});

describe('followEvents', () => {
  class FakeSource implements EventSourceLike {
    static opened: FakeSource[] = [];
    listeners = new Map<string, (msg: MessageEvent<string>) => void>();
    onerror: ((ev: Event) => unknown) | null = null;
    closed = false;
    constructor(readonly url: string) {
      FakeSource.opened.push(this);
    }
    addEventListener(type: string, listener: (msg: MessageEvent<string>) => void) {
      this.listeners.set(type, listener);
    }
    close() {
      this.closed = true;
    }
    emit(data: unknown) {
      this.listeners.get('status')?.({ data: JSON.stringify(data) } as MessageEvent<string>);
    }
  }

  it('reconnects after a drop with the token in the query, and stops at the last event', async () => {
    const timers: (() => void)[] = [];
    const client = new ApiClient({ baseUrl: 'http://voyce.test', store: store(), fetch: (async () => json(200, { accessToken: 'a2', refreshToken: 'r2' })) as typeof fetch });
    const events: unknown[] = [];
    followEvents<{ status: string }>(client, '/api/submissions/s1/events', {
      createEventSource: (url) => new FakeSource(url),
      setTimer: (run) => timers.push(run),
      onEvent: (e) => {
        events.push(e.status);
        return e.status === 'completed';
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    const first = FakeSource.opened[0]!;
    expect(first.url).toBe('http://voyce.test/api/submissions/s1/events?access_token=a1');
    first.emit({ status: 'stored' });
    first.onerror?.(new Event('error'));
    expect(first.closed).toBe(true);
    timers.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    const second = FakeSource.opened[1]!;
    second.emit({ status: 'completed' });
    expect(events).toEqual(['stored', 'completed']);
    expect(second.closed).toBe(true);
  });
});
