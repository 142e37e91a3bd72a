import { act } from '@testing-library/react-native';
import { useState } from 'react';
import { VoyceApi } from '../api/client';
import type { Submission } from '../api/types';
import type { AppDeps } from '../deps';
import { FakeConnectivity } from '../platform/connectivity';
import { MemoryKeyValue } from '../platform/keyValue';
import type { OauthBrowser } from '../platform/oauthBrowser';
import type { Player } from '../platform/player';
import type { PushRegistrar } from '../platform/push';
import type { Recorder, RecorderState } from '../platform/recorder';
import { MemoryQueueStore } from '../queue/memoryQueueStore';
import type { AudioInput } from '../queue/types';
import { UploadQueue } from '../queue/uploadQueue';
import { OrgChoice } from '../state/orgChoice';
import { PushDevice } from '../state/pushDevice';
import { SessionStore } from '../state/session';

/** A scripted HTTP server: routes by "METHOD /path" (query stripped), records every request. */
export class FakeServer {
  readonly requests: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = [];
  readonly routes = new Map<string, (req: { body: unknown; headers: Record<string, string> }) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>>();
  offline = false;

  on(route: string, handler: (req: { body: unknown; headers: Record<string, string> }) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>): this {
    this.routes.set(route, handler);
    return this;
  }

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body;
    this.requests.push({ method, path: url.pathname + url.search, headers, body });
    if (this.offline) throw new TypeError('Network request failed');
    const handler = this.routes.get(`${method} ${url.pathname}`);
    const res = handler ? await handler({ body, headers }) : { status: 404, body: { error: { code: 'not_found', message: 'Not found.' } } };
    return new Response(res.body === undefined ? null : JSON.stringify(res.body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
}

export function submission(over: Partial<Submission> = {}): Submission {
  return { id: 'sub-1', status: 'pending', title: 'Hello', description: null, category: null, createdAt: '2026-11-27T10:00:00.000Z', durationMs: 2500, ...over };
}

export const clip = (name = 'clip.wav'): AudioInput => ({ uri: `file:///tmp/${name}`, fileName: name, mimeType: 'audio/wav', durationMs: 1500 });

/** A Recorder the test drives: permission, level and duration are plain fields. */
export class FakeRecorderControl {
  permission = true;
  state: RecorderState = { isRecording: false, durationMs: 0, level: 0 };
  calls: string[] = [];
  rerender: (() => void) | null = null;

  /** The hook the app calls (deps.useRecorder): it re-renders on tick(). */
  use = fakeRecorderHook(this);

  /** Moves the recording on (as the native status updates would). */
  tick(durationMs: number, level: number): void {
    this.state = { ...this.state, durationMs, level };
    act(() => this.rerender?.());
  }
}

function fakeRecorderHook(control: FakeRecorderControl): () => Recorder {
  return function useFakeRecorder(): Recorder {
    const [, setTick] = useState(0);
    control.rerender = () => setTick((t) => t + 1);
    return {
      state: control.state,
      requestPermission: async () => control.permission,
      start: async () => {
        control.calls.push('start');
        control.state = { ...control.state, isRecording: true };
      },
      pause: () => {
        control.calls.push('pause');
        control.state = { ...control.state, isRecording: false };
      },
      resume: () => {
        control.calls.push('resume');
        control.state = { ...control.state, isRecording: true };
      },
      stop: async () => {
        control.calls.push('stop');
        control.state = { ...control.state, isRecording: false };
        return { uri: 'file:///rec.m4a', fileName: 'recording.m4a', mimeType: 'audio/mp4', durationMs: control.state.durationMs };
      },
    };
  };
}

export function fakePlayer(positionMs = 0): { use: (uri: string | null) => Player; seeks: number[]; uris: (string | null)[] } {
  const seeks: number[] = [];
  const uris: (string | null)[] = [];
  return {
    seeks,
    uris,
    use: (uri) => {
      uris.push(uri);
      return { state: { playing: positionMs > 0, positionMs, durationMs: 5000 }, play: () => undefined, pause: () => undefined, seekTo: (ms) => seeks.push(ms) };
    },
  };
}

/** The verifier and S256 challenge of RFC 7636 appendix B: the fake's fixed PKCE pair. */
export const RFC7636 = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

/** A sign-in browser the test scripts: `answer` gets the start URL and says where the sign-in ended (null: closed). */
export class FakeOauthBrowser implements OauthBrowser {
  supported = true;
  readonly opened: string[] = [];
  answer: (startUrl: string) => string | null = () => null;
  redirectUri = () => 'voyce://oauth';
  open = async (url: string) => {
    this.opened.push(url);
    return this.answer(url);
  };
  pkce = async () => RFC7636;
  randomState = () => 'state-1';
}

export interface TestDeps extends AppDeps {
  server: FakeServer;
  store: MemoryQueueStore;
  kv: MemoryKeyValue;
  net: FakeConnectivity;
  recorder: FakeRecorderControl;
  pushed: { registered: number };
  oauth: FakeOauthBrowser;
}

const started: UploadQueue[] = [];
const startedDevices: PushDevice[] = [];
/** Stops every queue a test made (their backoff timers would keep jest alive), and their connectivity listeners. */
export function stopAllQueues(): void {
  for (const q of started.splice(0)) q.stop();
  for (const d of startedDevices.splice(0)) d.stop();
}

/** Real session, API client and queue over fakes of every platform interface and of the server. */
export function createTestDeps(opts: { signedIn?: boolean; online?: boolean; push?: PushRegistrar; player?: ReturnType<typeof fakePlayer>; pick?: AudioInput | null } = {}): TestDeps {
  const server = new FakeServer();
  const kv = new MemoryKeyValue();
  const store = new MemoryQueueStore();
  const net = new FakeConnectivity(opts.online ?? true);
  const session = new SessionStore(kv, 'http://api.test');
  const api = new VoyceApi(() => session.get().serverUrl, session, server.fetch);
  let n = 0;
  const queue = new UploadQueue({ store, uploader: api, connectivity: net, newId: () => `key-${++n}`, canUpload: () => !!session.tokens(), owner: () => session.get().user?.id ?? null, baseBackoffMs: 10 });
  started.push(queue);
  const devices = new PushDevice({ kv, api, session, connectivity: net });
  startedDevices.push(devices);
  const recorder = new FakeRecorderControl();
  const pushed = { registered: 0 };
  if (opts.signedIn ?? true) {
    session.setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    session.setUser({ id: 'u1', email: 'ada@example.test', username: 'ada', role: 'user' });
  }
  return {
    server,
    kv,
    store,
    net,
    recorder,
    pushed,
    api,
    session,
    queue,
    connectivity: net,
    push: opts.push ?? { supported: false, register: async () => null },
    devices,
    orgs: new OrgChoice({ kv, api, session }),
    useRecorder: recorder.use,
    usePlayer: (opts.player ?? fakePlayer()).use,
    pickAudioFile: async () => (opts.pick === undefined ? clip('picked.wav') : opts.pick),
    oauth: new FakeOauthBrowser(),
    appVersion: '0.1.0-test',
  };
}
