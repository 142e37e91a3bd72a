import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '@voyce/core';

type PinoLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const PINO_LEVEL: Record<LogLevel, PinoLevel> = {
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

/**
 * For `bundleWorkflowCode` at worker start: its webpack summary and "Workflow bundle created" lines are
 * INFO to the SDK but build noise to an operator, so they go to debug; warnings and errors keep their level.
 */
export function bundlerLogger(logger: Logger): DefaultLogger {
  const bundler = logger.child({ source: 'workflow-bundler' });
  return new DefaultLogger('TRACE', (entry: LogEntry) => {
    bundler[entry.level === 'INFO' ? 'debug' : PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
  });
}
