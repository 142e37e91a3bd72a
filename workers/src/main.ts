import { Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@voyce/activities';
import { createLogger, loadConfig } from '@voyce/core';
import { buildActivityDeps } from './activityDeps';
import { ensureBatchInferenceSchedule, loadBatchScheduleConfig } from './batchSchedule';
import { connectWithRetry } from './connection';
import { activityObservability } from './observability/activityObservability';
import { sdkLogger } from './observability/sdkLogger';
import { startRunCompletion } from './runEvents/runCompletion';
import { ensureSearchAttributes } from './searchAttributes';
import { workflowSource } from './workflowSource';

/**
 * The submission worker: runs workflow and activity tasks from one queue. SIGINT/SIGTERM make the SDK drain
 * in-flight tasks and stop (graceful shutdown); anything interrupted harder is retried on another worker.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.LOG_LEVEL);
  const batchSchedule = loadBatchScheduleConfig();
  // One JSON log stream (the SDK's own lines included) and, when configured, SDK metrics (task latencies,
  // slots, polls) plus the pipeline's own counters and histograms, scraped at /metrics.
  Runtime.install({
    logger: sdkLogger(logger),
    telemetryOptions: config.WORKER_METRICS_ADDRESS
      ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, countersTotalSuffix: true } } }
      : {},
  });
  const { deps, db } = buildActivityDeps(config, logger);
  const { completion, receiver } = await startRunCompletion(config, logger);
  deps.runCompletion = completion;
  await deps.blob.ensureContainers();
  const connection = await connectWithRetry(config);
  await ensureSearchAttributes(config, logger);
  await ensureBatchInferenceSchedule(config, logger, batchSchedule);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities: createActivities(deps),
      ...(await workflowSource(logger)),
      interceptors: { activity: [activityObservability(logger.child({ source: 'activity' }))] },
      maxConcurrentActivityTaskExecutions: 50,
      shutdownGraceTime: '10 seconds',
    });
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker running');
    console.log(`worker running on task queue ${config.TEMPORAL_TASK_QUEUE} (${config.TEMPORAL_ADDRESS})`);
    await worker.run();
  } finally {
    await receiver?.close();
    await connection.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
