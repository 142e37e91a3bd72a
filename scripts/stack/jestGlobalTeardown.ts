/** jest globalTeardown of the integration project: stop what jestGlobalSetup started. */
import type { StackGlobal } from './jestGlobalSetup';
import { removeTestStackFile } from './testEnv';
import { dropDatabase } from './testDatabase';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as StackGlobal;
  const stack = holder.__VOYCE_STACK__;
  holder.__VOYCE_STACK__ = undefined;
  holder.__VOYCE_STACK_SIGNALS__?.();
  holder.__VOYCE_STACK_SIGNALS__ = undefined;
  removeTestStackFile();
  await stack?.stop();
  const database = holder.__VOYCE_TEST_DB__;
  holder.__VOYCE_TEST_DB__ = undefined;
  if (database) await dropDatabase(database);
}
