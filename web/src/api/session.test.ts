import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_STORAGE_KEY, useSession } from '../stores/session';
import { json, mockFetch, signedInAs, token, USER } from '../test/helpers';
import { signIn, signOut, signUp } from './auth';
import { restoreSession } from './client';

afterEach(() => {
  useSession.setState({ user: null, accessToken: null, restoring: false });
});

const storage = () => JSON.stringify({ ...localStorage });

describe('the cookie session of the web app', () => {
  it('signs in and up asking for the cookie session, and keeps no token in storage', async () => {
    const access = token();
    mockFetch({
      'POST /api/auth/login': (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        return json(200, { user: USER, accessToken: access });
      },
      'POST /api/auth/register': (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        return json(201, { user: USER, accessToken: access });
      },
    });
    await signIn('ann', 'pw');
    expect(useSession.getState()).toMatchObject({ user: USER, accessToken: access });
    expect(storage()).not.toContain(access);
    expect(storage()).not.toMatch(/token/i);
    await signUp('ann@example.test', 'ann', 'pw');
    expect(storage()).not.toMatch(/token/i);
  });

  it('restores a remembered user at page load from the refresh cookie', async () => {
    localStorage.setItem('voyce.user', JSON.stringify(USER));
    useSession.setState({ user: USER, accessToken: null, restoring: true });
    const access = token();
    mockFetch({
      'POST /api/auth/refresh': async (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        expect(await req.json()).toEqual({});
        return json(200, { accessToken: access });
      },
      'GET /api/auth/me': (req) => (req.headers.get('authorization') === `Bearer ${access}` ? json(200, { user: { ...USER, role: 'analyst' } }) : json(401, {})),
    });
    await restoreSession();
    expect(useSession.getState()).toMatchObject({ user: { ...USER, role: 'analyst' }, accessToken: access, restoring: false });
  });

  it('signs out at page load when the cookie session is gone', async () => {
    localStorage.setItem('voyce.user', JSON.stringify(USER));
    useSession.setState({ user: USER, accessToken: null, restoring: true });
    mockFetch({ 'POST /api/auth/refresh': () => json(401, { error: { code: 'unauthenticated', message: 'no session' } }) });
    await restoreSession();
    expect(useSession.getState()).toMatchObject({ user: null, accessToken: null, restoring: false });
    expect(localStorage.getItem('voyce.user')).toBeNull();
  });

  it('asks nothing at page load when nobody was signed in on this browser', async () => {
    useSession.setState({ user: null, accessToken: null, restoring: false });
    const fetch = mockFetch({});
    await restoreSession();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('moves an old localStorage refresh token into the cookie once, then deletes it', async () => {
    localStorage.setItem(LEGACY_STORAGE_KEY, JSON.stringify({ user: USER, accessToken: 'old', refreshToken: 'legacy-refresh' }));
    const access = token();
    const bodies: unknown[] = [];
    mockFetch({
      'POST /api/auth/refresh': async (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        bodies.push(await req.json());
        return json(200, { accessToken: access });
      },
      'GET /api/auth/me': () => json(200, { user: USER }),
    });
    await restoreSession();
    expect(bodies).toEqual([{ refreshToken: 'legacy-refresh' }]);
    expect(localStorage.getItem(LEGACY_STORAGE_KEY)).toBeNull();
    expect(storage()).not.toContain('legacy-refresh');
    expect(useSession.getState()).toMatchObject({ user: USER, accessToken: access });
    // From now on the cookie alone.
    useSession.setState({ accessToken: token(5) });
    await restoreSession();
    expect(bodies).toEqual([{ refreshToken: 'legacy-refresh' }, {}]);
  });

  it('a refused old token is deleted too, and the cookie is still tried', async () => {
    localStorage.setItem(LEGACY_STORAGE_KEY, JSON.stringify({ user: USER, accessToken: 'old', refreshToken: 'legacy-refresh' }));
    const bodies: unknown[] = [];
    mockFetch({
      'POST /api/auth/refresh': async (req) => {
        bodies.push(await req.json());
        return json(401, { error: { code: 'unauthenticated', message: 'revoked' } });
      },
    });
    await restoreSession();
    expect(bodies).toEqual([{ refreshToken: 'legacy-refresh' }, {}]);
    expect(localStorage.getItem(LEGACY_STORAGE_KEY)).toBeNull();
    expect(useSession.getState().user).toBeNull();
  });

  it('signs out through the cookie: logout with the header, no token in the body', async () => {
    signedInAs();
    let body: unknown;
    mockFetch({
      'POST /api/auth/logout': async (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        body = await req.json();
        return new Response(null, { status: 204 });
      },
    });
    await signOut();
    expect(body).toEqual({});
    expect(useSession.getState()).toMatchObject({ user: null, accessToken: null });
    expect(localStorage.getItem('voyce.user')).toBeNull();
  });
});
