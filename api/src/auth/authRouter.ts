import { Router } from 'express';
import { z } from 'zod';
import { conflict, publicUser, unauthenticated, type UserRepository } from '@voyce/core';
import { parseOrThrow } from '../http/validate';
import { hashPassword, verifyPassword } from './passwords';
import { principalOf, requireAuth } from './requireAuth';
import type { TokenService } from './tokens';

const registerBody = z.object({
  email: z.email().max(254),
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, '3 to 32 letters, digits, dots, dashes or underscores'),
  password: z.string().min(10, 'at least 10 characters').max(256),
});

const loginBody = z.object({
  login: z.string().min(1).max(254),
  password: z.string().min(1).max(256),
});

/** Registration, login and `me`. Refresh tokens, reset and OAuth grow here (see the accounts issue). */
export function createAuthRouter(users: UserRepository, tokens: TokenService): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    const body = parseOrThrow(registerBody, req.body, 422);
    const user = await users.create({ email: body.email, username: body.username, passwordHash: await hashPassword(body.password) });
    if (!user) throw conflict('account_exists', 'An account with this e-mail or username already exists.');
    res.status(201).json({ user: publicUser(user), accessToken: tokens.signAccess({ sub: user.id, role: user.role }) });
  });

  router.post('/login', async (req, res) => {
    const body = parseOrThrow(loginBody, req.body);
    const user = await users.findByLogin(body.login);
    const ok = await verifyPassword(user?.passwordHash ?? null, body.password);
    if (!user || !ok || user.disabled) throw unauthenticated('The login or password is wrong.');
    res.json({ user: publicUser(user), accessToken: tokens.signAccess({ sub: user.id, role: user.role }) });
  });

  router.get('/me', requireAuth(tokens, users), async (req, res) => {
    const user = await users.findById(principalOf(req).id);
    if (!user) throw unauthenticated();
    res.json({ user: publicUser(user) });
  });

  return router;
}
