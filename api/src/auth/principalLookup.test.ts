import { cachePrincipals, type PrincipalLookup } from './principalLookup';

const user = (id: string, disabled = false) => ({ id, role: 'user' as const, disabled, sessionsRevokedAt: null });

function countingStore() {
  const rows = new Map([['u1', user('u1')]]);
  let reads = 0;
  const lookup: PrincipalLookup = {
    async findById(id) {
      reads++;
      return rows.get(id) ?? null;
    },
  };
  return { rows, lookup, reads: () => reads };
}

describe('cachePrincipals', () => {
  it('answers repeated lookups from memory while the change feed is live', async () => {
    const store = countingStore();
    const cache = cachePrincipals(store.lookup, { isLive: () => true });
    await cache.findById('u1');
    await cache.findById('u1');
    expect(store.reads()).toBe(1);
    expect(cache.size()).toBe(1);
  });

  it('sees a change at once when its notification drops the entry', async () => {
    const store = countingStore();
    const cache = cachePrincipals(store.lookup, { isLive: () => true });
    expect((await cache.findById('u1'))?.disabled).toBe(false);
    store.rows.set('u1', user('u1', true));
    cache.invalidate('u1');
    expect((await cache.findById('u1'))?.disabled).toBe(true);
  });

  it('caches nothing and reads every time while the feed is down', async () => {
    const store = countingStore();
    const cache = cachePrincipals(store.lookup, { isLive: () => false });
    await cache.findById('u1');
    await cache.findById('u1');
    expect(store.reads()).toBe(2);
    expect(cache.size()).toBe(0);
  });

  it('does not keep an answer read while a change arrived (it may be old)', async () => {
    const rows = new Map([['u1', user('u1')]]);
    let release!: () => void;
    const slow: PrincipalLookup = {
      findById: (id) => new Promise((resolve) => { release = () => resolve(rows.get(id) ?? null); }),
    };
    const cache = cachePrincipals(slow, { isLive: () => true });
    const pending = cache.findById('u1');
    cache.invalidate('u1');
    release();
    await pending;
    expect(cache.size()).toBe(0);
  });

  it('expires entries after the ttl and bounds its size', async () => {
    const store = countingStore();
    store.rows.set('u2', user('u2'));
    const cache = cachePrincipals(store.lookup, { isLive: () => true }, 0, 1);
    await cache.findById('u1');
    await cache.findById('u1');
    expect(store.reads()).toBe(2);
    await cache.findById('u2');
    expect(cache.size()).toBe(1);
  });
});
