import { createHash, createPublicKey, randomBytes, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface OidcProviderConfig {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** What a verified ID token says about the person. */
export interface OidcIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

const TIMEOUT_MS = 10_000;
const b64url = (b: Buffer) => b.toString('base64url');

async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * The authorization-code flow with PKCE (S256), state and nonce, for one OpenID Connect provider. ID tokens
 * are verified against the provider's published keys (RS256/ES256 only), issuer, audience, expiry and nonce.
 */
export function createOidcClient(provider: OidcProviderConfig) {
  let discovery: Promise<Discovery> | undefined;
  const discover = () =>
    (discovery ??= getJson<Discovery>(`${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).then((d) => {
      if (d.issuer !== provider.issuer.replace(/\/$/, '') && d.issuer !== provider.issuer) throw new Error(`issuer mismatch: ${d.issuer}`);
      return d;
    })).catch((err: unknown) => {
      discovery = undefined; // retry discovery next time instead of caching the failure
      throw err;
    });

  async function publicKey(kid: string | undefined): Promise<string> {
    const { jwks_uri } = await discover();
    const { keys } = await getJson<{ keys: (JsonWebKey & { kid?: string; use?: string })[] }>(jwks_uri);
    const jwk = keys.find((k) => (kid ? k.kid === kid : true) && (k.use ?? 'sig') === 'sig');
    if (!jwk) throw new Error('no signing key for the ID token');
    return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  }

  return {
    /** Starts a sign-in: the URL to send the browser to, and the secrets to keep until the callback. */
    async begin(redirectUri: string): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }> {
      const { authorization_endpoint } = await discover();
      const state = b64url(randomBytes(32));
      const nonce = b64url(randomBytes(32));
      const codeVerifier = b64url(randomBytes(32));
      const url = new URL(authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: provider.clientId,
        redirect_uri: redirectUri,
        scope: 'openid email',
        state,
        nonce,
        code_challenge: b64url(createHash('sha256').update(codeVerifier).digest()),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), state, nonce, codeVerifier };
    },

    /** Exchanges the code (with the PKCE verifier) and verifies the ID token. */
    async finish(code: string, redirectUri: string, expected: { nonce: string; codeVerifier: string }): Promise<OidcIdentity> {
      const { token_endpoint, issuer } = await discover();
      const tokens = await getJson<{ id_token?: string }>(token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(provider.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: expected.codeVerifier }).toString(),
      });
      if (!tokens.id_token) throw new Error('the provider sent no ID token');
      const header = jwt.decode(tokens.id_token, { complete: true })?.header;
      const claims = jwt.verify(tokens.id_token, await publicKey(header?.kid), {
        algorithms: ['RS256', 'ES256'],
        issuer,
        audience: provider.clientId,
        clockTolerance: 30,
      });
      if (typeof claims === 'string' || typeof claims.sub !== 'string') throw new Error('the ID token has no subject');
      const c = claims as { sub: string; nonce?: unknown; email?: unknown; email_verified?: unknown };
      if (c.nonce !== expected.nonce) throw new Error('the ID token nonce does not match');
      return { subject: c.sub, email: typeof c.email === 'string' ? c.email : null, emailVerified: c.email_verified === true };
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
