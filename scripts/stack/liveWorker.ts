/** The live recogniser (`python -m voyce_ml.live`) as a child process: the API relays WebSocket sessions to it. */
import os from 'node:os';
import path from 'node:path';
import { resolvePython } from './jobsRuntime';
import { LOCAL_HOST, REPO_ROOT } from './paths';
import { isPortInUse } from './ports';
import { startProcess } from './process';
import { wrapService, type RunningService, type ServiceOptions } from './service';

export interface LiveWorkerOptions extends ServiceOptions {
  readonly port: number;
  /** Sessions decoded at once; default $VOYCE_LIVE_SESSIONS or the number of cores (one decode takes one core). */
  readonly sessions?: number | undefined;
}

export interface RunningLiveWorker extends RunningService {
  /** The value for LIVE_WORKER_ADDRESSES (host:port). */
  readonly address: string;
}

// The port opens only once Whisper is loaded and warmed up.
const READY_TIMEOUT_MS = 60_000;

export function liveSessionCount(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = Number(env.VOYCE_LIVE_SESSIONS ?? os.availableParallelism());
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : 1;
}

export async function startLiveWorker(options: LiveWorkerOptions): Promise<RunningLiveWorker> {
  const baseEnv = options.env ?? process.env;
  const child = startProcess({
    name: 'live-worker',
    command: resolvePython(baseEnv),
    args: ['-m', 'voyce_ml.live', '--host', LOCAL_HOST, '--port', String(options.port), '--sessions', String(options.sessions ?? liveSessionCount(baseEnv))],
    cwd: REPO_ROOT,
    env: { VOYCE_WHISPER_THREADS: '1', ...baseEnv, PYTHONUNBUFFERED: '1' },
    quiet: options.quiet,
    logDir: path.join(options.dataDir, 'logs'),
  });
  const service = wrapService('live-worker', child);
  try {
    await child.waitUntilReady(() => isPortInUse(options.port), {
      timeoutMs: options.timeoutMs ?? READY_TIMEOUT_MS,
      what: `tcp://${LOCAL_HOST}:${options.port} accepting`,
      intervalMs: 300,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  return { ...service, address: `${LOCAL_HOST}:${options.port}` };
}
