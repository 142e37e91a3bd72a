import type { Page, Submission, Tokens, User } from './types';

/** An error answer of the API: `{error: {code, message}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request could not reach the server (offline, DNS, refused): always worth retrying later. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(`network unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NetworkError';
  }
}

/** Where the client keeps its tokens; the session store implements it and persists them. */
export interface TokenHolder {
  tokens(): Tokens | null;
  setTokens(tokens: Tokens | null): void;
}

/** What `FormData.append` accepts for a file: a Blob on the web, `{uri, name, type}` in React Native. */
export type FilePart = Blob | { uri: string; name: string; type: string };

export interface UploadFields {
  title?: string;
  description?: string;
  category?: string;
  context?: Record<string, unknown>;
}

type Fetch = typeof fetch;

/** A small client of the Voyce HTTP API: refreshes the access token once on a 401 and retries. */
export class VoyceApi {
  constructor(
    private readonly baseUrl: () => string,
    private readonly holder: TokenHolder,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
  ) {}

  url(path: string): string {
    return `${this.baseUrl().replace(/\/+$/, '')}${path}`;
  }

  async login(login: string, password: string): Promise<User> {
    const body = await this.request<{ user: User } & Tokens>('POST', '/api/auth/login', { json: { login, password }, auth: false });
    this.holder.setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
    return body.user;
  }

  async register(email: string, username: string, password: string): Promise<User> {
    const body = await this.request<{ user: User } & Tokens>('POST', '/api/auth/register', { json: { email, username, password }, auth: false });
    this.holder.setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
    return body.user;
  }

  /** Finishes an OpenID sign-in (state/oauthSignIn.ts): the one-time code and its PKCE verifier for tokens. */
  async exchangeOauthCode(code: string, codeVerifier: string): Promise<User> {
    const body = await this.request<{ user: User } & Tokens>('POST', '/api/auth/oauth/token', { json: { code, code_verifier: codeVerifier }, auth: false });
    this.holder.setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
    return body.user;
  }

  /** The OpenID providers `server` signs in with (GET /api/config; none when it cannot say). */
  async oauthProviders(server: string): Promise<string[]> {
    try {
      const res = await this.fetchImpl(`${server.trim().replace(/\/+$/, '')}/api/config`, { headers: { accept: 'application/json' } });
      if (!res.ok) return [];
      const body = (await res.json()) as { oauthProviders?: unknown };
      return Array.isArray(body.oauthProviders) ? body.oauthProviders.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  }

  async me(): Promise<User> {
    return (await this.request<{ user: User }>('GET', '/api/auth/me')).user;
  }

  async logout(): Promise<void> {
    const refreshToken = this.holder.tokens()?.refreshToken;
    this.holder.setTokens(null);
    if (refreshToken) await this.request('POST', '/api/auth/logout', { json: { refreshToken }, auth: false }).catch(() => undefined);
  }

  async listSubmissions(cursor?: string): Promise<Page<Submission>> {
    const query = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : '?limit=50';
    return this.request<Page<Submission>>('GET', `/api/submissions${query}`);
  }

  async getSubmission(id: string): Promise<Submission> {
    return (await this.request<{ submission: Submission }>('GET', `/api/submissions/${id}`)).submission;
  }

  /** A short-lived signed URL of the stored audio (the JSON form: fetch cannot follow the redirect's Location). */
  async audioUrl(id: string): Promise<string> {
    return (await this.request<{ url: string }>('GET', `/api/submissions/${id}/audio`, { accept: 'application/json' })).url;
  }

  /** The URL of the submission's event stream; EventSource cannot send headers, so the token rides in the query. */
  eventsUrl(id: string): string | null {
    const token = this.holder.tokens()?.accessToken;
    return token ? this.url(`/api/submissions/${id}/events?access_token=${encodeURIComponent(token)}`) : null;
  }

  /** Uploads one recording; the same `idempotencyKey` always answers the first submission (nothing is sent twice). */
  async upload(audio: FilePart, fileName: string, fields: UploadFields, idempotencyKey: string): Promise<Submission> {
    const build = () => {
      const form = new FormData();
      if (fields.title) form.append('title', fields.title);
      if (fields.description) form.append('description', fields.description);
      if (fields.category) form.append('category', fields.category);
      if (fields.context) form.append('context', JSON.stringify(fields.context));
      if (typeof Blob !== 'undefined' && audio instanceof Blob) form.append('audio', audio, fileName);
      else form.append('audio', audio as unknown as Blob);
      return form;
    };
    const body = await this.request<{ submission: Submission }>('POST', '/api/submissions/upload', { form: build, headers: { 'Idempotency-Key': idempotencyKey } });
    return body.submission;
  }

  /** Registers this device's push token (idempotent: the same token answers the same device). */
  async registerDevice(pushToken: string, platform: 'ios' | 'android' | 'web', appVersion?: string): Promise<{ id: string }> {
    return (await this.request<{ device: { id: string } }>('POST', '/api/devices', { json: { pushToken, platform, ...(appVersion ? { appVersion } : {}) } })).device;
  }

  /** Deletes one of the caller's push devices (404 when it is gone already or not theirs). */
  async deleteDevice(id: string): Promise<void> {
    await this.request('DELETE', `/api/devices/${encodeURIComponent(id)}`);
  }

  private async request<T>(
    method: string,
    path: string,
    opts: { json?: unknown; form?: () => FormData; auth?: boolean; headers?: Record<string, string>; accept?: string } = {},
    retried = false,
  ): Promise<T> {
    const auth = opts.auth ?? true;
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', ...opts.headers };
    const access = this.holder.tokens()?.accessToken;
    if (auth && access) headers.authorization = `Bearer ${access}`;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      body = opts.form();
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path), { method, headers, body });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (res.status === 401 && auth && !retried && (await this.refresh())) return this.request<T>(method, path, opts, true);
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : null;
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `HTTP ${res.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    return parsed as T;
  }

  /** Rotates the refresh token; false (and signed out) when the server refuses it. */
  private refreshing: Promise<boolean> | null = null;
  private refresh(): Promise<boolean> {
    const refreshToken = this.holder.tokens()?.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    // One rotation at a time: a rotated token presented twice would revoke the whole family.
    this.refreshing ??= (async () => {
      try {
        const tokens = await this.request<Tokens>('POST', '/api/auth/refresh', { json: { refreshToken }, auth: false }, true);
        this.holder.setTokens(tokens);
        return true;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 400)) this.holder.setTokens(null);
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
