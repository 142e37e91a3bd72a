import * as SecureStore from 'expo-secure-store';
import type { KeyValue } from './keyValue';

/** The keychain (iOS) / keystore-backed storage (Android): tokens never sit in plain files. */
export function createSystemKeyValue(): KeyValue {
  return {
    get: (key) => SecureStore.getItemAsync(key),
    set: (key, value) => (value === null ? SecureStore.deleteItemAsync(key) : SecureStore.setItemAsync(key, value)),
  };
}
