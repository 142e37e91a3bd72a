import type { Redis } from 'ioredis';
import pino from 'pino';
import { createAnalyticsCache } from './analyticsCache';

/** The few Redis calls the cache makes, kept in a Map. */
function fakeRedis(): Redis {
  const data = new Map<string, string>();
  const incr = (k: string) => data.set(k, String(Number(data.get(k) ?? '0') + 1));
  return {
    get: async (k: string) => data.get(k) ?? null,
    set: async (k: string, v: string) => (data.set(k, v), 'OK'),
    multi() {
      const ops: string[] = [];
      const chain = { incr: (k: string) => (ops.push(k), chain), exec: async () => ops.map((k) => (incr(k), [null, 1])) };
      return chain;
    },
  } as unknown as Redis;
}

describe('analytics cache', () => {
  const logger = pino({ level: 'silent' });

  it('computes once for concurrent misses of one key, then answers from the cache', async () => {
    const cache = createAnalyticsCache(fakeRedis(), 30, logger);
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: 42 };
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.get({}, 'dashboard:x', compute)));
    expect(runs).toBe(1);
    expect(answers.every((a) => a.value.n === 42 && !a.cached)).toBe(true);
    expect(await cache.get({}, 'dashboard:x', compute)).toEqual({ value: { n: 42 }, cached: true });
    expect(runs).toBe(1);
  });

  it('computes afresh after an invalidation, and a failed computation is not kept', async () => {
    const cache = createAnalyticsCache(fakeRedis(), 30, logger);
    let runs = 0;
    await cache.get({ userId: 'u1' }, 'q', async () => ++runs);
    await cache.invalidate('u1');
    expect((await cache.get({ userId: 'u1' }, 'q', async () => ++runs)).value).toBe(2);
    await expect(cache.get({}, 'bad', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.get({}, 'bad', async () => 'ok')).value).toBe('ok');
  });
});
