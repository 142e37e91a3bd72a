import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, badRequest, notFound } from '@voyce/core';
import type { ApiDeps } from '../../deps';
import type { RateLimits } from '../../http/rateLimits';
import { parseOrThrow } from '../../http/validate';
import { oauthTokenBody } from '../schemas';
import { setDeviceCookie } from '../deviceCookie';
import { setRefreshCookie } from '../refreshCookie';
import { createSessions } from '../sessions';
import type { TokenService } from '../tokens';
import { createNativeCodes } from './nativeCodes';
import { createRedirectMatcher, withQuery } from './nativeRedirect';
import { createOidcClient, type OidcClient } from './oidcClient';
import { createStateSealer, readCookie, STATE_COOKIE, type PendingSignIn } from './oauthState';
import { signInWithOidc } from './oidcSignIn';

const callbackQuery = z.object({ code: z.string().min(1).max(1024), state: z.string().min(1).max(256) });

/** What a native app adds to `GET /oauth/:provider` (RFC 8252 + RFC 7636); `state` is the app's own, echoed back. */
const nativeQuery = z.object({
  redirect_uri: z.string().min(1).max(512),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the base64url SHA-256 of the code verifier (43 characters)'),
  code_challenge_method: z.literal('S256', { message: 'must be S256' }),
  state: z.string().regex(/^[A-Za-z0-9._~-]{1,256}$/).optional(),
});

/**
 * `GET /oauth/:provider` (302 to the provider) and `GET /oauth/:provider/callback` (signs in, sets the HttpOnly
 * refresh cookie of `refreshCookie.ts`, then 302 to the web app with only the access token in the URL fragment,
 * which browsers never send to servers or put in Referer).
 *
 * Native apps (the Chrome extension, the mobile app) add `redirect_uri` (an allowed `OAUTH_NATIVE_REDIRECTS`
 * one) and a PKCE `code_challenge`: their sign-in ends at `redirect_uri?code=…` with a one-time code instead
 * of tokens, which only the holder of the code verifier can exchange at `POST /oauth/token`.
 */
export function createOauthRouter(deps: ApiDeps, tokens: TokenService, limits: RateLimits): Router {
  const router = Router();
  const clients = new Map<string, OidcClient>(deps.config.OAUTH_PROVIDERS.map((p) => [p.name, createOidcClient(p)]));
  const sealer = createStateSealer(deps.config.JWT_SECRET);
  const sessions = createSessions(deps, tokens);
  const codes = createNativeCodes(deps, sessions);
  const nativeRedirectAllowed = createRedirectMatcher(deps.config.OAUTH_NATIVE_REDIRECTS);

  const clientOf = (req: Request): { name: string; client: OidcClient } => {
    const name = String(req.params.provider);
    const client = clients.get(name);
    if (!client) throw notFound('The sign-in provider');
    return { name, client };
  };
  // The provider must send the browser back exactly here; PUBLIC_BASE_URL pins it behind proxies.
  const callbackUrl = (req: Request, name: string) => `${deps.config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.get('host') ?? ''}`}/api/auth/oauth/${name}/callback`;
  const cookiePath = '/api/auth/oauth';

  /** The native part of a sign-in start, checked before anything goes to the provider; undefined for the web app. */
  const nativeOf = (req: Request): PendingSignIn['native'] => {
    const q = req.query;
    if (q.redirect_uri === undefined && q.code_challenge === undefined && q.code_challenge_method === undefined) return undefined;
    if (q.redirect_uri === undefined) throw badRequest('invalid_redirect_uri', 'A code_challenge needs the redirect_uri the sign-in should end at.');
    const native = parseOrThrow(nativeQuery, { redirect_uri: q.redirect_uri, code_challenge: q.code_challenge, code_challenge_method: q.code_challenge_method, state: q.state });
    if (!nativeRedirectAllowed(native.redirect_uri)) {
      throw badRequest('invalid_redirect_uri', 'This redirect_uri is not one this server lets sign-ins end at (OAUTH_NATIVE_REDIRECTS).');
    }
    return { redirectUri: native.redirect_uri, codeChallenge: native.code_challenge, state: native.state };
  };

  /** Ends a native sign-in at the app, with a code or an error it can show (never a dead server page). */
  const backToApp = (res: Response, native: NonNullable<PendingSignIn['native']>, answer: { code: string } | { error: string; error_description?: string }) => {
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, withQuery(native.redirectUri, { ...answer, state: native.state }));
  };

  router.get('/oauth/:provider', limits.authPerIp, async (req, res) => {
    const { name, client } = clientOf(req);
    const native = nativeOf(req);
    let begun;
    try {
      begun = await client.begin(callbackUrl(req, name));
    } catch (err) {
      deps.logger.warn({ err, provider: name }, 'OpenID provider unavailable');
      throw new AppError('oauth_provider_unavailable', 'The sign-in provider cannot be reached; try again later.', 503);
    }
    const sealed = sealer.seal({ provider: name, state: begun.state, nonce: begun.nonce, codeVerifier: begun.codeVerifier, ...(native ? { native } : {}) });
    res.cookie(STATE_COOKIE, sealed, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: cookiePath, maxAge: sealer.maxAgeSeconds * 1000 });
    res.redirect(302, begun.url);
  });

  router.get('/oauth/:provider/callback', limits.authPerIp, async (req, res) => {
    const { name, client } = clientOf(req);
    res.clearCookie(STATE_COOKIE, { path: cookiePath });
    const q = callbackQuery.safeParse(req.query);
    if (!q.success) {
      // A native sign-in the provider ended without a code (the person cancelled: `error=access_denied`)
      // goes back to the app, once the state proves it is the one this browser began.
      const state = typeof req.query.state === 'string' && req.query.state.length <= 256 ? req.query.state : '';
      const pending = state ? sealer.open(readCookie(req.headers.cookie, STATE_COOKIE), name, state) : null;
      if (pending?.native) {
        const error = typeof req.query.error === 'string' && /^[a-z_]{1,64}$/.test(req.query.error) ? req.query.error : 'invalid_oauth_callback';
        return backToApp(res, pending.native, { error });
      }
      throw badRequest('invalid_oauth_callback', 'The sign-in callback lacks its code or state; start again.');
    }
    const pending = sealer.open(readCookie(req.headers.cookie, STATE_COOKIE), name, q.data.state);
    if (!pending) throw badRequest('invalid_oauth_state', 'The sign-in state does not match or has expired; start again.');
    let user;
    try {
      let identity;
      try {
        identity = await client.finish(q.data.code, callbackUrl(req, name), pending);
      } catch (err) {
        deps.logger.warn({ err: err instanceof Error ? err.message : err, provider: name }, 'OpenID sign-in failed');
        throw new AppError('oauth_failed', 'The sign-in provider did not confirm who you are; start again.', 401);
      }
      user = await signInWithOidc(deps, name, identity, req.ip);
    } catch (err) {
      if (pending.native && err instanceof AppError) return backToApp(res, pending.native, { error: err.code, error_description: err.message });
      throw err;
    }
    if (pending.native) {
      return backToApp(res, pending.native, { code: await codes.issue(user.id, name, pending.native.codeChallenge) });
    }
    // Only the web app signs in here: its refresh token goes into the HttpOnly cookie (never into a URL), and
    // the fragment carries only the short-lived access token.
    const pair = await sessions.start(user);
    setRefreshCookie(req, res, deps.config, pair.refreshToken);
    // A browser that signed in is a known device of the account for later password sign-ins too.
    setDeviceCookie(req, res, deps.config, user.id);
    const target = new URL('/oauth/callback', deps.config.WEB_APP_URL);
    target.hash = new URLSearchParams({ accessToken: pair.accessToken }).toString();
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, target.toString());
  });

  // A native app exchanges its one-time code, proving with the PKCE verifier that it is the app that began.
  router.post('/oauth/token', limits.authPerIp, async (req, res) => {
    const body = parseOrThrow(oauthTokenBody, req.body);
    res.setHeader('cache-control', 'no-store');
    res.json(await codes.exchange(body.code, body.code_verifier, req.ip));
  });

  return router;
}
