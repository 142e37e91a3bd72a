import { describe, expect, it, vi } from 'vitest';
import { ApiError, secondsUntilExpiry, ServerUnreachableError, SignedOutError, VoyceApi, type Session, type SessionStore } from './api';

const SERVER = 'https://voyce.example';
const jwt = (expSeconds: number) => `h.${btoa(JSON.stringify({ exp: expSeconds })).replace(/=+$/, '')}.s`;
const NOW = 1_800_000_000_000;
const fresh = () => jwt(NOW / 1000 + 900);

function memoryStore(initial: Session | null): SessionStore & { current: Session | null } {
  const store = {
    current: initial,
    load: async () => store.current,
    save: async (s: Session | null) => void (store.current = s),
  };
  return store;
}

const session = (accessToken: string, refreshToken = 'r1'): Session => ({ server: SERVER, accessToken, refreshToken, user: { id: 'u', username: 'ann' } });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server: access tokens in `valid` pass; refresh rotates r<n> → r<n+1> and refuses a used token. */
function fakeServer(valid: Set<string>) {
  let n = 1;
  const used = new Set<string>();
  const calls: string[] = [];
  const fetchImpl = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const path = String(url).slice(SERVER.length);
    calls.push(path);
    if (path === '/api/auth/refresh') {
      const { refreshToken } = JSON.parse(String(init?.body)) as { refreshToken: string };
      if (used.has(refreshToken) || refreshToken !== `r${n}`) return json(401, { error: { code: 'invalid_refresh_token', message: 'reused' } });
      used.add(refreshToken);
      n += 1;
      const accessToken = fresh() + n;
      valid.add(accessToken);
      return json(200, { accessToken, refreshToken: `r${n}` });
    }
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization?.replace('Bearer ', '');
    if (!auth || !valid.has(auth)) return json(401, { error: { code: 'unauthenticated', message: 'no' } });
    return json(200, { user: { username: 'ann' } });
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, calls };
}

describe('VoyceApi token handling', () => {
  it('renews an access token the server refuses, once, and repeats the request', async () => {
    const store = memoryStore(session(fresh()));
    const server = fakeServer(new Set());
    const api = new VoyceApi(store, server.fetchImpl, () => NOW);
    await expect(api.json('/api/auth/me')).resolves.toEqual({ user: { username: 'ann' } });
    expect(server.calls).toEqual(['/api/auth/me', '/api/auth/refresh', '/api/auth/me']);
    expect(store.current?.refreshToken).toBe('r2');
  });

  it('renews ahead of time when the access token is about to expire', async () => {
    const store = memoryStore(session(jwt(NOW / 1000 + 10)));
    const server = fakeServer(new Set());
    await new VoyceApi(store, server.fetchImpl, () => NOW).json('/api/auth/me');
    expect(server.calls).toEqual(['/api/auth/refresh', '/api/auth/me']);
  });

  it('shares one refresh among concurrent requests (a second use of the token would end the session)', async () => {
    const store = memoryStore(session(fresh()));
    const server = fakeServer(new Set());
    const api = new VoyceApi(store, server.fetchImpl, () => NOW);
    await Promise.all([api.json('/api/auth/me'), api.json('/api/auth/me'), api.json('/api/auth/me')]);
    expect(server.calls.filter((p) => p === '/api/auth/refresh')).toHaveLength(1);
    expect(store.current?.refreshToken).toBe('r2');
  });

  it('signs out when the refresh token is refused', async () => {
    const store = memoryStore(session(fresh(), 'stolen'));
    const api = new VoyceApi(store, fakeServer(new Set()).fetchImpl, () => NOW);
    await expect(api.json('/api/auth/me')).rejects.toBeInstanceOf(SignedOutError);
    expect(store.current).toBeNull();
  });

  it('is signed out without a session, and says so before any request', async () => {
    const server = fakeServer(new Set());
    await expect(new VoyceApi(memoryStore(null), server.fetchImpl).json('/api/auth/me')).rejects.toBeInstanceOf(SignedOutError);
    expect(server.calls).toEqual([]);
  });

  it('tells an unreachable server from an error answer', async () => {
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(new VoyceApi(memoryStore(session(fresh())), down, () => NOW).json('/x')).rejects.toBeInstanceOf(ServerUnreachableError);
    const refusing = (async () => json(413, { error: { code: 'payload_too_large', message: 'too big' } })) as unknown as typeof fetch;
    const err = await new VoyceApi(memoryStore(session(fresh())), refusing, () => NOW).upload(new FormData(), 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 413, code: 'payload_too_large', message: 'too big' });
  });

  it('sends the Idempotency-Key with an upload', async () => {
    const seen: Record<string, string>[] = [];
    const f = (async (_u: string, init: RequestInit) => {
      seen.push(init.headers as Record<string, string>);
      return json(202, { submission: { id: 's1', status: 'pending' } });
    }) as unknown as typeof fetch;
    await expect(new VoyceApi(memoryStore(session(fresh())), f, () => NOW).upload(new FormData(), 'key-1')).resolves.toEqual({ id: 's1', status: 'pending' });
    expect(seen[0]?.['idempotency-key']).toBe('key-1');
    expect(seen[0]?.authorization).toMatch(/^Bearer /);
  });

  it('stores the session an OpenID code exchange gives exactly like a password sign-in', async () => {
    const sent: { url: string; body: unknown }[] = [];
    const f = (async (url: string, init: RequestInit) => {
      sent.push({ url, body: JSON.parse(String(init.body)) });
      if (url.endsWith('/api/auth/oauth/token')) return json(200, { user: { id: 'u', username: 'ann', email: 'ann@example.test', role: 'user' }, accessToken: fresh(), refreshToken: 'r1' });
      return json(400, { error: { code: 'invalid_grant', message: 'The sign-in code is invalid.' } });
    }) as unknown as typeof fetch;
    const store = memoryStore(null);
    const api = new VoyceApi(store, f, () => NOW);
    const s = await api.exchangeOauthCode(SERVER, 'code-1', 'v'.repeat(43));
    expect(sent[0]).toEqual({ url: `${SERVER}/api/auth/oauth/token`, body: { code: 'code-1', code_verifier: 'v'.repeat(43) } });
    expect(store.current).toEqual({ server: SERVER, accessToken: s.accessToken, refreshToken: 'r1', user: { id: 'u', username: 'ann', email: 'ann@example.test' } });
    const refused = new VoyceApi(memoryStore(null), (async () => json(400, { error: { code: 'invalid_grant', message: 'The sign-in code is invalid.' } })) as unknown as typeof fetch);
    await expect(refused.exchangeOauthCode(SERVER, 'used', 'v'.repeat(43))).rejects.toMatchObject({ status: 400, code: 'invalid_grant' });
  });

  it('reads the expiry of a JWT, and null for garbage', () => {
    expect(secondsUntilExpiry(jwt(NOW / 1000 + 60), NOW)).toBe(60);
    expect(secondsUntilExpiry('garbage', NOW)).toBeNull();
  });
});
