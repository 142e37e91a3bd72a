/**
 * `npm start`: the whole Voyce stack on this machine — PostgreSQL database, Temporal, Azurite, the
 * jobs runtime, then the API and the worker — until Ctrl-C / SIGTERM, which stops everything in
 * reverse order. If any process dies on its own, say which and stop the rest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApi, startWorker } from './stack/apps';
import { PortInUseError } from './stack/errors';
import { startInfrastructure, type Infrastructure } from './stack/index';
import { LOCAL_HOST, REPO_ROOT } from './stack/paths';
import { isPortInUse } from './stack/ports';
import { describeExit, type ManagedProcess } from './stack/process';

const started = Date.now();
let infra: Infrastructure | undefined;
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

/** A child ending while we are not shutting down is a failure of the whole stack. */
function supervise(child: ManagedProcess): void {
  void child.exited.then((exit) => {
    if (shutdown) return;
    process.stderr.write(`[start] ${child.name} exited unexpectedly (${describeExit(exit)}); stopping everything\n`);
    const tail = child.recentOutput(15);
    if (tail.length > 0) process.stderr.write(`--- last output of ${child.name} ---\n${tail.join('\n')}\n`);
    void stopAll(1);
  });
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
      `  logs: ${path.join(stack.dataDir, 'logs')}\n  Ctrl-C stops everything.\n\n`,
  );
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const apiPort = Number(process.env.PORT || 3000);
  if (await isPortInUse(apiPort)) throw new PortInUseError('API', apiPort, 'Stop the other server or set PORT.');

  say('starting PostgreSQL database, Temporal, Azurite and the jobs runtime…');
  infra = await startInfrastructure({ mode: 'dev' });
  if (shutdown) return;
  infra.processes.forEach(supervise);

  // The API serves the built web app itself, so reset links and OAuth sign-ins land there unless told otherwise.
  const webAppUrl = process.env.WEB_APP_URL ?? `http://${LOCAL_HOST}:${apiPort}`;
  const options = { env: { ...process.env, WEB_APP_URL: webAppUrl, ...infra.env }, logDir: path.join(infra.dataDir, 'logs') };
  say('starting the API and the worker…');
  const [api, worker] = await Promise.allSettled([startApi(apiPort, options), startWorker(options)]);
  for (const result of [api, worker]) {
    if (result.status === 'fulfilled') {
      apps.push(result.value);
      supervise(result.value);
    }
  }
  for (const result of [api, worker]) {
    if (result.status === 'rejected') throw result.reason;
  }
  if (!shutdown) printTable(apiPort, infra);
}

main().catch((error: unknown) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
