import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { VoyceApi } from './api/client';
import type { Connectivity } from './platform/connectivity';
import type { PickAudioFile } from './platform/filePicker';
import type { OauthBrowser } from './platform/oauthBrowser';
import type { UsePlayer } from './platform/player';
import type { PushRegistrar } from './platform/push';
import type { UseRecorder } from './platform/recorder';
import type { UploadQueue } from './queue/uploadQueue';
import type { OrgChoice, OrgChoiceState } from './state/orgChoice';
import type { PushDevice } from './state/pushDevice';
import type { SessionState, SessionStore } from './state/session';

/** Everything the screens talk to, behind the app's own interfaces: tests hand in fakes through the same door. */
export interface AppDeps {
  api: VoyceApi;
  session: SessionStore;
  queue: UploadQueue;
  connectivity: Connectivity;
  push: PushRegistrar;
  /** This app's registration in /api/devices: kept to delete it when notifications are turned off or on sign-out. */
  devices: PushDevice;
  /** The organisation new recordings go into, remembered per account. */
  orgs: OrgChoice;
  useRecorder: UseRecorder;
  usePlayer: UsePlayer;
  pickAudioFile: PickAudioFile;
  /** The system's sign-in browser, for OpenID sign-in through the server. */
  oauth: OauthBrowser;
  /** EventSource where the platform has one (the web); screens poll otherwise. */
  createEventSource?: (url: string) => EventSource;
  appVersion: string;
}

const DepsContext = createContext<AppDeps | null>(null);

export function DepsProvider({ deps, children }: { deps: AppDeps; children: ReactNode }) {
  return <DepsContext.Provider value={deps}>{children}</DepsContext.Provider>;
}

export function useDeps(): AppDeps {
  const deps = useContext(DepsContext);
  if (!deps) throw new Error('useDeps outside DepsProvider');
  return deps;
}

export function useSession(): SessionState {
  const { session } = useDeps();
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

/** The queue items of the signed-in account. */
export function useQueueItems() {
  const { queue } = useDeps();
  const items = useSyncExternalStore(
    (cb) => queue.subscribe(cb),
    () => queue.items(),
    () => queue.items(),
  );
  useSession(); // re-filter when the account changes
  return items.filter((i) => queue.isMine(i));
}

/** The organisations and the current choice of the record screen. */
export function useOrgChoice(): OrgChoiceState {
  const { orgs } = useDeps();
  return useSyncExternalStore(orgs.subscribe, orgs.get, orgs.get);
}

export function useOnline(): boolean {
  const { connectivity } = useDeps();
  return useSyncExternalStore(
    (cb) => connectivity.subscribe(cb),
    () => connectivity.isOnline(),
    () => connectivity.isOnline(),
  );
}
