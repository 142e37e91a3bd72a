jest.setTimeout(120_000);

import { randomUUID } from 'node:crypto';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';

/**
 * The web app's cookie session (`X-Voyce-Session: cookie`, api/src/auth/refreshCookie.ts) against the real API
 * and PostgreSQL: the refresh token only in an HttpOnly, SameSite=Strict cookie, rotated like a body token,
 * never read without the header (CSRF), cleared by logout; clients without the header see API.md unchanged.
 */
let api: RunningApi;
const PASSWORD = 'correct horse battery staple';
const SESSION = { 'x-voyce-session': 'cookie' };

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_PREFIX: `test:${randomUUID()}:`, REFRESH_TOKEN_TTL_SECONDS: '7200' });
}, 60_000);
afterAll(() => api?.close());

const freshName = () => `c${randomUUID().replace(/-/g, '').slice(0, 14)}`;

interface Answer {
  status: number;
  body: any;
  setCookie: string[];
  /** The value `voyce_refresh` was set to (undefined: not set; '': cleared). */
  refreshCookie: string | undefined;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const setCookie = res.headers.getSetCookie();
  const ours = setCookie.find((c) => c.startsWith('voyce_refresh='));
  return { status: res.status, body: text ? JSON.parse(text) : null, setCookie, refreshCookie: ours === undefined ? undefined : decodeURIComponent(ours.split(';')[0]!.slice('voyce_refresh='.length)) };
}

const withCookie = (value: string, headers: Record<string, string> = SESSION) => ({ ...headers, cookie: `voyce_refresh=${encodeURIComponent(value)}` });

async function registerWithCookie() {
  const name = freshName();
  const res = await post('/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD }, SESSION);
  expect(res.status).toBe(201);
  return { name, res, user: res.body.user, cookie: res.refreshCookie! };
}

describe('sign-in with X-Voyce-Session: cookie', () => {
  it('login sets the HttpOnly SameSite=Strict cookie on /api/auth and leaves refreshToken out of the body', async () => {
    const { name } = await registerWithCookie();
    const res = await post('/api/auth/login', { login: name, password: PASSWORD }, SESSION);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'user']);
    const cookie = res.setCookie.find((c) => c.startsWith('voyce_refresh='))!;
    expect(cookie).toBeDefined();
    expect(res.refreshCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attrs = cookie.split(';').slice(1).map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth', 'max-age=7200']));
    // Plain HTTP in test: not Secure (browsers would drop it); HTTPS or NODE_ENV=production adds it.
    expect(attrs).not.toContain('secure');
    const me = await new ApiClient(api.url).json('GET', '/api/auth/me', undefined, res.body.accessToken);
    expect(me.body.user.username).toBe(name);
  });

  it('register does the same', async () => {
    const { res } = await registerWithCookie();
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'user']);
    expect(res.refreshCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.setCookie.find((c) => c.startsWith('voyce_refresh='))).toMatch(/HttpOnly/);
  });

  it('is marked Secure when the request came over HTTPS (X-Forwarded-Proto from a trusted proxy)', async () => {
    const name = freshName();
    const res = await post('/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD }, { ...SESSION, 'x-forwarded-proto': 'https' });
    // The test client is on loopback, which TRUST_PROXY trusts by default.
    expect(res.status).toBe(201);
    expect(res.setCookie.find((c) => c.startsWith('voyce_refresh='))).toMatch(/;\s*Secure/i);
  });
});

describe('refresh through the cookie', () => {
  it('rotates: a new access token and cookie; the old cookie value is refused afterwards', async () => {
    const { cookie } = await registerWithCookie();
    const first = await post('/api/auth/refresh', {}, withCookie(cookie));
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['accessToken']);
    expect(first.refreshCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.refreshCookie).not.toBe(cookie);
    expect((await new ApiClient(api.url).json('GET', '/api/auth/me', undefined, first.body.accessToken)).status).toBe(200);
    // The successor works (with no body at all, too).
    const second = await post('/api/auth/refresh', undefined, withCookie(first.refreshCookie!));
    expect(second.status).toBe(200);
    expect(second.refreshCookie).not.toBe(first.refreshCookie);
    // The spent value is refused (and, being a replay, ends the family: see the next test).
    expect((await post('/api/auth/refresh', {}, withCookie(cookie))).status).toBe(401);
  });

  it('reuse of a rotated cookie revokes the whole family and is audited, as for body tokens', async () => {
    const { cookie, user } = await registerWithCookie();
    const rotated = await post('/api/auth/refresh', {}, withCookie(cookie));
    expect(rotated.status).toBe(200);
    const replay = await post('/api/auth/refresh', {}, withCookie(cookie));
    expect(replay.status).toBe(401);
    expect(replay.refreshCookie).toBe(''); // the dead cookie is cleared
    const successor = await post('/api/auth/refresh', {}, withCookie(rotated.refreshCookie!));
    expect(successor.status).toBe(401);
    expect(await api.deps.refreshTokens.countLive(user.id)).toBe(0);
    expect((await api.deps.audit.listForUser(user.id)).map((e) => e.action)).toContain('auth.refresh_reuse');
  });

  it('never reads the cookie without the header (CSRF): 400, and the session is not rotated', async () => {
    const { cookie } = await registerWithCookie();
    const forged = await post('/api/auth/refresh', {}, withCookie(cookie, {}));
    expect(forged.status).toBe(400);
    expect(forged.refreshCookie).toBeUndefined();
    // A cross-site form cannot send JSON or the header either.
    const form = await fetch(`${api.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `voyce_refresh=${cookie}` }, body: 'a=b' });
    expect([400, 415]).toContain(form.status);
    // The cookie was never spent: it still rotates, once.
    expect((await post('/api/auth/refresh', {}, withCookie(cookie))).status).toBe(200);
  });

  it('with the header but no cookie and no body token: 401', async () => {
    const res = await post('/api/auth/refresh', {}, SESSION);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('the header is not allowed cross-origin (CORS preflight does not list it)', async () => {
    const res = await fetch(`${api.url}/api/auth/refresh`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-voyce-session' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-headers') ?? '').not.toMatch(/x-voyce-session/i);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('moves a body token into the cookie: a body token with the header answers only the access token', async () => {
    const name = freshName();
    const reg = await post('/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD });
    const legacy = reg.body.refreshToken as string;
    const moved = await post('/api/auth/refresh', { refreshToken: legacy }, SESSION);
    expect(moved.status).toBe(200);
    expect(Object.keys(moved.body)).toEqual(['accessToken']);
    expect(moved.refreshCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await post('/api/auth/refresh', {}, withCookie(moved.refreshCookie!))).status).toBe(200);
    // The body token was rotated away.
    expect((await post('/api/auth/refresh', { refreshToken: legacy })).status).toBe(401);
  });
});

describe('logout through the cookie', () => {
  it('revokes the cookie session and clears the cookie', async () => {
    const { cookie, user } = await registerWithCookie();
    const out = await post('/api/auth/logout', {}, withCookie(cookie));
    expect(out.status).toBe(204);
    expect(out.refreshCookie).toBe('');
    const cleared = out.setCookie.find((c) => c.startsWith('voyce_refresh='))!;
    expect(cleared).toMatch(/Path=\/api\/auth/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await post('/api/auth/refresh', {}, withCookie(cookie))).status).toBe(401);
    expect(await api.deps.refreshTokens.countLive(user.id)).toBe(0);
    expect((await api.deps.audit.listForUser(user.id)).map((e) => e.action)).toContain('auth.logout');
  });

  it('without the header the cookie is ignored: 400 and the session lives on', async () => {
    const { cookie } = await registerWithCookie();
    const out = await post('/api/auth/logout', {}, withCookie(cookie, {}));
    expect(out.status).toBe(400);
    expect((await post('/api/auth/refresh', {}, withCookie(cookie))).status).toBe(200);
  });

  it('is idempotent: no cookie, still 204 and a cleared cookie', async () => {
    const out = await post('/api/auth/logout', undefined, SESSION);
    expect(out.status).toBe(204);
    expect(out.refreshCookie).toBe('');
  });
});

describe('clients without the header (extension, mobile, API users)', () => {
  it('get the JSON contract unchanged and no session cookie (only the device cookie of every sign-in)', async () => {
    const name = freshName();
    const sessionCookies = (a: Answer) => a.setCookie.filter((c) => !c.startsWith('voyce_device_'));
    const reg = await post('/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD });
    expect(Object.keys(reg.body).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
    expect(sessionCookies(reg)).toEqual([]);
    const login = await post('/api/auth/login', { login: name, password: PASSWORD });
    expect(Object.keys(login.body).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
    expect(sessionCookies(login)).toEqual([]);
    expect(login.setCookie.join('\n')).toMatch(/^voyce_device_[0-9a-f]{16}=[^;]+; Max-Age=\d+; Path=\/api\/auth; .*HttpOnly; SameSite=Strict/);
    const refreshed = await post('/api/auth/refresh', { refreshToken: login.body.refreshToken });
    expect(Object.keys(refreshed.body).sort()).toEqual(['accessToken', 'refreshToken']);
    expect(refreshed.setCookie).toEqual([]);
    const out = await post('/api/auth/logout', { refreshToken: refreshed.body.refreshToken });
    expect(out.status).toBe(204);
    expect(out.setCookie).toEqual([]);
    expect((await post('/api/auth/refresh', { refreshToken: refreshed.body.refreshToken })).status).toBe(401);
  });
});
