import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '@voyce/core';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

function temporalLevel(level: string): LogLevel {
  const upper = level.toUpperCase();
  if (upper === 'FATAL') return 'ERROR';
  if (upper === 'SILENT') return 'ERROR';
  return (upper in PINO_LEVEL ? upper : 'INFO') as LogLevel;
}

/**
 * The Temporal SDK's own logger (worker lifecycle, workflow `log` calls replayed or not, activity
 * `log` calls) routed into the same pino JSON stream as everything else. The SDK attaches
 * `workflowId`, `runId`, `activityType` and friends as metadata, so they arrive as fields.
 */
export function sdkLogger(logger: Logger): DefaultLogger {
  const sdk = logger.child({ source: 'temporal-sdk' });
  return new DefaultLogger(temporalLevel(logger.level), (entry: LogEntry) => {
    sdk[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
  });
}
