/**
 * Recordings waiting to be sent, in IndexedDB: a recording is written here before its upload starts and
 * removed only once the API has accepted it, so neither a dropped network nor a closed tab loses it.
 */
export interface OutboxItem {
  /** Also the upload's Idempotency-Key. */
  id: string;
  userId: string;
  audio: Blob;
  filename: string;
  fields: Record<string, string>;
  createdAt: string;
  lastError?: string;
}

const DB_NAME = 'voyce';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export const putOutboxItem = (item: OutboxItem) => run('readwrite', (s) => s.put(item)).then(() => undefined);
export const removeOutboxItem = (id: string) => run('readwrite', (s) => s.delete(id)).then(() => undefined);
export const listOutbox = async (userId: string): Promise<OutboxItem[]> =>
  (await run<OutboxItem[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>)).filter((i) => i.userId === userId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
