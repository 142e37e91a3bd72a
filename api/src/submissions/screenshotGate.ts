import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError, type ScreenshotContentType } from '@voyce/core';
import { formatMb } from './uploadStream';

/** The screenshot limit of API.md: a visible-tab capture is well under a megabyte; 5 MB leaves room for 4K screens. */
export const SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const SNIFF = PNG_SIGNATURE.length;

/** Recognises a PNG or JPEG by its magic number; the declared type and file name are never trusted. */
export function sniffImage(head: Buffer): ScreenshotContentType | null {
  if (head.length >= PNG_SIGNATURE.length && head.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  if (head.length >= JPEG_SIGNATURE.length && head.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return null;
}

/**
 * Sits between the multipart `screenshot` part and its blob upload: judges the image by its first bytes and
 * fails the stream the moment the size limit is crossed, so a bad screenshot never finishes being stored.
 */
export class ScreenshotGate extends Transform {
  bytes = 0;
  contentType: ScreenshotContentType | null = null;
  private head = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number = SCREENSHOT_MAX_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new AppError('screenshot_too_large', `The screenshot is larger than the limit of ${formatMb(this.maxBytes)}.`, 413));
      return;
    }
    if (this.contentType === null && this.head.length < SNIFF) {
      this.head = Buffer.concat([this.head, chunk]).subarray(0, SNIFF);
      if (this.head.length >= SNIFF) {
        const err = this.judge();
        if (err) return done(err);
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes === 0) return done(new AppError('empty_screenshot', 'The screenshot is empty.', 400));
    if (this.contentType === null) {
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
    this.contentType = sniffImage(this.head);
    return this.contentType ? null : new AppError('unsupported_screenshot_type', 'The screenshot is not a PNG or JPEG image.', 415);
  }
}
