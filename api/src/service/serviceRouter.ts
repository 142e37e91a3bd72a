import { Router } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '@voyce/core';
import type { Check } from './readiness';
import { runChecks } from './readiness';

/** Liveness, readiness and metrics, unauthenticated (expose /metrics only on an internal network). */
export function createServiceRouter(checks: Record<string, Check>, registry: Registry): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const results = await runChecks(checks);
    const down = Object.entries(results).filter(([, v]) => v !== 'ok').map(([k]) => k);
    if (down.length > 0) {
      throw new AppError('not_ready', `Not ready: ${down.join(', ')} ${down.length > 1 ? 'do' : 'does'} not answer.`, 503, results);
    }
    res.json({ status: 'ready', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
