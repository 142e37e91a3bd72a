import type { KeyValue } from './keyValue';

/** localStorage in the browser (the web build is a convenience; phones keep tokens in the keychain). */
export function createSystemKeyValue(): KeyValue {
  return {
    get: async (key) => localStorage.getItem(key),
    set: async (key, value) => (value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value)),
  };
}
