import type { Redis } from 'ioredis';
import type { Logger, SubmissionEventHub } from '@voyce/core';

/**
 * Short-lived Redis cache of analytics answers, shared by API replicas. Keys embed a generation number per
 * scope (one user, and everyone); when a submission completes, every replica hears it (PostgreSQL NOTIFY)
 * and bumps both generations, so a finished submission shows up at once rather than after the expiry.
 */
export function createAnalyticsCache(redis: Redis | null, ttlSeconds: number, logger: Logger, prefix = 'voyce:analytics:') {
  const enabled = redis !== null && ttlSeconds > 0;
  const generationKey = (scope: string) => `${prefix}gen:${scope}`;
  // Single flight per replica: concurrent misses of one key share one computation instead of each running the
  // same heavy query (50 dashboards at once after an invalidation would otherwise all hit PostgreSQL).
  const inFlight = new Map<string, Promise<unknown>>();

  async function generation(scope: string): Promise<string> {
    return (await redis!.get(generationKey(scope))) ?? '0';
  }

  return {
    /** Returns the cached answer for (scope, question), computing and storing it on a miss. Fails open. */
    async get<T>(scope: { userId?: string }, question: string, compute: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
      if (!enabled) return { value: await compute(), cached: false };
      let key: string | null = null;
      try {
        const scopeName = scope.userId ? `user:${scope.userId}` : 'all';
        // An everyone-scoped answer changes when anyone's submission completes; a user's when theirs does.
        const gen = await generation(scopeName);
        key = `${prefix}${scopeName}:${gen}:${question}`;
        const hit = await redis!.get(key);
        if (hit !== null) return { value: JSON.parse(hit) as T, cached: true };
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'analytics cache unavailable; answering uncached');
      }
      if (key === null) return { value: await compute(), cached: false };
      const storeKey = key;
      let flight = inFlight.get(storeKey) as Promise<T> | undefined;
      if (!flight) {
        flight = (async () => {
          const value = await compute();
          await redis!.set(storeKey, JSON.stringify(value), 'EX', ttlSeconds).catch(() => undefined);
          return value;
        })();
        inFlight.set(storeKey, flight);
        void flight.finally(() => inFlight.delete(storeKey)).catch(() => undefined);
      }
      return { value: await flight, cached: false };
    },

    /** Bumps the generations a completed submission affects. */
    async invalidate(userId: string | null): Promise<void> {
      if (!enabled) return;
      const multi = redis!.multi().incr(generationKey('all'));
      if (userId) multi.incr(generationKey(`user:${userId}`));
      await multi.exec();
    },

    /** Invalidates on every completion any API replica hears about. */
    async watch(hub: SubmissionEventHub): Promise<() => void> {
      if (!enabled) return () => undefined;
      return hub.subscribeAll((e) => {
        if (e.status === 'completed' || e.status === 'deleted') void this.invalidate(e.userId ?? null).catch(() => undefined);
      });
    },
  };
}

export type AnalyticsCache = ReturnType<typeof createAnalyticsCache>;
