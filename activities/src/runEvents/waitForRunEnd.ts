import { Context } from '@temporalio/activity';
import { DatabricksApiError, type JobsClient, type Run } from '@voyce/databricks';
import type { RunEndWaiter } from './runEndHub';
import { settled } from './settledRun';

/** Completion by callback: the destination named in the run's webhook_notifications reaches `waiter`. */
export interface RunCompletion {
  waiter: RunEndWaiter;
  destinationId: string;
  /** runs/get this often while no notification came (lost callbacks). */
  fallbackPollMs: number;
}

/** Why a runs/get was made: the first look, a notification, or the fallback interval passing without one. */
export type NoticeSource = 'start' | 'callback' | 'poll';

// Heartbeats while waiting, well inside the activities' 15 s heartbeat timeout.
const HEARTBEAT_EVERY_MS = 4_000;

/**
 * Waits for the run's end notification, reading the run with runs/get once at the start (it may have ended
 * before the waiter was registered, e.g. on a retry), after each notification and every `fallbackPollMs`
 * without one. The state always comes from runs/get, never from the notification's body, so a duplicate or
 * late callback, or one for a run already seen to end, is harmless. `noticed` counts each runs/get by source.
 */
export async function waitForRunEnd(jobs: JobsClient, runId: number, completion: RunCompletion, noticed: (by: NoticeSource) => void): Promise<Run> {
  const ctx = Context.current();
  let subscription = completion.waiter.wait(runId);
  let source: NoticeSource = 'start';
  try {
    for (;;) {
      noticed(source);
      let run: Run | undefined;
      try {
        run = await jobs.getRun(runId);
      } catch (err) {
        // An unreachable Jobs API is waited out (the heartbeat keeps the activity alive); anything else is real.
        if (!(err instanceof DatabricksApiError && err.transient)) throw err;
      }
      if (run && settled(run, runId)) return run;
      if (source === 'callback') {
        // Notified, yet not final by runs/get (an on_start, or a notification racing the state write): listen again.
        subscription.dispose();
        subscription = completion.waiter.wait(runId);
      }
      source = await nextNotice(ctx, subscription.ended, completion.fallbackPollMs, runId);
    }
  } finally {
    subscription.dispose();
  }
}

async function nextNotice(ctx: Context, ended: Promise<void>, fallbackPollMs: number, runId: number): Promise<NoticeSource> {
  const deadline = Date.now() + fallbackPollMs;
  let heard = false;
  void ended.then(() => (heard = true));
  while (!heard) {
    const left = deadline - Date.now();
    if (left <= 0) return 'poll';
    // ctx.sleep rejects with CancelledFailure when the workflow cancels the activity.
    await Promise.race([ended, ctx.sleep(Math.min(left, HEARTBEAT_EVERY_MS))]);
    ctx.heartbeat({ runId });
  }
  return 'callback';
}
