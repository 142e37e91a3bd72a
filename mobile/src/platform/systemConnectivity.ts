import NetInfo from '@react-native-community/netinfo';
import type { Connectivity } from './connectivity';

/** Connectivity from netinfo (phones): online when connected and the internet is not known to be unreachable. */
export function createSystemConnectivity(): Connectivity {
  let online = true;
  const listeners = new Set<(online: boolean) => void>();
  NetInfo.addEventListener((state) => {
    const next = state.isConnected !== false && state.isInternetReachable !== false;
    if (next === online) return;
    online = next;
    for (const l of listeners) l(online);
  });
  return {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
