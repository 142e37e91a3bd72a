import { createTestDeps } from '../testing/fakes';
import { PushDevice } from './pushDevice';

const STORED = 'voyce.pushDevice';

/** A signed-in app whose server registers devices (answering `d1`) and deletes them (204, or `deleteAnswer`). */
function setup(deleteAnswer: () => { status: number; body?: unknown } = () => ({ status: 204 })) {
  const deps = createTestDeps();
  deps.server.on('POST /api/devices', () => ({ status: 201, body: { device: { id: 'd1', pushToken: 'ExponentPushToken[abc]', platform: 'ios' } } }));
  deps.server.on('DELETE /api/devices/d1', deleteAnswer);
  const deletes = () => deps.server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
  return { deps, deletes };
}

describe('PushDevice', () => {
  it('keeps the id POST /api/devices answers, and deletes that device when asked to forget it', async () => {
    const { deps, deletes } = setup();
    await deps.devices.register('ExponentPushToken[abc]', 'ios', '1.0.0');
    expect(JSON.parse((await deps.kv.get(STORED))!)).toEqual({ id: 'd1', userId: 'u1', serverUrl: 'http://api.test', remove: false });
    await expect(deps.devices.forget()).resolves.toBe('removed');
    expect(deletes()).toEqual(['/api/devices/d1']);
    expect(deps.server.requests.at(-1)?.headers.authorization).toBe('Bearer access-1');
    expect(await deps.kv.get(STORED)).toBeNull();
    // Nothing left to delete.
    await expect(deps.devices.forget()).resolves.toBe('none');
    expect(deletes()).toHaveLength(1);
  });

  it('takes a 404 as already gone', async () => {
    const { deps } = setup(() => ({ status: 404, body: { error: { code: 'not_found', message: 'The device was not found.' } } }));
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    await expect(deps.devices.forget()).resolves.toBe('removed');
    expect(await deps.kv.get(STORED)).toBeNull();
  });

  it('offline, keeps the deletion pending and sends it when connectivity comes back', async () => {
    const { deps, deletes } = setup();
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    await deps.devices.start();
    deps.server.offline = true;
    deps.net.set(false);
    await expect(deps.devices.forget()).resolves.toBe('pending');
    expect(JSON.parse((await deps.kv.get(STORED))!)).toMatchObject({ id: 'd1', remove: true });
    expect(await deps.devices.pending()).toBe(true);

    deps.server.offline = false;
    deps.net.set(true);
    await waitUntil(async () => !(await deps.devices.pending()));
    expect(deletes()).toEqual(['/api/devices/d1', '/api/devices/d1']); // the failed try offline, then the real one
    expect(await deps.kv.get(STORED)).toBeNull();
  });

  it('retries a deletion left pending (a 5xx) at the next start, from the KeyValue store', async () => {
    let answer = 503;
    const { deps, deletes } = setup(() => ({ status: answer }));
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    await expect(deps.devices.forget()).resolves.toBe('pending');

    // The app restarts: a new PushDevice over the same store.
    answer = 204;
    const restarted = new PushDevice({ kv: deps.kv, api: deps.api, session: deps.session, connectivity: deps.net });
    await expect(restarted.start()).resolves.toBe('removed');
    restarted.stop();
    expect(deletes()).toHaveLength(2);
    expect(await deps.kv.get(STORED)).toBeNull();
  });

  it('waits for the account that registered it: signed out or another account, nothing is sent', async () => {
    const { deps, deletes } = setup();
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    deps.session.setTokens(null);
    await expect(deps.devices.forget()).resolves.toBe('pending');
    deps.session.setTokens({ accessToken: 'bob-access', refreshToken: 'bob-refresh' });
    deps.session.setUser({ id: 'u2', email: 'bob@example.test', username: 'bob', role: 'user' });
    await expect(deps.devices.retry()).resolves.toBe('pending');
    expect(deletes()).toEqual([]);
    // Ada signs in again on this phone: the deletion goes through with her token.
    deps.session.setTokens({ accessToken: 'ada-access', refreshToken: 'ada-refresh' });
    deps.session.setUser({ id: 'u1', email: 'ada@example.test', username: 'ada', role: 'user' });
    await expect(deps.devices.retry()).resolves.toBe('removed');
    expect(deps.server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/devices/d1', headers: { authorization: 'Bearer ada-access' } });
  });

  it('registering again replaces a pending deletion; operations run one at a time in the order asked', async () => {
    const { deps, deletes } = setup();
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    deps.server.offline = true;
    await expect(deps.devices.forget()).resolves.toBe('pending');
    deps.server.offline = false;
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    expect(await deps.devices.pending()).toBe(false);
    await expect(deps.devices.retry()).resolves.toBe('none');
    expect(deletes()).toHaveLength(1); // only the offline try

    // Off then on again at once: the deletion runs first, the registration after it, and the device stays registered.
    const off = deps.devices.forget();
    const on = deps.devices.register('ExponentPushToken[abc]', 'ios');
    await Promise.all([off, on]);
    expect(deps.server.requests.slice(-2).map((r) => r.method)).toEqual(['DELETE', 'POST']);
    expect(JSON.parse((await deps.kv.get(STORED))!)).toMatchObject({ id: 'd1', remove: false });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
