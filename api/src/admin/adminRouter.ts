import { Router } from 'express';
import { notFound, publicUser } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth, requireRole } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';
import { decodeCursor, encodeCursor } from '../submissions/cursor';
import { changeUser } from './changeUser';
import { auditListQuery, userIdParams, userListQuery, userPatchBody } from './schemas';

/** `/api/admin`: admins only (403 for everyone else: these are not anyone's own resources to hide). */
export function createAdminRouter(deps: ApiDeps, tokens: TokenService): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals), requireRole('admin'));

  router.get('/users', async (req, res) => {
    const q = parseOrThrow(userListQuery, req.query);
    const rows = await deps.users.list({ limit: q.limit + 1, ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}) });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ items: page.map(publicUser), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null });
  });

  router.patch('/users/:id', async (req, res) => {
    const params = userIdParams.safeParse(req.params);
    if (!params.success) throw notFound('The user');
    const body = parseOrThrow(userPatchBody, req.body, 422);
    const user = await changeUser(deps, { id: principalOf(req).id, ip: req.ip }, params.data.id, body);
    res.json({ user: publicUser(user) });
  });

  /** The audit trail (an extension of API.md): who did what to which account, newest first. */
  router.get('/audit', async (req, res) => {
    const q = parseOrThrow(auditListQuery, req.query);
    const rows = await deps.audit.list({
      limit: q.limit + 1,
      ...(q.userId ? { subjectUserId: q.userId } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.cursor ? { beforeId: Number(q.cursor) } : {}),
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ items: page, nextCursor: rows.length > q.limit && last ? String(last.id) : null });
  });

  return router;
}
