import Constants from 'expo-constants';
import * as Crypto from 'expo-crypto';
import { Platform } from 'react-native';
import { VoyceApi } from './api/client';
import type { AppDeps } from './deps';
import { createExpoOauthBrowser } from './platform/expoOauthBrowser';
import { useExpoPlayer } from './platform/expoPlayer';
import { useExpoRecorder } from './platform/expoRecorder';
import { pickAudioFile } from './platform/filePicker';
import { createSystemConnectivity } from './platform/systemConnectivity';
import { createSystemKeyValue } from './platform/systemKeyValue';
import { createSystemPush } from './platform/systemPush';
import { createSystemQueueStore } from './queue/systemQueueStore';
import { UploadQueue } from './queue/uploadQueue';
import { OrgChoice } from './state/orgChoice';
import { PushDevice } from './state/pushDevice';
import { SessionStore } from './state/session';

/** Where the app looks for the API until the person names another server: build-time setting, else the page's origin on the web. */
export function defaultServerUrl(): string {
  const configured = process.env.EXPO_PUBLIC_VOYCE_API_URL;
  if (configured) return configured;
  if (Platform.OS === 'web' && typeof window !== 'undefined') return window.location.origin;
  return 'http://localhost:3000';
}

/** The real dependencies: expo-audio, SQLite/IndexedDB, netinfo, expo-notifications, secure storage. */
export function createAppDeps(): AppDeps {
  const appVersion = Constants.expoConfig?.version ?? '0.0.0';
  const kv = createSystemKeyValue();
  const session = new SessionStore(kv, defaultServerUrl());
  const api = new VoyceApi(() => session.get().serverUrl, session);
  const connectivity = createSystemConnectivity();
  const queue = new UploadQueue({
    store: createSystemQueueStore(),
    uploader: api,
    connectivity,
    newId: () => Crypto.randomUUID(),
    canUpload: () => !!session.tokens(),
    owner: () => session.get().user?.id ?? null,
    context: () => ({ appVersion, device: `${Platform.OS} ${String(Platform.Version ?? '')}`.trim() }),
  });
  return {
    api,
    session,
    queue,
    connectivity,
    push: createSystemPush(),
    devices: new PushDevice({ kv, api, session, connectivity }),
    orgs: new OrgChoice({ kv, api, session }),
    useRecorder: useExpoRecorder,
    usePlayer: useExpoPlayer,
    pickAudioFile,
    oauth: createExpoOauthBrowser(),
    ...(typeof EventSource !== 'undefined' ? { createEventSource: (url: string) => new EventSource(url) } : {}),
    appVersion,
  };
}

/** Loads the session and the queue, and retries a push-device deletion left pending; the app renders once the session is known. */
export async function startAppDeps(deps: AppDeps): Promise<void> {
  await deps.session.load();
  await deps.queue.start();
  void deps.devices.start();
}
