/**
 * The Voyce HTTP API as the extension uses it: an adapter over @voyce/api-client keeping the session in
 * chrome.storage. Only the service worker holds an instance: refresh tokens are rotated on every use and a
 * reused one revokes the whole session, so one place, refreshing one request at a time, must own them.
 */
import { ApiClient, apiErrorFrom, SignedOutError, uploadSubmission, type TokenStore } from '@voyce/api-client';

export { ApiError, NetworkError as ServerUnreachableError, secondsUntilExpiry } from '@voyce/api-client';
export { SignedOutError };

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** What the offscreen document needs to open `/api/live` (it has no access to the stored session). */
export interface LiveAccess {
  server: string;
  accessToken: string;
  /** The remembered organisation, sent in the live `start` message. */
  orgId?: string;
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

export class VoyceApi {
  private readonly client: ApiClient;

  constructor(
    private readonly store: SessionStore,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly now: () => number = Date.now,
  ) {
    const tokens: TokenStore = {
      load: async () => store.load(),
      save: async (t) => {
        const session = await store.load();
        if (session) await store.save({ ...session, accessToken: t.accessToken, refreshToken: t.refreshToken ?? session.refreshToken });
      },
      clear: () => store.save(null),
    };
    this.client = new ApiClient({ baseUrl: async () => (await store.load())?.server ?? '', store: tokens, signedOutError: true, fetch: fetchImpl, now });
  }

  /** A client of `server` for calls made before (or without) a session. */
  private at(server: string): ApiClient {
    return new ApiClient({ baseUrl: server, store: { load: () => null, save: () => undefined, clear: () => undefined }, fetch: this.fetchImpl, now: this.now });
  }

  /** Signs in with a password; the session is stored for `server`. */
  async login(server: string, login: string, password: string): Promise<Session> {
    return this.startSession(server, await this.at(server).call('post', '/api/auth/login', { body: { login, password }, auth: false }));
  }

  /**
   * Finishes a sign-in through an OpenID provider: exchanges the one-time code and its PKCE verifier (see
   * shared/oauth.ts) for a session, stored exactly like a password sign-in's.
   */
  async exchangeOauthCode(server: string, code: string, codeVerifier: string): Promise<Session> {
    return this.startSession(server, await this.at(server).call('post', '/api/auth/oauth/token', { body: { code, code_verifier: codeVerifier }, auth: false }));
  }

  private async startSession(server: string, body: Tokens & { user: Session['user'] }): Promise<Session> {
    const session: Session = { server, accessToken: body.accessToken, refreshToken: body.refreshToken, user: { id: body.user.id, username: body.user.username, email: body.user.email } };
    await this.store.save(session);
    return session;
  }

  /** Ends the session on the server (best effort) and forgets it here. */
  async logout(): Promise<void> {
    const session = await this.store.load();
    await this.store.save(null);
    if (session) await this.at(session.server).call('post', '/api/auth/logout', { body: { refreshToken: session.refreshToken }, auth: false }).catch(() => undefined);
  }

  async session(): Promise<Session | null> {
    return this.store.load();
  }

  /** The server and an access token good for a while, for the offscreen recorder's live transcript; null when signed out. */
  async liveAccess(): Promise<LiveAccess | null> {
    const session = await this.store.load();
    if (!session) return null;
    const accessToken = await this.client.accessToken().catch(() => null);
    return accessToken ? { server: session.server, accessToken } : null;
  }

  /** Rotates the refresh token (concurrent callers share one request); SignedOutError when it is refused. */
  async refresh(): Promise<Session> {
    await this.client.renew();
    const session = await this.store.load();
    if (!session) throw new SignedOutError('Not signed in.');
    return session;
  }

  /**
   * An authenticated request: renews the access token shortly before it expires, and once more if the server
   * still answers 401 (a token revoked early); a second 401 means signed out.
   */
  authed(path: string, init: RequestInit = {}): Promise<Response> {
    return this.client.fetch(path, init);
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.authed(path, init);
    if (!res.ok) throw await apiErrorFrom(res);
    return (await res.json()) as T;
  }

  /** Uploads a recording; the same `idempotencyKey` on a retry answers the first submission instead of a second. */
  async upload(form: FormData, idempotencyKey: string): Promise<{ id: string; status: string }> {
    return uploadSubmission(this.client, () => form, { idempotencyKey });
  }

  /** The deployment's public settings (limits, OpenID providers) — no sign-in needed. */
  async publicConfig(server: string): Promise<PublicConfig> {
    // The server lets caches keep this a minute; asking the server itself is also the reachability check.
    const res = await this.at(server).fetch('/api/config', { auth: false, cache: 'no-cache' });
    if (!res.ok) throw await apiErrorFrom(res);
    return (await res.json()) as PublicConfig;
  }
}
