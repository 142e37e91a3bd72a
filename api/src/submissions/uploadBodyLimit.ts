import type { IncomingMessage } from 'node:http';
import { AppError, type Config } from '@voyce/core';
import { declaredLength } from '../http/declaredLength';
import { SCREENSHOT_MAX_BYTES } from './screenshotGate';

/** Room for the multipart framing and the text fields (20 fields of at most 16 kB) around the two files. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export const UPLOAD_PATH = '/api/submissions/upload';

/** The largest whole upload body that can hold an audio file and a screenshot within their limits. */
export function uploadBodyLimit(config: Pick<Config, 'UPLOAD_MAX_BYTES'>): number {
  return config.UPLOAD_MAX_BYTES + SCREENSHOT_MAX_BYTES + MULTIPART_OVERHEAD_BYTES;
}

export function tooLarge(config: Pick<Config, 'UPLOAD_MAX_BYTES'>): AppError {
  return new AppError('payload_too_large', `The upload is larger than the limit of ${Math.round(config.UPLOAD_MAX_BYTES / (1024 * 1024))} MB.`, 413);
}

/** Refuses, before a byte of the body is read, an upload whose `Content-Length` is already past the limit. */
export function refuseDeclaredOversize(req: IncomingMessage, config: Pick<Config, 'UPLOAD_MAX_BYTES'>): void {
  const length = declaredLength(req);
  if (length !== null && length > uploadBodyLimit(config)) throw tooLarge(config);
}
