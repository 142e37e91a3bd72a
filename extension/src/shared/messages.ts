/**
 * The messages between the popup, the options page, the offscreen recorder and the service worker. Every message
 * has a `type`; those for the offscreen document also carry `target: 'offscreen'`, since `runtime.sendMessage`
 * reaches every extension page and each must ignore what is not for it.
 */
import type { LiveAccess } from './api';
import type { ContextChoices } from './context';
import type { OrgsAnswer } from './orgChoice';

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'recorded' | 'error';

export interface RecorderState {
  phase: RecorderPhase;
  startedAt?: number;
  durationMs?: number;
  maxMs?: number;
  /** A DOMException name from getUserMedia (`NotAllowedError`, `NotFoundError`, …) or our own code. */
  error?: { name: string; message: string };
}

export interface SubmitRequest {
  title?: string;
  category?: string;
  /** ISO 639-1; absent: the server detects the language. */
  language?: string;
  /** The organisation picked in the popup; absent: the API's default (the personal one). */
  orgId?: string;
  include: ContextChoices;
}

/** Requests to the service worker, each with the type of its answer. */
export interface WorkerRequests {
  'recorder/start': { req: Record<string, never>; res: RecorderState };
  'recorder/stop': { req: Record<string, never>; res: RecorderState };
  'recorder/discard': { req: Record<string, never>; res: RecorderState };
  'draft/fromFile': { req: { durationMs: number | null }; res: RecorderState };
  'context/capture': { req: Record<string, never>; res: { ok: true } | { ok: false; reason: string } };
  submit: { req: SubmitRequest; res: { localId: string } };
  'auth/login': { req: { login: string; password: string }; res: { ok: true; username: string } | { ok: false; message: string } };
  /** Finishes an OpenID sign-in the options page ran (shared/oauth.ts): the one-time code and its PKCE verifier. */
  'auth/oauthCode': { req: { code: string; codeVerifier: string }; res: { ok: true; username: string } | { ok: false; message: string } };
  'auth/logout': { req: Record<string, never>; res: { ok: true } };
  'server/check': { req: Record<string, never>; res: ServerCheck };
  'outbox/retryNow': { req: Record<string, never>; res: { ok: true } };
  /** The signed-in user's organisations (null: signed out). */
  'orgs/list': { req: Record<string, never>; res: OrgsAnswer | null };
}

export type ServerCheck =
  | { reachable: true; signedIn: boolean; username?: string; maxAudioMs: number; maxUploadBytes: number; oauthProviders: string[] }
  | { reachable: false; message: string };

export type WorkerRequest = { [K in keyof WorkerRequests]: { type: K } & WorkerRequests[K]['req'] }[keyof WorkerRequests];

/** Messages from the service worker to the offscreen recorder. */
export type OffscreenCommand = { target: 'offscreen'; type: 'start'; maxMs: number; live?: LiveAccess | null } | { target: 'offscreen'; type: 'stop' };

/** Events the offscreen recorder reports (the popup listens to `level`; the worker to the rest). */
export type RecorderEvent =
  | { type: 'recorder/level'; level: number; elapsedMs: number }
  /** The live transcript while recording (the popup shows it): settled words and the unsettled tail. */
  | { type: 'recorder/live'; phase: 'connecting' | 'live' | 'unavailable'; settled: string; tail: string; reason?: string }
  | { type: 'recorder/started'; startedAt: number }
  | { type: 'recorder/stopped'; durationMs: number; bytes: number }
  | { type: 'recorder/failed'; name: string; message: string };

/** Sends a request to the service worker and answers its typed result; a worker-side error becomes a rejection. */
export async function ask<K extends keyof WorkerRequests>(type: K, req: WorkerRequests[K]['req'], runtime: Pick<typeof chrome.runtime, 'sendMessage'> = chrome.runtime): Promise<WorkerRequests[K]['res']> {
  const answer = (await runtime.sendMessage({ type, ...req })) as { ok: true; value: WorkerRequests[K]['res'] } | { ok: false; error: string } | undefined;
  if (!answer) throw new Error(`no answer to ${type}`);
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

type Handlers = { [K in keyof WorkerRequests]: (req: WorkerRequests[K]['req'], sender: chrome.runtime.MessageSender) => Promise<WorkerRequests[K]['res']> };

/**
 * Builds the worker's `runtime.onMessage` listener: known request types go to their handler and are answered
 * `{ok, value}` or `{ok: false, error}`; anything else (offscreen commands, recorder events, other pages'
 * chatter) is left alone so other listeners may answer it.
 */
export function createRequestRouter(handlers: Handlers, isOwnSender: (sender: chrome.runtime.MessageSender) => boolean) {
  return (message: unknown, sender: chrome.runtime.MessageSender, sendResponse: (answer: unknown) => void): boolean => {
    if (!message || typeof message !== 'object' || 'target' in message) return false;
    const type = (message as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) return false;
    if (!isOwnSender(sender)) {
      sendResponse({ ok: false, error: 'messages are accepted from this extension only' });
      return false;
    }
    const { type: _t, ...req } = message as { type: keyof WorkerRequests };
    const handler = handlers[type as keyof WorkerRequests] as (r: unknown, s: chrome.runtime.MessageSender) => Promise<unknown>;
    handler(req, sender).then(
      (value) => sendResponse({ ok: true, value }),
      (err: unknown) => sendResponse({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return true; // the answer comes asynchronously
  };
}
