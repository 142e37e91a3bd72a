jest.setTimeout(180_000);

import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';
import { speak, synth } from '../support/speech';

/**
 * The API as an attacker sees it: forged and stale tokens, other people's resources, replayed secrets,
 * hostile bodies and parameters. Whatever is sent: never a 5xx, never a stack trace, always the error shape.
 */
let api: RunningApi;
const PASSWORD = 'correct horse battery staple';
const responses: { what: string; status: number; body: string }[] = [];

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_ENABLED: 'false', CORS_ORIGINS: 'https://app.voyce.test' });
});
afterAll(async () => {
  console.log(`security suite: ${responses.length} hostile requests, statuses ${JSON.stringify(countBy(responses.map((r) => r.status)))}`);
  await api?.close();
});

const countBy = (xs: number[]) => xs.reduce<Record<number, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

/** Sends a raw request and checks the invariants every answer must keep. */
async function hostile(what: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${api.url}${path}`, init);
  const text = await res.text();
  responses.push({ what, status: res.status, body: text });
  expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\/work\/|Error: /);
  let body: any = null;
  if (text && res.headers.get('content-type')?.includes('json')) body = JSON.parse(text);
  if (res.status >= 400 && res.status !== 431 && body) expect(body.error).toEqual(expect.objectContaining({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) }));
  return { status: res.status, body, headers: res.headers };
}

async function register(role?: 'analyst' | 'admin') {
  const c = new ApiClient(api.url);
  const name = `s${randomUUID().replace(/-/g, '').slice(0, 14)}`;
  const res = await c.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD });
  c.token = res.body.accessToken;
  if (role) await api.deps.users.setRole(res.body.user.id, role);
  return { c, id: res.body.user.id as string, refreshToken: res.body.refreshToken as string };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const PROTECTED = ['/api/auth/me', '/api/submissions', '/api/admin/users'];

describe('forged, stale and malformed access tokens are 401', () => {
  let victim: Awaited<ReturnType<typeof register>>;
  beforeAll(async () => {
    victim = await register('admin');
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ sub: victim.id, role: 'admin', iss: 'voyce', aud: 'voyce-api', iat: now(), exp: now() + 600 });
  const forgeries: [string, () => string][] = [
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['alg none, uppercase', () => `${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(claims())}.`],
    ['signed with a wrong key', () => jwt.sign(claims(), 'an-attacker-guessed-secret-of-enough-length')],
    ['HS512 with the dev default secret', () => jwt.sign(claims(), 'voyce-local-development-secret-change-me-please', { algorithm: 'HS512' })],
    ['expired an hour ago', () => jwt.sign({ ...claims(), iat: now() - 7200, exp: now() - 3600 }, api.deps.config.JWT_SECRET)],
    ['not yet valid', () => jwt.sign({ ...claims(), nbf: now() + 3600 }, api.deps.config.JWT_SECRET)],
    ['wrong audience', () => jwt.sign({ ...claims(), aud: 'someone-else' }, api.deps.config.JWT_SECRET)],
    ['wrong issuer', () => jwt.sign({ ...claims(), iss: 'evil' }, api.deps.config.JWT_SECRET)],
    ['unknown role', () => jwt.sign({ ...claims(), role: 'superuser' }, api.deps.config.JWT_SECRET)],
    ['subject that is not a user', () => jwt.sign({ ...claims(), sub: randomUUID() }, api.deps.config.JWT_SECRET)],
    ['subject that is not a uuid', () => jwt.sign({ ...claims(), sub: "' OR 1=1 --" }, api.deps.config.JWT_SECRET)],
    ['payload tampered after signing', () => {
      const [h, , s] = victim.c.token.split('.');
      return `${h}.${b64({ ...claims(), role: 'admin', sub: randomUUID() })}.${s}`;
    }],
    ['three dots of nothing', () => '..'],
    ['garbage', () => 'not.a.jwt'],
    ['a refresh token', () => victim.refreshToken],
    ['NUL and unicode', () => 'a\u0000b.ü.💥'],
    ['8 KB of token', () => 'A'.repeat(8000)],
  ];

  it.each(forgeries)('%s', async (what, forge) => {
    for (const path of PROTECTED) {
      let token: string;
      try {
        token = forge();
      } catch {
        continue;
      }
      const headerSafe = /^[\x21-\x7e]+$/.test(token) ? token : encodeURIComponent(token);
      const res = await hostile(`${what} ${path}`, path, { headers: { authorization: `Bearer ${headerSafe}` } });
      expect(res.status).toBe(401);
    }
  });

  it('a token sent without the Bearer scheme, or twice, is 401', async () => {
    for (const authorization of [victim.c.token, `Basic ${victim.c.token}`, `Bearer ${victim.c.token} ${victim.c.token}`, 'Bearer']) {
      expect((await hostile('scheme', '/api/auth/me', { headers: { authorization } })).status).toBe(401);
    }
  });
});

describe('other users\' resources are 404, never 403 or 200', () => {
  let owner: Awaited<ReturnType<typeof register>>;
  let stranger: Awaited<ReturnType<typeof register>>;
  let submissionId: string;

  beforeAll(async () => {
    [owner, stranger] = await Promise.all([register(), register()]);
    // No worker runs here: the submission stays pending, which is all these checks need.
    const up = await owner.c.upload(speak('this is my private feedback', 'wav'), { filename: 'a.wav', fields: { title: 'private' } });
    expect(up.status).toBe(202);
    submissionId = up.body.submission.id;
  });

  it.each(['', '/transcription', '/audio', '/screenshot', '/events'])('GET /api/submissions/:id%s', async (suffix) => {
    const res = await hostile('cross-user', `/api/submissions/${submissionId}${suffix}`, { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('private');
  });

  it.each(['PATCH', 'DELETE'])('%s /api/submissions/:id', async (method) => {
    const res = await hostile('cross-user', `/api/submissions/${submissionId}`, {
      method,
      headers: { authorization: `Bearer ${stranger.c.token}`, 'content-type': 'application/json' },
      body: method === 'PATCH' ? JSON.stringify({ title: 'mine now' }) : undefined,
    });
    expect(res.status).toBe(404);
    const still = await owner.c.json('GET', `/api/submissions/${submissionId}`);
    expect(still.body.submission.title).toBe('private');
  });

  it('the list, even asked for the owner by userId, holds only the caller\'s own', async () => {
    const res = await hostile('cross-user list', `/api/submissions?userId=${owner.id}`, { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });

  it("another user's statistics are 404, and their analytics do not leak into mine", async () => {
    const stats = await hostile('cross-user stats', `/api/analytics/users/${owner.id}/stats`, { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(stats.status).toBe(404);
    const users = await hostile('cross-user users', '/api/analytics/users', { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(users.status).toBe(403);
    const dash = await hostile('cross-user dashboard', `/api/analytics/dashboard?userId=${owner.id}`, { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(dash.status).toBe(200);
    expect(JSON.stringify(dash.body)).not.toContain(submissionId);
    const csv = await fetch(`${api.url}/api/analytics/export?format=json`, { headers: { authorization: `Bearer ${stranger.c.token}` } });
    expect(await csv.text()).not.toContain(submissionId);
  });

  it('an analyst reads it, read-only; an admin reads it', async () => {
    const analyst = await register('analyst');
    const admin = await register('admin');
    expect((await analyst.c.json('GET', `/api/submissions/${submissionId}`)).status).toBe(200);
    expect((await admin.c.json('GET', `/api/submissions/${submissionId}`)).status).toBe(200);
    expect((await analyst.c.json('GET', '/api/admin/users')).status).toBe(403);
    expect((await analyst.c.json('PATCH', `/api/submissions/${submissionId}`, { title: 'analyst was here' })).status).toBe(403);
    expect((await analyst.c.json('DELETE', `/api/submissions/${submissionId}`)).status).toBe(403);
    expect((await analyst.c.json('POST', `/api/admin/submissions/${submissionId}/replay`, {})).status).toBe(403);
    expect((await owner.c.json('GET', `/api/submissions/${submissionId}`)).body.submission).toMatchObject({ title: 'private' });
  });
});

describe('replayed secrets', () => {
  it('a replayed refresh token kills its family', async () => {
    const u = await register();
    const first = await hostile('refresh', '/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: u.refreshToken }) });
    expect(first.status).toBe(200);
    const replay = await hostile('refresh replay', '/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: u.refreshToken }) });
    expect(replay.status).toBe(401);
    const successor = await hostile('refresh successor', '/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: first.body.refreshToken }) });
    expect(successor.status).toBe(401);
  });

  it.each([['random', 'x'.repeat(43)], ['empty', ''], ['huge', 'x'.repeat(5000)], ['object', { $ne: null }], ['NUL', 'a\u0000b']])('a %s reset token is refused without a 5xx', async (_what, token) => {
    const res = await hostile('reset token', '/api/auth/password-reset/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'a brand new passphrase of mine' }),
    });
    expect([400, 422]).toContain(res.status);
  });
});

describe('hostile bodies', () => {
  const post = (what: string, path: string, body: string | Buffer, contentType = 'application/json') =>
    hostile(what, path, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('a body over 100 kB is 413', async () => {
    const res = await post('huge', '/api/auth/login', JSON.stringify({ login: 'x', password: 'y'.repeat(200_000) }));
    expect(res.status).toBe(413);
  });

  it.each([
    ['truncated JSON', '{"login": "a", "password": '],
    ['not JSON at all', 'login=a&password=b'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
    ['deeply nested', '['.repeat(20_000) + ']'.repeat(20_000)],
    ['prototype pollution', '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"role": "admin"}}, "login": "a", "password": "b"}'],
    ['wrong types', '{"login": 12, "password": ["a"]}'],
    ['BOM then JSON', '\uFEFF{"login":"a","password":"b"}'],
  ])('%s is a 4xx', async (what, body) => {
    for (const path of ['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/password-reset/request']) {
      const res = await post(what, path, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(({} as any).role).toBeUndefined();
  });

  it('a declared charset nobody supports is a 4xx', async () => {
    const res = await post('charset', '/api/auth/login', '{"login":"a","password":"b"}', 'application/json; charset=ebcdic');
    expect(res.status).toBeLessThan(500);
  });

  it('headers beyond the server limit are refused by Node before any code runs', async () => {
    const res = await hostile('big header', '/api/auth/me', { headers: { 'x-filler': 'a'.repeat(64 * 1024) } });
    expect(res.status).toBe(431);
  });
});

describe('hostile strings in every parameter', () => {
  const STRINGS = [
    '\u0000',
    'a\u0000b',
    '\uD800',
    '💥🎤 ünïcødé ﷽',
    "' OR '1'='1' --",
    '"; DROP TABLE users; --',
    '${7*7}{{7*7}}',
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    '%00%ff%fe',
    'x'.repeat(10_000),
  ];
  let user: Awaited<ReturnType<typeof register>>;
  let admin: Awaited<ReturnType<typeof register>>;
  beforeAll(async () => {
    [user, admin] = await Promise.all([register(), register('admin')]);
  });

  it.each(STRINGS.map((s) => [JSON.stringify(s).slice(0, 40), s]))('%s in bodies, queries and paths', async (_label, s) => {
    const json = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
    const bodies: [string, Record<string, unknown>][] = [
      ['/api/auth/register', { email: s, username: s, password: s }],
      ['/api/auth/register', { email: `${randomUUID().slice(0, 8)}@example.test`, username: `u${randomUUID().slice(0, 8)}`, password: `${s} plus enough length` }],
      ['/api/auth/login', { login: s, password: s }],
      ['/api/auth/refresh', { refreshToken: s }],
      ['/api/auth/logout', { refreshToken: s }],
      ['/api/auth/password-reset/request', { email: s }],
      ['/api/auth/password-reset/confirm', { token: s, password: s }],
    ];
    for (const [path, body] of bodies) await hostile(`body ${path}`, path, { method: 'POST', headers: json(), body: JSON.stringify(body) });
    // A lone surrogate has no UTF-8 form: send the bytes a careless client would (CESU-8), which are invalid UTF-8.
    const q = s === '\uD800' ? '%ED%A0%80' : encodeURIComponent(s);
    for (const path of [
      `/api/submissions?status=${q}`,
      `/api/submissions?category=${q}`,
      `/api/submissions?q=${q}`,
      `/api/submissions?from=${q}`,
      `/api/submissions?userId=${q}`,
      `/api/submissions?cursor=${q}`,
      `/api/submissions?limit=${q}`,
      `/api/submissions/${q}`,
      `/api/submissions/${q}/transcription`,
    ]) {
      await hostile(`query ${path.slice(0, 40)}`, path, { headers: json(user.c.token) });
    }
    for (const path of [
      `/api/admin/users?cursor=${q}`,
      `/api/admin/users?limit=${q}`,
      `/api/analytics/dashboard?from=${q}&to=${q}`,
      `/api/analytics/sentiment-trends?interval=${q}&category=${q}`,
      `/api/analytics/intents?userId=${q}`,
      `/api/analytics/users?from=${q}`,
      `/api/analytics/users/${q}/stats`,
      `/api/analytics/export?format=${q}&status=${q}`,
      `/api/submissions/${q}/events?access_token=${q}`,
    ]) {
      await hostile('admin query', path, { headers: json(admin.c.token) });
    }
    await hostile('replay', `/api/admin/submissions/${q}/replay`, { method: 'POST', headers: json(admin.c.token), body: '{}' });
    await hostile('bulk replay', '/api/admin/submissions/replay', { method: 'POST', headers: json(admin.c.token), body: JSON.stringify({ status: s, from: s, to: s }) });
    await hostile('admin patch', `/api/admin/users/${q}`, { method: 'PATCH', headers: json(admin.c.token), body: JSON.stringify({ role: s, disabled: s }) });
    await hostile('admin patch', `/api/admin/users/${user.id}`, { method: 'PATCH', headers: json(admin.c.token), body: JSON.stringify({ role: s }) });
    // Multipart text fields of an upload go through their own parser.
    const form = new FormData();
    for (const field of ['title', 'description', 'category', 'language', 'context']) form.append(field, s);
    form.append('audio', new Blob([synth('sine=f=440', 1)]), 'a.wav');
    await hostile('upload fields', '/api/submissions/upload', { method: 'POST', headers: { authorization: `Bearer ${user.c.token}` }, body: form });
  });
});

describe('headers', () => {
  it('sets the security headers helmet gives', async () => {
    const res = await fetch(`${api.url}/api/auth/me`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only for configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await preflight('https://app.voyce.test');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.voyce.test');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
