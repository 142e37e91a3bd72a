import type { FilePart } from '../api/client';

/** Where a recording is on its way to the server. */
export type QueueState = 'waiting' | 'uploading' | 'sent' | 'failed';

/** One recording kept on the device until the server has it. Its id is also the upload's Idempotency-Key. */
export interface QueueItem {
  id: string;
  createdAt: string;
  fileName: string;
  mimeType: string;
  durationMs: number | null;
  title?: string;
  category?: string;
  /** ISO 639-1 named by the person; absent: the server detects it. */
  language?: string;
  /** The organisation picked when it was recorded (sent with every retry); absent: the personal one. */
  orgId?: string;
  /** The account that recorded it: only that account sends it (another person signing in on the device does not). */
  ownerId?: string;
  state: QueueState;
  attempts: number;
  /** Epoch ms before which no new attempt is made (backoff). */
  nextAttemptAt: number;
  lastError?: string;
  submissionId?: string;
}

/** The audio as the recorder or the file picker handed it over. */
export interface AudioInput {
  /** A file:// or blob: URI. */
  uri: string;
  fileName: string;
  mimeType: string;
  durationMs: number | null;
  /** On the web the picker hands a File: stored as is, no need to read the URI again. */
  blob?: Blob;
}

/**
 * Durable storage of the queue: the item and its audio bytes are written together before any upload is
 * tried, and survive an app restart. IndexedDB on the web, SQLite plus the document directory on phones.
 */
export interface QueueStore {
  list(): Promise<QueueItem[]>;
  add(item: QueueItem, audio: AudioInput): Promise<void>;
  update(id: string, patch: Partial<QueueItem>): Promise<void>;
  /** What to put in the upload's `audio` part. */
  audioPart(id: string): Promise<FilePart>;
  /** A URI the player can open (listen back before it is sent). */
  audioUri(id: string): Promise<string | null>;
  /** Forgets the item and frees its audio. */
  remove(id: string): Promise<void>;
}
