import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { BATCH_INFERENCE_SCHEDULE_ID, conflict, createBatchInferenceRepository, notFound, type BatchRunRecord } from '@voyce/core';
import type { ApiDeps } from '../deps';

type ScheduleDeps = Pick<ApiDeps, 'temporal' | 'audit' | 'appDb'>;

/** Who asked: an admin through the API (their id) or an operator at the server's shell (the CLI). */
export interface Actor {
  id: string | null;
  via: 'api' | 'cli';
  ip?: string | null | undefined;
}

export interface ScheduleState {
  scheduleId: string;
  paused: boolean;
  note: string | null;
  interval: string | null;
  overlap: string;
  nextRunTimes: string[];
  runningWorkflowIds: string[];
  recentActions: { workflowId: string; scheduledAt: string; takenAt: string }[];
  actionsTaken: number;
  skippedOverlap: number;
}

/** One batch run as Temporal's visibility store has it, with the summary the run recorded (if any yet). */
export interface BatchRunView {
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  summary: Omit<BatchRunRecord, 'workflowId' | 'startedAt' | 'finishedAt'> & { startedAt: string; finishedAt: string | null } | null;
}

const handleOf = (deps: ScheduleDeps) => deps.temporal.schedule.getHandle(BATCH_INFERENCE_SCHEDULE_ID);

async function describeOrNotFound(deps: ScheduleDeps): Promise<ScheduleDescription> {
  try {
    return await handleOf(deps).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw notFound('The batch inference schedule (a worker creates it at start)');
    throw err;
  }
}

function present(d: ScheduleDescription): ScheduleState {
  const every = d.spec.intervals?.[0]?.every;
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note ?? null,
    interval: every === undefined ? null : `${Math.round(Number(every) / 1000)}s`,
    overlap: String(d.policies.overlap),
    nextRunTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
    runningWorkflowIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    recentActions: d.info.recentActions.map((a) => ({ workflowId: a.action.workflow.workflowId, scheduledAt: a.scheduledAt.toISOString(), takenAt: a.takenAt.toISOString() })),
    actionsTaken: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
  };
}

/** The schedule's state as Temporal has it. */
export async function describeBatchSchedule(deps: ScheduleDeps): Promise<ScheduleState> {
  return present(await describeOrNotFound(deps));
}

/** Pauses the schedule (no new runs; a running one finishes), with the reason as its note. */
export async function pauseBatchSchedule(deps: ScheduleDeps, actor: Actor, reason?: string): Promise<ScheduleState> {
  await describeOrNotFound(deps);
  await handleOf(deps).pause(reason ?? `paused by ${actor.via === 'cli' ? 'the ops CLI' : `admin ${actor.id}`}`);
  await deps.audit.record({ action: 'schedule.paused', actorId: actor.id, ip: actor.ip ?? null, detail: { scheduleId: BATCH_INFERENCE_SCHEDULE_ID, via: actor.via, ...(reason ? { reason } : {}) } });
  return describeBatchSchedule(deps);
}

export async function unpauseBatchSchedule(deps: ScheduleDeps, actor: Actor): Promise<ScheduleState> {
  await describeOrNotFound(deps);
  await handleOf(deps).unpause(`unpaused by ${actor.via === 'cli' ? 'the ops CLI' : `admin ${actor.id}`}`);
  await deps.audit.record({ action: 'schedule.unpaused', actorId: actor.id, ip: actor.ip ?? null, detail: { scheduleId: BATCH_INFERENCE_SCHEDULE_ID, via: actor.via } });
  return describeBatchSchedule(deps);
}

/**
 * Starts a run now, whatever the interval (and even while paused: an operator asked for it). With a run
 * already going this is a 409, not a second run: re-inference of the same rows twice at once is waste.
 */
export async function triggerBatchSchedule(deps: ScheduleDeps, actor: Actor): Promise<{ scheduleId: string; triggered: true }> {
  const before = await describeOrNotFound(deps);
  if (before.info.runningActions.length > 0) {
    throw conflict('already_running', `A batch inference run is already going (${before.info.runningActions.map((a) => a.workflow.workflowId).join(', ')}).`);
  }
  await handleOf(deps).trigger(ScheduleOverlapPolicy.SKIP);
  await deps.audit.record({ action: 'schedule.triggered', actorId: actor.id, ip: actor.ip ?? null, detail: { scheduleId: BATCH_INFERENCE_SCHEDULE_ID, via: actor.via } });
  return { scheduleId: BATCH_INFERENCE_SCHEDULE_ID, triggered: true };
}

/**
 * The newest batch runs: which runs exist and how they stand comes from Temporal's visibility store (not
 * a copy); the counts each run recorded come from its summary row.
 */
export async function recentBatchRuns(deps: ScheduleDeps, limit = 10): Promise<BatchRunView[]> {
  const runs: Omit<BatchRunView, 'summary'>[] = [];
  const seen = new Set<string>();
  for await (const w of deps.temporal.workflow.list({ query: `WorkflowType = 'batchInferenceWorkflow'`, pageSize: limit })) {
    // A run that continued as new shows once per run in visibility: one entry per logical run (its newest).
    if (seen.has(w.workflowId)) continue;
    seen.add(w.workflowId);
    runs.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name, startTime: w.startTime.toISOString(), closeTime: w.closeTime?.toISOString() ?? null });
    if (runs.length >= limit) break;
  }
  const repo = createBatchInferenceRepository(deps.appDb);
  const summaries = new Map((await repo.findRuns(runs.map((r) => r.workflowId))).map((r) => [r.workflowId, r]));
  return runs.map((r) => {
    const s = summaries.get(r.workflowId);
    if (!s) return { ...r, summary: null };
    const { workflowId: _id, startedAt, finishedAt, ...rest } = s;
    return { ...r, summary: { ...rest, startedAt: startedAt.toISOString(), finishedAt: finishedAt?.toISOString() ?? null } };
  });
}
