import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { principalOf, requireAuth, requireRole } from '../auth/requireAuth';
import type { TokenService } from '../auth/tokens';
import { parseOrThrow } from '../http/validate';
import { replayById, replayMatching } from './replaySubmissions';

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
  router.use(requireAuth(tokens, deps.users), requireRole('admin'));

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

  /** Counts come from Temporal's visibility store, the source of truth for what runs, not from a copy. */
  router.get('/pipeline', async (_req, res) => {
    const count = async (query: string) => (await deps.temporal.workflow.count(query)).count;
    const [running, failed, recentBatchRuns] = await Promise.all([
      count(`WorkflowType = 'submissionWorkflow' AND ExecutionStatus = 'Running'`),
      count(`WorkflowType = 'submissionWorkflow' AND ExecutionStatus = 'Failed'`),
      (async () => {
        const runs: { workflowId: string; runId: string; status: string; startTime: string; closeTime: string | null }[] = [];
        for await (const w of deps.temporal.workflow.list({ query: `WorkflowType = 'batchInferenceWorkflow'`, pageSize: 10 })) {
          runs.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name, startTime: w.startTime.toISOString(), closeTime: w.closeTime?.toISOString() ?? null });
          if (runs.length >= 10) break;
        }
        return runs;
      })(),
    ]);
    res.json({ workflows: { running, failed }, recentBatchRuns });
  });

  return router;
}
