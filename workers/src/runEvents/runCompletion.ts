import { RunEndHub, type RunCompletion } from '@voyce/activities';
import type { Config, Logger } from '@voyce/core';
import { startRunEventsReceiver, type RunEventsReceiver } from './receiver';

/**
 * Completion by callback when configured (DATABRICKS_RUN_COMPLETION=callback with a receiver address, secret and
 * destination id): starts the receiver and returns what the model-run activities wait with. Otherwise, or when
 * the address cannot be bound, nothing: the activities poll runs/get as before.
 */
export async function startRunCompletion(config: Config, logger: Logger): Promise<{ completion?: RunCompletion; receiver?: RunEventsReceiver }> {
  if (config.DATABRICKS_RUN_COMPLETION !== 'callback') return {};
  if (!config.RUN_EVENTS_ADDRESS || !config.DATABRICKS_RUN_EVENTS_DESTINATION_ID) {
    logger.info('job runs are polled: set RUN_EVENTS_ADDRESS, RUN_EVENTS_SECRET and DATABRICKS_RUN_EVENTS_DESTINATION_ID for callbacks');
    return {};
  }
  const hub = new RunEndHub();
  try {
    const receiver = await startRunEventsReceiver({ address: config.RUN_EVENTS_ADDRESS, secret: config.RUN_EVENTS_SECRET, hub, logger });
    logger.info({ address: receiver.address, destination: config.DATABRICKS_RUN_EVENTS_DESTINATION_ID }, 'job-run callbacks received here');
    return {
      receiver,
      completion: { waiter: hub, destinationId: config.DATABRICKS_RUN_EVENTS_DESTINATION_ID, fallbackPollMs: config.DATABRICKS_FALLBACK_POLL_MS },
    };
  } catch (err) {
    // Another worker on this machine holds the address: this one polls, which is correct, only slower to notice.
    logger.warn({ err, address: config.RUN_EVENTS_ADDRESS }, 'run-events receiver could not listen; job runs are polled');
    return {};
  }
}
