/**
 * `npm start`: the whole Voyce stack on this machine — PostgreSQL database, Temporal, Azurite, the
 * jobs runtime, the live worker, then the API and the worker — until Ctrl-C / SIGTERM, which stops
 * everything in reverse order. A part that dies on its own is restarted with backoff (stack/supervisor.ts);
 * only a crash loop stops the stack, with the reason. Each part's state and restart count are in
 * `<data>/supervisor.json`, which the API turns into `/ready` and `/metrics`.
 *
 * Environment (besides the services'): PORT (API, default 3000), VOYCE_DATA_DIR (default .data),
 * VOYCE_STACK_PORTS=random (free ports instead of the fixed dev ones, for tests and benchmarks),
 * VOYCE_RESTART_MAX / VOYCE_RESTART_WINDOW_MS / VOYCE_RESTART_DELAY_MS (the restart policy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApi, startWorker, type AppOptions } from './stack/apps';
import { PortInUseError, StackError } from './stack/errors';
import { startInfrastructure, type Infrastructure, type StackPorts } from './stack/index';
import { DEV_DATA_DIR, LOCAL_HOST, REPO_ROOT } from './stack/paths';
import { findFreePorts, isPortInUse } from './stack/ports';
import { describeExit, sleep, type ManagedProcess } from './stack/process';
import { restartPolicyFromEnv } from './stack/restartPolicy';
import { Supervisor, type CrashLoop } from './stack/supervisor';
import { supervisorStatePath, writeSupervisorState } from './stack/supervisorState';

const started = Date.now();
let infra: Infrastructure | undefined;
let supervisor: Supervisor | undefined;
const apps: ManagedProcess[] = [];
let shutdown: Promise<never> | undefined;
let firstSignalAt = 0;

function say(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

/** Stop apps (newest first), then the infrastructure; exit with code. Runs once. */
function stopAll(code: number): Promise<never> {
  shutdown ??= (async () => {
    say('stopping…');
    await supervisor?.stop();
    for (const app of [...apps].reverse()) await app.stop();
    await infra?.stop();
    say('stopped');
    process.exit(code);
  })();
  return shutdown;
}

function onSignal(signal: NodeJS.Signals): void {
  if (shutdown) {
    // One Ctrl-C often arrives twice (terminal to the whole group, plus tsx relaying it), so only a
    // deliberate second one a moment later skips the graceful stop; the exit hook SIGKILLs the children.
    if (Date.now() - firstSignalAt < 1_500) return;
    say(`${signal} again: killing everything`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  say(`${signal} received`);
  void stopAll(0);
}

/** Only a crash loop ends the stack: say which part and why, with its last output. */
function onCrashLoop(loop: CrashLoop): void {
  if (shutdown) return;
  process.stderr.write(`[start] ${loop.reason}; stopping everything\n`);
  if (loop.recentOutput.length > 0) process.stderr.write(`--- last output of ${loop.part} ---\n${loop.recentOutput.join('\n')}\n`);
  void stopAll(1);
}

function createSupervisor(stateFile: string): Supervisor {
  const created = new Supervisor({
    policy: restartPolicyFromEnv(process.env),
    now: Date.now,
    sleep,
    log: (line) => process.stderr.write(`[start] ${line}\n`),
    describeExit,
    onChange: (parts) => writeSupervisorState(stateFile, parts),
  });
  void created.crashLoop.then(onCrashLoop);
  return created;
}

/** VOYCE_STACK_PORTS=random: free ports for every part, so a second stack (a test, a benchmark) can run beside. */
async function portOverrides(): Promise<Partial<StackPorts>> {
  const choice = process.env.VOYCE_STACK_PORTS ?? '';
  if (choice === '' || choice === 'fixed') return {};
  if (choice !== 'random') throw new StackError(`VOYCE_STACK_PORTS must be "fixed" or "random", not "${choice}"`);
  const [temporal, temporalUi, azurite, jobsRuntime, liveWorker] = await findFreePorts(5);
  return { temporal, temporalUi, azurite, jobsRuntime, liveWorker };
}

function printTable(apiPort: number, stack: Infrastructure): void {
  const webBuilt = fs.existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'));
  const rows: Array<[string, string]> = [
    ['web app', webBuilt ? `http://${LOCAL_HOST}:${apiPort}/` : 'not built: npm run build --prefix web'],
    ['mobile app', 'npm start --prefix mobile (Expo Go; the phone needs HOST=0.0.0.0: see mobile/README.md)'],
    ['API', `http://${LOCAL_HOST}:${apiPort}`],
    ...stack.endpoints.map((e): [string, string] => [e.name, e.source === 'env' ? `${e.address} (given by env)` : e.address]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, address]) => `  ${name.padEnd(width)}  ${address}`);
  process.stdout.write(
    `\nVoyce is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n${lines.join('\n')}\n` +
      `  logs: ${path.join(stack.dataDir, 'logs')}\n  supervisor state: ${supervisorStatePath(stack.dataDir)}\n` +
      '  A part that dies is restarted; Ctrl-C stops everything.\n\n',
  );
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const apiPort = Number(process.env.PORT || 3000);
  if (await isPortInUse(apiPort)) throw new PortInUseError('API', apiPort, 'Stop the other server or set PORT.');

  say('starting PostgreSQL database, Temporal, Azurite, the jobs runtime and the live worker…');
  const dataDir = process.env.VOYCE_DATA_DIR || DEV_DATA_DIR;
  infra = await startInfrastructure({ mode: 'dev', dataDir, ports: await portOverrides() });
  if (shutdown) return;
  const stateFile = supervisorStatePath(infra.dataDir);
  supervisor = createSupervisor(stateFile);
  for (const part of infra.parts) supervisor.adopt(part.name, part.current(), () => part.restart());

  // The API serves the built web app itself, so reset links and OAuth sign-ins land there unless told otherwise.
  const webAppUrl = process.env.WEB_APP_URL ?? `http://${LOCAL_HOST}:${apiPort}`;
  const options: AppOptions = {
    env: { ...process.env, WEB_APP_URL: webAppUrl, ...infra.env, VOYCE_SUPERVISOR_STATE_FILE: stateFile },
    logDir: path.join(infra.dataDir, 'logs'),
  };
  say('starting the API and the worker…');
  const starters = { api: () => startApi(apiPort, options), worker: () => startWorker(options) };
  const [api, worker] = await Promise.allSettled([starters.api(), starters.worker()]);
  for (const result of [api, worker]) {
    if (result.status === 'fulfilled') apps.push(result.value);
  }
  for (const result of [api, worker]) {
    if (result.status === 'rejected') throw result.reason;
  }
  // From here on the supervisor owns them (apps stays for a start that failed half-way).
  apps.length = 0;
  if (api.status === 'fulfilled') supervisor.adopt('api', api.value, starters.api);
  if (worker.status === 'fulfilled') supervisor.adopt('worker', worker.value, starters.worker);
  if (!shutdown) printTable(apiPort, infra);
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
