import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError, AUDIO_CONTAINERS, SNIFF_BYTES, sniffContainer, type AudioContainer } from '@voyce/core';

/**
 * Sits between the multipart file stream and the blob upload: recognises the container from the first bytes
 * and counts bytes, failing the stream the moment the limit is crossed so nothing more is stored.
 */
export class AudioGate extends Transform {
  bytes = 0;
  container: AudioContainer | null = null;
  private head = Buffer.alloc(0);
  // Hashing on the way in spares the pipeline a second read of the blob to checksum it.
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new AppError('payload_too_large', `The audio file is larger than the limit of ${formatMb(this.maxBytes)}.`, 413));
      return;
    }
    if (this.container === null && this.head.length < SNIFF_BYTES) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, SNIFF_BYTES);
      if (this.head.length >= SNIFF_BYTES) {
        const err = this.judge();
        if (err) return done(err);
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes === 0) return done(new AppError('empty_file', 'The audio file is empty.', 422));
    if (this.container === null) {
      const err = this.judge();
      if (err) return done(err);
    }
    done();
  }

  /** SHA-256 of every byte passed; call once, after the stream has finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  get contentType(): string {
    return this.container ? AUDIO_CONTAINERS[this.container].contentType : 'application/octet-stream';
  }

  private judge(): AppError | null {
    this.container = sniffContainer(this.head);
    return this.container
      ? null
      : new AppError('unsupported_media_type', 'The file is not audio in a supported format (WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC, FLAC).', 415);
  }
}

export const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;
