jest.setTimeout(120_000);

import path from 'node:path';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ApiClient } from '../support/apiClient';
import { startApi, type RunningApi } from '../support/services';
import { findFreePort } from '../../scripts/stack/ports';
import { startProcess, type ManagedProcess } from '../../scripts/stack/process';
import { REPO_ROOT } from '../../scripts/stack/paths';

/**
 * OpenID Connect sign-in end to end against a real local provider (npm oidc-provider, in its own process):
 * authorization code with PKCE, state and nonce; first sign-in creates the account, a later one links by
 * verified e-mail, tampered or missing state is refused.
 */
let api: RunningApi;
let provider: ManagedProcess;
let issuer: string;
const WEB = 'http://web.voyce.test';

beforeAll(async () => {
  const port = await findFreePort();
  issuer = `http://127.0.0.1:${port}`;
  api = await startApi({
    RATE_LIMIT_ENABLED: 'false',
    WEB_APP_URL: WEB,
    OAUTH_PROVIDERS: JSON.stringify([{ name: 'local', issuer, clientId: 'voyce-test', clientSecret: 'voyce-test-secret-voyce-test-secret' }]),
  });
  provider = startProcess({
    name: 'oidc',
    command: process.execPath,
    args: [path.join(REPO_ROOT, 'test/support/oidcProvider.mjs')],
    cwd: REPO_ROOT,
    env: { ...process.env, OIDC_PORT: String(port), OIDC_REDIRECT_URI: `${api.url}/api/auth/oauth/local/callback` },
    quiet: true,
  });
  await provider.waitForOutput(/oidc ready/, { timeoutMs: 30_000, what: 'the OpenID provider' });
});

afterAll(async () => {
  await provider?.stop();
  await api?.close();
});

/** A browser in miniature: follows redirects by hand and keeps cookies per host. */
class Browser {
  private jar = new Map<string, Map<string, string>>();

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      if (!k) continue;
      const jar = this.jar.get(u.host) ?? new Map<string, string>();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || v.join('=') === '') jar.delete(k.trim());
      else jar.set(k.trim(), v.join('='));
      this.jar.set(u.host, jar);
    }
    return res;
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string) {
    const jar = this.jar.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.jar.set(host, jar);
  }

  /** Follows redirects until one leaves for `stopAt` (returned) or a page with a form (returned). */
  async follow(url: string, stopAt: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let res = await this.go(url, init);
    let current = url;
    for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
      current = new URL(res.headers.get('location') ?? '', current).toString();
      if (current.startsWith(stopAt)) return { res, url: current };
      res = await this.go(current);
    }
    return { res, url: current };
  }
}

/** Drives the provider's development login and consent forms. */
async function signIn(b: Browser, login: string, start = `${api.url}/api/auth/oauth/local`, stopAt = WEB): Promise<{ url: string; res: Response }> {
  let step = await b.follow(start, stopAt);
  for (let i = 0; i < 5 && !step.url.startsWith(stopAt) && !step.url.startsWith(api.url); i++) {
    const html = await step.res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${step.url}: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const [tag] of html.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(tag)?.[1];
      if (name) fields.set(name, /value="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    if (fields.has('login')) fields.set('login', login);
    if (fields.has('password')) fields.set('password', 'anything');
    step = await b.follow(new URL(action, step.url).toString(), stopAt, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  }
  return step;
}

const tokensFrom = (url: string) => Object.fromEntries(new URLSearchParams(new URL(url).hash.slice(1)));

it('redirects to the provider with PKCE (S256), state and nonce, and seals them in an HttpOnly cookie', async () => {
  const b = new Browser();
  const res = await b.go(`${api.url}/api/auth/oauth/local`);
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get('location') ?? '');
  expect(to.origin).toBe(issuer);
  expect(to.searchParams.get('code_challenge_method')).toBe('S256');
  expect(to.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(to.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const setCookie = res.headers.getSetCookie().join('\n');
  expect(setCookie).toMatch(/voyce_oauth=enc%3Av1%3A.*HttpOnly/i);
  expect(setCookie).not.toContain(to.searchParams.get('state') ?? 'nothing');
});

it('first sign-in creates a user account and lands in the web app with working tokens', async () => {
  const email = `oidc-${randomUUID().slice(0, 8)}@example.test`;
  const browser = new Browser();
  const done = await signIn(browser, email);
  expect(done.url.startsWith(`${WEB}/oauth/callback#`)).toBe(true);
  // Only the access token travels in the URL; the refresh token is the HttpOnly cookie of the API's origin.
  const fragment = tokensFrom(done.url);
  expect(Object.keys(fragment)).toEqual(['accessToken']);
  const setCookie = done.res.headers.getSetCookie().find((c) => c.startsWith('voyce_refresh='));
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  expect(setCookie).toMatch(/Path=\/api\/auth/);
  // And the device cookie of every sign-in, so later password sign-ins from this browser are a known device.
  expect(done.res.headers.getSetCookie().find((c) => c.startsWith('voyce_device_'))).toMatch(/^voyce_device_[0-9a-f]{16}=[^;]+;.*HttpOnly/);
  const me = await new ApiClient(api.url).json('GET', '/api/auth/me', undefined, fragment.accessToken);
  expect(me.status).toBe(200);
  expect(me.body.user).toMatchObject({ email, role: 'user' });
  const refreshed = await browser.go(`${api.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-voyce-session': 'cookie' }, body: '{}' });
  expect(refreshed.status).toBe(200);
  expect(Object.keys((await refreshed.json()) as object)).toEqual(['accessToken']);
  // A second sign-in finds the same account.
  const again = await signIn(new Browser(), email);
  const me2 = await new ApiClient(api.url).json('GET', '/api/auth/me', undefined, tokensFrom(again.url).accessToken);
  expect(me2.body.user.id).toBe(me.body.user.id);
});

it('links to an existing password account by verified e-mail', async () => {
  const c = new ApiClient(api.url);
  const existing = await c.registerFresh();
  const email = `${existing.username}@example.test`;
  const done = await signIn(new Browser(), email);
  const me = await c.json('GET', '/api/auth/me', undefined, tokensFrom(done.url).accessToken);
  expect(me.body.user.id).toBe(existing.id);
  expect((await api.deps.audit.listForUser(existing.id)).map((e) => e.action)).toContain('auth.oauth_linked');
});

it('an unverified e-mail neither links nor creates an account', async () => {
  const c = new ApiClient(api.url);
  const existing = await c.registerFresh();
  const done = await signIn(new Browser(), `unverified-${existing.username}@example.test`);
  expect(done.res.status).toBe(403);
  expect(((await done.res.json()) as any).error.code).toBe('oauth_email_unverified');
  expect(done.url).toContain('/api/auth/oauth/local/callback');
  expect(await api.deps.users.findByLogin(`unverified-${existing.username}@example.test`)).toBeNull();
  expect(await api.deps.db('oauth_identities').where({ user_id: existing.id })).toEqual([]);
});

it('a tampered or missing state is refused, and the code is not redeemed', async () => {
  const b = new Browser();
  const first = await b.go(`${api.url}/api/auth/oauth/local`);
  const state = new URL(first.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const forged = await b.go(`${api.url}/api/auth/oauth/local/callback?code=stolen-code&state=${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
  expect(forged.status).toBe(400);
  expect(((await forged.json()) as any).error.code).toBe('invalid_oauth_state');
  // Without the cookie (a callback delivered to another browser: login CSRF).
  const other = await new Browser().go(`${api.url}/api/auth/oauth/local/callback?code=x&state=${state}`);
  expect(other.status).toBe(400);
  // A cookie altered by the browser does not open.
  const b2 = new Browser();
  const start = await b2.go(`${api.url}/api/auth/oauth/local`);
  const s2 = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const host = new URL(api.url).host;
  const sealed = b2.cookie(host, 'voyce_oauth') ?? '';
  b2.setCookie(host, 'voyce_oauth', sealed.slice(0, -3) + (sealed.endsWith('AAA') ? 'BBB' : 'AAA'));
  expect((await b2.go(`${api.url}/api/auth/oauth/local/callback?code=x&state=${s2}`)).status).toBe(400);
});

it('an unknown provider is 404', async () => {
  const res = await new Browser().go(`${api.url}/api/auth/oauth/nope`);
  expect(res.status).toBe(404);
});

describe('native apps (RFC 8252): one-time code bound to a PKCE challenge', () => {
  const EXTENSION = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
  const APP = 'voyce://oauth';
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const startUrl = (redirectUri: string, challenge?: string, extra: Record<string, string> = {}) =>
    `${api.url}/api/auth/oauth/local?${new URLSearchParams({ redirect_uri: redirectUri, ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}), ...extra }).toString()}`;
  const exchange = (code: string, codeVerifier: string) => new ApiClient(api.url).json('POST', '/api/auth/oauth/token', { code, code_verifier: codeVerifier });

  /** Signs in through the provider and answers the app's redirect (never followed: it is the app's). */
  async function nativeSignIn(login: string, redirectUri: string, challenge: string, extra: Record<string, string> = {}): Promise<URL> {
    const done = await signIn(new Browser(), login, startUrl(redirectUri, challenge, extra), redirectUri);
    expect(done.res.status).toBe(302);
    expect(done.res.headers.get('cache-control')).toBe('no-store');
    expect(done.url.startsWith(redirectUri)).toBe(true);
    return new URL(done.url);
  }

  it('ends at redirect_uri with a one-time code (no tokens in the URL) that the verifier exchanges exactly once', async () => {
    const email = `native-${randomUUID().slice(0, 8)}@example.test`;
    const { verifier, challenge } = pkce();
    const landed = await nativeSignIn(email, EXTENSION, challenge, { state: 'app-state-1' });
    const code = landed.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(landed.searchParams.get('state')).toBe('app-state-1');
    expect(landed.toString()).not.toMatch(/accessToken|refreshToken/);
    expect(landed.hash).toBe('');

    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ email, role: 'user' });
    const me = await new ApiClient(api.url).json('GET', '/api/auth/me', undefined, first.body.accessToken);
    expect(me.body.user.email).toBe(email);
    // Stored only as a digest.
    expect(await api.deps.db('oauth_authorization_codes').where({ code_hash: code })).toEqual([]);

    // Once only: a second exchange is refused, audited, and ends the session the code gave.
    const second = await exchange(code, verifier);
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe('invalid_grant');
    expect((await api.deps.audit.listForUser(me.body.user.id)).map((e) => e.action)).toContain('auth.oauth_code_reuse');
    expect((await new ApiClient(api.url).json('POST', '/api/auth/refresh', { refreshToken: first.body.refreshToken })).status).toBe(401);
  });

  it('a wrong verifier is refused and spends the code; so do unknown and expired codes', async () => {
    const { verifier, challenge } = pkce();
    const landed = await nativeSignIn(`native-${randomUUID().slice(0, 8)}@example.test`, APP, challenge);
    const code = landed.searchParams.get('code') ?? '';
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('invalid_grant');
    expect((await exchange(code, verifier)).status).toBe(400);

    expect((await exchange(randomBytes(32).toString('base64url'), verifier)).body.error.code).toBe('invalid_grant');

    const p2 = pkce();
    const late = (await nativeSignIn(`native-${randomUUID().slice(0, 8)}@example.test`, APP, p2.challenge)).searchParams.get('code') ?? '';
    await api.deps.db('oauth_authorization_codes').where({ code_hash: createHash('sha256').update(late).digest('hex') }).update({ expires_at: api.deps.db.raw("now() - interval '1 second'") });
    const expired = await exchange(late, p2.verifier);
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('invalid_grant');

    const malformed = await exchange(code, 'short');
    expect(malformed.status).toBe(400);
  });

  it.each([
    ['https://evil.example/', 'a web site'],
    ['https://evil.example/x.chromiumapp.org/', 'a look-alike'],
    ['myapp://oauth', 'another scheme'],
  ])('refuses redirect_uri %s (%s) before going to the provider', async (redirectUri) => {
    const res = await new Browser().go(startUrl(redirectUri, pkce().challenge));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('invalid_redirect_uri');
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a native start without a code challenge, or with another method', async () => {
    const missing = await new Browser().go(startUrl(EXTENSION));
    expect(missing.status).toBe(400);
    expect(missing.headers.get('location')).toBeNull();
    const plain = await new Browser().go(startUrl(EXTENSION, undefined, { code_challenge: pkce().challenge, code_challenge_method: 'plain' }));
    expect(plain.status).toBe(400);
    const withoutRedirect = await new Browser().go(`${api.url}/api/auth/oauth/local?code_challenge=${pkce().challenge}&code_challenge_method=S256`);
    expect(withoutRedirect.status).toBe(400);
    expect(((await withoutRedirect.json()) as any).error.code).toBe('invalid_redirect_uri');
  });

  it('a sign-in cancelled at the provider goes back to the app; a web one stays a 400', async () => {
    const b = new Browser();
    const begun = await b.go(startUrl(APP, pkce().challenge, { state: 'app-state-2' }));
    const state = new URL(begun.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = await b.go(`${api.url}/api/auth/oauth/local/callback?error=access_denied&state=${state}`);
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('voyce://oauth?error=access_denied&state=app-state-2');

    const web = new Browser();
    const webBegun = await web.go(`${api.url}/api/auth/oauth/local`);
    const webState = new URL(webBegun.headers.get('location') ?? '').searchParams.get('state') ?? '';
    expect((await web.go(`${api.url}/api/auth/oauth/local/callback?error=access_denied&state=${webState}`)).status).toBe(400);
  });

  it('a refused sign-in goes back to the app with an error it can show', async () => {
    const landed = await nativeSignIn(`unverified-${randomUUID().slice(0, 8)}@example.test`, APP, pkce().challenge);
    expect(landed.searchParams.get('error')).toBe('oauth_email_unverified');
    expect(landed.searchParams.get('code')).toBeNull();
  });
});
