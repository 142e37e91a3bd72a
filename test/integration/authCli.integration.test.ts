jest.setTimeout(120_000);

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';
import { REPO_ROOT } from '../../scripts/stack/paths';

/** The ops CLI (`npm run voyce -- users ...`) as an operator runs it on the server, against the test database. */
let api: RunningApi;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  api = await startApi({ RATE_LIMIT_ENABLED: 'false' });
});
afterAll(() => api?.close());

async function voyce(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'api/src/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

it('creates the first admin, who can then manage users over the API', async () => {
  const name = `ops${randomUUID().slice(0, 8)}`;
  const out = await voyce('users', 'create', '--email', `${name}@example.test`, '--username', name, '--password', PASSWORD, '--role', 'admin');
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(new RegExp(`created ${name} .* as admin`));
  const c = new ApiClient(api.url);
  const login = await c.json('POST', '/api/auth/login', { login: name, password: PASSWORD });
  expect(login.body.user.role).toBe('admin');
  expect((await c.json('GET', '/api/admin/users', undefined, login.body.accessToken)).status).toBe(200);
  const audit = await api.deps.audit.listForUser(login.body.user.id);
  expect(audit.find((e) => e.action === 'user.created')?.detail).toEqual({ via: 'cli', role: 'admin' });
});

it('set-role changes a role by username or e-mail and audits it', async () => {
  const name = `ops${randomUUID().slice(0, 8)}`;
  expect((await voyce('users', 'create', '--email', `${name}@example.test`, '--username', name, '--password', PASSWORD)).code).toBe(0);
  const out = await voyce('users', 'set-role', `${name}@example.test`, 'analyst');
  expect(out.code).toBe(0);
  expect(out.stdout).toContain('user -> analyst');
  const user = await api.deps.users.findByLogin(name);
  expect(user?.role).toBe('analyst');
  expect((await api.deps.audit.listForUser(user!.id)).map((e) => e.action)).toContain('user.role_changed');
});

it('refuses mistakes with exit code 2 and the usage: bad role, weak password, unknown user, missing flags', async () => {
  const name = `ops${randomUUID().slice(0, 8)}`;
  const cases = [
    ['users', 'create', '--email', `${name}@example.test`, '--username', name, '--password', PASSWORD, '--role', 'root'],
    ['users', 'create', '--email', `${name}@example.test`, '--username', name, '--password', 'password1234'],
    ['users', 'set-role', `nobody-${name}`, 'admin'],
    ['users', 'create', '--email', `${name}@example.test`],
    ['users', 'create', '--bogus'],
  ];
  for (const args of cases) {
    const out = await voyce(...args);
    expect({ args, code: out.code }).toEqual({ args, code: 2 });
    expect(out.stderr).toContain('usage:');
  }
  expect(await api.deps.users.findByLogin(name)).toBeNull();
});

it('keys re-encrypt runs over the registered encrypted columns and reports', async () => {
  const out = await voyce('keys', 're-encrypt');
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(/\d+ encrypted column\(s\), 0 value\(s\) re-encrypted/);
});
