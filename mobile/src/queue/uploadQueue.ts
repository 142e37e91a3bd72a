import { retryDelayMs } from '@voyce/api-client';
import { ApiError, type FilePart, type UploadFields } from '../api/client';
import type { Submission } from '../api/types';
import type { Connectivity } from '../platform/connectivity';
import type { AudioInput, QueueItem, QueueStore } from './types';

/** The one API call the queue needs (VoyceApi.upload has this shape). */
export interface Uploader {
  upload(audio: FilePart, fileName: string, fields: UploadFields, idempotencyKey: string): Promise<Submission>;
}

export interface UploadQueueOptions {
  store: QueueStore;
  uploader: Uploader;
  connectivity: Connectivity;
  newId: () => string;
  now?: () => number;
  /** First retry delay; doubles per attempt up to maxBackoffMs, with ±20 % jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Extra fields sent with every upload (the `context` of the client). */
  context?: () => Record<string, unknown>;
  /** Whether uploads may be tried now (signed in). */
  canUpload?: () => boolean;
  /** The signed-in account's id: new items belong to it, and only its items are sent. */
  owner?: () => string | null;
}

/** Answers that no retry can fix: the recording itself or its fields are refused. */
const PERMANENT = new Set([400, 413, 415, 422]);

/**
 * The offline-first upload queue. A recording is written to the store before anything is sent; a flush
 * sends every due item, one at a time, with its id as `Idempotency-Key`, so an upload whose answer was
 * lost is answered with the same submission when it is sent again. Flushes run when connectivity comes
 * back, when an item is added, at start, and when a backoff expires.
 */
export class UploadQueue {
  private readonly listeners = new Set<(items: QueueItem[]) => void>();
  private snapshot: QueueItem[] = [];
  private flushing: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: UploadQueueOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Loads the stored items, picks up any upload cut short by a restart, and starts listening for connectivity. */
  async start(): Promise<void> {
    for (const item of await this.opts.store.list()) {
      // An upload in flight when the app died may or may not have reached the server: the key makes a resend safe.
      if (item.state === 'uploading') await this.opts.store.update(item.id, { state: 'waiting', nextAttemptAt: 0 });
    }
    await this.refresh();
    this.unsubscribe = this.opts.connectivity.subscribe((online) => {
      if (online) void this.flush();
    });
    void this.flush();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  items(): QueueItem[] {
    return this.snapshot;
  }

  /** Whether the signed-in account may see and send this item. */
  isMine(item: QueueItem): boolean {
    return !item.ownerId || item.ownerId === (this.opts.owner?.() ?? null);
  }

  subscribe(listener: (items: QueueItem[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Saves a recording to the device, then tries to send it. Resolves once it is stored (not sent). */
  async enqueue(audio: AudioInput, meta: { title?: string; category?: string; language?: string; orgId?: string } = {}): Promise<QueueItem> {
    const ownerId = this.opts.owner?.() ?? null;
    const item: QueueItem = {
      id: this.opts.newId(),
      ...(ownerId ? { ownerId } : {}),
      createdAt: new Date(this.now()).toISOString(),
      fileName: audio.fileName,
      mimeType: audio.mimeType,
      durationMs: audio.durationMs,
      ...(meta.title ? { title: meta.title } : {}),
      ...(meta.category ? { category: meta.category } : {}),
      ...(meta.language ? { language: meta.language } : {}),
      ...(meta.orgId ? { orgId: meta.orgId } : {}),
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
    };
    await this.opts.store.add(item, audio);
    await this.refresh();
    void this.flush();
    return item;
  }

  /** Sends a failed item again (after the person fixed what was wrong, e.g. signed in again). */
  async retry(id: string): Promise<void> {
    await this.opts.store.update(id, { state: 'waiting', nextAttemptAt: 0, lastError: undefined });
    await this.refresh();
    void this.flush();
  }

  /** Removes a sent or failed item and its audio from the device. */
  async discard(id: string): Promise<void> {
    await this.opts.store.remove(id);
    await this.refresh();
  }

  /** Sends every due item; concurrent calls share one run (and trigger one more pass if items arrived meanwhile). */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.again = false;
          await this.sendDue();
        } while (this.again);
      } finally {
        this.flushing = null;
        await this.scheduleNext();
      }
    })();
    return this.flushing;
  }

  private async sendDue(): Promise<void> {
    if (this.opts.canUpload && !this.opts.canUpload()) return;
    for (const item of await this.opts.store.list()) {
      if (item.state !== 'waiting' || item.nextAttemptAt > this.now() || !this.isMine(item)) continue;
      if (!this.opts.connectivity.isOnline()) return;
      await this.send(item);
    }
  }

  private async send(item: QueueItem): Promise<void> {
    const { store, uploader } = this.opts;
    await store.update(item.id, { state: 'uploading', attempts: item.attempts + 1 });
    await this.refresh();
    try {
      const audio = await store.audioPart(item.id);
      const context = { client: 'mobile', ...this.opts.context?.() };
      const submission = await uploader.upload(audio, item.fileName, { title: item.title, category: item.category, language: item.language, ...(item.orgId ? { orgId: item.orgId } : {}), context }, item.id);
      // The server has it (and would answer this key with the same submission): free the device's copy.
      await store.update(item.id, { state: 'sent', submissionId: submission.id, lastError: undefined });
      await store.remove(item.id);
    } catch (err) {
      const attempts = item.attempts + 1;
      if (err instanceof ApiError && PERMANENT.has(err.status)) {
        await store.update(item.id, { state: 'failed', lastError: err.message });
      } else {
        const retryAfterMs = err instanceof ApiError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
        const delay = Math.max(retryAfterMs, retryDelayMs(attempts, { baseMs: this.opts.baseBackoffMs, maxMs: this.opts.maxBackoffMs }));
        await store.update(item.id, { state: 'waiting', nextAttemptAt: this.now() + delay, lastError: err instanceof Error ? err.message : String(err) });
      }
    }
    await this.refresh();
  }

  private async scheduleNext(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.unsubscribe) return; // stopped, or never started: no timers
    const due = this.snapshot.filter((i) => i.state === 'waiting' && this.isMine(i)).map((i) => i.nextAttemptAt);
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - this.now());
    this.timer = setTimeout(() => void this.flush(), Math.max(wait, 250));
  }

  private async refresh(): Promise<void> {
    this.snapshot = await this.opts.store.list();
    for (const l of this.listeners) l(this.snapshot);
  }
}
