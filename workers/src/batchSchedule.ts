import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { z } from 'zod';
import type { Config, Logger } from '@voyce/core';
import {
  BATCH_INFERENCE_SCHEDULE_ID,
  BATCH_INFERENCE_WORKFLOW_ID,
  DEFAULT_BATCH_SIZE,
  DEFAULT_BATCHES_PER_RUN,
  type batchInferenceWorkflow,
  type BatchInferenceInput,
} from '@voyce/workflows';

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Batch re-inference settings, read once at worker start and validated like the rest of the config. */
const schema = z.object({
  /** How often the schedule starts a run, e.g. `30m`, `1h`, `1d`; `off` leaves the schedule alone (no create, no update). */
  BATCH_INFERENCE_INTERVAL: z
    .string()
    .regex(/^(off|\d+(s|m|h|d))$/, 'must be a duration such as 30m, 1h or 1d, or off')
    .refine((v) => v === 'off' || durationMs(v) >= 60_000, 'must be at least 1m')
    .default('1h'),
  BATCH_INFERENCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_BATCH_SIZE),
  BATCH_INFERENCE_BATCHES_PER_RUN: z.coerce.number().int().min(1).max(1_000).default(DEFAULT_BATCHES_PER_RUN),
});

export type BatchScheduleConfig = z.infer<typeof schema>;

function durationMs(value: string): number {
  const m = DURATION.exec(value);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
}

/** Parses the BATCH_INFERENCE_* variables; a wrong value stops the worker with a message naming it. */
export function loadBatchScheduleConfig(env: NodeJS.ProcessEnv = process.env): BatchScheduleConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  return parsed.data;
}

/**
 * Creates the batch re-inference schedule if it does not exist (overlap Skip: a run still going when the
 * next is due makes that one skip), otherwise brings its interval and arguments in line with this worker's
 * configuration while keeping its state: an operator's pause survives worker restarts. Every replica runs
 * this at start; the losers of the creation race just update.
 */
export async function ensureBatchInferenceSchedule(config: Config, logger: Logger, batch: BatchScheduleConfig = loadBatchScheduleConfig()): Promise<'created' | 'updated' | 'off'> {
  if (batch.BATCH_INFERENCE_INTERVAL === 'off') return 'off';
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS });
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const every = batch.BATCH_INFERENCE_INTERVAL as `${number}${'s' | 'm' | 'h' | 'd'}`;
    const args: [BatchInferenceInput] = [{ batchSize: batch.BATCH_INFERENCE_BATCH_SIZE, batchesPerRun: batch.BATCH_INFERENCE_BATCHES_PER_RUN }];
    try {
      await client.schedule.create({
        scheduleId: BATCH_INFERENCE_SCHEDULE_ID,
        spec: { intervals: [{ every }] },
        action: { type: 'startWorkflow', workflowType: 'batchInferenceWorkflow', workflowId: BATCH_INFERENCE_WORKFLOW_ID, taskQueue: config.TEMPORAL_TASK_QUEUE, args },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
        state: { note: 'created by the worker at start' },
      });
      logger.info({ scheduleId: BATCH_INFERENCE_SCHEDULE_ID, every }, 'created the batch inference schedule');
      return 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    await client.schedule.getHandle(BATCH_INFERENCE_SCHEDULE_ID).update<typeof batchInferenceWorkflow>((previous) => ({
      ...previous,
      spec: { intervals: [{ every }] },
      action: { ...previous.action, type: 'startWorkflow', workflowType: 'batchInferenceWorkflow', taskQueue: config.TEMPORAL_TASK_QUEUE, args },
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
    logger.info({ scheduleId: BATCH_INFERENCE_SCHEDULE_ID, every }, 'the batch inference schedule exists; spec brought up to date');
    return 'updated';
  } finally {
    await connection.close();
  }
}
