import { describe, expect, it, vi } from 'vitest';
import { codeFromRedirect, createPkce, oauthStartUrl, signInWithProvider, type Identity } from './oauth';

const SERVER = 'https://voyce.example';
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

/** A fake chrome.identity whose auth window "signs in" by answering what `answer` makes of the start URL. */
function fakeIdentity(answer: (start: URL) => string | Promise<string | undefined>) {
  const launched: URL[] = [];
  const identity = {
    getRedirectURL: vi.fn(() => REDIRECT),
    launchWebAuthFlow: vi.fn(async (details: chrome.identity.WebAuthFlowDetails) => {
      expect(details.interactive).toBe(true);
      const start = new URL(details.url);
      launched.push(start);
      return answer(start);
    }),
  };
  return { identity: identity as unknown as Identity, launched };
}

const s256 = async (v: string) =>
  btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(v)))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

describe('createPkce', () => {
  it('makes a 43-character verifier and its S256 challenge', async () => {
    const a = await createPkce();
    const b = await createPkce();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.challenge).toBe(await s256(a.verifier));
    expect(a.verifier).not.toBe(b.verifier);
  });

  it('matches the example of RFC 7636 appendix B', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const bytes = Uint8Array.from(atob(verifier.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
    const fixed = { getRandomValues: <T extends ArrayBufferView | null>(a: T) => ((a as unknown as Uint8Array).set(bytes), a), subtle: crypto.subtle } as unknown as Crypto;
    expect(await createPkce(fixed)).toEqual({ verifier, challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' });
  });
});

describe('signInWithProvider', () => {
  it("starts the server's flow with redirect, challenge and state, and exchanges the code with the verifier", async () => {
    const { identity, launched } = fakeIdentity((start) => `${REDIRECT}?code=the-code&state=${start.searchParams.get('state')}`);
    const exchange = vi.fn(async () => 'ann');
    expect(await signInWithProvider({ server: SERVER, provider: 'google', identity, exchange })).toBe('ann');
    const start = launched[0]!;
    expect(`${start.origin}${start.pathname}`).toBe(`${SERVER}/api/auth/oauth/google`);
    expect(start.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(start.searchParams.get('code_challenge_method')).toBe('S256');
    const [code, verifier] = exchange.mock.calls[0] as unknown as [string, string];
    expect(code).toBe('the-code');
    expect(await s256(verifier)).toBe(start.searchParams.get('code_challenge'));
  });

  it('refuses an answer with another state (a code injected from elsewhere)', async () => {
    const { identity } = fakeIdentity(() => `${REDIRECT}?code=stolen&state=other`);
    const exchange = vi.fn(async () => 'x');
    await expect(signInWithProvider({ server: SERVER, provider: 'google', identity, exchange })).rejects.toThrow(/does not belong/);
    expect(exchange).not.toHaveBeenCalled();
  });

  it("shows the server's error (cancelled, unverified e-mail) and a closed window", async () => {
    const exchange = vi.fn(async () => 'x');
    const denied = fakeIdentity((s) => `${REDIRECT}?error=access_denied&state=${s.searchParams.get('state')}`);
    await expect(signInWithProvider({ server: SERVER, provider: 'google', identity: denied.identity, exchange })).rejects.toThrow('The sign-in was cancelled.');
    const closed = fakeIdentity(() => Promise.reject(new Error('The user did not approve access.')));
    await expect(signInWithProvider({ server: SERVER, provider: 'google', identity: closed.identity, exchange })).rejects.toThrow(/did not finish: The user did not approve/);
    expect(exchange).not.toHaveBeenCalled();
  });
});

describe('helpers', () => {
  it('builds the start URL and reads codes and unknown errors', () => {
    expect(oauthStartUrl(SERVER, 'a b', REDIRECT, 'c', 's')).toBe(`${SERVER}/api/auth/oauth/a%20b?redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=c&code_challenge_method=S256&state=s`);
    expect(codeFromRedirect(`${REDIRECT}?code=x&state=s`, 's')).toBe('x');
    expect(() => codeFromRedirect(`${REDIRECT}?error=oauth_failed&error_description=Nope.`, 's')).toThrow('Nope.');
    expect(() => codeFromRedirect(`${REDIRECT}?state=s`, 's')).toThrow(/did not send/);
  });
});
