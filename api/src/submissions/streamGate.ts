import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { AppError } from '@voyce/core';

/** What a gate enforces on one uploaded file: its size limit, how it is recognised, and the errors it answers. */
export interface StreamGateRules<Kind> {
  readonly maxBytes: number;
  /** How many leading bytes `sniff` needs to decide. */
  readonly sniffBytes: number;
  /** The file's kind from its first bytes (never from the declared type or name); null = not accepted. */
  sniff(head: Buffer): Kind | null;
  tooLarge(maxBytes: number): AppError;
  empty(): AppError;
  unsupported(): AppError;
}

/**
 * Sits between a multipart file stream and its blob upload: recognises the file by its first bytes, counts bytes
 * and hashes them on the way (sparing the pipeline a second read to checksum), and fails the stream the moment a
 * rule is broken, so nothing more of a refused file is stored. Audio and screenshots are two sets of rules.
 */
export class StreamGate<Kind> extends Transform {
  bytes = 0;
  kind: Kind | null = null;
  private head = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(private readonly rules: StreamGateRules<Kind>) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.rules.maxBytes) return done(this.rules.tooLarge(this.rules.maxBytes));
    if (this.kind === null && this.head.length < this.rules.sniffBytes) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, this.rules.sniffBytes);
      if (this.head.length >= this.rules.sniffBytes) {
        const err = this.judge();
        if (err) return done(err);
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes === 0) return done(this.rules.empty());
    if (this.kind === null) {
      const err = this.judge();
      if (err) return done(err);
    }
    done();
  }

  /** SHA-256 of every byte passed; call once, after the stream has finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  private judge(): AppError | null {
    this.kind = this.rules.sniff(this.head);
    return this.kind === null ? this.rules.unsupported() : null;
  }
}

export const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;
