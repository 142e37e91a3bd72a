import { create } from 'zustand';
import { ApiError, messageOf } from '../api/client';
import { uploadSubmission } from '../api/upload';
import type { Submission } from '../api/types';
import { listOutbox, putOutboxItem, removeOutboxItem, type OutboxItem } from '../offline/outbox';
import { useSession } from './session';

interface OutboxState {
  items: OutboxItem[];
  flushing: boolean;
  /** Re-reads what is waiting for the signed-in user. */
  load(): Promise<void>;
  /** Sends everything waiting (oldest first); stops at the first network failure. Returns what was accepted. */
  flush(): Promise<Submission[]>;
}

/** A failure worth keeping the recording for: no answer, or the server's own trouble. */
export const isRetryable = (err: unknown) => err instanceof ApiError && (err.isNetwork || err.status >= 500 || err.status === 429 || err.status === 401);

export const useOutbox = create<OutboxState>((set, get) => ({
  items: [],
  flushing: false,
  async load() {
    const user = useSession.getState().user;
    set({ items: user ? await listOutbox(user.id) : [] });
  },
  async flush() {
    if (get().flushing) return [];
    set({ flushing: true });
    const sent: Submission[] = [];
    try {
      await get().load();
      for (const item of get().items) {
        try {
          sent.push(await uploadSubmission({ audio: item.audio, filename: item.filename, fields: item.fields, idempotencyKey: item.id }));
          await removeOutboxItem(item.id);
        } catch (err) {
          if (isRetryable(err)) break;
          // The server refused this recording for good (bad audio, too large): keep it visible with the reason.
          await putOutboxItem({ ...item, lastError: messageOf(err) });
        }
      }
    } finally {
      await get().load();
      set({ flushing: false });
    }
    return sent;
  },
}));

/** Sends waiting recordings whenever the browser comes back online (and once at start). */
export function startOutboxSync(): () => void {
  const flush = () => {
    if (useSession.getState().user) void useOutbox.getState().flush();
  };
  window.addEventListener('online', flush);
  flush();
  return () => window.removeEventListener('online', flush);
}
