import { forgetLegacySession, legacyRefreshToken, onSessionChangeInOtherTab, useSession } from '../stores/session';
import type { User } from './types';

/** An answer in the API's error shape (`{error: {code, message, details?}}`), or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** The server never answered: offline, DNS, connection refused. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
  /** Field messages from a 422 (`details: [{field, message}]`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as { field?: unknown; message?: unknown }[]) {
        if (typeof d.field === 'string' && typeof d.message === 'string' && !(d.field in out)) out[d.field] = d.message;
      }
    }
    return out;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Send the bearer token (and refresh it once on a 401). Default true. */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = 'http_error';
  let message = `The server answered ${res.status}.`;
  let details: unknown;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    details = body.error?.details;
  } catch {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  if (res.status === 429) {
    const wait = res.headers.get('retry-after');
    if (wait) message = `${message} Try again in ${wait} s.`;
  }
  return new ApiError(res.status, code, message, details);
}

/** Seconds until a JWT expires (no signature check: the server does that); null if unreadable. */
export function secondsLeft(jwt: string, now = Date.now()): number | null {
  try {
    const part = jwt.split('.')[1];
    if (!part) return null;
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof claims.exp === 'number' ? claims.exp - now / 1000 : null;
  } catch {
    return null;
  }
}

/** The header that asks the API for the cookie session: the refresh token only ever in an HttpOnly cookie. */
export const SESSION_HEADERS = { 'x-voyce-session': 'cookie' } as const;

let refreshing: Promise<boolean> | null = null;

/** One POST /api/auth/refresh; the refresh token is the cookie's, or the given (legacy) one to move into it. */
async function postRefresh(legacy: string | null): Promise<Response> {
  return fetch('/api/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...SESSION_HEADERS },
    body: JSON.stringify(legacy ? { refreshToken: legacy } : {}),
  });
}

async function refreshOnce(): Promise<boolean> {
  // An older version kept the refresh token in localStorage: present it once, with the header, so the API
  // rotates it into the cookie, then forget it (whatever the answer, it is never used again).
  const legacy = legacyRefreshToken();
  let res: Response;
  try {
    res = await postRefresh(legacy);
    if (legacy) {
      forgetLegacySession();
      // A refused legacy token: the cookie may still hold a session of its own.
      if (res.status === 401 || res.status === 400) res = await postRefresh(null);
    }
  } catch {
    return false; // offline: keep the session, try again later
  }
  if (!res.ok) {
    if (res.status === 401 || res.status === 400) useSession.getState().clear();
    return false;
  }
  const { accessToken } = (await res.json()) as { accessToken: string };
  useSession.getState().setAccessToken(accessToken);
  return true;
}

/**
 * Gets a new access token from the refresh cookie (rotating it), once at a time across this tab and, where Web
 * Locks exist, across tabs: they share the cookie, and presenting one that another tab has just rotated would
 * make the API revoke the whole session.
 */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      return locks ? await locks.request('voyce-token-refresh', refreshOnce) : await refreshOnce();
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** An access token good for at least 30 more seconds, refreshing silently when needed; null when signed out. */
export async function freshAccessToken(): Promise<string | null> {
  const { user, accessToken } = useSession.getState();
  if (!user) return null;
  const left = accessToken ? secondsLeft(accessToken) : 0;
  if (left !== null && left < 30) await refreshTokens();
  return useSession.getState().accessToken;
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
  const res = await fetch('/api/auth/me', { headers: { accept: 'application/json', authorization: `Bearer ${token ?? ''}` } }).catch(() => null);
  if (res?.ok) useSession.getState().setUser(((await res.json()) as { user: User }).user);
  else if (res?.status === 401) useSession.getState().clear();
}

onSessionChangeInOtherTab((what) => {
  if (what === 'signed-out') useSession.getState().clear();
  // Another tab signed in: the cookie it got is this tab's too.
  else void restoreSession({ evenIfSignedOut: true });
});

/** Calls the API; JSON in and out. Throws ApiError. Refreshes the access token once on a 401. */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await rawRequest(path, opts);
  if (res.status === 204 || res.status === 202) {
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await res.json()) as T;
}

/** Like api() but returns the Response (for downloads); throws ApiError when not ok. */
export async function rawRequest(path: string, opts: RequestOptions = {}): Promise<Response> {
  const auth = opts.auth ?? true;
  const send = async (): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      const token = await freshAccessToken();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    try {
      return await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'Cannot reach Voyce. Check your connection and try again.');
    }
  };
  let res = await send();
  if (res.status === 401 && auth && useSession.getState().user) {
    if (await refreshTokens()) res = await send();
  }
  if (!res.ok) throw await errorFrom(res);
  return res;
}

/** A short-lived signed URL of a submission's audio or screenshot; null when there is none (404). */
export async function signedUrl(submissionId: string, what: 'audio' | 'screenshot'): Promise<string | null> {
  try {
    const { url } = await api<{ url: string; expiresAt: string }>(`/api/submissions/${submissionId}/${what}`);
    return url;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** Human words for an error of any kind. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
