/**
 * The web app's adapter over @voyce/api-client: the access token in memory (stores/session), the refresh token
 * in the HttpOnly cookie (`X-Voyce-Session: cookie`), one refresh at a time across tabs (Web Locks).
 */
import { ApiClient, ApiError, messageOf, secondsUntilExpiry, SESSION_HEADERS, type TokenStore } from '@voyce/api-client';
import { forgetLegacySession, legacyRefreshToken, onSessionChangeInOtherTab, useSession } from '../stores/session';
import type { User } from './types';

export { ApiError, messageOf, SESSION_HEADERS };
/** Seconds until a JWT expires (no signature check: the server does that); null if unreadable. */
export const secondsLeft = secondsUntilExpiry;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Send the bearer token (and refresh it once on a 401). Default true. */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

// An older version kept the refresh token in localStorage: the client presents it once so the API rotates it
// into the cookie, and it is forgotten whatever the answer.
const store: TokenStore = {
  load() {
    const { user, accessToken } = useSession.getState();
    const legacy = legacyRefreshToken();
    return user || legacy ? { accessToken, refreshToken: legacy } : null;
  },
  save({ accessToken }) {
    forgetLegacySession();
    useSession.getState().setAccessToken(accessToken);
  },
  clear() {
    forgetLegacySession();
    useSession.getState().clear();
  },
};

/** Tabs share the cookie: presenting one that another tab has just rotated would make the API revoke the session. */
async function acrossTabs<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? await locks.request('voyce-token-refresh', run) : await run();
}

export const client = new ApiClient({ baseUrl: '', store, refreshMode: 'cookie', exclusive: acrossTabs });

/** A new access token from the refresh cookie (rotating it), once at a time; false when it could not be had. */
export async function refreshTokens(): Promise<boolean> {
  return (await client.refresh()).kind === 'renewed';
}

/** An access token good for at least 30 more seconds, refreshing silently when needed; null when signed out. */
export function freshAccessToken(): Promise<string | null> {
  return client.accessToken();
}

let restoring: Promise<void> | null = null;

/**
 * At page load (and when another tab signs in): a new access token from the refresh cookie, and who it is for.
 * Without a cookie session the app is signed out; offline, a remembered user stays (their recordings wait).
 * Only asked when a user is remembered (or an older version's session is to be moved into the cookie).
 */
export function restoreSession(opts: { evenIfSignedOut?: boolean } = {}): Promise<void> {
  // `.finally` (not try/finally inside): it runs after the assignment even when nothing is awaited.
  restoring ??= restore(opts.evenIfSignedOut ?? false).finally(() => {
    useSession.getState().setRestoring(false);
    restoring = null;
  });
  return restoring;
}

async function restore(evenIfSignedOut: boolean): Promise<void> {
  // Nobody was signed in on this browser: no session cookie to ask for (and no 401 to log for it).
  if (!evenIfSignedOut && !useSession.getState().user && !legacyRefreshToken()) return;
  if (!(await refreshTokens())) return;
  const token = useSession.getState().accessToken;
  const res = await client.fetch('/api/auth/me', { auth: false, headers: { authorization: `Bearer ${token ?? ''}` } }).catch(() => null);
  if (res?.ok) useSession.getState().setUser(((await res.json()) as { user: User }).user);
  else if (res?.status === 401) useSession.getState().clear();
}

onSessionChangeInOtherTab((what) => {
  if (what === 'signed-out') useSession.getState().clear();
  // Another tab signed in: the cookie it got is this tab's too.
  else void restoreSession({ evenIfSignedOut: true });
});

const init = (opts: RequestOptions) => ({
  method: opts.method ?? 'GET',
  ...(opts.body === undefined ? {} : { body: opts.body }),
  ...(opts.auth === undefined ? {} : { auth: opts.auth }),
  ...(opts.headers ? { headers: opts.headers } : {}),
  ...(opts.signal ? { signal: opts.signal } : {}),
});

/** Calls the API; JSON in and out. Throws ApiError. Refreshes the access token once on a 401. */
export function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  return client.json<T>(path, init(opts));
}

/** Like api() but returns the Response (for downloads); throws ApiError when not ok. */
export function rawRequest(path: string, opts: RequestOptions = {}): Promise<Response> {
  return client.request(path, init(opts));
}

/** A short-lived signed URL of a submission's audio or screenshot; null when there is none (404). */
export async function signedUrl(submissionId: string, what: 'audio' | 'screenshot'): Promise<string | null> {
  try {
    const { url } = await client.call('get', what === 'audio' ? '/api/submissions/{id}/audio' : '/api/submissions/{id}/screenshot', { params: { id: submissionId }, headers: { accept: 'application/json' } });
    return url;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}
