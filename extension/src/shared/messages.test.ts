import { describe, expect, it, vi } from 'vitest';
import { ask, createRequestRouter } from './messages';

const own = { id: 'ext' } as chrome.runtime.MessageSender;
const handlers = () => ({
  'recorder/start': vi.fn(async () => ({ phase: 'recording' as const, startedAt: 1 })),
  'recorder/stop': vi.fn(async () => ({ phase: 'recorded' as const, durationMs: 1200 })),
  'recorder/discard': vi.fn(async () => ({ phase: 'idle' as const })),
  'draft/fromFile': vi.fn(async () => ({ phase: 'recorded' as const })),
  'context/capture': vi.fn(async () => ({ ok: true as const })),
  submit: vi.fn(async (req: { title?: string }) => ({ localId: `id-${req.title ?? ''}` })),
  'auth/login': vi.fn(async () => ({ ok: false as const, message: 'wrong password' })),
  'auth/oauthCode': vi.fn(async (req: { code: string }) => ({ ok: true as const, username: `ann-${req.code}` })),
  'auth/logout': vi.fn(async () => ({ ok: true as const })),
  'server/check': vi.fn(async () => ({ reachable: false as const, message: 'down' })),
  'orgs/list': vi.fn(async () => null),
  'outbox/retryNow': vi.fn(async () => {
    throw new Error('outbox is busy');
  }),
});

/** Delivers a message through the router as chrome.runtime would, answering what sendResponse got. */
function deliver(router: ReturnType<typeof createRequestRouter>, message: unknown, sender = own): Promise<{ async: boolean; answer: unknown }> {
  return new Promise((resolve) => {
    let async = false;
    const done = (answer: unknown) => resolve({ async, answer });
    async = router(message, sender, done);
    if (!async) setTimeout(() => resolve({ async, answer: undefined }), 5);
  });
}

describe('createRequestRouter (service worker side)', () => {
  it('hands a request to its handler, without the type, and answers {ok, value} asynchronously', async () => {
    const h = handlers();
    const router = createRequestRouter(h, (s) => s.id === 'ext');
    const res = await deliver(router, { type: 'submit', title: 'T', include: {} });
    expect(res).toEqual({ async: true, answer: { ok: true, value: { localId: 'id-T' } } });
    expect(h.submit).toHaveBeenCalledWith({ title: 'T', include: {} }, own);
  });

  it('turns a handler error into {ok: false, error}', async () => {
    const router = createRequestRouter(handlers(), () => true);
    expect((await deliver(router, { type: 'outbox/retryNow' })).answer).toEqual({ ok: false, error: 'outbox is busy' });
  });

  it('leaves offscreen commands, recorder events and unknown messages to other listeners', async () => {
    const h = handlers();
    const router = createRequestRouter(h, () => true);
    for (const m of [{ target: 'offscreen', type: 'recorder/start' }, { type: 'recorder/level', level: 0.3 }, { type: 'toString' }, 'hello', null]) {
      expect((await deliver(router, m)).async).toBe(false);
    }
    expect(h['recorder/start']).not.toHaveBeenCalled();
  });

  it('refuses requests from web pages', async () => {
    const h = handlers();
    const router = createRequestRouter(h, (s) => s.id === 'ext' && !s.tab);
    const fromPage = { id: 'ext', tab: { url: 'https://evil.example' } } as chrome.runtime.MessageSender;
    const res = await new Promise<unknown>((resolve) => router({ type: 'auth/logout' }, fromPage, resolve));
    expect(res).toEqual({ ok: false, error: 'messages are accepted from this extension only' });
    expect(h['auth/logout']).not.toHaveBeenCalled();
  });
});

describe('ask (page side)', () => {
  it('round-trips through the router: popup → worker → popup', async () => {
    const router = createRequestRouter(handlers(), () => true);
    const runtime = { sendMessage: (m: unknown) => new Promise((resolve) => router(m, own, resolve)) } as unknown as Pick<typeof chrome.runtime, 'sendMessage'>;
    await expect(ask('recorder/stop', {}, runtime)).resolves.toEqual({ phase: 'recorded', durationMs: 1200 });
    await expect(ask('outbox/retryNow', {}, runtime)).rejects.toThrow('outbox is busy');
  });

  it('fails clearly when nothing answers (the worker is not there)', async () => {
    const runtime = { sendMessage: async () => undefined } as unknown as Pick<typeof chrome.runtime, 'sendMessage'>;
    await expect(ask('server/check', {}, runtime)).rejects.toThrow('no answer to server/check');
  });
});
