jest.setTimeout(180_000);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { mailsTo, waitForMail, type StoredMail } from '../support/mailbox';
import { startApi, type EnvOverrides, type RunningApi } from '../support/services';

/**
 * Sign-in throttling without lock-out (issue 20 item 8), on the real API and PostgreSQL: waits per (login name,
 * client), the device cookie that keeps the owner out of an attacker's waits, the per-account ceiling for clients
 * without it, the unlock e-mail, and answers and timing that do not tell known names from unknown ones.
 * Clients are told apart by X-Forwarded-For (TRUST_PROXY=loopback); the Redis per-IP limits are off, so what
 * answers 429 here is the throttle alone.
 */
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';
const freshName = () => `k${randomUUID().replace(/-/g, '').slice(0, 14)}`;
// A fresh address per call: no two tries of this file share a client unless a test means them to.
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const BASE_ENV: EnvOverrides = { RATE_LIMIT_ENABLED: 'false' };

interface Answer {
  status: number;
  body: any;
  retryAfter: number;
  /** `name=value` of the device cookie the answer set, ready for a Cookie header. */
  device: string | undefined;
  ms: number;
}

async function post(api: RunningApi, route: string, body: unknown, opts: { ip?: string; cookie?: string } = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${api.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': opts.ip ?? freshIp(), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const device = res.headers.getSetCookie().find((c) => c.startsWith('voyce_device_'));
  return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: Number(res.headers.get('retry-after')), device: device?.split(';')[0], ms };
}

const login = (api: RunningApi, name: string, password: string, opts: { ip?: string; cookie?: string } = {}) => post(api, '/api/auth/login', { login: name, password }, opts);

async function register(api: RunningApi) {
  const name = freshName();
  const email = `${name}@example.test`;
  const res = await post(api, '/api/auth/register', { email, username: name, password: PASSWORD });
  expect(res.status).toBe(201);
  return { name, email, user: res.body.user as { id: string } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

describe('throttle per (login name, client)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ ...BASE_ENV, LOGIN_FREE_FAILURES: '5' });
  });
  afterAll(() => api?.close());

  it('an attacker hammering an account waits 1 s, 2 s … while the owner, with the device cookie, signs in at once', async () => {
    const { name } = await register(api);
    const owner = await login(api, name, PASSWORD);
    expect(owner.status).toBe(200);
    expect(owner.device).toMatch(/^voyce_device_[0-9a-f]{16}=/);

    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await login(api, name, WRONG, { ip: attacker })).status).toBe(401);
    const first = await login(api, name, PASSWORD, { ip: attacker });
    expect(first.status).toBe(429);
    expect(first.body.error.code).toBe('login_throttled');
    expect(first.retryAfter).toBe(1);
    await sleep(1100);
    expect((await login(api, name, WRONG, { ip: attacker })).status).toBe(401);
    const second = await login(api, name, WRONG, { ip: attacker });
    expect(second.status).toBe(429);
    expect(second.retryAfter).toBe(2);

    // The owner's device, even from the attacker's own address, is another client: in at once.
    const again = await login(api, name, PASSWORD, { ip: attacker, cookie: owner.device });
    expect(again.status).toBe(200);
    // So is anyone else, elsewhere: the waits are the attacker's alone.
    expect((await login(api, name, PASSWORD)).status).toBe(200);
    // The attacker's address without the cookie still waits, whatever the password.
    expect((await login(api, name, PASSWORD, { ip: attacker })).status).toBe(429);
  });

  it('a device cookie is bound to its account and signed: another account or a tampered one counts as no cookie', async () => {
    const a = await register(api);
    const b = await register(api);
    const cookieOfA = (await login(api, a.name, PASSWORD)).device!;
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await login(api, b.name, WRONG, { ip })).status).toBe(401);
    // A's cookie under B's cookie name, or a forged value, does not make this a known device of B.
    const [, value] = cookieOfA.split('=');
    const bName = (await login(api, b.name, PASSWORD)).device!.split('=')[0];
    for (const cookie of [cookieOfA, `${bName}=${value}`, `${bName}=${value!.slice(0, -2)}xx`]) {
      expect((await login(api, b.name, PASSWORD, { ip, cookie })).body.error.code).toBe('login_throttled');
    }
  });

  it('unknown and known names get the same statuses, bodies and Retry-After', async () => {
    const { name } = await register(api);
    const answers = [];
    for (const login_ of [name, freshName()]) {
      const ip = freshIp();
      const seen = [];
      for (let i = 0; i < 6; i++) {
        const res = await login(api, login_, WRONG, { ip });
        seen.push({ status: res.status, body: res.body, retryAfter: res.retryAfter || null, setsDevice: Boolean(res.device) });
      }
      answers.push(seen);
    }
    expect(answers[0]!.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('unknown and known names take the same time (medians of 20 tries within 25 ms or 30 %)', async () => {
    const { name } = await register(api);
    const unknown = freshName();
    // Warm-up: the first unknown try derives the dummy hash, the first of each kind fills caches and pools.
    for (let i = 0; i < 2; i++) await Promise.all([login(api, name, WRONG), login(api, unknown, WRONG)]).then(() => undefined);
    const known: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      // Alternated and one at a time, so load from other tests on the machine falls on both alike.
      const k = await login(api, name, WRONG);
      const u = await login(api, unknown, WRONG);
      expect([k.status, u.status]).toEqual([401, 401]);
      known.push(k.ms);
      unknownMs.push(u.ms);
    }
    const [mk, mu] = [median(known), median(unknownMs)];
    console.log(`login failure timing: known median ${mk.toFixed(1)} ms, unknown median ${mu.toFixed(1)} ms (20 tries each)`);
    expect(Math.abs(mk - mu)).toBeLessThan(Math.max(25, 0.3 * Math.max(mk, mu)));
  });
});

describe('the waits double up to LOGIN_MAX_DELAY_SECONDS, and a success forgets them', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ ...BASE_ENV, LOGIN_FREE_FAILURES: '1', LOGIN_MAX_DELAY_SECONDS: '2' });
  });
  afterAll(() => api?.close());

  it('waits 1 s, 2 s, 2 s; after the right password the count starts again', async () => {
    const { name } = await register(api);
    const ip = freshIp();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect((await login(api, name, WRONG, { ip })).status).toBe(401);
      const held = await login(api, name, WRONG, { ip });
      expect(held.status).toBe(429);
      waits.push(held.retryAfter);
      await sleep(held.retryAfter * 1000 + 100);
    }
    expect(waits).toEqual([1, 2, 2]);
    expect((await login(api, name, PASSWORD, { ip })).status).toBe(200);
    expect((await login(api, name, WRONG, { ip })).status).toBe(401);
    expect((await login(api, name, WRONG, { ip })).retryAfter).toBe(1);
  });
});

describe('the per-account ceiling and the unlock e-mail (two replicas, one restart)', () => {
  const CEILING = 8;
  let mailDir: string;
  let env: EnvOverrides;
  let api: RunningApi;
  let replica: RunningApi;
  beforeAll(async () => {
    mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-mail-'));
    env = { ...BASE_ENV, MAIL_DIR: mailDir, LOGIN_CEILING_FAILURES: String(CEILING), LOGIN_FREE_FAILURES: '5' };
    [api, replica] = await Promise.all([startApi(env), startApi(env)]);
  });
  afterAll(async () => {
    await api?.close();
    await replica?.close();
    fs.rmSync(mailDir, { recursive: true, force: true });
  });

  const unlockCodeFrom = (mail: StoredMail) => {
    const match = /unlock code[^\n]*:\n([A-Za-z0-9_-]{43})/.exec(mail.text);
    if (!match?.[1]) throw new Error(`no unlock code in ${mail.file}:\n${mail.text}`);
    return match[1];
  };

  it('429 login_ceiling with Retry-After for every new client, alike for unknown names; known devices still get in; one e-mail; the code works once', async () => {
    const { name, email, user } = await register(api);
    const ownerDevice = (await login(api, name, PASSWORD)).device!;
    const unknown = freshName();
    // Failures spread over many addresses (none reaches its own wait) and over both replicas.
    for (const target of [name, unknown]) {
      for (let i = 0; i < CEILING; i++) expect((await login(i % 2 ? replica : api, target, WRONG)).status).toBe(401);
    }
    const refused = await login(api, name, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('login_ceiling');
    expect(refused.retryAfter).toBeGreaterThan(3500);
    expect(refused.retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.body.error.message).not.toMatch(/lock/i);
    const refusedUnknown = await login(replica, unknown, PASSWORD);
    expect({ status: refusedUnknown.status, body: refusedUnknown.body }).toEqual({ status: refused.status, body: refused.body });

    // The owner's device is not held by the ceiling.
    expect((await login(replica, name, PASSWORD, { cookie: ownerDevice })).status).toBe(200);

    // An API restart forgets nothing: the counts are in PostgreSQL.
    await api.close();
    api = await startApi(env);
    expect((await login(api, name, PASSWORD)).body.error.code).toBe('login_ceiling');

    // One e-mail however many more tries are refused within the hour.
    const mail = await waitForMail(mailDir, email);
    for (let i = 0; i < 3; i++) expect((await login(api, name, WRONG)).status).toBe(429);
    await sleep(500);
    expect(mailsTo(mailDir, email)).toHaveLength(1);
    expect(mail.text).toContain('/unlock?token=');
    const code = unlockCodeFrom(mail);
    // Stored hashed, like reset tokens: the code itself is nowhere in the table.
    const rows = await api.deps.db('login_unlock_tokens').where({ user_id: user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toBe(code);

    const browser = freshIp();
    const unlocked = await post(api, '/api/auth/unlock', { token: code }, { ip: browser });
    expect(unlocked.status).toBe(204);
    expect(unlocked.device).toMatch(/^voyce_device_[0-9a-f]{16}=/);
    const reused = await post(replica, '/api/auth/unlock', { token: code });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('invalid_unlock_token');

    // The unlocked browser is a known device; and the ceiling is lifted for everyone until it fills again.
    expect((await login(api, name, PASSWORD, { ip: browser, cookie: unlocked.device })).status).toBe(200);
    expect((await login(replica, name, PASSWORD)).status).toBe(200);
    const actions = (await api.deps.audit.listForUser(user.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login_ceiling', 'auth.unlock_mailed', 'auth.unlocked']));
    // The unknown name's ceiling is untouched by the account's unlock.
    expect((await login(api, unknown, PASSWORD)).body.error.code).toBe('login_ceiling');
  });

  it('refuses unknown and malformed unlock codes with 400', async () => {
    expect((await post(api, '/api/auth/unlock', { token: 'A'.repeat(43) })).body.error.code).toBe('invalid_unlock_token');
    expect((await post(api, '/api/auth/unlock', { token: '' })).status).toBe(400);
    expect((await post(api, '/api/auth/unlock', {})).status).toBe(400);
  });
});
