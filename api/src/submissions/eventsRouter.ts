import { Router, type Request } from 'express';
import { z } from 'zod';
import { isTerminal, notFound, type SubmissionEventHub, type SubmissionStatusEvent } from '@voyce/core';
import { requireAuth, principalOf } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import type { ApiDeps } from '../deps';
import { abilityOfPrincipal, can } from '../orgs/permissions';

const HEARTBEAT_MS = 15_000;

/** EventSource cannot send headers, so this route also takes `?access_token=` (never logged: see app.ts). */
function tokenFromQuery(req: Request): void {
  const token = req.query.access_token;
  if (!req.headers.authorization && typeof token === 'string' && token.length < 4096) req.headers.authorization = `Bearer ${token}`;
}

/**
 * `GET /api/submissions/:id/events`: Server-Sent Events, one `status` event per stage change (the current
 * status first), a comment heartbeat every 15 s, closed after a terminal status.
 */
export function createEventsRouter(
  deps: Pick<ApiDeps, 'submissions' | 'principals'>,
  tokens: TokenService,
  hub: SubmissionEventHub,
  connections?: { inc(): void; dec(): void },
): Router {
  const router = Router();
  const auth = requireAuth(tokens, deps.principals);

  router.get(
    '/:id/events',
    (req, res, next) => {
      tokenFromQuery(req);
      return auth(req, res, next);
    },
    async (req, res) => {
      const me = principalOf(req);
      const parsed = z.uuid().safeParse(req.params.id);
      if (!parsed.success) throw notFound('The submission');
      const id = parsed.data;
      const sub = await deps.submissions.findById(id);
      if (!sub || !can(abilityOfPrincipal(me), 'read', 'Submission', { orgId: sub.orgId, userId: sub.userId })) throw notFound('The submission');

      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // let reverse proxies pass events through at once
      });
      const send = (e: Pick<SubmissionStatusEvent, 'status' | 'attempt' | 'detail' | 'at'>) => {
        res.write(`event: status\ndata: ${JSON.stringify({ submissionId: id, status: e.status, attempt: e.attempt, error: e.detail?.error ?? null, at: e.at })}\n\n`);
      };
      let closed = false;
      let unsubscribe: () => void = () => undefined;
      connections?.inc();
      const finish = () => {
        if (closed) return;
        closed = true;
        connections?.dec();
        clearInterval(heartbeat);
        unsubscribe();
        res.end();
      };
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      req.on('close', finish);

      // Subscribe before reading the current status, so no change can slip between the two.
      unsubscribe = await hub.subscribe(id, (e) => {
        if (closed) return;
        send(e);
        if (e.status === 'deleted' || isTerminal(e.status)) finish();
      });
      const current = await deps.submissions.findById(id);
      if (!current) return finish();
      send({ status: current.status, attempt: current.progress.attempts, detail: current.progress.error ? { error: current.progress.error } : null, at: current.updatedAt.toISOString() });
      if (isTerminal(current.status)) finish();
    },
  );
  return router;
}
