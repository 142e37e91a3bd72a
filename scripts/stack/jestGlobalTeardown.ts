/** jest globalTeardown of the integration project: stop what jestGlobalSetup started. */
import type { StackGlobal } from './jestGlobalSetup';
import { removeTestStackFile } from './testEnv';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as StackGlobal;
  const stack = holder.__VOYCE_STACK__;
  holder.__VOYCE_STACK__ = undefined;
  holder.__VOYCE_STACK_SIGNALS__?.();
  holder.__VOYCE_STACK_SIGNALS__ = undefined;
  removeTestStackFile();
  await stack?.stop();
}
