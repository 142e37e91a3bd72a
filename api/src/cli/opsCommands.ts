import { WorkflowNotFoundError } from '@temporalio/client';
import { PROGRESS_QUERY, type PipelineProgress } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { describeBatchSchedule, pauseBatchSchedule, recentBatchRuns, triggerBatchSchedule, unpauseBatchSchedule, type ScheduleState } from '../admin/batchInferenceSchedule';
import { replayById, replayMatching } from '../admin/replaySubmissions';
import { parseDuration } from './duration';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OpsDeps = Pick<ApiDeps, 'submissions' | 'temporal' | 'config' | 'audit' | 'blob' | 'appDb'>;

/** `voyce replay --status failed --since 2d` or `voyce replay --id <uuid>`: the admin API's replay, from a shell. */
export async function replayCommand(deps: OpsDeps, opts: { status?: string; since?: string; id?: string }, out: (line: string) => void): Promise<void> {
  if (opts.id) {
    const r = await replayById(deps, opts.id, null);
    out(`replaying ${r.submissionId} (run ${r.runId})`);
    return;
  }
  const status = opts.status ?? 'failed';
  if (status !== 'failed' && status !== 'rejected' && status !== 'completed') throw new UsageError('--status must be failed, rejected or completed');
  const sinceMs = opts.since ? parseDuration(opts.since) : null;
  if (opts.since && sinceMs === null) throw new UsageError('--since takes a duration such as 30m, 12h, 2d or 1w');
  const result = await replayMatching(deps, { status, ...(sinceMs ? { from: new Date(Date.now() - sinceMs) } : {}) }, null);
  out(`replaying ${result.count} ${status} submission(s)${result.skipped.length ? `; skipped ${result.skipped.length}:` : ''}`);
  for (const s of result.skipped) out(`  ${s.submissionId}: ${s.reason}`);
}

/** `voyce status <id>`: the row as PostgreSQL has it and the workflow as Temporal has it, side by side. */
export async function statusCommand(deps: OpsDeps, id: string | undefined, out: (line: string) => void): Promise<void> {
  if (!id) throw new UsageError('status needs a submission id');
  const sub = await deps.submissions.findById(id);
  if (!sub) throw new UsageError(`no submission ${id}`);
  out(`submission ${sub.id}  status ${sub.status}  attempts ${sub.progress.attempts}${sub.progress.error ? `  error ${sub.progress.error.code}: ${sub.progress.error.message}` : ''}`);
  out(`  created ${sub.createdAt.toISOString()}  updated ${sub.updatedAt.toISOString()}${sub.completedAt ? `  completed ${sub.completedAt.toISOString()}` : ''}`);
  const history = await deps.submissions.history(id);
  out(`  stages: ${history.map((h) => `${h.status}@${h.createdAt.toISOString().slice(11, 23)}`).join(' → ')}`);
  try {
    const handle = deps.temporal.workflow.getHandle(sub.workflowId);
    const d = await handle.describe();
    out(`workflow ${d.workflowId}  run ${d.runId}  ${d.status.name}  history ${d.historyLength} events`);
    if (d.status.name === 'RUNNING') {
      const p = await handle.query<PipelineProgress>(PROGRESS_QUERY).catch(() => null);
      out(p ? `  progress query: stage ${p.stage}${p.error ? ` (${p.error.code})` : ''}` : '  progress query: no worker answered (is a worker running?)');
    }
    out(`  ${deps.config.TEMPORAL_UI_URL}/namespaces/${deps.config.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(d.workflowId)}`);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) out('workflow: not found in Temporal (retention may have expired)');
    else throw err;
  }
}

export const SCHEDULE_COMMANDS = ['describe', 'pause', 'unpause', 'trigger'] as const;

function printSchedule(s: ScheduleState, out: (line: string) => void): void {
  out(`schedule ${s.scheduleId}  ${s.paused ? 'PAUSED' : 'active'}  every ${s.interval ?? '?'}  overlap ${s.overlap}${s.note ? `  note: ${s.note}` : ''}`);
  out(`  next run ${s.nextRunTimes[0] ?? '-'}  actions taken ${s.actionsTaken}  skipped (overlap) ${s.skippedOverlap}`);
  if (s.runningWorkflowIds.length) out(`  running: ${s.runningWorkflowIds.join(', ')}`);
}

/** `voyce schedule describe|pause|unpause|trigger`: the admin API's schedule operations, from a shell (audited as the CLI). */
export async function scheduleCommand(deps: OpsDeps, command: string | undefined, opts: { reason?: string }, out: (line: string) => void): Promise<void> {
  const actor = { id: null, via: 'cli' as const };
  if (command === 'pause') printSchedule(await pauseBatchSchedule(deps, actor, opts.reason), out);
  else if (command === 'unpause') printSchedule(await unpauseBatchSchedule(deps, actor), out);
  else if (command === 'trigger') {
    const r = await triggerBatchSchedule(deps, actor);
    out(`triggered a batch inference run of ${r.scheduleId}; watch it with: npm run voyce -- schedule describe`);
  } else if (command === 'describe') {
    printSchedule(await describeBatchSchedule(deps), out);
    const runs = await recentBatchRuns(deps, 5);
    out(runs.length ? 'recent runs:' : 'no batch inference runs yet');
    for (const r of runs) {
      const s = r.summary;
      out(`  ${r.workflowId}  ${r.status}  started ${r.startTime}${s ? `  model ${s.targetModelVersion ?? '?'}  found ${s.found} updated ${s.updated} failed ${s.failed} in ${s.batches} batch(es)${s.durationMs !== null ? ` ${(s.durationMs / 1000).toFixed(1)} s` : ''}` : ''}`);
    }
  } else throw new UsageError(`schedule takes one of ${SCHEDULE_COMMANDS.join(', ')}`);
}
