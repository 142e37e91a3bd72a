/**
 * A whole `npm start` (scripts/start.ts, with its supervisor) as one child process on free ports and its own data
 * folder, for the tests and bench:chaos that kill its parts: where each part is (from the supervisor's state file),
 * waiting for a part to be back, and stopping it all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LOCAL_HOST, REPO_ROOT } from './paths';
import { findFreePort } from './ports';
import { startProcess, sleep, type ManagedProcess } from './process';
import type { PartStatus } from './supervisor';
import { readSupervisorState, supervisorStatePath } from './supervisorState';

/** The parts `npm start` supervises, by the names it gives them. */
export const SUPERVISED_PARTS = ['temporal', 'azurite', 'jobs-runtime', 'live-worker', 'api', 'worker'] as const;
export type SupervisedPartName = (typeof SUPERVISED_PARTS)[number];

// Variables through which start.ts would reuse services given by the environment instead of starting its own.
const GIVEN_SERVICES = ['TEMPORAL_ADDRESS', 'AZURE_STORAGE_CONNECTION_STRING', 'DATABRICKS_HOST', 'DATABRICKS_TOKEN', 'LIVE_WORKER_ADDRESSES'];

export interface LaunchOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** Extra environment for start.ts and its children (e.g. VOYCE_JOBS_WORKERS=1). */
  readonly env?: Record<string, string>;
  readonly quiet?: boolean;
  readonly readyTimeoutMs?: number;
}

export interface SupervisedStack {
  readonly apiUrl: string;
  readonly process: ManagedProcess;
  readonly stateFile: string;
  parts(): readonly PartStatus[];
  part(name: SupervisedPartName): PartStatus;
  /** Polls the state file until `predicate` holds for the part (or start.ts exits, or the timeout). */
  waitForPart(name: SupervisedPartName, what: string, predicate: (part: PartStatus) => boolean, timeoutMs?: number): Promise<PartStatus>;
  stop(): Promise<void>;
}

/** Starts `tsx scripts/start.ts` and resolves once it printed that Voyce is running. */
export async function launchSupervisedStack(options: LaunchOptions): Promise<SupervisedStack> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const apiPort = await findFreePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of GIVEN_SERVICES) delete env[name];
  Object.assign(env, {
    PORT: String(apiPort),
    VOYCE_DATA_DIR: options.dataDir,
    VOYCE_STACK_PORTS: 'random',
    DATABASE_URL: options.databaseUrl,
    WORKER_METRICS_ADDRESS: '',
    BATCH_INFERENCE_INTERVAL: 'off',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const child = startProcess({
    name: 'npm-start',
    command: path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    args: [path.join(REPO_ROOT, 'scripts', 'start.ts')],
    cwd: REPO_ROOT,
    env,
    quiet: options.quiet ?? true,
    logDir: path.join(options.dataDir, 'logs'),
    stopGraceMs: 60_000,
  });
  try {
    await child.waitForOutput(/Voyce is running/, { timeoutMs: options.readyTimeoutMs ?? 300_000, what: 'the "Voyce is running" table' });
  } catch (error) {
    await child.stop();
    throw error;
  }
  const stateFile = supervisorStatePath(options.dataDir);
  const parts = (): readonly PartStatus[] => readSupervisorState(stateFile)?.parts ?? [];
  const part = (name: SupervisedPartName): PartStatus => {
    const found = parts().find((p) => p.name === name);
    if (!found) throw new Error(`${name} is not in ${stateFile}`);
    return found;
  };
  return {
    apiUrl: `http://${LOCAL_HOST}:${apiPort}`,
    process: child,
    stateFile,
    parts,
    part,
    async waitForPart(name, what, predicate, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = parts().find((p) => p.name === name);
        if (current && predicate(current)) return current;
        if (child.hasExited()) throw new Error(`npm start exited while waiting for ${name} to be ${what}:\n${child.recentOutput(20).join('\n')}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} to be ${what} (now ${JSON.stringify(current)})`);
        await sleep(100);
      }
    },
    async stop() {
      await child.stop();
    },
  };
}
