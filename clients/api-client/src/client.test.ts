import { ApiClient } from './client';
import { ApiError, NetworkError, SignedOutError } from './errors';
import type { StoredTokens, TokenStore } from './tokenStore';

const NOW = 1_800_000_000_000;
const jwt = (expSeconds: number, tag = 'x') => `h.${btoa(JSON.stringify({ exp: expSeconds, tag })).replace(/=+$/, '')}.s`;
const fresh = (tag = 'x') => jwt(NOW / 1000 + 900, tag);

function memoryStore(initial: StoredTokens | null): TokenStore & { current: StoredTokens | null } {
  const store = {
    current: initial,
    load: () => store.current,
    save: (t: { accessToken: string; refreshToken?: string }) => {
      store.current = { ...store.current, ...t };
    },
    clear: () => {
      store.current = null;
    },
  };
  return store;
}

type Handler = (req: Request) => Response | Promise<Response>;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fake server: `METHOD /path` -> handler; records what it was asked. */
function server(routes: Record<string, Handler>) {
  const calls: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(req.clone());
    const handler = routes[`${req.method} ${new URL(req.url).pathname}`];
    if (!handler) throw new Error(`unexpected ${req.method} ${req.url}`);
    return handler(req);
  }) as typeof globalThis.fetch;
  return { calls, fetch, paths: () => calls.map((r) => new URL(r.url).pathname) };
}

const client = (store: TokenStore, fetch: typeof globalThis.fetch, extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) =>
  new ApiClient({ baseUrl: 'http://voyce.test/', store, fetch, now: () => NOW, ...extra });

describe('ApiClient refresh', () => {
  it('concurrent 401s share one refresh and every request is sent again with the new token', async () => {
    const store = memoryStore({ accessToken: fresh('old'), refreshToken: 'r1' });
    const renewed = fresh('new');
    let refreshes = 0;
    const s = server({
      'GET /api/auth/me': (req) => (req.headers.get('authorization') === `Bearer ${renewed}` ? json(200, { user: { id: 'u' } }) : json(401, {})),
      'POST /api/auth/refresh': async (req) => {
        refreshes += 1;
        expect(await req.json()).toEqual({ refreshToken: 'r1' });
        await new Promise((r) => setTimeout(r, 20));
        return json(200, { accessToken: renewed, refreshToken: 'r2' });
      },
    });
    const api = client(store, s.fetch);
    await expect(Promise.all([api.call('get', '/api/auth/me'), api.call('get', '/api/auth/me'), api.call('get', '/api/auth/me')])).resolves.toHaveLength(3);
    expect(refreshes).toBe(1);
    expect(store.current).toEqual({ accessToken: renewed, refreshToken: 'r2' });
  });

  it('renews before sending when the access token has under 30 s left', async () => {
    const store = memoryStore({ accessToken: jwt(NOW / 1000 + 10), refreshToken: 'r1' });
    const s = server({
      'POST /api/auth/refresh': () => json(200, { accessToken: fresh(), refreshToken: 'r2' }),
      'GET /api/auth/me': () => json(200, { user: { id: 'u' } }),
    });
    await client(store, s.fetch).call('get', '/api/auth/me');
    expect(s.paths()).toEqual(['/api/auth/refresh', '/api/auth/me']);
  });

  it('a refused refresh clears the store: ApiError 401, or SignedOutError when asked for', async () => {
    const routes = { 'GET /api/auth/me': () => json(401, { error: { code: 'unauthenticated', message: 'expired' } }), 'POST /api/auth/refresh': () => json(401, {}) };
    const plain = memoryStore({ accessToken: fresh(), refreshToken: 'r1' });
    await expect(client(plain, server(routes).fetch).call('get', '/api/auth/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(plain.current).toBeNull();
    const strict = memoryStore({ accessToken: fresh(), refreshToken: 'r1' });
    await expect(client(strict, server(routes).fetch, { signedOutError: true }).call('get', '/api/auth/me')).rejects.toBeInstanceOf(SignedOutError);
    expect(strict.current).toBeNull();
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    const store = memoryStore({ accessToken: fresh(), refreshToken: 'r1' });
    const s = server({
      'GET /api/auth/me': () => json(401, {}),
      'POST /api/auth/refresh': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(client(store, s.fetch).call('get', '/api/auth/me')).rejects.toMatchObject({ status: 401 });
    expect(store.current?.refreshToken).toBe('r1');
  });

  it('cookie mode: the header, same-origin credentials, an empty body; a held body token is presented once', async () => {
    const store = memoryStore({ accessToken: null, refreshToken: 'legacy' });
    const bodies: unknown[] = [];
    const s = server({
      'POST /api/auth/refresh': async (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        expect(req.credentials).toBe('same-origin');
        const body = await req.json();
        bodies.push(body);
        return body.refreshToken ? json(401, {}) : json(200, { accessToken: fresh('c') });
      },
    });
    await expect(client(store, s.fetch, { refreshMode: 'cookie' }).refresh()).resolves.toEqual({ kind: 'renewed', accessToken: fresh('c') });
    expect(bodies).toEqual([{ refreshToken: 'legacy' }, {}]);
  });

  it('without a session: no request at all under signedOutError', async () => {
    const s = server({});
    await expect(client(memoryStore(null), s.fetch, { signedOutError: true }).json('/api/auth/me')).rejects.toBeInstanceOf(SignedOutError);
    expect(s.calls).toHaveLength(0);
  });
});

describe('ApiClient errors', () => {
  it('maps the error body, its field details and Retry-After', async () => {
    const s = server({
      'POST /api/auth/login': () => json(422, { error: { code: 'validation_failed', message: 'Invalid request', details: [{ field: 'login', message: 'Enter your e-mail' }, { field: 'login', message: 'second' }] } }),
      'GET /api/auth/me': () => json(429, { error: { code: 'rate_limited', message: 'Slow down.' } }, { 'retry-after': '30' }),
    });
    const api = client(memoryStore(null), s.fetch);
    const err = await api.call('post', '/api/auth/login', { body: { login: '', password: 'p' }, auth: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: 'Invalid request' });
    expect((err as ApiError).fieldErrors()).toEqual({ login: 'Enter your e-mail' });
    await expect(api.json('/api/auth/me', { auth: false })).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30, message: 'Slow down. Try again in 30 s.' });
  });

  it('a body that is not the error shape keeps a generic message; unreachable is a NetworkError (status 0)', async () => {
    const s = server({ 'GET /api/health': () => new Response('<html>bad gateway</html>', { status: 502 }) });
    await expect(client(memoryStore(null), s.fetch).json('/api/health')).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'The server answered 502.' });
    const down = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const offline = await client(memoryStore(null), down).json('/api/health').catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(NetworkError);
    expect((offline as ApiError).isNetwork).toBe(true);
  });

  it('fills path parameters (encoded) and the query of a typed call', async () => {
    const s = server({ 'GET /api/submissions/a%2Fb': () => json(200, { submission: { id: 'a/b' } }), 'GET /api/submissions': () => json(200, { items: [], nextCursor: null }) });
    const api = client(memoryStore({ accessToken: fresh(), refreshToken: 'r' }), s.fetch);
    await api.call('get', '/api/submissions/{id}', { params: { id: 'a/b' } });
    await api.call('get', '/api/submissions', { query: { limit: 5, cursor: undefined } });
    expect(s.calls.map((r) => r.url)).toEqual(['http://voyce.test/api/submissions/a%2Fb', 'http://voyce.test/api/submissions?limit=5']);
    expect(s.calls[0]?.headers.get('authorization')).toBe(`Bearer ${fresh()}`);
  });
});
