import { Directory, File, Paths } from 'expo-file-system';
import * as SQLite from 'expo-sqlite';
import type { FilePart } from '../api/client';
import type { AudioInput, QueueItem, QueueStore } from './types';

/**
 * The queue on a phone: metadata in SQLite (one JSON row per item, written in one statement) and the
 * audio copied into the app's document directory, which the system does not clear like the cache.
 */
export function createSystemQueueStore(): QueueStore {
  const dir = new Directory(Paths.document, 'voyce-queue');
  const ready = (async () => {
    if (!dir.exists) dir.create({ intermediates: true });
    const db = await SQLite.openDatabaseAsync('voyce-queue.db');
    await db.execAsync('CREATE TABLE IF NOT EXISTS queue (id TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL, item TEXT NOT NULL)');
    return db;
  })();
  const fileOf = (item: Pick<QueueItem, 'id' | 'fileName'>) => new File(dir, `${item.id}-${item.fileName.replace(/[^\w.-]/g, '_')}`);

  async function get(id: string): Promise<QueueItem | null> {
    const row = await (await ready).getFirstAsync<{ item: string }>('SELECT item FROM queue WHERE id = ?', id);
    return row ? (JSON.parse(row.item) as QueueItem) : null;
  }

  return {
    async list() {
      const rows = await (await ready).getAllAsync<{ item: string }>('SELECT item FROM queue ORDER BY created_at');
      return rows.map((r) => JSON.parse(r.item) as QueueItem);
    },
    async add(item: QueueItem, audio: AudioInput) {
      const db = await ready;
      // Audio first: a row never points at a file that is not there.
      await new File(audio.uri).copy(fileOf(item));
      await db.runAsync('INSERT INTO queue (id, created_at, item) VALUES (?, ?, ?)', item.id, item.createdAt, JSON.stringify(item));
    },
    async update(id: string, patch: Partial<QueueItem>) {
      const item = await get(id);
      if (!item) return;
      await (await ready).runAsync('UPDATE queue SET item = ? WHERE id = ?', JSON.stringify({ ...item, ...patch }), id);
    },
    async audioPart(id: string): Promise<FilePart> {
      const item = await get(id);
      if (!item) throw new Error(`queue item ${id} is gone`);
      return { uri: fileOf(item).uri, name: item.fileName, type: item.mimeType };
    },
    async audioUri(id: string) {
      const item = await get(id);
      return item ? fileOf(item).uri : null;
    },
    async remove(id: string) {
      const item = await get(id);
      if (!item) return;
      const file = fileOf(item);
      if (file.exists) file.delete();
      await (await ready).runAsync('DELETE FROM queue WHERE id = ?', id);
    },
  };
}
