import { ApiError, apiErrorFrom, NetworkError, SignedOutError } from './errors';
import { secondsUntilExpiry } from './jwt';
import { buildPath, type CallOptions, type Method, type PathOf, type ResponseJson } from './operations';
import { refreshSession } from './refresh';
import { singleFlight } from './singleFlight';
import type { RefreshMode, RefreshOutcome, TokenStore } from './tokenStore';

export interface ApiClientOptions {
  /** The server's origin (`''` for the web app's same-origin API); asked per request (it can change). */
  baseUrl: string | (() => string | Promise<string>);
  store: TokenStore;
  refreshMode?: RefreshMode;
  /**
   * Signed out (no session, or a refused one) as SignedOutError instead of the server's 401 (the extension).
   * Without it a request without a session is sent unauthenticated and a 401 comes back as ApiError.
   */
  signedOutError?: boolean;
  /** Runs each refresh exclusively beyond this client too (the web app: Web Locks across tabs). */
  exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
  fetch?: typeof fetch;
  now?: () => number;
}

/** A request the client authenticates: it gets the access token and sends, returning the server's answer. */
export type Send = (accessToken: string | null) => Promise<Response>;

/** What request() and json() take: fetch's options with a JSON `body` and whether to authenticate. */
export type JsonInit = Omit<RequestInit, 'body'> & { auth?: boolean; body?: unknown };

/** Renew the access token when it has fewer seconds than this left. */
const REFRESH_MARGIN_S = 30;

/**
 * The Voyce HTTP API for every client app: bearer tokens from the app's TokenStore, renewed shortly before
 * they expire and once on a 401 (one refresh at a time), ApiError for every failure.
 */
export class ApiClient {
  /** The fetch this client sends with (injected in tests). */
  readonly transport: typeof fetch;
  private readonly now: () => number;
  /** Concurrent callers share one refresh: a rotated refresh token presented twice revokes the session. */
  readonly refresh: () => Promise<RefreshOutcome>;

  constructor(private readonly opts: ApiClientOptions) {
    this.transport = opts.fetch ?? ((...args) => fetch(...args));
    this.now = opts.now ?? Date.now;
    const once = async () => refreshSession({ url: await this.url('/api/auth/refresh'), store: opts.store, mode: opts.refreshMode ?? 'body', fetch: this.transport });
    this.refresh = singleFlight(() => (opts.exclusive ? opts.exclusive(once) : once()));
  }

  /** Like refresh(), but the new access token, or why not as an error (SignedOutError when it was refused). */
  async renew(): Promise<string> {
    const outcome = await this.refresh();
    if (outcome.kind === 'renewed') return outcome.accessToken;
    this.raise(outcome);
  }

  async url(path: string): Promise<string> {
    const base = typeof this.opts.baseUrl === 'string' ? this.opts.baseUrl : await this.opts.baseUrl();
    return `${base.trim().replace(/\/+$/, '')}${path}`;
  }

  /** An access token good for at least 30 more seconds, refreshing when needed; null when signed out. */
  async accessToken(): Promise<string | null> {
    const tokens = await this.opts.store.load();
    if (!tokens) return null;
    const left = tokens.accessToken ? secondsUntilExpiry(tokens.accessToken, this.now()) : 0;
    if (left === null || left >= REFRESH_MARGIN_S) return tokens.accessToken;
    const outcome = await this.refresh();
    if (outcome.kind === 'renewed') return outcome.accessToken;
    if (this.opts.signedOutError) this.raise(outcome);
    return (await this.opts.store.load())?.accessToken ?? null;
  }

  /**
   * Sends an authenticated request (or not, with `auth: false`) and returns the answer whatever its status;
   * a 401 renews the token and sends once more. Unreachable: NetworkError (an abort stays an AbortError).
   */
  async authenticated(send: Send, auth = true): Promise<Response> {
    if (!auth) return this.guard(() => send(null));
    const token = await this.accessToken();
    if (!token && this.opts.signedOutError) throw new SignedOutError('Not signed in.');
    const res = await this.guard(() => send(token));
    if (res.status !== 401 || !(await this.opts.store.load())) return res;
    const outcome = await this.refresh();
    if (outcome.kind !== 'renewed') {
      if (this.opts.signedOutError) this.raise(outcome);
      return res;
    }
    const again = await this.guard(() => send(outcome.accessToken));
    if (again.status === 401 && this.opts.signedOutError) {
      await this.opts.store.clear();
      throw new SignedOutError('The server no longer accepts this session; sign in again.');
    }
    return again;
  }

  /** fetch() of a path of the API, authenticated; the Response whatever its status. */
  async fetch(path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Response> {
    const { auth = true, ...rest } = init;
    const url = await this.url(path);
    return this.authenticated((token) => {
      const headers: Record<string, string> = { accept: 'application/json', ...(rest.headers as Record<string, string> | undefined) };
      if (token) headers.authorization = `Bearer ${token}`;
      return this.transport(url, { ...rest, headers });
    }, auth);
  }

  /** Like fetch() with `body` serialised as JSON; throws ApiError unless 2xx (downloads read the Response). */
  async request(path: string, init: JsonInit = {}): Promise<Response> {
    const { body, ...rest } = init;
    const res = await this.fetch(path, {
      ...rest,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string> | undefined) } }),
    });
    if (!res.ok) throw await apiErrorFrom(res);
    return res;
  }

  /** JSON in and out; throws ApiError unless 2xx. Empty answers (204) are undefined. */
  async json<T>(path: string, init: JsonInit = {}): Promise<T> {
    const text = await (await this.request(path, init)).text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A call typed by the OpenAPI document: `call('get', '/api/submissions/{id}', {params: {id}})`. */
  async call<M extends Method, P extends PathOf<M>>(method: M, path: P, ...[opts]: CallArgs<M, P>): Promise<ResponseJson<M, P>> {
    const o = (opts ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; auth?: boolean; headers?: Record<string, string>; signal?: AbortSignal };
    return this.json<ResponseJson<M, P>>(buildPath(path, o.params, o.query), {
      method: method.toUpperCase(),
      ...(o.body === undefined ? {} : { body: o.body }),
      ...(o.auth === undefined ? {} : { auth: o.auth }),
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
  }

  private async guard(send: () => Promise<Response>): Promise<Response> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof ApiError || (err instanceof Error && err.name === 'AbortError')) throw err;
      throw new NetworkError(undefined, err);
    }
  }

  private raise(outcome: Exclude<RefreshOutcome, { kind: 'renewed' }>): never {
    if (outcome.kind === 'signed-out') throw new SignedOutError('The session has ended; sign in again.');
    throw outcome.error;
  }
}

/** The options argument is required exactly when the operation has path parameters or a body. */
type CallArgs<M extends Method, P extends PathOf<M>> = Partial<CallOptions<M, P>> extends CallOptions<M, P> ? [opts?: CallOptions<M, P>] : [opts: CallOptions<M, P>];
