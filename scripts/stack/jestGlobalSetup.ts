/**
 * jest globalSetup of the integration project: start the real local stack in 'test' mode (random
 * ports, temp data; services already given by env are reused) and make sure `voyce_test` exists.
 */
import { startInfrastructure, type Infrastructure } from './index';
import { DEFAULT_TEST_DATABASE_URL } from './postgres';
import { writeTestStackFile } from './testEnv';
import { dropStaleRunDatabases, perRunDatabaseUrl } from './testDatabase';

/** globalSetup and globalTeardown run in the same process and share globalThis. */
export interface StackGlobal {
  __VOYCE_STACK__?: Infrastructure | undefined;
  __VOYCE_STACK_SIGNALS__?: (() => void) | undefined;
  /** The per-run database, dropped at teardown. */
  __VOYCE_TEST_DB__?: string | undefined;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Jest has no teardown on Ctrl-C or a CI timeout's SIGTERM, and our children live in their own
 * process groups (the terminal's SIGINT does not reach them): stop them ourselves, then exit.
 */
function stopOnSignals(stack: Infrastructure): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
    const giveUp = new Promise<void>((resolve) => setTimeout(resolve, 8_000).unref());
    void Promise.race([stack.stop(), giveUp]).finally(() => process.exit(code));
  };
  for (const signal of SIGNALS) process.once(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  // Never the dev DATABASE_URL: integration tests truncate tables.
  const baseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const databaseUrl = perRunDatabaseUrl(baseUrl);
  const stack = await startInfrastructure({ mode: 'test', databaseUrl });
  await dropStaleRunDatabases(baseUrl).catch(() => []);
  (globalThis as StackGlobal).__VOYCE_TEST_DB__ = databaseUrl;
  (globalThis as StackGlobal).__VOYCE_STACK__ = stack;
  (globalThis as StackGlobal).__VOYCE_STACK_SIGNALS__ = stopOnSignals(stack);
  Object.assign(process.env, stack.env);
  writeTestStackFile({ env: stack.env, ownerPid: process.pid, dataDir: stack.dataDir, startedAt: new Date().toISOString() });
  const summary = stack.endpoints.map((e) => `${e.name}=${e.address}${e.source === 'env' ? ' (given)' : ''}`).join(', ');
  process.stdout.write(`\n[stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary}\n`);
}
