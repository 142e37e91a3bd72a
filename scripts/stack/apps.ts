/** The project's own long-running processes (API, worker), run from source with tsx. */
import fs from 'node:fs';
import path from 'node:path';
import { BinaryNotFoundError, StackError } from './errors';
import { LOCAL_HOST, REPO_ROOT } from './paths';
import { startProcess, type ManagedProcess } from './process';

export interface AppOptions {
  /** Complete environment (process.env merged with the stack env). */
  readonly env: NodeJS.ProcessEnv;
  readonly logDir: string;
  readonly quiet?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

// Both shut down gracefully (drain requests, finish activities); give them time before SIGKILL.
const APP_GRACE_MS = 20_000;

function tsxBin(): string {
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  if (!fs.existsSync(bin)) throw new BinaryNotFoundError('tsx', [bin], 'Run `npm install`.');
  return bin;
}

function startTsx(name: string, entry: string, options: AppOptions): ManagedProcess {
  const file = path.join(REPO_ROOT, entry);
  if (!fs.existsSync(file)) throw new StackError(`${name}: entry point ${entry} does not exist`);
  return startProcess({
    name,
    command: tsxBin(),
    args: [file],
    cwd: REPO_ROOT,
    env: options.env,
    quiet: options.quiet,
    logDir: options.logDir,
    stopGraceMs: APP_GRACE_MS,
  });
}

/** `tsx api/src/main.ts`; ready when GET /health on PORT answers 200. */
export async function startApi(port: number, options: AppOptions): Promise<ManagedProcess> {
  const child = startTsx('api', 'api/src/main.ts', { ...options, env: { ...options.env, PORT: String(port) } });
  const url = `http://${LOCAL_HOST}:${port}/health`;
  try {
    await child.waitUntilReady(
      async () => {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        return response.status === 200;
      },
      { timeoutMs: options.timeoutMs ?? 60_000, what: `GET ${url} = 200`, intervalMs: 300 },
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}

/** `tsx workers/src/main.ts`; ready when it prints a line containing "worker running". */
export async function startWorker(options: AppOptions): Promise<ManagedProcess> {
  const child = startTsx('worker', 'workers/src/main.ts', options);
  try {
    // Bundling the workflow code on first start takes a while on 2 cores.
    await child.waitForOutput(/worker running/i, { timeoutMs: options.timeoutMs ?? 180_000, what: 'a "worker running" line' });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}
