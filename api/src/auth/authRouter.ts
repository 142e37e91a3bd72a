import { Router } from 'express';
import { conflict, hashPassword, invalidField, passwordProblem, publicUser, unauthenticated } from '@voyce/core';
import type { ApiDeps } from '../deps';
import type { RateLimits } from '../http/rateLimits';
import { parseOrThrow } from '../http/validate';
import { checkLogin } from './login';
import { createOauthRouter } from './oauth/oauthRouter';
import { confirmPasswordReset, requestPasswordReset } from './passwordReset';
import { principalOf, requireAuth } from './requireAuth';
import { loginBody, refreshBody, registerBody, resetConfirmBody, resetRequestBody } from './schemas';
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
    res.status(201).json({ user: publicUser(user), ...(await sessions.start(user)) });
  });

  router.post('/login', limits.authPerIp, limits.loginFailuresPerAccount, async (req, res) => {
    const body = parseOrThrow(loginBody, req.body);
    const user = await checkLogin(deps, body.login, body.password, req.ip);
    res.json({ user: publicUser(user), ...(await sessions.start(user)) });
  });

  // Not under the strict sign-in limit: refresh tokens cannot be guessed, and many clients behind one NAT
  // refresh all day. The general per-IP and per-user limits still apply.
  router.post('/refresh', async (req, res) => {
    const body = parseOrThrow(refreshBody, req.body);
    res.json(await sessions.refresh(body.refreshToken, req.ip));
  });

  router.post('/logout', async (req, res) => {
    const body = parseOrThrow(refreshBody, req.body);
    await sessions.end(body.refreshToken, req.ip);
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

  router.use(createOauthRouter(deps, tokens, limits));

  return router;
}
