import { performance } from 'node:perf_hooks';
import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from '@voyce/core';

/** Activities take `{submissionId, ...}` (or a bare id); this finds it for logs and never throws. */
export function submissionIdOf(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'submissionId' in first) {
    const id = (first as { submissionId: unknown }).submissionId;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** Why an activity attempt ended: `ok`, `cancelled`, or the failure's type (what dashboards group by). */
export function outcomeOf(err: unknown): { outcome: 'completed' | 'cancelled' | 'failed'; reason: string } {
  if (err === undefined) return { outcome: 'completed', reason: '' };
  if (err instanceof CancelledFailure) return { outcome: 'cancelled', reason: 'cancelled' };
  if (err instanceof ApplicationFailure) return { outcome: 'failed', reason: err.type ?? 'ApplicationFailure' };
  return { outcome: 'failed', reason: err instanceof Error ? err.name : 'unknown' };
}

/**
 * One interceptor for every activity: each attempt ends in a JSON log line carrying the workflow id,
 * run id, submission id, activity and attempt, and in `voyce_activity_duration_seconds{activity,
 * outcome, reason}` (stage durations and failures by reason on the worker's /metrics) and
 * `voyce_activity_queue_wait_seconds{activity}` (time in the task queue before the attempt started). Activity
 * `log` calls get the submission id attached as well.
 */
export function activityObservability(logger: Logger): ActivityInterceptorsFactory {
  return (ctx: Context) => {
    const submissionId = { value: undefined as string | undefined };
    return {
      inbound: {
        async execute(input, next) {
          submissionId.value = submissionIdOf(input.args);
          const { info } = ctx;
          const fields = {
            workflowId: info.workflowExecution?.workflowId,
            runId: info.workflowExecution?.runId,
            submissionId: submissionId.value,
            activity: info.activityType,
            attempt: info.attempt,
          };
          // Schedule → start: how long the attempt waited in the task queue for a free activity slot.
          const queuedSeconds = Math.max(0, Date.now() - info.currentAttemptScheduledTimestampMs) / 1000;
          ctx.metricMeter
            .createHistogram('voyce_activity_queue_wait_seconds', 'float', 's', 'Pipeline activity attempts: scheduled → started')
            .record(queuedSeconds, { activity: info.activityType });
          const started = performance.now();
          let failure: unknown;
          try {
            return await next(input);
          } catch (err) {
            failure = err;
            throw err;
          } finally {
            const seconds = (performance.now() - started) / 1000;
            const { outcome, reason } = outcomeOf(failure);
            ctx.metricMeter
              .createHistogram('voyce_activity_duration_seconds', 'float', 's', 'Pipeline activity attempts by outcome')
              .record(seconds, { activity: info.activityType, outcome, reason });
            const line = { ...fields, outcome, reason: reason || undefined, durationMs: Math.round(seconds * 1000) };
            if (outcome === 'failed') logger.warn({ ...line, err: failure }, 'activity attempt failed');
            else logger.info(line, `activity ${outcome}`);
          }
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          return next({ ...input, submissionId: submissionId.value });
        },
      },
    };
  };
}
