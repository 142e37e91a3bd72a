jest.setTimeout(120_000);

import { randomUUID } from 'node:crypto';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';

/** Rate limits: the Redis counters shared by every API replica, and the sign-in throttle beside them (more in authLockout). */
const PASSWORD = 'correct horse battery staple';
const freshName = () => `l${randomUUID().replace(/-/g, '').slice(0, 14)}`;

async function register(c: ApiClient) {
  const name = freshName();
  const res = await c.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: PASSWORD });
  expect(res.status).toBe(201);
  return { name, user: res.body.user, accessToken: res.body.accessToken as string };
}

describe('rate limits in Redis', () => {
  let api: RunningApi;
  let replica: RunningApi;
  beforeAll(async () => {
    const env = {
      RATE_LIMIT_PREFIX: `test:${randomUUID()}:`,
      LOGIN_FREE_FAILURES: '3',
      RATE_LIMIT_AUTH_PER_IP: '40',
      RATE_LIMIT_UPLOADS_PER_USER: '2',
      RATE_LIMIT_PER_USER: '30',
    };
    // Two replicas on one Redis: counts must add up across them.
    [api, replica] = await Promise.all([startApi(env), startApi(env)]);
  });
  afterAll(async () => {
    await api?.close();
    await replica?.close();
  });

  it('failed logins per (name, client): the same 429 whether or not the account exists, across replicas', async () => {
    const c = new ApiClient(api.url);
    const r = new ApiClient(replica.url);
    const { name } = await register(c);
    for (const login of [name, freshName()]) {
      for (let i = 0; i < 3; i++) expect((await (i % 2 ? r : c).json('POST', '/api/auth/login', { login, password: 'wrong password here' })).status).toBe(401);
      const res = await c.json('POST', '/api/auth/login', { login, password: PASSWORD });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('login_throttled');
      expect(Number(res.headers.get('retry-after'))).toBe(1);
    }
  });

  it('successful logins do not count against the account', async () => {
    const c = new ApiClient(api.url);
    const { name } = await register(c);
    for (let i = 0; i < 5; i++) expect((await c.json('POST', '/api/auth/login', { login: name, password: PASSWORD })).status).toBe(200);
  });

  it('uploads per user are stricter than other calls', async () => {
    const c = new ApiClient(api.url);
    c.token = (await register(c)).accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.upload(null, { fields: { title: 'x' } })).status);
    expect(statuses).toEqual([400, 400, 429]);
    // Other routes still answer for the same user.
    expect((await c.json('GET', '/api/auth/me')).status).toBe(200);
  });

  it('requests per user are counted across replicas and answer 429 with Retry-After', async () => {
    const c = new ApiClient(api.url);
    const r = new ApiClient(replica.url);
    c.token = r.token = (await register(c)).accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await (i % 2 ? r : c).json('GET', '/api/auth/me')).status);
    expect(statuses.filter((s) => s === 200).length).toBe(30);
    const last = await c.json('GET', '/api/auth/me');
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('with Redis unreachable', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PREFIX: `test:${randomUUID()}:`, RATE_LIMIT_AUTH_PER_IP: '1' });
  });
  afterAll(() => api?.close());

  it('limits fail open at once: sign-up and sign-in still answer, quickly', async () => {
    const c = new ApiClient(api.url);
    const started = Date.now();
    const { name } = await register(c);
    for (let i = 0; i < 3; i++) expect((await c.json('POST', '/api/auth/login', { login: name, password: PASSWORD })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
