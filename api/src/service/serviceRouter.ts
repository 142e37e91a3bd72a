import { Router } from 'express';
import type { Registry } from 'prom-client';
import { AppError } from '@voyce/core';
import { runChecks, type DependencyCheck } from './readiness';
import { readSupervisorParts } from './supervisorState';

/**
 * Liveness, readiness and metrics, unauthenticated (expose /metrics only on an internal network).
 * `/ready` names every part's status: 503 when a required one (PostgreSQL, Temporal, Blob storage) does not
 * answer, 200 `degraded` when only a part the pipeline needs later is down (its submissions wait, nothing is lost),
 * and, under `npm start`, each supervised process's state and restart count.
 */
export function createServiceRouter(checks: Record<string, DependencyCheck>, registry: Registry, supervisorStateFile?: string): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    const [results, parts] = await Promise.all([
      runChecks(Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, c.check]))),
      readSupervisorParts(supervisorStateFile),
    ]);
    const supervisor = parts ? { supervisor: Object.fromEntries(parts.map(({ name, ...rest }) => [name, rest])) } : {};
    const failing = (required: boolean) => Object.keys(checks).filter((name) => checks[name]?.required === required && results[name] !== 'ok');
    const down = failing(true);
    if (down.length > 0) {
      res.setHeader('Retry-After', '5');
      throw new AppError('not_ready', `Not ready: ${down.join(', ')} ${down.length > 1 ? 'do' : 'does'} not answer.`, 503, { ...results, ...supervisor });
    }
    const degraded = failing(false).length > 0 || (parts?.some((p) => p.state !== 'running') ?? false);
    res.json({ status: degraded ? 'degraded' : 'ready', checks: results, ...supervisor });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
