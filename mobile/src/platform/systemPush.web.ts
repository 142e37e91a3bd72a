import type { PushRegistrar } from './push';

/** Expo push tokens do not exist in a browser: the web build shows live status over SSE instead. */
export function createSystemPush(): PushRegistrar {
  return { supported: false, register: async () => null };
}
