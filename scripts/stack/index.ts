/**
 * startInfrastructure: Temporal, Azurite, the jobs runtime and the live worker in parallel (each skipped when the
 * environment already points at one), plus the PostgreSQL database, for `npm start` ('dev') and
 * the integration tests ('test').
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite } from './azurite';
import { PortInUseError, StackError } from './errors';
import { runEventsDestinations, startJobsRuntime } from './jobsRuntime';
import { startLiveWorker } from './liveWorker';
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
  readonly liveWorker: number;
  /** The worker's receiver of job-run webhooks (RUN_EVENTS_ADDRESS). */
  readonly runEvents: number;
}

/** The notification destination the stack's jobs runtime knows the worker's receiver by. */
export const RUN_EVENTS_DESTINATION_ID = 'voyce-worker';

/** The fixed dev ports: the ones docs, the Temporal UI bookmark and docker-compose also use. */
export const DEV_PORTS: StackPorts = { temporal: 7233, temporalUi: 8233, azurite: 10000, jobsRuntime: 8765, liveWorker: 8766, runEvents: 8767 };

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
  /** Live recognisers the API relays `/api/live` sessions to (comma-separated host:port). */
  LIVE_WORKER_ADDRESSES: string;
  /** Where the worker receives job-run webhooks, the basic-auth secret, and the destination id runs name. */
  RUN_EVENTS_ADDRESS: string;
  RUN_EVENTS_SECRET: string;
  DATABRICKS_RUN_EVENTS_DESTINATION_ID: string;
  /** Test mode: rate-limit counters of this run only (Redis is the machine's, shared by every run on it). */
  RATE_LIMIT_PREFIX?: string;
};

export interface StackEndpoint {
  readonly name: string;
  /** Where it listens (URL or host:port), password-free. */
  readonly address: string;
  /** started: a child of ours; env: the environment pointed at it; system: the machine's own server. */
  readonly source: 'started' | 'env' | 'system';
  readonly logFile?: string | undefined;
}

/** A component we started, with the way to start it again on the same port and data (for the supervisor). */
export interface RestartablePart {
  readonly name: string;
  /** The instance running now (the latest one after a restart). */
  current(): ManagedProcess;
  /** Starts a fresh instance, once the previous one is gone; resolves when it is ready. */
  restart(): Promise<ManagedProcess>;
}

export interface Infrastructure {
  readonly env: StackEnv;
  readonly endpoints: readonly StackEndpoint[];
  /** Processes we started (as first started), so a supervisor can notice one dying. */
  readonly processes: readonly ManagedProcess[];
  /** The same components, restartable. */
  readonly parts: readonly RestartablePart[];
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
    live: nonEmpty(baseEnv.LIVE_WORKER_ADDRESSES),
  };
  const ports = await choosePorts(mode, options.ports ?? {}, given);
  const common = { dataDir, quiet, env: baseEnv };
  const token = given.jobs !== undefined ? (baseEnv.DATABRICKS_TOKEN ?? '') : randomBytes(24).toString('hex');
  // A runtime we start knows the worker's receiver as a destination; a given one (or Databricks) has its own.
  const runEvents =
    given.jobs !== undefined
      ? { address: baseEnv.RUN_EVENTS_ADDRESS ?? '', secret: baseEnv.RUN_EVENTS_SECRET ?? '', destinationId: baseEnv.DATABRICKS_RUN_EVENTS_DESTINATION_ID ?? '' }
      : { address: `${LOCAL_HOST}:${ports.runEvents}`, secret: randomBytes(24).toString('hex'), destinationId: RUN_EVENTS_DESTINATION_ID };
  const webhookDestinations = runEventsDestinations({
    RUN_EVENTS_ADDRESS: runEvents.address,
    RUN_EVENTS_SECRET: runEvents.secret,
    DATABRICKS_RUN_EVENTS_DESTINATION_ID: runEvents.destinationId,
  });

  // Each starter is kept: the supervisor of `npm start` calls it again to restart a component that died.
  const starters = {
    temporal: () => startTemporal({ ...common, port: ports.temporal, uiPort: ports.temporalUi, headless: mode === 'test' }),
    azurite: () => startAzurite({ ...common, port: ports.azurite }),
    jobs: () => startJobsRuntime({ ...common, port: ports.jobsRuntime, token, webhookDestinations }),
    live: () => startLiveWorker({ ...common, port: ports.liveWorker }),
  };
  // All at once: the jobs runtime's model loading dominates, the rest hides behind it.
  const [temporal, azurite, jobs, live, database] = await Promise.allSettled([
    given.temporal === undefined ? starters.temporal() : undefined,
    given.azurite === undefined ? starters.azurite() : undefined,
    given.jobs === undefined ? starters.jobs() : undefined,
    given.live === undefined ? starters.live() : undefined,
    ensurePostgresDatabase(databaseUrl),
  ]);

  /** What runs now, in start order; a restart replaces its entry, so stop() stops the latest instance. */
  const started: RunningService[] = [];
  const parts: RestartablePart[] = [];
  const failures: unknown[] = [];
  for (const result of [temporal, azurite, jobs, live, database]) {
    if (result.status === 'rejected') failures.push(result.reason);
  }
  const startAgain: ReadonlyArray<() => Promise<RunningService>> = [starters.temporal, starters.azurite, starters.jobs, starters.live];
  [temporal, azurite, jobs, live].forEach((result, index) => {
    if (result.status !== 'fulfilled' || result.value === undefined) return;
    const slot = started.push(result.value) - 1;
    const start = startAgain[index] as () => Promise<RunningService>;
    parts.push({
      name: result.value.name,
      current: () => (started[slot] as RunningService).process,
      restart: async () => {
        const service = await start();
        started[slot] = service;
        return service.process;
      },
    });
  });
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
  const l = live.status === 'fulfilled' ? live.value : undefined;

  const env: StackEnv = {
    TEMPORAL_ADDRESS: given.temporal ?? t?.address ?? '',
    AZURE_STORAGE_CONNECTION_STRING: given.azurite ?? a?.connectionString ?? '',
    DATABRICKS_HOST: given.jobs ?? j?.host ?? '',
    DATABRICKS_TOKEN: token,
    DATABASE_URL: databaseUrl,
    LIVE_WORKER_ADDRESSES: given.live ?? l?.address ?? '',
    RUN_EVENTS_ADDRESS: runEvents.address,
    RUN_EVENTS_SECRET: runEvents.secret,
    DATABRICKS_RUN_EVENTS_DESTINATION_ID: runEvents.destinationId,
    // Two runs on one machine (a developer's and CI's) must not add up each other's sign-ups per IP.
    ...(mode === 'test' ? { RATE_LIMIT_PREFIX: `voyce:rl:test-${process.pid}-${Date.now().toString(36)}:` } : {}),
  };
  const endpoints: StackEndpoint[] = [
    { name: 'Temporal', address: env.TEMPORAL_ADDRESS, source: t ? 'started' : 'env', logFile: t?.process.logFile },
    ...(t?.uiUrl ? [{ name: 'Temporal UI', address: t.uiUrl, source: 'started' as const }] : []),
    { name: 'Azurite (blob)', address: a?.blobEndpoint ?? blobEndpointOf(env.AZURE_STORAGE_CONNECTION_STRING), source: a ? 'started' : 'env', logFile: a?.process.logFile },
    { name: 'Jobs runtime', address: env.DATABRICKS_HOST, source: j ? 'started' : 'env', logFile: j?.process.logFile },
    { name: 'Live worker', address: env.LIVE_WORKER_ADDRESSES, source: l ? 'started' : 'env', logFile: l?.process.logFile },
    { name: 'PostgreSQL', address: redact(databaseUrl), source: 'system' },
  ];

  let stopping: Promise<void> | undefined;
  return {
    env,
    endpoints,
    processes: started.map((s) => s.process),
    parts,
    dataDir,
    stop: () => (stopping ??= cleanup()),
  };
}

async function choosePorts(
  mode: StackMode,
  overrides: Partial<StackPorts>,
  given: { temporal: string | undefined; azurite: string | undefined; jobs: string | undefined; live: string | undefined },
): Promise<StackPorts> {
  if (mode === 'test') {
    const [temporal, temporalUi, azurite, jobsRuntime, liveWorker, runEvents] = await findFreePorts(6);
    if (temporal === undefined || temporalUi === undefined || azurite === undefined || jobsRuntime === undefined || liveWorker === undefined || runEvents === undefined) {
      throw new StackError('could not allocate free ports');
    }
    return { temporal, temporalUi, azurite, jobsRuntime, liveWorker, runEvents, ...overrides };
  }
  const ports: StackPorts = { ...DEV_PORTS, ...overrides };
  // Fixed ports: check up front so the message says what to do, instead of a bind error in a log.
  const checks: Array<[string, number, string, boolean]> = [
    ['Temporal', ports.temporal, `To use the server already there, set TEMPORAL_ADDRESS=${LOCAL_HOST}:${ports.temporal}.`, given.temporal === undefined],
    ['Temporal UI', ports.temporalUi, 'Stop whatever listens there (another `temporal server start-dev`?).', given.temporal === undefined],
    ['Azurite', ports.azurite, 'To use the Azurite already there, set AZURE_STORAGE_CONNECTION_STRING.', given.azurite === undefined],
    ['Jobs runtime', ports.jobsRuntime, `To use the runtime already there, set DATABRICKS_HOST=http://${LOCAL_HOST}:${ports.jobsRuntime} and DATABRICKS_TOKEN.`, given.jobs === undefined],
    ['Live worker', ports.liveWorker, `To use the worker already there, set LIVE_WORKER_ADDRESSES=${LOCAL_HOST}:${ports.liveWorker}.`, given.live === undefined],
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
