import { AppError, type ScreenshotContentType } from '@voyce/core';
import { formatMb, StreamGate } from './streamGate';

/** The screenshot limit of API.md: a visible-tab capture is well under a megabyte; 5 MB leaves room for 4K screens. */
export const SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** Recognises a PNG or JPEG by its magic number; the declared type and file name are never trusted. */
export function sniffImage(head: Buffer): ScreenshotContentType | null {
  if (head.length >= PNG_SIGNATURE.length && head.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  if (head.length >= JPEG_SIGNATURE.length && head.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
  return null;
}

/** The `screenshot` part of an upload: a PNG or JPEG by its first bytes, within SCREENSHOT_MAX_BYTES. */
export class ScreenshotGate extends StreamGate<ScreenshotContentType> {
  constructor(maxBytes: number = SCREENSHOT_MAX_BYTES) {
    super({
      maxBytes,
      sniffBytes: PNG_SIGNATURE.length,
      sniff: sniffImage,
      tooLarge: (max) => new AppError('screenshot_too_large', `The screenshot is larger than the limit of ${formatMb(max)}.`, 413),
      empty: () => new AppError('empty_screenshot', 'The screenshot is empty.', 400),
      unsupported: () => new AppError('unsupported_screenshot_type', 'The screenshot is not a PNG or JPEG image.', 415),
    });
  }

  get contentType(): ScreenshotContentType | null {
    return this.kind;
  }
}
