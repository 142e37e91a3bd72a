import { act, fireEvent, render, screen, waitFor } from '@testing-library/react-native';
import { AppRoot } from '../AppRoot';
import { createTestDeps } from '../testing/fakes';

const user = { id: 'u1', email: 'ada@example.test', username: 'ada', role: 'user' };

describe('sign in, push registration, settings', () => {
  it('signs in against the named server, keeps the tokens, and registers the push token', async () => {
    const register = jest.fn(async () => ({ token: 'ExponentPushToken[abc]', platform: 'ios' as const }));
    const deps = createTestDeps({ signedIn: false, push: { supported: true, register } });
    deps.server.on('POST /api/auth/login', ({ body }) =>
      (body as { password: string }).password === 'right password'
        ? { status: 200, body: { user, accessToken: 'a1', refreshToken: 'r1' } }
        : { status: 401, body: { error: { code: 'invalid_credentials', message: 'Wrong login or password.' } } },
    );
    deps.server.on('POST /api/devices', () => ({ status: 201, body: { device: { id: 'd1' } } }));
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);

    fireEvent.changeText(screen.getByLabelText('Server'), 'http://api.test/');
    fireEvent.changeText(screen.getByLabelText('Email or username'), 'ada');
    fireEvent.changeText(screen.getByLabelText('Password'), 'wrong');
    fireEvent.press(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong login or password.')).toBeTruthy();

    fireEvent.changeText(screen.getByLabelText('Password'), 'right password');
    fireEvent.press(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Record feedback');
    expect(JSON.parse((await deps.kv.get('voyce.tokens'))!)).toEqual({ accessToken: 'a1', refreshToken: 'r1' });
    expect(await deps.kv.get('voyce.serverUrl')).toBe('http://api.test');

    await waitFor(() => expect(deps.server.requests.some((r) => r.path === '/api/devices')).toBe(true));
    const device = deps.server.requests.find((r) => r.path === '/api/devices')!;
    expect(device.body).toEqual({ pushToken: 'ExponentPushToken[abc]', platform: 'ios', appVersion: '0.1.0-test' });
    expect(device.headers.authorization).toBe('Bearer a1');
    // The id the server answered is kept, to delete this device later.
    await waitFor(async () => expect(JSON.parse((await deps.kv.get('voyce.pushDevice'))!)).toMatchObject({ id: 'd1', userId: 'u1' }));
  });

  it('turning notifications off deletes the registered device on the server; offline it is deleted once back online', async () => {
    const register = jest.fn(async () => ({ token: 'ExponentPushToken[abc]', platform: 'android' as const }));
    const deps = createTestDeps({ push: { supported: true, register } });
    deps.server.on('POST /api/devices', () => ({ status: 201, body: { device: { id: 'd1' } } }));
    deps.server.on('DELETE /api/devices/d1', () => ({ status: 204 }));
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
    await deps.session.load();
    await deps.devices.start();
    render(<AppRoot deps={deps} />);
    await waitFor(async () => expect(await deps.kv.get('voyce.pushDevice')).not.toBeNull());

    fireEvent.press(screen.getByRole('tab', { name: 'Settings' }));
    fireEvent(screen.getByLabelText('Notifications'), 'valueChange', false);
    expect(await screen.findByText('This phone will no longer be notified.')).toBeTruthy();
    expect(deps.server.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.headers.authorization])).toEqual([['/api/devices/d1', 'Bearer access-1']]);
    expect(await deps.kv.get('voyce.pushDevice')).toBeNull();
    expect(await deps.kv.get('voyce.notifications')).toBe('off');

    // On again (registers, keeps d1), then off while offline: pending, and sent when the network is back.
    fireEvent(screen.getByLabelText('Notifications'), 'valueChange', true);
    expect(await screen.findByText('You will be told when your feedback is ready.')).toBeTruthy();
    expect(register).toHaveBeenCalledTimes(2);
    deps.server.offline = true;
    deps.net.set(false);
    fireEvent(screen.getByLabelText('Notifications'), 'valueChange', false);
    expect(await screen.findByText('This phone will be taken off the notification list when it is back online.')).toBeTruthy();
    expect(JSON.parse((await deps.kv.get('voyce.pushDevice'))!)).toMatchObject({ id: 'd1', remove: true });
    deps.server.offline = false;
    act(() => deps.net.set(true));
    await waitFor(async () => expect(await deps.kv.get('voyce.pushDevice')).toBeNull());
    expect(deps.server.requests.filter((r) => r.method === 'DELETE')).toHaveLength(3);
  });

  it('refreshes an expired access token once and retries the request', async () => {
    const deps = createTestDeps();
    deps.server.on('GET /api/submissions', ({ headers }) => (headers.authorization === 'Bearer access-2' ? { status: 200, body: { items: [], nextCursor: null } } : { status: 401, body: { error: { code: 'token_expired', message: 'expired' } } }));
    deps.server.on('POST /api/auth/refresh', ({ body }) => ((body as { refreshToken: string }).refreshToken === 'refresh-1' ? { status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } } : { status: 401 }));
    await expect(deps.api.listSubmissions()).resolves.toEqual({ items: [], nextCursor: null });
    expect(deps.session.tokens()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(deps.server.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['GET /api/submissions', 'POST /api/auth/refresh', 'GET /api/submissions']);
  });

  it('signs out from settings, deleting this phone’s push device first, and returns to the sign-in screen', async () => {
    const deps = createTestDeps({ push: { supported: true, register: async () => ({ token: 'ExponentPushToken[abc]', platform: 'ios' as const }) } });
    deps.server.on('POST /api/devices', () => ({ status: 201, body: { device: { id: 'd1' } } }));
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
    // Deleted already (by the server's receipts check, say): a 404 is fine.
    deps.server.on('DELETE /api/devices/d1', () => ({ status: 404, body: { error: { code: 'not_found', message: 'The device was not found.' } } }));
    deps.server.on('POST /api/auth/logout', () => ({ status: 204 }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    await waitFor(async () => expect(await deps.kv.get('voyce.pushDevice')).not.toBeNull());
    fireEvent.press(screen.getByRole('tab', { name: 'Settings' }));
    expect(screen.getByText('Signed in as ada')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByText('Sign in to Voyce');
    expect(await deps.kv.get('voyce.tokens')).toBeNull();
    expect(await deps.kv.get('voyce.pushDevice')).toBeNull();
    const calls = deps.server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? ''}`.trim());
    expect(calls.slice(-2)).toEqual(['DELETE /api/devices/d1 Bearer access-1', 'POST /api/auth/logout']);
    expect(deps.server.requests.find((r) => r.path === '/api/auth/logout')?.body).toEqual({ refreshToken: 'refresh-1' });
  });

  it('signing out offline leaves the deletion pending, and sends it when the same account signs in again', async () => {
    const deps = createTestDeps();
    deps.server.on('POST /api/devices', () => ({ status: 201, body: { device: { id: 'd1' } } }));
    deps.server.on('DELETE /api/devices/d1', () => ({ status: 204 }));
    deps.server.on('GET /api/submissions', () => ({ status: 200, body: { items: [], nextCursor: null } }));
    deps.server.on('POST /api/auth/login', () => ({ status: 200, body: { user, accessToken: 'a2', refreshToken: 'r2' } }));
    await deps.devices.register('ExponentPushToken[abc]', 'ios');
    deps.session.setNotifications(false);
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    deps.server.offline = true;
    fireEvent.press(screen.getByRole('tab', { name: 'Settings' }));
    fireEvent.press(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByText('Sign in to Voyce');
    expect(JSON.parse((await deps.kv.get('voyce.pushDevice'))!)).toMatchObject({ id: 'd1', userId: 'u1', remove: true });

    deps.server.offline = false;
    fireEvent.changeText(screen.getByLabelText('Email or username'), 'ada');
    fireEvent.changeText(screen.getByLabelText('Password'), 'right password');
    fireEvent.press(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('Signed in as ada');
    await waitFor(async () => expect(await deps.kv.get('voyce.pushDevice')).toBeNull());
    expect(deps.server.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/api/devices/d1', 'Bearer access-1'], // the try while offline
      ['/api/devices/d1', 'Bearer a2'],
    ]);
  });
});
