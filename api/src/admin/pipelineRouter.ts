import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth, requireRole } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';
import { describeBatchSchedule, pauseBatchSchedule, recentBatchRuns, triggerBatchSchedule, unpauseBatchSchedule } from './batchInferenceSchedule';
import { replayById, replayMatching } from './replaySubmissions';
import { schedulePauseBody } from './schemas';

const bulkBody = z
  .object({
    status: z.enum(['failed', 'rejected', 'completed']),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Operations of the pipeline for admins: replays and the pipeline's state as Temporal sees it. */
export function createPipelineRouter(deps: ApiDeps, tokens: TokenService): Router {
  const router = Router();
  router.use(requireAuth(tokens, deps.principals), requireRole('admin'));

  router.post('/submissions/replay', async (req, res) => {
    const body = parseOrThrow(bulkBody, req.body, 422);
    const result = await replayMatching(
      deps,
      { status: body.status, ...(body.from ? { from: new Date(body.from) } : {}), ...(body.to ? { to: new Date(body.to) } : {}) },
      principalOf(req).id,
    );
    res.status(202).json(result);
  });

  router.post('/submissions/:id/replay', async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw notFound('The submission');
    res.status(202).json(await replayById(deps, id.data, principalOf(req).id));
  });

  /** Counts and batch runs come from Temporal's visibility store, the source of truth for what runs, not from a copy. */
  router.get('/pipeline', async (_req, res) => {
    const count = async (query: string) => (await deps.temporal.workflow.count(query)).count;
    const [running, failed, batchRuns] = await Promise.all([
      count(`WorkflowType = 'submissionWorkflow' AND ExecutionStatus = 'Running'`),
      count(`WorkflowType = 'submissionWorkflow' AND ExecutionStatus = 'Failed'`),
      recentBatchRuns(deps),
    ]);
    res.json({ workflows: { running, failed }, recentBatchRuns: batchRuns });
  });

  router.get('/schedules/batch-inference', async (_req, res) => {
    res.json({ schedule: await describeBatchSchedule(deps) });
  });

  router.post('/schedules/batch-inference/pause', async (req, res) => {
    const body = parseOrThrow(schedulePauseBody, req.body ?? {}, 422);
    res.json({ schedule: await pauseBatchSchedule(deps, { id: principalOf(req).id, via: 'api', ip: req.ip }, body.reason) });
  });

  router.post('/schedules/batch-inference/unpause', async (req, res) => {
    res.json({ schedule: await unpauseBatchSchedule(deps, { id: principalOf(req).id, via: 'api', ip: req.ip }) });
  });

  router.post('/schedules/batch-inference/trigger', async (req, res) => {
    res.status(202).json(await triggerBatchSchedule(deps, { id: principalOf(req).id, via: 'api', ip: req.ip }));
  });

  return router;
}
