jest.setTimeout(120_000);

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../support/apiClient';
import { mailsTo, resetTokenFrom, waitForMail } from '../support/mailbox';
import { startApi, type RunningApi } from '../support/services';

/** The accounts contract of API.md against the real API and PostgreSQL: sessions, reset, back-off, admin. */
let api: RunningApi;
let mailDir: string;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-mail-'));
  // A private rate-limit prefix: these counters must not meet other files' (or other runs') in Redis.
  api = await startApi({ MAIL_DIR: mailDir, RATE_LIMIT_PREFIX: `test:${randomUUID()}:` });
}, 60_000);

afterAll(async () => {
  await api?.close();
  fs.rmSync(mailDir, { recursive: true, force: true });
});

const client = () => new ApiClient(api.url);
const freshName = () => `a${randomUUID().replace(/-/g, '').slice(0, 14)}`;

async function register(c = client(), password = PASSWORD) {
  const name = freshName();
  const res = await c.json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password });
  expect(res.status).toBe(201);
  c.token = res.body.accessToken;
  return { c, name, email: `${name}@example.test`, user: res.body.user, accessToken: res.body.accessToken as string, refreshToken: res.body.refreshToken as string };
}

async function makeAdmin() {
  const a = await register();
  await api.deps.users.setRole(a.user.id, 'admin');
  return a;
}

const auditActions = async (userId: string) => (await api.deps.audit.listForUser(userId)).map((e) => e.action);

describe('register and login', () => {
  it('register answers {user, accessToken, refreshToken} and never the secrets', async () => {
    const { user, accessToken, refreshToken, c } = await register();
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'disabled', 'email', 'id', 'role', 'updatedAt', 'username']);
    expect(user.role).toBe('user');
    expect(accessToken.split('.')).toHaveLength(3);
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await c.json('GET', '/api/auth/me');
    expect(me.body.user.id).toBe(user.id);
    expect(await auditActions(user.id)).toContain('auth.register');
  });

  it('the refresh token is stored hashed, never as given', async () => {
    const { refreshToken, user } = await register();
    const rows = await api.deps.db('refresh_tokens').where({ user_id: user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it.each([
    ['too short', 'short1!'],
    ['a breached common password', 'password1234'],
    ['a common password in other case', 'QWERTYUIOP'],
  ])('refuses %s with 422 naming the password', async (_what, password) => {
    const name = freshName();
    const res = await client().json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
  });

  it('refuses the username as password', async () => {
    const name = freshName();
    const res = await client().json('POST', '/api/auth/register', { email: `${name}@example.test`, username: name, password: name });
    expect(res.status).toBe(422);
  });

  it('a taken e-mail or username is 409', async () => {
    const { name } = await register();
    const res = await client().json('POST', '/api/auth/register', { email: `${name}@EXAMPLE.test`, username: freshName(), password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('account_exists');
  });

  it('logs in by e-mail or username, case-insensitively', async () => {
    const { name, email, user } = await register();
    for (const login of [email, name.toUpperCase()]) {
      const res = await client().json('POST', '/api/auth/login', { login, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(user.id);
      expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(await auditActions(user.id)).toContain('auth.login');
  });

  it('a wrong password and an unknown login answer the same 401', async () => {
    const { name } = await register();
    const wrong = await client().json('POST', '/api/auth/login', { login: name, password: 'not the password at all' });
    const unknown = await client().json('POST', '/api/auth/login', { login: freshName(), password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: the pair is new and the old refresh token is spent', async () => {
    const { refreshToken } = await register();
    const first = await client().json('POST', '/api/auth/refresh', { refreshToken });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['accessToken', 'refreshToken']);
    expect(first.body.refreshToken).not.toBe(refreshToken);
    const me = await client().json('GET', '/api/auth/me', undefined, first.body.accessToken);
    expect(me.status).toBe(200);
    const second = await client().json('POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family, and is audited', async () => {
    const { refreshToken, user } = await register();
    const rotated = await client().json('POST', '/api/auth/refresh', { refreshToken });
    const replay = await client().json('POST', '/api/auth/refresh', { refreshToken });
    expect(replay.status).toBe(401);
    // The legitimate successor dies with the family: a thief and the owner both have to sign in again.
    const successor = await client().json('POST', '/api/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(successor.status).toBe(401);
    expect(await api.deps.refreshTokens.countLive(user.id)).toBe(0);
    expect(await auditActions(user.id)).toContain('auth.refresh_reuse');
  });

  it('reuse revokes only that family: another session of the same user lives on', async () => {
    const { refreshToken, name } = await register();
    const other = await client().json('POST', '/api/auth/login', { login: name, password: PASSWORD });
    await client().json('POST', '/api/auth/refresh', { refreshToken });
    await client().json('POST', '/api/auth/refresh', { refreshToken });
    const res = await client().json('POST', '/api/auth/refresh', { refreshToken: other.body.refreshToken });
    expect(res.status).toBe(200);
  });

  it('two concurrent uses of one token give one success and one refusal', async () => {
    const { refreshToken } = await register();
    const results = await Promise.all([0, 1].map(() => client().json('POST', '/api/auth/refresh', { refreshToken })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('an expired refresh token is refused', async () => {
    const { refreshToken, user } = await register();
    await api.deps.db('refresh_tokens').where({ user_id: user.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const res = await client().json('POST', '/api/auth/refresh', { refreshToken });
    expect(res.status).toBe(401);
  });

  it('logout ends the session: 204, then the token refreshes nothing', async () => {
    const { refreshToken, user } = await register();
    const out = await client().json('POST', '/api/auth/logout', { refreshToken });
    expect(out.status).toBe(204);
    expect((await client().json('POST', '/api/auth/refresh', { refreshToken })).status).toBe(401);
    expect((await client().json('POST', '/api/auth/logout', { refreshToken: 'unknown-token' })).status).toBe(204);
    expect(await auditActions(user.id)).toContain('auth.logout');
  });
});

describe('disabled accounts', () => {
  it('cannot log in, refresh, or use a live access token', async () => {
    const admin = await makeAdmin();
    const victim = await register();
    expect((await victim.c.json('GET', '/api/auth/me')).status).toBe(200); // the account is now cached
    const patch = await admin.c.json('PATCH', `/api/admin/users/${victim.user.id}`, { disabled: true });
    expect(patch.status).toBe(200);
    expect(patch.body.user.disabled).toBe(true);
    expect((await client().json('POST', '/api/auth/login', { login: victim.name, password: PASSWORD })).status).toBe(401);
    expect((await client().json('POST', '/api/auth/refresh', { refreshToken: victim.refreshToken })).status).toBe(401);
    expect((await victim.c.json('GET', '/api/auth/me')).status).toBe(401);
    expect(await auditActions(victim.user.id)).toContain('user.disabled');
  });

  it('stop working on every API replica, not only the one that disabled them', async () => {
    const other = await startApi({ RATE_LIMIT_PREFIX: `test:${randomUUID()}:` });
    try {
      const admin = await makeAdmin();
      const victim = await register();
      const onOther = new ApiClient(other.url);
      onOther.token = victim.accessToken;
      expect((await onOther.json('GET', '/api/auth/me')).status).toBe(200); // cached on the other replica
      expect((await admin.c.json('PATCH', `/api/admin/users/${victim.user.id}`, { disabled: true })).status).toBe(200);
      // PostgreSQL NOTIFY reaches the other replica's LISTEN connection within milliseconds.
      const deadline = Date.now() + 2000;
      let status = 200;
      while (Date.now() < deadline && status === 200) {
        status = (await onOther.json('GET', '/api/auth/me')).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('password reset', () => {
  it('mails a single-use token; confirm changes the password and ends every session', async () => {
    const { email, name, refreshToken, c, user } = await register();
    const req = await client().json('POST', '/api/auth/password-reset/request', { email });
    expect(req.status).toBe(202);
    const mail = await waitForMail(mailDir, email);
    expect(mail.headers).toMatch(/^Subject: Reset your Voyce password/m);
    const token = resetTokenFrom(mail);
    expect(mail.text).toContain(`/reset-password?token=${token}`);
    // Only the digest is stored.
    expect(JSON.stringify(await api.deps.db('password_reset_tokens').where({ user_id: user.id }))).not.toContain(token);

    const newPassword = 'a brand new passphrase of mine';
    const confirm = await client().json('POST', '/api/auth/password-reset/confirm', { token, password: newPassword });
    expect(confirm.status).toBe(204);
    expect((await client().json('POST', '/api/auth/refresh', { refreshToken })).status).toBe(401);
    // An access token issued before the reset is void at once, not only when it expires.
    expect((await c.json('GET', '/api/auth/me')).status).toBe(401);
    expect((await client().json('POST', '/api/auth/login', { login: name, password: PASSWORD })).status).toBe(401);
    expect((await client().json('POST', '/api/auth/login', { login: name, password: newPassword })).status).toBe(200);

    const again = await client().json('POST', '/api/auth/password-reset/confirm', { token, password: 'yet another passphrase here' });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_reset_token');
    expect(await auditActions(user.id)).toEqual(expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset']));
  });

  it('an unknown address gets the same 202 and no e-mail', async () => {
    const email = `${freshName()}@example.test`;
    const res = await client().json('POST', '/api/auth/password-reset/request', { email });
    expect(res.status).toBe(202);
    expect(res.body).toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(mailDir, email)).toHaveLength(0);
  });

  it('an expired token is refused, and a weak new password does not spend the token', async () => {
    const { email, user } = await register();
    await client().json('POST', '/api/auth/password-reset/request', { email });
    const token = resetTokenFrom(await waitForMail(mailDir, email));
    const weak = await client().json('POST', '/api/auth/password-reset/confirm', { token, password: 'password1234' });
    expect(weak.status).toBe(422);
    await api.deps.db('password_reset_tokens').where({ user_id: user.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const res = await client().json('POST', '/api/auth/password-reset/confirm', { token, password: 'a brand new passphrase of mine' });
    expect(res.status).toBe(400);
  });
});

describe('admin users', () => {
  it('users and analysts get 403 at /api/admin', async () => {
    const u = await register();
    expect((await u.c.json('GET', '/api/admin/users')).status).toBe(403);
    await api.deps.users.setRole(u.user.id, 'analyst');
    expect((await u.c.json('GET', '/api/admin/users')).status).toBe(403);
    expect((await u.c.json('PATCH', `/api/admin/users/${u.user.id}`, { role: 'admin' })).status).toBe(403);
    expect((await client().json('GET', '/api/admin/users', undefined, '')).status).toBe(401);
  });

  it('lists every user once across cursor pages', async () => {
    const admin = await makeAdmin();
    await register();
    await register();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: any = await admin.c.json('GET', `/api/admin/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const u of res.body.items) expect(u.passwordHash).toBeUndefined();
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10_000);
    const total = Number((await api.deps.db('users').count('* as n'))[0]?.n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await admin.c.json('GET', '/api/admin/users?limit=101')).status).toBe(400);
    expect((await admin.c.json('GET', '/api/admin/users?cursor=garbage')).status).toBe(400);
  });

  it('changes a role, audits who did it, and the new role is in force at once', async () => {
    const admin = await makeAdmin();
    const u = await register();
    const res = await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, { role: 'analyst' });
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('analyst');
    const entry = (await api.deps.audit.listForUser(u.user.id)).find((e) => e.action === 'user.role_changed');
    expect(entry).toMatchObject({ actorId: admin.user.id, detail: { from: 'user', to: 'analyst' } });
  });

  it('admins read the audit trail, filtered and paged; others get 403', async () => {
    const admin = await makeAdmin();
    const u = await register();
    await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, { role: 'analyst' });
    await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, { disabled: true });
    const all = await admin.c.json('GET', `/api/admin/audit?userId=${u.user.id}`);
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: { action: string }) => e.action)).toEqual(['user.disabled', 'user.role_changed', 'auth.register']);
    expect(all.body.items[0]).toMatchObject({ actorId: admin.user.id, subjectUserId: u.user.id });
    const first = await admin.c.json('GET', `/api/admin/audit?userId=${u.user.id}&limit=2`);
    const second = await admin.c.json('GET', `/api/admin/audit?userId=${u.user.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items]).toEqual(all.body.items);
    expect(second.body.nextCursor).toBeNull();
    const roles = await admin.c.json('GET', `/api/admin/audit?action=user.role_changed&limit=100`);
    expect(roles.body.items.every((e: { action: string }) => e.action === 'user.role_changed')).toBe(true);
    expect(JSON.stringify(all.body)).not.toMatch(/password|token/i);
    expect((await u.c.json('GET', '/api/admin/audit')).status).toBe(401);
    const plain = await register();
    expect((await plain.c.json('GET', '/api/admin/audit')).status).toBe(403);
    expect((await admin.c.json('GET', '/api/admin/audit?cursor=99999999999999999999')).status).toBe(400);
  });

  it('refuses bad changes: own demotion 409, unknown id 404, bad body 422', async () => {
    const admin = await makeAdmin();
    expect((await admin.c.json('PATCH', `/api/admin/users/${admin.user.id}`, { role: 'user' })).status).toBe(409);
    expect((await admin.c.json('PATCH', `/api/admin/users/${admin.user.id}`, { disabled: true })).status).toBe(409);
    expect((await admin.c.json('PATCH', `/api/admin/users/${randomUUID()}`, { role: 'user' })).status).toBe(404);
    expect((await admin.c.json('PATCH', `/api/admin/users/not-a-uuid`, { role: 'user' })).status).toBe(404);
    const u = await register();
    expect((await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, { role: 'root' })).status).toBe(422);
    expect((await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, {})).status).toBe(422);
    expect((await admin.c.json('PATCH', `/api/admin/users/${u.user.id}`, { role: 'user', passwordHash: 'x' })).status).toBe(422);
  });
});
