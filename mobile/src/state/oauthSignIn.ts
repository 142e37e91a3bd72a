import type { VoyceApi } from '../api/client';
import type { User } from '../api/types';
import type { OauthBrowser } from '../platform/oauthBrowser';

const MESSAGES: Record<string, string> = {
  access_denied: 'The sign-in was cancelled.',
  oauth_email_unverified: 'The provider did not confirm your e-mail address; sign in another way.',
  account_disabled: 'This account is disabled.',
};

/** The query parameters of a URL, parsed by hand: React Native's URL has no working searchParams. */
export function queryOf(url: string): Record<string, string> {
  const query = url.split('#')[0]?.split('?')[1] ?? '';
  const out: Record<string, string> = {};
  for (const part of query.split('&')) {
    if (!part) continue;
    const [k = '', ...v] = part.split('=');
    try {
      out[decodeURIComponent(k.replace(/\+/g, ' '))] = decodeURIComponent(v.join('=').replace(/\+/g, ' '));
    } catch {
      // a malformed pair is ignored
    }
  }
  return out;
}

/** Where a sign-in with `provider` starts on `server` (the native-app flow of API.md). */
export function oauthStartUrl(server: string, provider: string, redirectUri: string, challenge: string, state: string): string {
  const q = { redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state };
  const query = Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${server.replace(/\/+$/, '')}/api/auth/oauth/${encodeURIComponent(provider)}?${query}`;
}

/**
 * Signs in through one of the server's OpenID providers (RFC 8252 + PKCE): the system's auth browser runs the
 * server's sign-in, which ends at the app's redirect with a one-time code; the code and the verifier only this
 * app holds are exchanged for tokens, kept like a password sign-in's.
 */
export async function signInWithProvider(opts: { api: VoyceApi; oauth: OauthBrowser; server: string; provider: string }): Promise<User> {
  const { verifier, challenge } = await opts.oauth.pkce();
  const state = opts.oauth.randomState();
  const redirectUri = opts.oauth.redirectUri();
  const ended = await opts.oauth.open(oauthStartUrl(opts.server, opts.provider, redirectUri, challenge, state), redirectUri);
  if (!ended) throw new Error(MESSAGES.access_denied);
  const answer = queryOf(ended);
  if (answer.error) throw new Error(MESSAGES[answer.error] ?? answer.error_description ?? `The sign-in failed (${answer.error}).`);
  if (answer.state !== state) throw new Error('The sign-in answer does not belong to this sign-in; try again.');
  if (!answer.code) throw new Error('The server did not send a sign-in code; try again.');
  return opts.api.exchangeOauthCode(answer.code, verifier);
}
