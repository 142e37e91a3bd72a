import type { FilePart } from '../api/client';
import type { AudioInput, QueueItem, QueueStore } from './types';

const DB_NAME = 'voyce-queue';
const ITEMS = 'items';
const AUDIO = 'audio';

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/**
 * The queue in the browser: IndexedDB keeps the item and its audio Blob, written in one transaction, so
 * a reload or a closed tab loses neither (and a half-written item never appears).
 */
export function createSystemQueueStore(): QueueStore {
  const ready = new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(ITEMS, { keyPath: 'id' });
      open.result.createObjectStore(AUDIO);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });

  async function get(id: string): Promise<QueueItem | undefined> {
    const db = await ready;
    return promisify(db.transaction(ITEMS).objectStore(ITEMS).get(id) as IDBRequest<QueueItem | undefined>);
  }

  return {
    async list() {
      const db = await ready;
      const items = await promisify(db.transaction(ITEMS).objectStore(ITEMS).getAll() as IDBRequest<QueueItem[]>);
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async add(item: QueueItem, audio: AudioInput) {
      // Read the bytes before opening the transaction: IndexedDB transactions close at the first await elsewhere.
      const blob = audio.blob ?? (await (await fetch(audio.uri)).blob());
      const db = await ready;
      const tx = db.transaction([ITEMS, AUDIO], 'readwrite');
      tx.objectStore(AUDIO).put(blob, item.id);
      tx.objectStore(ITEMS).put(item);
      await done(tx);
    },
    async update(id: string, patch: Partial<QueueItem>) {
      const db = await ready;
      const tx = db.transaction(ITEMS, 'readwrite');
      const store = tx.objectStore(ITEMS);
      const item = await promisify(store.get(id) as IDBRequest<QueueItem | undefined>);
      if (item) store.put({ ...item, ...patch });
      await done(tx);
    },
    async audioPart(id: string): Promise<FilePart> {
      const db = await ready;
      const blob = await promisify(db.transaction(AUDIO).objectStore(AUDIO).get(id) as IDBRequest<Blob | undefined>);
      if (!blob) throw new Error(`queue item ${id} has no audio`);
      return blob;
    },
    async audioUri(id: string) {
      const part = await this.audioPart(id).catch(() => null);
      return part instanceof Blob ? URL.createObjectURL(part) : null;
    },
    async remove(id: string) {
      if (!(await get(id))) return;
      const db = await ready;
      const tx = db.transaction([ITEMS, AUDIO], 'readwrite');
      tx.objectStore(ITEMS).delete(id);
      tx.objectStore(AUDIO).delete(id);
      await done(tx);
    },
  };
}
