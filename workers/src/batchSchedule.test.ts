import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createLogger, loadConfig } from '@voyce/core';
import { BATCH_INFERENCE_SCHEDULE_ID } from '@voyce/workflows';
import { useWorkflowTestEnvironment } from '@voyce/workflows/testing';
import { ensureBatchInferenceSchedule, loadBatchScheduleConfig } from './batchSchedule';

jest.setTimeout(60_000);

const temporal = useWorkflowTestEnvironment({ bundle: false });

describe('loadBatchScheduleConfig', () => {
  it('defaults to hourly runs of 500-submission batches', () => {
    expect(loadBatchScheduleConfig({})).toEqual({ BATCH_INFERENCE_INTERVAL: '1h', BATCH_INFERENCE_BATCH_SIZE: 500, BATCH_INFERENCE_BATCHES_PER_RUN: 20 });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadBatchScheduleConfig({ BATCH_INFERENCE_INTERVAL: 'hourly' })).toThrow(/BATCH_INFERENCE_INTERVAL/);
    expect(() => loadBatchScheduleConfig({ BATCH_INFERENCE_INTERVAL: '10s' })).toThrow(/at least 1m/);
    expect(() => loadBatchScheduleConfig({ BATCH_INFERENCE_BATCH_SIZE: '0' })).toThrow(/BATCH_INFERENCE_BATCH_SIZE/);
  });
});

describe('ensureBatchInferenceSchedule', () => {
  it('creates the schedule once, then updates its spec and keeps an operator pause across restarts', async () => {
    const address = temporal.env.connection.options.address;
    const config = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: 'batch-schedule-test', LOG_LEVEL: 'silent' });
    const logger = createLogger('test', 'silent');
    const handle = temporal.env.client.schedule.getHandle(BATCH_INFERENCE_SCHEDULE_ID);

    expect(await ensureBatchInferenceSchedule(config, logger, loadBatchScheduleConfig({}))).toBe('created');
    const created = await handle.describe();
    expect(created.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(created.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(created.action).toMatchObject({ workflowType: 'batchInferenceWorkflow', taskQueue: 'batch-schedule-test', args: [{ batchSize: 500, batchesPerRun: 20 }] });
    expect(created.state.paused).toBe(false);

    await handle.pause('model rollout on hold');
    // A second worker (or a restart) with another interval: no error, no second schedule, the pause stays.
    expect(await ensureBatchInferenceSchedule(config, logger, loadBatchScheduleConfig({ BATCH_INFERENCE_INTERVAL: '30m', BATCH_INFERENCE_BATCH_SIZE: '100' }))).toBe('updated');
    const updated = await handle.describe();
    expect(updated.spec.intervals?.[0]?.every).toBe(1_800_000);
    expect(updated.action).toMatchObject({ args: [{ batchSize: 100, batchesPerRun: 20 }] });
    expect(updated.state.paused).toBe(true);
    expect(updated.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);

    const listed: string[] = [];
    for await (const s of temporal.env.client.schedule.list()) listed.push(s.scheduleId);
    expect(listed.filter((id) => id === BATCH_INFERENCE_SCHEDULE_ID)).toHaveLength(1);

    expect(await ensureBatchInferenceSchedule(config, logger, loadBatchScheduleConfig({ BATCH_INFERENCE_INTERVAL: 'off' }))).toBe('off');
  });
});
