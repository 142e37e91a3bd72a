import type { CookieOptions, Request, Response } from 'express';
import type { ApiDeps } from '../deps';
import { readCookie } from './oauth/oauthState';
import { opaqueToken } from './schemas';

/**
 * The web app's session: its refresh token in an HttpOnly cookie that page scripts (and so XSS) cannot read,
 * instead of a JSON body it would have to keep in storage. Opt-in per request with `X-Voyce-Session: cookie`;
 * without the header every route speaks the body contract of API.md, unchanged for the extension, the mobile
 * app and API users.
 *
 * CSRF: the cookie is only ever read when the request carries the custom header, which a cross-site form cannot
 * set and CORS does not allow other origins' scripts to send (it is not in the allowed request headers); and
 * the cookie is SameSite=Strict, so a cross-site request does not carry it in the first place.
 */
export const REFRESH_COOKIE = 'voyce_refresh';
export const SESSION_HEADER = 'x-voyce-session';
/** Sent to the auth routes only (refresh, logout), never to the rest of the API. */
export const REFRESH_COOKIE_PATH = '/api/auth';

type CookieConfig = Pick<ApiDeps['config'], 'NODE_ENV' | 'REFRESH_TOKEN_TTL_SECONDS'>;

/** True when the client asked for the cookie session (`X-Voyce-Session: cookie`). */
export const wantsCookieSession = (req: Request): boolean => req.get(SESSION_HEADER)?.trim().toLowerCase() === 'cookie';

/** The refresh token of the cookie, if any (undefined when absent or malformed: checked like body tokens). */
export function refreshCookieOf(req: Request): string | undefined {
  const parsed = opaqueToken.safeParse(readCookie(req.headers.cookie, REFRESH_COOKIE));
  return parsed.success ? parsed.data : undefined;
}

function options(req: Request, config: CookieConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure || config.NODE_ENV === 'production', path: REFRESH_COOKIE_PATH };
}

export function setRefreshCookie(req: Request, res: Response, config: CookieConfig, refreshToken: string): void {
  res.cookie(REFRESH_COOKIE, refreshToken, { ...options(req, config), maxAge: config.REFRESH_TOKEN_TTL_SECONDS * 1000 });
  // A response that sets a credential must never be kept by a cache.
  res.setHeader('cache-control', 'no-store');
}

export function clearRefreshCookie(req: Request, res: Response, config: CookieConfig): void {
  res.clearCookie(REFRESH_COOKIE, options(req, config));
}

/**
 * What a session answer looks like for this request: for cookie clients the refresh token goes into the cookie
 * and out of the body; body clients get the pair as before.
 */
export function deliverSession<T extends { refreshToken: string }>(req: Request, res: Response, config: CookieConfig, session: T): Omit<T, 'refreshToken'> | T {
  if (!wantsCookieSession(req)) return session;
  const { refreshToken, ...rest } = session;
  setRefreshCookie(req, res, config, refreshToken);
  return rest;
}
