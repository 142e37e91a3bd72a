import { ApiError, NetworkError, type FilePart, type UploadFields } from '../api/client';
import type { Submission } from '../api/types';
import { FakeConnectivity } from '../platform/connectivity';
import { clip } from '../testing/fakes';
import { MemoryQueueStore } from './memoryQueueStore';
import { UploadQueue, type Uploader } from './uploadQueue';

/** A server that keeps submissions by Idempotency-Key, as the real API does, and can fail on cue. */
class KeyedServer implements Uploader {
  readonly calls: { key: string; fileName: string; fields: UploadFields; audio: FilePart }[] = [];
  readonly byKey = new Map<string, Submission>();
  failures: Error[] = [];
  /** Stores the upload but loses the answer (the connection drops after the server committed). */
  loseNextAnswer = false;

  async upload(audio: FilePart, fileName: string, fields: UploadFields, key: string): Promise<Submission> {
    this.calls.push({ key, fileName, fields, audio });
    const failure = this.failures.shift();
    if (failure) throw failure;
    const sub = this.byKey.get(key) ?? { id: `sub-${this.byKey.size + 1}`, status: 'pending', title: fields.title ?? null, description: null, category: null, createdAt: '', durationMs: null };
    this.byKey.set(key, sub);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new NetworkError('network unreachable: connection reset');
    }
    return sub;
  }
}

function setup(online = true, store = new MemoryQueueStore()) {
  const server = new KeyedServer();
  const net = new FakeConnectivity(online);
  let now = 1_000_000;
  let n = 0;
  const queue = new UploadQueue({ store, uploader: server, connectivity: net, newId: () => `key-${++n}`, now: () => now, baseBackoffMs: 1000, maxBackoffMs: 8000 });
  return { server, net, store, queue, advance: (ms: number) => (now += ms) };
}

describe('UploadQueue', () => {
  it('stores the recording before it tries to send, and keeps it while offline', async () => {
    const { server, store, queue } = setup(false);
    await queue.start();
    const item = await queue.enqueue(clip(), { title: 'Checkout is slow' });
    await queue.flush();
    expect(server.calls).toHaveLength(0);
    expect(store.items.get(item.id)).toMatchObject({ state: 'waiting', title: 'Checkout is slow', attempts: 0 });
    expect(store.audio.get(item.id)?.uri).toBe('file:///tmp/clip.wav');
    queue.stop();
  });

  it('sends once when connectivity returns, with the item id as Idempotency-Key and the mobile context', async () => {
    const { server, net, store, queue } = setup(false);
    await queue.start();
    const item = await queue.enqueue(clip(), { title: 'T' });
    net.set(true);
    await queue.flush();
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]).toMatchObject({ key: item.id, fileName: 'clip.wav', fields: { title: 'T', context: { client: 'mobile' } } });
    expect(server.calls[0]!.audio).toEqual({ uri: 'file:///tmp/clip.wav', name: 'clip.wav', type: 'audio/wav' });
    // Sent: the device's copy is freed, and further flushes send nothing.
    expect(store.items.size).toBe(0);
    await queue.flush();
    expect(server.calls).toHaveLength(1);
    queue.stop();
  });

  it('survives a restart: a new queue over the same store sends what the old one kept', async () => {
    const store = new MemoryQueueStore();
    const first = setup(false, store);
    await first.queue.start();
    await first.queue.enqueue(clip('a.wav'));
    await first.queue.enqueue(clip('b.wav'));
    first.queue.stop();

    const second = setup(true, store);
    await second.queue.start();
    await second.queue.flush();
    expect(second.server.calls.map((c) => c.fileName)).toEqual(['a.wav', 'b.wav']);
    expect(store.items.size).toBe(0);
    second.queue.stop();
  });

  it('resends an upload cut short by a crash with the same key, so the server answers the first submission', async () => {
    const store = new MemoryQueueStore();
    const first = setup(true, store);
    first.server.loseNextAnswer = true;
    await first.queue.start();
    const item = await first.queue.enqueue(clip());
    await first.queue.flush();
    // The server has it, the app does not know: still waiting, with a backoff.
    expect(first.server.byKey.size).toBe(1);
    expect(store.items.get(item.id)).toMatchObject({ state: 'waiting', attempts: 1 });
    expect(store.items.get(item.id)!.lastError).toMatch(/network/);
    first.advance(60_000);
    await first.queue.flush();
    expect(first.server.calls.map((c) => c.key)).toEqual([item.id, item.id]);
    expect(first.server.byKey.size).toBe(1);
    expect(store.items.size).toBe(0);
    first.queue.stop();
  });

  it('picks up an item left "uploading" by a killed app', async () => {
    const store = new MemoryQueueStore();
    await store.add({ id: 'k1', createdAt: '2026-11-27T10:00:00Z', fileName: 'x.wav', mimeType: 'audio/wav', durationMs: null, state: 'uploading', attempts: 1, nextAttemptAt: 0 }, clip('x.wav'));
    const { server, queue } = setup(true, store);
    await queue.start();
    await queue.flush();
    expect(server.calls.map((c) => c.key)).toEqual(['k1']);
    queue.stop();
  });

  it('backs off exponentially on transient errors and honours Retry-After', async () => {
    const { server, store, queue, advance } = setup(true);
    server.failures = [new ApiError(503, 'unavailable', 'down'), new ApiError(500, 'internal', 'boom'), new ApiError(429, 'rate_limited', 'slow down', undefined, 30)];
    await queue.start();
    const item = await queue.enqueue(clip());
    await queue.flush();
    const after1 = store.items.get(item.id)!;
    expect(after1.nextAttemptAt - 1_000_000).toBeGreaterThanOrEqual(800);
    expect(after1.nextAttemptAt - 1_000_000).toBeLessThanOrEqual(1200);

    await queue.flush(); // not due yet: nothing sent
    expect(server.calls).toHaveLength(1);

    advance(1200);
    await queue.flush();
    const after2 = store.items.get(item.id)!;
    expect(after2.attempts).toBe(2);
    expect(after2.nextAttemptAt - (1_000_000 + 1200)).toBeGreaterThanOrEqual(1600); // doubled

    advance(2400);
    await queue.flush();
    expect(store.items.get(item.id)!.nextAttemptAt - (1_000_000 + 3600)).toBeGreaterThanOrEqual(30_000); // Retry-After wins

    advance(30_000);
    await queue.flush();
    expect(server.calls).toHaveLength(4);
    expect(new Set(server.calls.map((c) => c.key))).toEqual(new Set([item.id]));
    expect(store.items.size).toBe(0);
    queue.stop();
  });

  it('marks a recording the server refuses as failed and does not retry it', async () => {
    const { server, store, queue, advance } = setup(true);
    server.failures = [new ApiError(422, 'too_short', 'The recording is too short.')];
    await queue.start();
    const item = await queue.enqueue(clip());
    await queue.flush();
    advance(3_600_000);
    await queue.flush();
    expect(server.calls).toHaveLength(1);
    expect(store.items.get(item.id)).toMatchObject({ state: 'failed', lastError: 'The recording is too short.' });
    await queue.retry(item.id);
    await queue.flush();
    expect(server.calls).toHaveLength(2);
    queue.stop();
  });

  it('never sends the same item twice from concurrent flushes', async () => {
    const { server, queue } = setup(true);
    await queue.start();
    await queue.enqueue(clip());
    await Promise.all([queue.flush(), queue.flush(), queue.flush()]);
    expect(server.calls).toHaveLength(1);
    queue.stop();
  });

  it("sends an item only while the account that recorded it is signed in", async () => {
    const server = new KeyedServer();
    let owner: string | null = 'ada';
    const net = new FakeConnectivity(false);
    const queue = new UploadQueue({ store: new MemoryQueueStore(), uploader: server, connectivity: net, newId: () => 'k1', owner: () => owner });
    await queue.start();
    const item = await queue.enqueue(clip());
    expect(item.ownerId).toBe('ada');
    owner = 'bob';
    expect(queue.isMine(item)).toBe(false);
    net.set(true);
    await queue.flush();
    expect(server.calls).toHaveLength(0);
    owner = 'ada';
    await queue.flush();
    expect(server.calls.map((c) => c.key)).toEqual(['k1']);
    queue.stop();
  });

  it('tells subscribers each state change', async () => {
    const { net, queue } = setup(false);
    await queue.start();
    const seen: string[] = [];
    queue.subscribe((items) => seen.push(items.map((i) => i.state).join(',') || 'empty'));
    await queue.enqueue(clip());
    net.set(true);
    await queue.flush();
    expect(seen).toEqual(['waiting', 'uploading', 'empty']);
    queue.stop();
  });
});
