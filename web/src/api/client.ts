import { reloadSessionFromStorage, useSession } from '../stores/session';

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

let refreshing: Promise<boolean> | null = null;

async function refreshOnce(): Promise<boolean> {
  const before = useSession.getState().refreshToken;
  if (!before) return false;
  // Another tab may have rotated the token already: take its result instead of presenting a spent token
  // (which would revoke the whole session family).
  reloadSessionFromStorage();
  const current = useSession.getState().refreshToken;
  if (!current) return false;
  if (current !== before) return true;
  let res: Response;
  try {
    res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: current }) });
  } catch {
    return false; // offline: keep the session, try again later
  }
  if (!res.ok) {
    if (res.status === 401 || res.status === 400) useSession.getState().clear();
    return false;
  }
  const tokens = (await res.json()) as { accessToken: string; refreshToken: string };
  useSession.getState().setTokens(tokens);
  return true;
}

/** Rotates the tokens, once at a time across this tab (and across tabs where Web Locks exist). */
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

/** An access token good for at least 30 more seconds, refreshing silently when needed. */
export async function freshAccessToken(): Promise<string | null> {
  const token = useSession.getState().accessToken;
  if (!token) return null;
  const left = secondsLeft(token);
  if (left !== null && left < 30) await refreshTokens();
  return useSession.getState().accessToken;
}

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
  if (res.status === 401 && auth && useSession.getState().refreshToken) {
    if (await refreshTokens()) res = await send();
    else if (!useSession.getState().refreshToken) useSession.getState().clear();
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
