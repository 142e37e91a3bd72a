/**
 * The Voyce HTTP API as the extension uses it. Only the service worker holds an instance: refresh tokens are
 * rotated on every use and a reused one revokes the whole session, so one place, refreshing one request at a
 * time, must own them.
 */

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface Session extends Tokens {
  server: string;
  user: { id: string; username: string; email?: string };
}

/** What `GET /api/config` tells clients (API.md). */
export interface PublicConfig {
  limits?: { maxUploadBytes?: number; maxAudioMs?: number; minAudioMs?: number };
  /** Names of the OpenID providers the server signs in with. */
  oauthProviders?: string[];
}

/** Where the session is kept (chrome.storage.local in the extension, a Map in tests). */
export interface SessionStore {
  load(): Promise<Session | null>;
  save(session: Session | null): Promise<void>;
}

/** The server answered with an error body (API.md: `{error: {code, message}}`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (offline, down, DNS): worth retrying later. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
}

/** No session, or the server refused to renew it: the person must sign in again. */
export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';
}

/** Seconds left before a JWT expires (no signature check: the server does that), or null if unreadable. */
export function secondsUntilExpiry(jwt: string, now = Date.now()): number | null {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp - now / 1000 : null;
  } catch {
    return null;
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `The server answered ${res.status}.`);
}

export class VoyceApi {
  private refreshing: Promise<Session> | null = null;

  constructor(
    private readonly store: SessionStore,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly now: () => number = Date.now,
  ) {}

  private async call(server: string, path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await this.fetchImpl(`${server}${path}`, init);
    } catch (err) {
      throw new ServerUnreachableError(`Cannot reach ${server}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Signs in with a password; the session is stored for `server`. */
  async login(server: string, login: string, password: string): Promise<Session> {
    return this.startSession(server, '/api/auth/login', { login, password });
  }

  /**
   * Finishes a sign-in through an OpenID provider: exchanges the one-time code and its PKCE verifier (see
   * shared/oauth.ts) for a session, stored exactly like a password sign-in's.
   */
  async exchangeOauthCode(server: string, code: string, codeVerifier: string): Promise<Session> {
    return this.startSession(server, '/api/auth/oauth/token', { code, code_verifier: codeVerifier });
  }

  private async startSession(server: string, path: string, payload: Record<string, string>): Promise<Session> {
    const res = await this.call(server, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    if (!res.ok) throw await errorOf(res);
    const body = (await res.json()) as Tokens & { user: Session['user'] };
    const session: Session = { server, accessToken: body.accessToken, refreshToken: body.refreshToken, user: { id: body.user.id, username: body.user.username, email: body.user.email } };
    await this.store.save(session);
    return session;
  }

  /** Ends the session on the server (best effort) and forgets it here. */
  async logout(): Promise<void> {
    const session = await this.store.load();
    await this.store.save(null);
    if (session) {
      await this.call(session.server, '/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) }).catch(() => undefined);
    }
  }

  async session(): Promise<Session | null> {
    return this.store.load();
  }

  /**
   * Rotates the refresh token. Concurrent callers share one request: two refreshes with the same token would
   * look like token theft to the server and end the session.
   */
  refresh(): Promise<Session> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<Session> {
    const session = await this.store.load();
    if (!session) throw new SignedOutError('Not signed in.');
    const res = await this.call(session.server, '/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }) });
    if (res.status === 401 || res.status === 400) {
      await this.store.save(null);
      throw new SignedOutError('The session has ended; sign in again.');
    }
    if (!res.ok) throw await errorOf(res);
    const tokens = (await res.json()) as Tokens;
    const next = { ...session, ...tokens };
    await this.store.save(next);
    return next;
  }

  /**
   * An authenticated request: renews the access token shortly before it expires, and once more if the server
   * still answers 401 (a token revoked early); a second 401 means signed out.
   */
  async authed(path: string, init: RequestInit = {}): Promise<Response> {
    let session = await this.store.load();
    if (!session) throw new SignedOutError('Not signed in.');
    const left = secondsUntilExpiry(session.accessToken, this.now());
    if (left !== null && left < 30) session = await this.refresh();
    const send = (s: Session) => this.call(s.server, path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${s.accessToken}` } });
    const res = await send(session);
    if (res.status !== 401) return res;
    const renewed = await this.refresh();
    const again = await send(renewed);
    if (again.status === 401) {
      await this.store.save(null);
      throw new SignedOutError('The server no longer accepts this session; sign in again.');
    }
    return again;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.authed(path, init);
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as T;
  }

  /** Uploads a recording; the same `idempotencyKey` on a retry answers the first submission instead of a second. */
  async upload(form: FormData, idempotencyKey: string): Promise<{ id: string; status: string }> {
    const res = await this.authed('/api/submissions/upload', { method: 'POST', body: form, headers: { 'idempotency-key': idempotencyKey } });
    if (res.status !== 202) throw await errorOf(res);
    const body = (await res.json()) as { submission: { id: string; status: string } };
    return body.submission;
  }

  /** The deployment's public settings (limits, OpenID providers) — no sign-in needed. */
  async publicConfig(server: string): Promise<PublicConfig> {
    // The server lets caches keep this a minute; asking the server itself is also the reachability check.
    const res = await this.call(server, '/api/config', { cache: 'no-cache' });
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as PublicConfig;
  }
}
