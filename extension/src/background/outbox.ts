import { SignedOutError } from '../shared/api';
import { isRetryable, retryDelayMs } from '@voyce/api-client';

/** A recording waiting to reach the server. It keeps its Idempotency-Key across retries, so it arrives once. */
export interface OutboxItem {
  localId: string;
  idempotencyKey: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** `orgId` is the organisation picked when it was recorded: a later change of the picker does not move it. */
  fields: { title?: string; category?: string; language?: string; orgId?: string; context?: string };
  audio: Blob;
  filename: string;
  screenshot?: Blob;
}

/** What the popup shows about a recent sending (chrome.storage.local `recent`, newest first). */
export interface RecentEntry {
  localId: string;
  createdAt: number;
  title?: string;
  state: 'queued' | 'sending' | 'retrying' | 'waiting_for_sign_in' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt?: number;
  error?: string;
  submissionId?: string;
  status?: string;
  preview?: string;
  /** The transcript's language (ISO 639-1), once transcribed. */
  language?: string;
}

export interface OutboxDeps {
  items: { all(): Promise<OutboxItem[]>; put(item: OutboxItem): Promise<void>; delete(localId: string): Promise<void> };
  upload(form: FormData, idempotencyKey: string): Promise<{ id: string; status: string }>;
  report(localId: string, patch: Partial<RecentEntry>): Promise<void>;
  /** Wakes the outbox again at `at` (a timer while the worker lives, an alarm in case it sleeps). */
  wakeAt(at: number): void;
  onSent(localId: string, submissionId: string): void;
  now?: () => number;
  random?: () => number;
}

/** Errors after which the same request may succeed later; anything else the server refused for good. */
export function isTransient(err: unknown): boolean {
  return isRetryable(err) || err instanceof TypeError; // TypeError: fetch's own network failures
}

export function formOf(item: OutboxItem): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(item.fields)) if (v) form.append(k, v);
  if (item.screenshot) form.append('screenshot', item.screenshot, item.screenshot.type === 'image/png' ? 'screenshot.png' : 'screenshot.jpg');
  form.append('audio', item.audio, item.filename);
  return form;
}

/** Sends what is due, one item at a time; retries transient failures with backoff and keeps the rest. */
export function createOutbox(deps: OutboxDeps) {
  const now = deps.now ?? Date.now;
  // Flushes run one after another: two at once could send the same item twice in parallel.
  let chain: Promise<void> = Promise.resolve();

  async function sendOne(item: OutboxItem): Promise<void> {
    await deps.report(item.localId, { state: 'sending', attempts: item.attempts + 1 });
    try {
      const sub = await deps.upload(formOf(item), item.idempotencyKey);
      await deps.items.delete(item.localId);
      await deps.report(item.localId, { state: 'sent', submissionId: sub.id, status: sub.status, attempts: item.attempts + 1, error: undefined, nextAttemptAt: undefined });
      deps.onSent(item.localId, sub.id);
    } catch (err) {
      const attempts = item.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof SignedOutError) {
        // Kept as it is; signing in again sends it.
        await deps.items.put({ ...item, attempts, nextAttemptAt: Number.MAX_SAFE_INTEGER });
        await deps.report(item.localId, { state: 'waiting_for_sign_in', attempts, error: message });
      } else if (isTransient(err)) {
        const nextAttemptAt = now() + retryDelayMs(attempts, { random: deps.random ?? Math.random });
        await deps.items.put({ ...item, attempts, nextAttemptAt });
        await deps.report(item.localId, { state: 'retrying', attempts, nextAttemptAt, error: message });
      } else {
        await deps.items.delete(item.localId);
        await deps.report(item.localId, { state: 'failed', attempts, error: message, nextAttemptAt: undefined });
      }
    }
  }

  async function flushOnce(force: boolean): Promise<void> {
    const items = (await deps.items.all()).sort((a, b) => a.createdAt - b.createdAt);
    for (const item of items) {
      if (force || item.nextAttemptAt <= now()) await sendOne(force ? { ...item, nextAttemptAt: now() } : item);
    }
    const next = (await deps.items.all()).map((i) => i.nextAttemptAt).filter((t) => t < Number.MAX_SAFE_INTEGER);
    if (next.length) deps.wakeAt(Math.min(...next));
  }

  return {
    async enqueue(item: OutboxItem): Promise<void> {
      await deps.items.put(item);
      await deps.report(item.localId, { state: 'queued', attempts: 0 });
      await this.flush();
    },
    /** Sends what is due (or everything, when `force`: after sign-in, coming online, "retry now"). */
    flush(force = false): Promise<void> {
      const run = chain.then(() => flushOnce(force));
      chain = run.catch(() => undefined);
      return run;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
