/**
 * Where a worker's waiting model-run activities learn that their job run ended. The run-events receiver calls
 * `ended(runId)` for each webhook; `runNotebook` calls `wait(runId)` right after submitting. An end that arrives
 * before anyone waits (the run was faster than the submit reply, or the activity is being retried) is kept for
 * a while (only then), so the next `wait` for that run resolves at once. Resolving is all it does: the activity still reads
 * the run's state with runs/get, so a duplicate, late or forged-but-authenticated notification changes nothing.
 */
export interface RunEndWaiter {
  wait(runId: number): RunEndSubscription;
}

export interface RunEndSubscription {
  /** Resolves when a notification says the run ended; never rejects. */
  readonly ended: Promise<void>;
  dispose(): void;
}

const KEEP_ENDED_MS = 5 * 60_000;
const KEEP_ENDED_MAX = 10_000;

export class RunEndHub implements RunEndWaiter {
  private readonly waiting = new Map<number, Set<() => void>>();
  /** Run id → when its end was heard (insertion order = age, so the oldest are pruned first). */
  private readonly recentlyEnded = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  wait(runId: number): RunEndSubscription {
    if (this.recentlyEnded.has(runId)) return { ended: Promise.resolve(), dispose: () => undefined };
    let resolve!: () => void;
    const ended = new Promise<void>((r) => (resolve = r));
    const waiters = this.waiting.get(runId) ?? new Set<() => void>();
    waiters.add(resolve);
    this.waiting.set(runId, waiters);
    return {
      ended,
      dispose: () => {
        waiters.delete(resolve);
        if (waiters.size === 0 && this.waiting.get(runId) === waiters) this.waiting.delete(runId);
      },
    };
  }

  /** A notification that run `runId` ended; returns how many waiters it woke (0: nobody here waits for it). */
  ended(runId: number): number {
    this.prune();
    const waiters = this.waiting.get(runId);
    if (!waiters) {
      // Kept only when nobody heard it: a woken waiter that listens again must not be woken by the same news.
      this.recentlyEnded.delete(runId);
      this.recentlyEnded.set(runId, this.now());
      return 0;
    }
    this.waiting.delete(runId);
    for (const resolve of waiters) resolve();
    return waiters.size;
  }

  /** Waiting activities (for /metrics and tests). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_ENDED_MS;
    for (const [runId, at] of this.recentlyEnded) {
      if (at >= cutoff && this.recentlyEnded.size < KEEP_ENDED_MAX) break;
      this.recentlyEnded.delete(runId);
    }
  }
}
