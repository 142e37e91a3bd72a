import { retryDelayMs } from './backoff';
import type { ApiClient } from './client';

/** The minimal EventSource this needs (the browser's, or a polyfill's). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (msg: MessageEvent<string>) => void): void;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}

export interface FollowOptions<E> {
  /** Called with each event's parsed JSON; return true when it is the last one (the stream is closed). */
  onEvent: (event: E) => boolean | void;
  /** The event name of the stream (`status` for a submission's). */
  event?: string;
  createEventSource?: (url: string) => EventSourceLike;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Follows a Server-Sent Events stream of the API (`?access_token=`, since EventSource sends no headers) until
 * `onEvent` says it was the last event; reconnects with backoff (and a renewed token after a second drop) when
 * it drops before that. Returns the function that stops following.
 */
export function followEvents<E>(client: ApiClient, path: string, opts: FollowOptions<E>): () => void {
  const { event = 'status', createEventSource = (url) => new EventSource(url) as unknown as EventSourceLike } = opts;
  const setTimer = opts.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let source: EventSourceLike | null = null;
  let stopped = false;
  let timer: unknown;
  let failures = 0;

  const connect = async () => {
    const token = await client.accessToken().catch(() => null);
    if (stopped || !token) return;
    const sep = path.includes('?') ? '&' : '?';
    source = createEventSource(await client.url(`${path}${sep}access_token=${encodeURIComponent(token)}`));
    source.addEventListener(event, (msg) => {
      failures = 0;
      if (opts.onEvent(JSON.parse(msg.data) as E) === true) stop();
    });
    source.onerror = () => {
      // The server closes the stream after the last event; anything else is a drop: reconnect, backing off.
      source?.close();
      if (stopped) return;
      failures += 1;
      timer = setTimer(() => {
        void (failures > 1 ? client.refresh() : Promise.resolve()).then(connect);
      }, retryDelayMs(failures, { baseMs: 1000, maxMs: 15_000 }));
    };
  };
  const stop = () => {
    stopped = true;
    clearTimer(timer);
    source?.close();
  };
  void connect();
  return stop;
}
