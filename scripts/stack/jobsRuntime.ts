/** The local Databricks Jobs API runtime (`python -m voyce_ml.runtime`) as a child process. */
import fs from 'node:fs';
import path from 'node:path';
import { BinaryNotFoundError } from './errors';
import { LOCAL_HOST, REPO_ROOT, VENV_DIR } from './paths';
import { startProcess } from './process';
// A constants-only module: the stack scripts import no workspace package.
import { RUN_EVENTS_PATH, RUN_EVENTS_USER } from '../../core/src/domain/runEvents';
import { wrapService, type RunningService, type ServiceOptions } from './service';

export interface JobsRuntimeOptions extends ServiceOptions {
  readonly port: number;
  /** Bearer token the runtime requires (VOYCE_JOBS_TOKEN); clients send it as DATABRICKS_TOKEN. */
  readonly token: string;
  /** Warm worker processes; default $VOYCE_JOBS_WORKERS or 2 (one per core: measured best throughput). */
  readonly workers?: number | undefined;
  /**
   * Notification destinations by id (VOYCE_JOBS_WEBHOOK_DESTINATIONS, see voyce_ml/runtime/notifications.py);
   * default: the worker's receiver as the env describes it (`runEventsDestinations`), so that any runtime started
   * here knows the destination the workers of this env name on their runs.
   */
  readonly webhookDestinations?: WebhookDestinations | undefined;
}

export type WebhookDestinations = Record<string, { url: string; username?: string; password?: string }>;

/** The worker's run-events receiver as a destination, from RUN_EVENTS_ADDRESS/SECRET and the destination id; {} if unset. */
export function runEventsDestinations(env: NodeJS.ProcessEnv): WebhookDestinations {
  const { RUN_EVENTS_ADDRESS: address, RUN_EVENTS_SECRET: secret, DATABRICKS_RUN_EVENTS_DESTINATION_ID: id } = env;
  if (!address || !secret || !id) return {};
  return { [id]: { url: `http://${address}${RUN_EVENTS_PATH}`, username: RUN_EVENTS_USER, password: secret } };
}

export interface RunningJobsRuntime extends RunningService {
  /** The value for DATABRICKS_HOST. */
  readonly host: string;
}

// Every worker loads Whisper and the embedding model before /health turns 200.
const READY_TIMEOUT_MS = 120_000;

/** $VOYCE_PYTHON (another interpreter with voyce_ml installed), else the project venv. */
export function resolvePython(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.VOYCE_PYTHON;
  if (fromEnv) return fromEnv;
  const venvPython = path.join(VENV_DIR, 'bin', 'python');
  if (fs.existsSync(venvPython)) return venvPython;
  throw new BinaryNotFoundError('jobs-runtime', [venvPython], 'Run `npm run setup` to create .venv, or set VOYCE_PYTHON.');
}

export function jobsWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.VOYCE_JOBS_WORKERS ?? '2');
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : 2;
}

export async function startJobsRuntime(options: JobsRuntimeOptions): Promise<RunningJobsRuntime> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const baseEnv = options.env ?? process.env;
  const child = startProcess({
    name: 'jobs-runtime',
    command: resolvePython(baseEnv),
    args: [
      '-m', 'voyce_ml.runtime',
      '--host', LOCAL_HOST,
      '--port', String(options.port),
      '--state-file', path.join(options.dataDir, 'jobs-runtime.sqlite'),
      '--workers', String(options.workers ?? jobsWorkerCount(baseEnv)),
    ],
    cwd: REPO_ROOT,
    // Unbuffered so its log lines reach us (and our error messages) as they happen.
    env: {
      // One thread per warm worker for Whisper and the embedding engine alike: the workers run side by side, one
      // per core, and a second OpenMP thread each only oversubscribes the cores (analysis 0.15 s alone, 1.3 s
      // beside a transcription with 2 threads; bench:e2e).
      VOYCE_WHISPER_THREADS: '1',
      VOYCE_EMBED_THREADS: '1',
      ...baseEnv,
      VOYCE_JOBS_TOKEN: options.token,
      PYTHONUNBUFFERED: '1',
      VOYCE_JOBS_WEBHOOK_DESTINATIONS: JSON.stringify(options.webhookDestinations ?? runEventsDestinations(baseEnv)),
    },
    quiet: options.quiet,
    logDir: path.join(options.dataDir, 'logs'),
  });
  const service = wrapService('jobs-runtime', child);
  const host = `http://${LOCAL_HOST}:${options.port}`;
  try {
    await child.waitUntilReady(() => healthOk(`${host}/health`), {
      timeoutMs: options.timeoutMs ?? READY_TIMEOUT_MS,
      what: `GET ${host}/health = 200`,
      intervalMs: 500,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return { ...service, host };
}

async function healthOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  // Read the (small) body rather than cancel it: a reset connection makes the server log a traceback.
    await response.arrayBuffer();
  return response.status === 200;
}
