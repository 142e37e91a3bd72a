import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { conflict, notFound, type Submission, type SubmissionStatus } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { startSubmissionPipeline } from '../submissions/pipelineStarter';

export const REPLAYABLE: readonly SubmissionStatus[] = ['failed', 'rejected', 'completed'];

type ReplayDeps = Pick<ApiDeps, 'submissions' | 'temporal' | 'config' | 'audit' | 'blob'>;

/**
 * Runs the pipeline of a finished submission again: a new run of the same workflow id (allowed once the
 * previous run has closed), whose upserts overwrite the results with the current models' output. Rejected
 * audio that was never kept cannot be replayed.
 */
/** `actorId` is the admin's user id, or null for the ops CLI (recorded as `via: "cli"`). */
export async function replaySubmission(deps: ReplayDeps, sub: Submission, actorId: string | null): Promise<{ submissionId: string; runId: string }> {
  if (!REPLAYABLE.includes(sub.status)) {
    throw conflict('not_replayable', `A ${sub.status} submission cannot be replayed; only failed, rejected or completed ones can.`);
  }
  const hasAudio = (sub.audioBlob && (await deps.blob.exists('audio', sub.audioBlob))) || (sub.stagingBlob && (await deps.blob.exists('staging', sub.stagingBlob)));
  if (!hasAudio) throw conflict('audio_not_kept', 'The audio of this submission was not kept (it was rejected before storage), so it cannot be replayed.');
  // Reset first, so the new run's first stage change cannot be overwritten by this one.
  await deps.submissions.markStatus(sub.id, 'pending', { detail: { replayedBy: actorId ?? 'cli' } });
  let runId: string;
  try {
    runId = await startClosingRace(deps, sub);
  } catch (err) {
    await deps.submissions.markStatus(sub.id, sub.status, sub.progress.error ? { error: sub.progress.error } : {});
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw conflict('already_running', 'The pipeline of this submission is already running.');
    throw err;
  }
  await deps.audit.record({ action: 'submission.replayed', actorId, detail: { submissionId: sub.id, previousStatus: sub.status, runId, via: actorId ? 'api' : 'cli' } });
  return { submissionId: sub.id, runId };
}

/**
 * The status row turns terminal a moment before the run itself closes (the last activity writes it), so a
 * replay right after a failure may find the run still open: give it a few seconds to close, then start.
 */
async function startClosingRace(deps: ReplayDeps, sub: Submission): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await startSubmissionPipeline(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, sub);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function replayById(deps: ReplayDeps, id: string, actorId: string | null) {
  const sub = await deps.submissions.findById(id);
  if (!sub) throw notFound('The submission');
  return replaySubmission(deps, sub, actorId);
}

export interface BulkReplayFilter {
  status: 'failed' | 'rejected' | 'completed';
  from?: Date;
  to?: Date;
}

const PAGE = 200;

/** Replays every matching submission; ones that cannot be replayed are counted as skipped, not fatal. */
export async function replayMatching(deps: ReplayDeps, filter: BulkReplayFilter, actorId: string | null) {
  const started: string[] = [];
  const skipped: { submissionId: string; reason: string }[] = [];
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const page = await deps.submissions.list({ status: filter.status, limit: PAGE, ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}), ...(after ? { after } : {}) });
    for (const sub of page) {
      try {
        await replaySubmission(deps, sub, actorId);
        started.push(sub.id);
      } catch (err) {
        skipped.push({ submissionId: sub.id, reason: (err as { code?: string }).code ?? (err as Error).message });
      }
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return { count: started.length, started, skipped };
}
