/**
 * startInfrastructure: Temporal, Azurite and the jobs runtime in parallel (each skipped when the
 * environment already points at one), plus the PostgreSQL database, for `npm start` ('dev') and
 * the integration tests ('test').
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite } from './azurite';
import { PortInUseError, StackError } from './errors';
import { startJobsRuntime } from './jobsRuntime';
import { DEV_DATA_DIR, LOCAL_HOST } from './paths';
import { findFreePorts, isPortInUse } from './ports';
import { DEFAULT_DATABASE_URL, DEFAULT_TEST_DATABASE_URL, ensurePostgresDatabase, redact } from './postgres';
import type { ManagedProcess } from './process';
import type { RunningService } from './service';
import { startTemporal } from './temporal';

export type StackMode = 'dev' | 'test';

export interface StackPorts {
  readonly temporal: number;
  readonly temporalUi: number;
  readonly azurite: number;
  readonly jobsRuntime: number;
}

/** The fixed dev ports: the ones docs, the Temporal UI bookmark and docker-compose also use. */
export const DEV_PORTS: StackPorts = { temporal: 7233, temporalUi: 8233, azurite: 10000, jobsRuntime: 8765 };

export interface StartInfrastructureOptions {
  readonly mode: StackMode;
  /** dev: default `<repo>/.data`; test: default a fresh temp folder removed by stop(). */
  readonly dataDir?: string | undefined;
  /** Override single ports (dev: instead of DEV_PORTS; test: instead of random ones). */
  readonly ports?: Partial<StackPorts> | undefined;
  /** dev: $DATABASE_URL or voyce; test: $TEST_DATABASE_URL or voyce_test. */
  readonly databaseUrl?: string | undefined;
  /** Output only to log files; default true in test mode, false in dev mode. */
  readonly quiet?: boolean | undefined;
  /** Where "already given" services are looked up and the base env of children; default process.env. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** The variables API, workers and tests read to find the infrastructure. */
export type StackEnv = {
  TEMPORAL_ADDRESS: string;
  AZURE_STORAGE_CONNECTION_STRING: string;
  DATABRICKS_HOST: string;
  DATABRICKS_TOKEN: string;
  DATABASE_URL: string;
};

export interface StackEndpoint {
  readonly name: string;
  /** Where it listens (URL or host:port), password-free. */
  readonly address: string;
  /** started: a child of ours; env: the environment pointed at it; system: the machine's own server. */
  readonly source: 'started' | 'env' | 'system';
  readonly logFile?: string | undefined;
}

export interface Infrastructure {
  readonly env: StackEnv;
  readonly endpoints: readonly StackEndpoint[];
  /** Processes we started, so a supervisor can notice one dying. */
  readonly processes: readonly ManagedProcess[];
  readonly dataDir: string;
  /** Stops whatever we started (reverse start order). Idempotent. */
  stop(): Promise<void>;
}

export async function startInfrastructure(options: StartInfrastructureOptions): Promise<Infrastructure> {
  const baseEnv = options.env ?? process.env;
  const mode = options.mode;
  const quiet = options.quiet ?? mode === 'test';
  const ownsDataDir = options.dataDir === undefined && mode === 'test';
  const dataDir =
    options.dataDir ?? (mode === 'dev' ? DEV_DATA_DIR : fs.mkdtempSync(path.join(os.tmpdir(), 'voyce-stack-')));
  fs.mkdirSync(dataDir, { recursive: true });
  const databaseUrl =
    options.databaseUrl ??
    (mode === 'dev' ? baseEnv.DATABASE_URL || DEFAULT_DATABASE_URL : baseEnv.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL);

  const given = {
    temporal: nonEmpty(baseEnv.TEMPORAL_ADDRESS),
    azurite: nonEmpty(baseEnv.AZURE_STORAGE_CONNECTION_STRING),
    jobs: nonEmpty(baseEnv.DATABRICKS_HOST),
  };
  const ports = await choosePorts(mode, options.ports ?? {}, given);
  const common = { dataDir, quiet, env: baseEnv };
  const token = given.jobs !== undefined ? (baseEnv.DATABRICKS_TOKEN ?? '') : randomBytes(24).toString('hex');

  // All at once: the jobs runtime's model loading dominates, the rest hides behind it.
  const [temporal, azurite, jobs, database] = await Promise.allSettled([
    given.temporal === undefined
      ? startTemporal({ ...common, port: ports.temporal, uiPort: ports.temporalUi, headless: mode === 'test' })
      : undefined,
    given.azurite === undefined ? startAzurite({ ...common, port: ports.azurite }) : undefined,
    given.jobs === undefined ? startJobsRuntime({ ...common, port: ports.jobsRuntime, token }) : undefined,
    ensurePostgresDatabase(databaseUrl),
  ]);

  const started: RunningService[] = [];
  const failures: unknown[] = [];
  for (const result of [temporal, azurite, jobs, database]) {
    if (result.status === 'rejected') failures.push(result.reason);
  }
  for (const result of [temporal, azurite, jobs]) {
    if (result.status === 'fulfilled' && result.value !== undefined) started.push(result.value);
  }
  const cleanup = async (): Promise<void> => {
    await Promise.all([...started].reverse().map((s) => s.stop()));
    if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  if (failures.length > 0) {
    await cleanup();
    throw combineFailures(failures);
  }

  // Narrowing for the compiler; failures were handled above.
  const t = temporal.status === 'fulfilled' ? temporal.value : undefined;
  const a = azurite.status === 'fulfilled' ? azurite.value : undefined;
  const j = jobs.status === 'fulfilled' ? jobs.value : undefined;

  const env: StackEnv = {
    TEMPORAL_ADDRESS: given.temporal ?? t?.address ?? '',
    AZURE_STORAGE_CONNECTION_STRING: given.azurite ?? a?.connectionString ?? '',
    DATABRICKS_HOST: given.jobs ?? j?.host ?? '',
    DATABRICKS_TOKEN: token,
    DATABASE_URL: databaseUrl,
  };
  const endpoints: StackEndpoint[] = [
    { name: 'Temporal', address: env.TEMPORAL_ADDRESS, source: t ? 'started' : 'env', logFile: t?.process.logFile },
    ...(t?.uiUrl ? [{ name: 'Temporal UI', address: t.uiUrl, source: 'started' as const }] : []),
    { name: 'Azurite (blob)', address: a?.blobEndpoint ?? blobEndpointOf(env.AZURE_STORAGE_CONNECTION_STRING), source: a ? 'started' : 'env', logFile: a?.process.logFile },
    { name: 'Jobs runtime', address: env.DATABRICKS_HOST, source: j ? 'started' : 'env', logFile: j?.process.logFile },
    { name: 'PostgreSQL', address: redact(databaseUrl), source: 'system' },
  ];

  let stopping: Promise<void> | undefined;
  return {
    env,
    endpoints,
    processes: started.map((s) => s.process),
    dataDir,
    stop: () => (stopping ??= cleanup()),
  };
}

async function choosePorts(
  mode: StackMode,
  overrides: Partial<StackPorts>,
  given: { temporal: string | undefined; azurite: string | undefined; jobs: string | undefined },
): Promise<StackPorts> {
  if (mode === 'test') {
    const [temporal, temporalUi, azurite, jobsRuntime] = await findFreePorts(4);
    if (temporal === undefined || temporalUi === undefined || azurite === undefined || jobsRuntime === undefined) {
      throw new StackError('could not allocate free ports');
    }
    return { temporal, temporalUi, azurite, jobsRuntime, ...overrides };
  }
  const ports: StackPorts = { ...DEV_PORTS, ...overrides };
  // Fixed ports: check up front so the message says what to do, instead of a bind error in a log.
  const checks: Array<[string, number, string, boolean]> = [
    ['Temporal', ports.temporal, `To use the server already there, set TEMPORAL_ADDRESS=${LOCAL_HOST}:${ports.temporal}.`, given.temporal === undefined],
    ['Temporal UI', ports.temporalUi, 'Stop whatever listens there (another `temporal server start-dev`?).', given.temporal === undefined],
    ['Azurite', ports.azurite, 'To use the Azurite already there, set AZURE_STORAGE_CONNECTION_STRING.', given.azurite === undefined],
    ['Jobs runtime', ports.jobsRuntime, `To use the runtime already there, set DATABRICKS_HOST=http://${LOCAL_HOST}:${ports.jobsRuntime} and DATABRICKS_TOKEN.`, given.jobs === undefined],
  ];
  for (const [name, port, hint, needed] of checks) {
    if (needed && (await isPortInUse(port))) throw new PortInUseError(name, port, hint);
  }
  return ports;
}

function combineFailures(failures: unknown[]): Error {
  const first = failures[0];
  if (failures.length === 1 && first instanceof Error) return first;
  const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
  return new StackError(`${failures.length} components failed to start:\n\n${messages.join('\n\n')}`);
}

function blobEndpointOf(connectionString: string): string {
  const match = /BlobEndpoint=([^;]+)/i.exec(connectionString);
  return match?.[1] ?? '(from AZURE_STORAGE_CONNECTION_STRING)';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export { DEFAULT_DATABASE_URL, DEFAULT_TEST_DATABASE_URL, ensurePostgresDatabase } from './postgres';
export { findFreePort, findFreePorts, isPortInUse } from './ports';
export * from './errors';
