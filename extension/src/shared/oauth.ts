/**
 * Signing in through one of the server's OpenID providers, the native-app way (RFC 8252 + PKCE, RFC 7636):
 * `chrome.identity.launchWebAuthFlow` shows the server's sign-in in a Chrome window that ends at
 * `chrome.identity.getRedirectURL()` with a one-time code; only the holder of the code verifier made here can
 * exchange it, which the service worker does (it owns the session).
 */

export interface Pkce {
  verifier: string;
  challenge: string;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A PKCE pair: 32 random bytes as the verifier (43 characters) and its S256 challenge, from WebCrypto. */
export async function createPkce(crypto: Crypto = globalThis.crypto): Promise<Pkce> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** Where the sign-in with `provider` starts on `server`. */
export function oauthStartUrl(server: string, provider: string, redirectUri: string, challenge: string, state: string): string {
  const query = new URLSearchParams({ redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state });
  return `${server}/api/auth/oauth/${encodeURIComponent(provider)}?${query.toString()}`;
}

const MESSAGES: Record<string, string> = {
  access_denied: 'The sign-in was cancelled.',
  oauth_email_unverified: 'The provider did not confirm your e-mail address; sign in another way.',
  account_disabled: 'This account is disabled.',
};

/** The code from where the sign-in ended, or an Error saying why there is none. */
export function codeFromRedirect(redirected: string, state: string): string {
  const url = new URL(redirected);
  const error = url.searchParams.get('error');
  if (error) throw new Error(MESSAGES[error] ?? url.searchParams.get('error_description') ?? `The sign-in failed (${error}).`);
  if (url.searchParams.get('state') !== state) throw new Error('The sign-in answer does not belong to this sign-in; try again.');
  const code = url.searchParams.get('code');
  if (!code) throw new Error('The server did not send a sign-in code; try again.');
  return code;
}

export type Identity = Pick<typeof chrome.identity, 'launchWebAuthFlow' | 'getRedirectURL'>;

/**
 * Runs the provider sign-in in Chrome's auth window and hands the code and verifier to `exchange` (the
 * service worker). Answers the signed-in username; a cancelled window or refused sign-in is an Error.
 */
export async function signInWithProvider(
  opts: { server: string; provider: string; identity: Identity; exchange: (code: string, codeVerifier: string) => Promise<string>; crypto?: Crypto },
): Promise<string> {
  const crypto = opts.crypto ?? globalThis.crypto;
  const pkce = await createPkce(crypto);
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const redirectUri = opts.identity.getRedirectURL();
  let redirected: string | undefined;
  try {
    redirected = await opts.identity.launchWebAuthFlow({ url: oauthStartUrl(opts.server, opts.provider, redirectUri, pkce.challenge, state), interactive: true });
  } catch (err) {
    // Chrome rejects when the window is closed, or when the server answers an error page instead of redirecting.
    throw new Error(`The sign-in did not finish: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!redirected) throw new Error('The sign-in did not finish.');
  return opts.exchange(codeFromRedirect(redirected, state), pkce.verifier);
}
