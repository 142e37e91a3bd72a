import { Router, type Request } from 'express';
import { z } from 'zod';
import { AppError, badRequest, notFound } from '@voyce/core';
import type { ApiDeps } from '../../deps';
import type { RateLimits } from '../../http/rateLimits';
import { createSessions } from '../sessions';
import type { TokenService } from '../tokens';
import { createOidcClient, type OidcClient } from './oidcClient';
import { createStateSealer, readCookie, STATE_COOKIE } from './oauthState';
import { signInWithOidc } from './oidcSignIn';

const callbackQuery = z.object({ code: z.string().min(1).max(1024), state: z.string().min(1).max(256) });

/**
 * `GET /oauth/:provider` (302 to the provider) and `GET /oauth/:provider/callback` (signs in, then 302 to the
 * web app with the tokens in the URL fragment, which browsers never send to servers or put in Referer).
 */
export function createOauthRouter(deps: ApiDeps, tokens: TokenService, limits: RateLimits): Router {
  const router = Router();
  const clients = new Map<string, OidcClient>(deps.config.OAUTH_PROVIDERS.map((p) => [p.name, createOidcClient(p)]));
  const sealer = createStateSealer(deps.config.JWT_SECRET);
  const sessions = createSessions(deps, tokens);

  const clientOf = (req: Request): { name: string; client: OidcClient } => {
    const name = String(req.params.provider);
    const client = clients.get(name);
    if (!client) throw notFound('The sign-in provider');
    return { name, client };
  };
  // The provider must send the browser back exactly here; PUBLIC_BASE_URL pins it behind proxies.
  const callbackUrl = (req: Request, name: string) => `${deps.config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.get('host') ?? ''}`}/api/auth/oauth/${name}/callback`;
  const cookiePath = '/api/auth/oauth';

  router.get('/oauth/:provider', limits.authPerIp, async (req, res) => {
    const { name, client } = clientOf(req);
    let begun;
    try {
      begun = await client.begin(callbackUrl(req, name));
    } catch (err) {
      deps.logger.warn({ err, provider: name }, 'OpenID provider unavailable');
      throw new AppError('oauth_provider_unavailable', 'The sign-in provider cannot be reached; try again later.', 503);
    }
    const sealed = sealer.seal({ provider: name, state: begun.state, nonce: begun.nonce, codeVerifier: begun.codeVerifier });
    res.cookie(STATE_COOKIE, sealed, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: cookiePath, maxAge: sealer.maxAgeSeconds * 1000 });
    res.redirect(302, begun.url);
  });

  router.get('/oauth/:provider/callback', limits.authPerIp, async (req, res) => {
    const { name, client } = clientOf(req);
    res.clearCookie(STATE_COOKIE, { path: cookiePath });
    const q = callbackQuery.safeParse(req.query);
    if (!q.success) throw badRequest('invalid_oauth_callback', 'The sign-in callback lacks its code or state; start again.');
    const pending = sealer.open(readCookie(req.headers.cookie, STATE_COOKIE), name, q.data.state);
    if (!pending) throw badRequest('invalid_oauth_state', 'The sign-in state does not match or has expired; start again.');
    let identity;
    try {
      identity = await client.finish(q.data.code, callbackUrl(req, name), pending);
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : err, provider: name }, 'OpenID sign-in failed');
      throw new AppError('oauth_failed', 'The sign-in provider did not confirm who you are; start again.', 401);
    }
    const user = await signInWithOidc(deps, name, identity, req.ip);
    const pair = await sessions.start(user);
    const target = new URL('/oauth/callback', deps.config.WEB_APP_URL);
    target.hash = new URLSearchParams({ accessToken: pair.accessToken, refreshToken: pair.refreshToken }).toString();
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, target.toString());
  });

  return router;
}
