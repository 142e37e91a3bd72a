import { Router } from 'express';
import { conflict, hashPassword, invalidField, passwordProblem, publicUser, unauthenticated } from '@voyce/core';
import type { ApiDeps } from '../deps';
import type { RateLimits } from '../http/rateLimits';
import { parseOrThrow } from '../http/validate';
import { setDeviceCookie, trustedDeviceOf } from './deviceCookie';
import { checkLogin } from './login';
import { unlockLogin } from './loginUnlock';
import { createOauthRouter } from './oauth/oauthRouter';
import { confirmPasswordReset, requestPasswordReset } from './passwordReset';
import { principalOf, requireAuth } from './requireAuth';
import { clearRefreshCookie, deliverSession, refreshCookieOf, wantsCookieSession } from './refreshCookie';
import { cookieRefreshBody, loginBody, refreshBody, registerBody, resetConfirmBody, resetRequestBody, unlockBody } from './schemas';
import { createSessions } from './sessions';
import type { TokenService } from './tokens';

/** `/api/auth`: thin HTTP over the session, login and reset use cases. */
export function createAuthRouter(deps: ApiDeps, tokens: TokenService, limits: RateLimits): Router {
  const router = Router();
  const sessions = createSessions(deps, tokens);

  const acceptablePassword = (password: string, account: { email?: string; username?: string } = {}) => {
    const problem = passwordProblem(password, deps.config.PASSWORD_MIN_LENGTH, account);
    if (problem) throw invalidField(`Invalid request: password: ${problem}.`, [{ field: 'password', message: problem }]);
  };

  router.post('/register', limits.authPerIp, async (req, res) => {
    const body = parseOrThrow(registerBody, req.body, 422);
    acceptablePassword(body.password, body);
    const user = await deps.users.create({ email: body.email, username: body.username, passwordHash: await hashPassword(body.password) });
    if (!user) throw conflict('account_exists', 'An account with this e-mail or username already exists.');
    await deps.audit.record({ action: 'auth.register', actorId: user.id, subjectUserId: user.id, ip: req.ip ?? null });
    setDeviceCookie(req, res, deps.config, user.id);
    res.status(201).json(deliverSession(req, res, deps.config, { user: publicUser(user), ...(await sessions.start(user)) }));
  });

  // No per-name limit here: it would let anyone lock anyone out. checkLogin throttles per (name, client) instead.
  router.post('/login', limits.authPerIp, async (req, res) => {
    const body = parseOrThrow(loginBody, req.body);
    const user = await checkLogin(deps, body.login, body.password, { ip: req.ip, deviceFor: (userId) => trustedDeviceOf(req, deps.config, userId) });
    setDeviceCookie(req, res, deps.config, user.id);
    res.json(deliverSession(req, res, deps.config, { user: publicUser(user), ...(await sessions.start(user)) }));
  });

  // Not under the strict sign-in limit: refresh tokens cannot be guessed, and many clients behind one NAT
  // refresh all day. The general per-IP and per-user limits still apply.
  // With `X-Voyce-Session: cookie` (the web app) the token may come from the HttpOnly cookie instead of the body,
  // and the rotated one goes back into the cookie. A body token with the header moves a session into the cookie.
  // Without the header the cookie is never read (CSRF: a cross-site form cannot set the header).
  router.post('/refresh', async (req, res) => {
    if (!wantsCookieSession(req)) {
      const body = parseOrThrow(refreshBody, req.body);
      res.json(await sessions.refresh(body.refreshToken, req.ip));
      return;
    }
    const body = parseOrThrow(cookieRefreshBody, req.body ?? {});
    const fromCookie = body.refreshToken === undefined;
    const presented = body.refreshToken ?? refreshCookieOf(req);
    if (!presented) throw unauthenticated('No session cookie; please sign in.');
    let pair;
    try {
      pair = await sessions.refresh(presented, req.ip);
    } catch (err) {
      // A dead cookie is dropped, so the browser stops presenting it.
      if (fromCookie) clearRefreshCookie(req, res, deps.config);
      throw err;
    }
    res.json(deliverSession(req, res, deps.config, pair));
  });

  router.post('/logout', async (req, res) => {
    if (!wantsCookieSession(req)) {
      const body = parseOrThrow(refreshBody, req.body);
      await sessions.end(body.refreshToken, req.ip);
      res.status(204).end();
      return;
    }
    // The cookie session (and a body token too, if one is given) ends; the cookie is cleared either way.
    const body = parseOrThrow(cookieRefreshBody, req.body ?? {});
    for (const token of new Set([body.refreshToken, refreshCookieOf(req)])) if (token) await sessions.end(token, req.ip);
    clearRefreshCookie(req, res, deps.config);
    res.status(204).end();
  });

  router.get('/me', requireAuth(tokens, deps.principals), async (req, res) => {
    const user = await deps.users.findById(principalOf(req).id);
    if (!user) throw unauthenticated();
    res.json({ user: publicUser(user) });
  });

  router.post('/password-reset/request', limits.authPerIp, limits.resetPerAccount, (req, res) => {
    const body = parseOrThrow(resetRequestBody, req.body);
    res.status(202).end();
    // After the answer: known and unknown addresses must look and take the same from outside.
    requestPasswordReset(deps, body.email, req.ip).catch((err: unknown) => deps.logger.error({ err }, 'password reset request failed'));
  });

  router.post('/password-reset/confirm', limits.authPerIp, async (req, res) => {
    const body = parseOrThrow(resetConfirmBody, req.body);
    acceptablePassword(body.password);
    await confirmPasswordReset(deps, body.token, body.password, req.ip);
    res.status(204).end();
  });

  // The link of the e-mail sent when an account's sign-in ceiling is reached: lifts it, and makes this a known device.
  router.post('/unlock', limits.authPerIp, async (req, res) => {
    const body = parseOrThrow(unlockBody, req.body);
    const user = await unlockLogin(deps, body.token, req.ip);
    setDeviceCookie(req, res, deps.config, user.id);
    res.status(204).end();
  });

  router.use(createOauthRouter(deps, tokens, limits));

  return router;
}
