/**
 * The Voyce HTTP API as the mobile app uses it: an adapter over @voyce/api-client whose tokens live in the
 * session store (SecureStore on a device).
 */
import { ApiClient, type FilePart, type OrgMembership, type TokenStore, uploadFormData, uploadSubmission } from '@voyce/api-client';
import type { Page, Submission, Tokens, User } from './types';

export { ApiError, NetworkError, type FilePart } from '@voyce/api-client';

/** Where the client keeps its tokens; the session store implements it and persists them. */
export interface TokenHolder {
  tokens(): Tokens | null;
  setTokens(tokens: Tokens | null): void;
}

export interface UploadFields {
  title?: string;
  description?: string;
  category?: string;
  language?: string;
  /** The organisation it goes into; absent: the personal one. */
  orgId?: string;
  context?: Record<string, unknown>;
}

type Fetch = typeof fetch;

/** The app's calls of the API, typed by its OpenAPI document; the access token is renewed when needed. */
export class VoyceApi {
  private readonly client: ApiClient;

  constructor(
    private readonly baseUrl: () => string,
    private readonly holder: TokenHolder,
    private readonly fetchImpl: Fetch = (...args) => fetch(...args),
  ) {
    const store: TokenStore = {
      load: () => holder.tokens(),
      save: (t) => {
        const refreshToken = t.refreshToken ?? holder.tokens()?.refreshToken;
        if (refreshToken) holder.setTokens({ accessToken: t.accessToken, refreshToken });
      },
      clear: () => holder.setTokens(null),
    };
    this.client = new ApiClient({ baseUrl, store, fetch: fetchImpl });
  }

  url(path: string): string {
    return `${this.baseUrl().replace(/\/+$/, '')}${path}`;
  }

  async login(login: string, password: string): Promise<User> {
    return this.signedIn(await this.client.call('post', '/api/auth/login', { body: { login, password }, auth: false }));
  }

  async register(email: string, username: string, password: string): Promise<User> {
    return this.signedIn(await this.client.call('post', '/api/auth/register', { body: { email, username, password }, auth: false }));
  }

  /** Finishes an OpenID sign-in (state/oauthSignIn.ts): the one-time code and its PKCE verifier for tokens. */
  async exchangeOauthCode(code: string, codeVerifier: string): Promise<User> {
    return this.signedIn(await this.client.call('post', '/api/auth/oauth/token', { body: { code, code_verifier: codeVerifier }, auth: false }));
  }

  private signedIn(body: Tokens & { user: User }): User {
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
    return (await this.client.call('get', '/api/auth/me')).user;
  }

  async logout(): Promise<void> {
    const refreshToken = this.holder.tokens()?.refreshToken;
    this.holder.setTokens(null);
    if (refreshToken) await this.client.call('post', '/api/auth/logout', { body: { refreshToken }, auth: false }).catch(() => undefined);
  }

  /** The caller's organisations with their role in each (GET /api/orgs). */
  async listOrgs(): Promise<OrgMembership[]> {
    return (await this.client.json<{ items: OrgMembership[] }>('/api/orgs')).items;
  }

  async listSubmissions(cursor?: string): Promise<Page<Submission>> {
    return this.client.json<Page<Submission>>(`/api/submissions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  async getSubmission(id: string): Promise<Submission> {
    return (await this.client.json<{ submission: Submission }>(`/api/submissions/${encodeURIComponent(id)}`)).submission;
  }

  /** A short-lived signed URL of the stored audio (the JSON form: fetch cannot follow the redirect's Location). */
  async audioUrl(id: string): Promise<string> {
    return (await this.client.call('get', '/api/submissions/{id}/audio', { params: { id }, headers: { accept: 'application/json' } })).url;
  }

  /** The URL of the submission's event stream; EventSource cannot send headers, so the token rides in the query. */
  eventsUrl(id: string): string | null {
    const token = this.holder.tokens()?.accessToken;
    return token ? this.url(`/api/submissions/${id}/events?access_token=${encodeURIComponent(token)}`) : null;
  }

  /** Uploads one recording; the same `idempotencyKey` always answers the first submission (nothing is sent twice). */
  async upload(audio: FilePart, fileName: string, fields: UploadFields, idempotencyKey: string): Promise<Submission> {
    const { context, ...text } = fields;
    const form = () => uploadFormData({ audio, fileName, fields: text, ...(context ? { context } : {}) });
    return (await uploadSubmission(this.client, form, { idempotencyKey })) as unknown as Submission;
  }

  /** Registers this device's push token (idempotent: the same token answers the same device). */
  async registerDevice(pushToken: string, platform: 'ios' | 'android' | 'web', appVersion?: string): Promise<{ id: string }> {
    return (await this.client.call('post', '/api/devices', { body: { pushToken, platform, ...(appVersion ? { appVersion } : {}) } })).device;
  }

  /** Deletes one of the caller's push devices (404 when it is gone already or not theirs). */
  async deleteDevice(id: string): Promise<void> {
    await this.client.call('delete', '/api/devices/{id}', { params: { id } });
  }
}
