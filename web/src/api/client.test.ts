import { describe, expect, it } from 'vitest';
import { json, mockFetch, signedInAs, token, USER } from '../test/helpers';
import { useSession } from '../stores/session';
import { api, ApiError, secondsLeft } from './client';

describe('api()', () => {
  it('refreshes once on a 401 from the HttpOnly cookie (header, no token in the body) and retries', async () => {
    signedInAs();
    const fresh = token(900, 'fresh');
    let calls = 0;
    const fetch = mockFetch({
      'GET /api/auth/me': (req) => {
        calls += 1;
        return req.headers.get('authorization') === `Bearer ${fresh}` ? json(200, { user: { id: 'x' } }) : json(401, { error: { code: 'unauthenticated', message: 'expired' } });
      },
      'POST /api/auth/refresh': async (req) => {
        expect(req.headers.get('x-voyce-session')).toBe('cookie');
        expect(req.credentials).toBe('same-origin');
        expect(await req.json()).toEqual({});
        return json(200, { accessToken: fresh });
      },
    });
    await expect(api('/api/auth/me')).resolves.toEqual({ user: { id: 'x' } });
    expect(calls).toBe(2);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(useSession.getState().accessToken).toBe(fresh);
    // Memory only: no token of any kind in storage.
    expect(JSON.stringify({ ...localStorage })).not.toMatch(/token/i);
    expect(JSON.stringify({ ...localStorage })).not.toContain(fresh);
  });

  it('concurrent 401s share one refresh (a second one would present a rotated cookie)', async () => {
    signedInAs();
    const fresh = token(900, 'fresh');
    let refreshes = 0;
    mockFetch({
      'GET /api/submissions': (req) => (req.headers.get('authorization') === `Bearer ${fresh}` ? json(200, { items: [], nextCursor: null }) : json(401, {})),
      'POST /api/auth/refresh': async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return json(200, { accessToken: fresh });
      },
    });
    await Promise.all([api('/api/submissions'), api('/api/submissions'), api('/api/submissions')]);
    expect(refreshes).toBe(1);
  });

  it('signs out when the refresh cookie is refused', async () => {
    signedInAs();
    mockFetch({
      'GET /api/submissions': () => json(401, { error: { code: 'unauthenticated', message: 'expired' } }),
      'POST /api/auth/refresh': () => json(401, { error: { code: 'invalid_refresh_token', message: 'revoked' } }),
    });
    await expect(api('/api/submissions')).rejects.toMatchObject({ status: 401 });
    expect(useSession.getState().user).toBeNull();
    expect(localStorage.getItem('voyce.user')).toBeNull();
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    useSession.getState().signIn({ user: { id: 'u', email: 'e', username: 'n', role: 'user', disabled: false, createdAt: '' }, accessToken: token(5) });
    const fresh = token(900);
    mockFetch({
      'POST /api/auth/refresh': () => json(200, { accessToken: fresh }),
      'GET /api/submissions': (req) => (req.headers.get('authorization') === `Bearer ${fresh}` ? json(200, { items: [], nextCursor: null }) : json(401, {})),
    });
    await expect(api('/api/submissions')).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('keeps the session when the refresh cannot reach the server (offline)', async () => {
    signedInAs();
    mockFetch({
      'GET /api/submissions': () => json(401, {}),
      'POST /api/auth/refresh': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(api('/api/submissions')).rejects.toMatchObject({ status: 401 });
    expect(useSession.getState().user).toEqual(USER);
  });

  it('turns error bodies into ApiError with field messages, and network failures into status 0', async () => {
    mockFetch({
      'POST /api/auth/register': () =>
        json(422, { error: { code: 'validation_failed', message: 'Invalid request: password: too common.', details: [{ field: 'password', message: 'too common' }] } }),
      'GET /api/config': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const err = await api('/api/auth/register', { method: 'POST', body: {}, auth: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldErrors()).toEqual({ password: 'too common' });
    const offline = await api('/api/config', { auth: false }).catch((e: unknown) => e);
    expect((offline as ApiError).isNetwork).toBe(true);
  });

  it('reads the expiry of a JWT', () => {
    expect(secondsLeft(token(100))).toBeGreaterThan(98);
    expect(secondsLeft('not-a-jwt')).toBeNull();
  });
});
