import { fireEvent, render, screen, waitFor } from '@testing-library/react-native';
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
  });

  it('refreshes an expired access token once and retries the request', async () => {
    const deps = createTestDeps();
    deps.server.on('GET /api/submissions', ({ headers }) => (headers.authorization === 'Bearer access-2' ? { status: 200, body: { items: [], nextCursor: null } } : { status: 401, body: { error: { code: 'token_expired', message: 'expired' } } }));
    deps.server.on('POST /api/auth/refresh', ({ body }) => ((body as { refreshToken: string }).refreshToken === 'refresh-1' ? { status: 200, body: { accessToken: 'access-2', refreshToken: 'refresh-2' } } : { status: 401 }));
    await expect(deps.api.listSubmissions()).resolves.toEqual({ items: [], nextCursor: null });
    expect(deps.session.tokens()).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(deps.server.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['GET /api/submissions', 'POST /api/auth/refresh', 'GET /api/submissions']);
  });

  it('signs out from settings and returns to the sign-in screen', async () => {
    const deps = createTestDeps();
    deps.server.on('POST /api/auth/logout', () => ({ status: 204 }));
    await deps.session.load();
    render(<AppRoot deps={deps} />);
    fireEvent.press(screen.getByRole('tab', { name: 'Settings' }));
    expect(screen.getByText('Signed in as ada')).toBeTruthy();
    fireEvent.press(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByText('Sign in to Voyce');
    expect(await deps.kv.get('voyce.tokens')).toBeNull();
    expect(deps.server.requests.find((r) => r.path === '/api/auth/logout')?.body).toEqual({ refreshToken: 'refresh-1' });
  });
});
