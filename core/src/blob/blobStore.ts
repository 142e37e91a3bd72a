import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobSASPermissions, BlobServiceClient, RestError, type StorageRetryOptions } from '@azure/storage-blob';

export interface BlobStoreOptions {
  connectionString: string;
  stagingContainer: string;
  audioContainer: string;
  /** The SDK's retries (default: 4 tries, 4 s doubling); the API keeps them short so an outage answers 503 quickly. */
  retryOptions?: StorageRetryOptions;
}

export interface StoredBlob {
  name: string;
  sizeBytes: number;
  sha256: string;
}

const isStatus = (err: unknown, status: number): boolean => err instanceof RestError && err.statusCode === status;

/** Azure Blob Storage (Azurite locally): staging uploads, permanent audio, and short-lived read-only SAS URLs. */
export function createBlobStore(opts: BlobStoreOptions) {
  const service = BlobServiceClient.fromConnectionString(opts.connectionString, opts.retryOptions ? { retryOptions: opts.retryOptions } : undefined);
  const staging = service.getContainerClient(opts.stagingContainer);
  const audio = service.getContainerClient(opts.audioContainer);
  const containerOf = (kind: 'staging' | 'audio') => (kind === 'staging' ? staging : audio);

  return {
    containers: { staging: opts.stagingContainer, audio: opts.audioContainer },

    /** Creates the containers if missing; private access only. */
    async ensureContainers(): Promise<void> {
      await staging.createIfNotExists();
      await audio.createIfNotExists();
    },

    /** Answers whether the storage account is reachable (used by /ready). */
    async ping(): Promise<void> {
      await staging.getProperties();
    },

    /** Streams `body` into a staging blob without buffering it whole; returns bytes written. */
    async uploadStaging(name: string, body: Readable, contentType: string): Promise<void> {
      await staging.getBlockBlobClient(name).uploadStream(body, 4 * 1024 * 1024, 4, {
        blobHTTPHeaders: { blobContentType: contentType },
      });
    },

    /**
     * Streams a screenshot into the audio container beside its submission's audio. Conditional (If-None-Match: *):
     * a blob name is written once, so nothing stored is ever silently replaced.
     */
    async uploadScreenshot(name: string, body: Readable, metadata: Record<string, string>): Promise<void> {
      await audio.getBlockBlobClient(name).uploadStream(body, 1024 * 1024, 2, {
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        conditions: { ifNoneMatch: '*' },
        metadata,
      });
    },

    /** Sets a blob's Content-Type once its bytes have been judged (they arrive before the type is known). */
    async setContentType(kind: 'staging' | 'audio', name: string, contentType: string): Promise<void> {
      await containerOf(kind).getBlobClient(name).setHTTPHeaders({ blobContentType: contentType });
    },

    async delete(kind: 'staging' | 'audio', name: string): Promise<void> {
      await containerOf(kind).getBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' });
    },

    async exists(kind: 'staging' | 'audio', name: string): Promise<boolean> {
      return containerOf(kind).getBlobClient(name).exists();
    },

    async sizeOf(kind: 'staging' | 'audio', name: string): Promise<number | null> {
      try {
        const props = await containerOf(kind).getBlobClient(name).getProperties();
        return props.contentLength ?? 0;
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },

    /** The first `bytes` bytes of a blob (a ranged read), for header checks. */
    async readHead(kind: 'staging' | 'audio', name: string, bytes: number): Promise<Buffer> {
      return containerOf(kind).getBlobClient(name).downloadToBuffer(0, bytes);
    },

    /** Streams a blob to a local file (backups). */
    async downloadToFile(kind: 'staging' | 'audio', name: string, file: string): Promise<void> {
      await containerOf(kind).getBlobClient(name).downloadToFile(file);
    },

    /** Uploads a local file as a blob with its checksum in metadata (restores). */
    async uploadFile(kind: 'staging' | 'audio', name: string, file: string, metadata: Record<string, string>): Promise<void> {
      await containerOf(kind).getBlockBlobClient(name).uploadFile(file, { metadata });
    },

    /**
     * A read-only URL valid for `ttlSeconds`: what the jobs and the probe read, never the account key.
     * `contentType` makes the storage answer with that type whatever the blob's own header says.
     */
    async readUrl(kind: 'staging' | 'audio', name: string, ttlSeconds: number, opts: { contentType?: string } = {}): Promise<string> {
      const startsOn = new Date(Date.now() - 60_000); // tolerate small clock skew between hosts
      return containerOf(kind)
        .getBlobClient(name)
        .generateSasUrl({
          permissions: BlobSASPermissions.parse('r'),
          startsOn,
          expiresOn: new Date(Date.now() + ttlSeconds * 1000),
          ...(opts.contentType ? { contentType: opts.contentType } : {}),
        });
    },

    /** SHA-256 of a blob's content, streamed. */
    async sha256(kind: 'staging' | 'audio', name: string): Promise<string> {
      const res = await containerOf(kind).getBlobClient(name).download();
      const hash = createHash('sha256');
      for await (const chunk of res.readableStreamBody as AsyncIterable<Buffer>) hash.update(chunk);
      return hash.digest('hex');
    },

    /**
     * Copies a staging blob to its permanent name, once: the write is conditional (If-None-Match: *), so a retry
     * after a crash finds the existing copy and checks its checksum instead of writing twice.
     */
    async promote(stagingName: string, audioName: string, meta: { sha256: string; contentType: string; metadata: Record<string, string> }): Promise<StoredBlob> {
      const dest = audio.getBlockBlobClient(audioName);
      const existing = await this.describePermanent(audioName);
      if (existing) {
        if (existing.sha256 !== meta.sha256) throw new Error(`permanent blob ${audioName} exists with a different checksum`);
        return existing;
      }
      const sourceUrl = await this.readUrl('staging', stagingName, 600);
      try {
        const poller = await dest.beginCopyFromURL(sourceUrl, {
          conditions: { ifNoneMatch: '*' },
          metadata: { ...meta.metadata, sha256: meta.sha256 },
        });
        await poller.pollUntilDone();
        await dest.setHTTPHeaders({ blobContentType: meta.contentType });
      } catch (err) {
        if (!isStatus(err, 409) && !isStatus(err, 412)) throw err;
      }
      const stored = await this.describePermanent(audioName);
      if (!stored || stored.sha256 !== meta.sha256) throw new Error(`copy of ${stagingName} to ${audioName} did not complete`);
      return stored;
    },

    async describePermanent(audioName: string): Promise<StoredBlob | null> {
      try {
        const props = await audio.getBlobClient(audioName).getProperties();
        if (props.copyStatus && props.copyStatus !== 'success') return null;
        return { name: audioName, sizeBytes: props.contentLength ?? 0, sha256: props.metadata?.sha256 ?? '' };
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
