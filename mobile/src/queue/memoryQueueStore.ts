import type { FilePart } from '../api/client';
import type { AudioInput, QueueItem, QueueStore } from './types';

/** A QueueStore in memory: for tests (share one instance between two queues to simulate an app restart). */
export class MemoryQueueStore implements QueueStore {
  readonly items = new Map<string, QueueItem>();
  readonly audio = new Map<string, AudioInput>();

  async list(): Promise<QueueItem[]> {
    return [...this.items.values()].map((i) => ({ ...i })).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  async add(item: QueueItem, audio: AudioInput): Promise<void> {
    this.items.set(item.id, { ...item });
    this.audio.set(item.id, audio);
  }
  async update(id: string, patch: Partial<QueueItem>): Promise<void> {
    const item = this.items.get(id);
    if (item) this.items.set(id, { ...item, ...patch });
  }
  async audioPart(id: string): Promise<FilePart> {
    const a = this.audio.get(id);
    if (!a) throw new Error(`no audio for ${id}`);
    return a.blob ?? { uri: a.uri, name: a.fileName, type: a.mimeType };
  }
  async audioUri(id: string): Promise<string | null> {
    return this.audio.get(id)?.uri ?? null;
  }
  async remove(id: string): Promise<void> {
    this.items.delete(id);
    this.audio.delete(id);
  }
}
