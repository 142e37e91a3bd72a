import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError, type BlobStore } from '@voyce/core';
import { ScreenshotGate } from './screenshotGate';
import { AudioGate } from './uploadStream';

export interface ReceivedUpload {
  fields: Record<string, string>;
  filename: string | null;
  sizeBytes: number;
  contentType: string;
  sha256: string;
  /** The optional `screenshot` part, already written to `screenshotName`; null when the upload had none. */
  screenshot: { contentType: 'image/png' | 'image/jpeg'; sizeBytes: number; sha256: string } | null;
}

export interface UploadTargets {
  stagingName: string;
  maxBytes: number;
  /** Where a `screenshot` part goes (the audio container); the caller deletes it if the upload fails. */
  screenshotName: string;
  screenshotMetadata: Record<string, string>;
}

/** A multipart body as it arrives: its headers and its bytes (an Express request is one; so is a test's stream). */
export interface MultipartBody extends Readable {
  readonly headers: IncomingHttpHeaders;
}

const MAX_FIELD_BYTES = 16 * 1024;

/**
 * Streams the multipart `audio` part straight into the staging blob `stagingName` (never whole in memory), an
 * optional `screenshot` part into `screenshotName`, and collects the text fields, which may come before or after
 * the files. On an error the caller (which owns both names) deletes whatever part of the blobs was written.
 */
export async function receiveUpload(body: MultipartBody, blob: BlobStore, targets: UploadTargets): Promise<ReceivedUpload> {
  const { stagingName, maxBytes } = targets;
  const type = body.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError('multipart_required', 'Send the recording as multipart/form-data with the file in the "audio" field.', 400);
  }
  const fields: Record<string, string> = {};
  let filename: string | null = null;
  let gate: AudioGate | null = null;
  let upload: Promise<void> | null = null;
  let shotGate: ScreenshotGate | null = null;
  let shotUpload: Promise<void> | null = null;

  try {
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: body.headers, limits: { fields: 20, fieldSize: MAX_FIELD_BYTES, files: 2, parts: 30 } });
      } catch (err) {
        reject(new AppError('malformed_multipart', `The multipart body is malformed: ${(err as Error).message}.`, 400));
        return;
      }
      const fail = (err: unknown) => {
        body.unpipe(parser);
        reject(err);
      };
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) return fail(new AppError('field_too_long', `The field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`, 400));
        fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        if (name === 'screenshot' && !shotGate) {
          const screenshot = new ScreenshotGate();
          shotGate = screenshot;
          stream.on('error', (err) => screenshot.destroy(err));
          stream.pipe(screenshot);
          shotUpload = blob.uploadScreenshot(targets.screenshotName, screenshot, targets.screenshotMetadata);
          shotUpload.catch(fail);
          return;
        }
        if (name !== 'audio' || gate) {
          stream.resume(); // unknown or repeated parts are read past, never stored
          return;
        }
        filename = info.filename ?? null;
        gate = new AudioGate(maxBytes);
        stream.on('error', (err) => gate?.destroy(err));
        stream.pipe(gate);
        upload = blob.uploadStaging(stagingName, gate, 'application/octet-stream');
        upload.catch(fail);
      });
      parser.on('error', (err) => fail(new AppError('malformed_multipart', `The multipart body is malformed: ${(err as Error).message}.`, 400)));
      parser.on('partsLimit', () => fail(new AppError('too_many_parts', 'The upload has too many parts.', 400)));
      parser.on('close', () => resolve());
      body.on('aborted', () => fail(new AppError('upload_aborted', 'The upload was interrupted.', 400)));
      body.pipe(parser);
    });
    if (!gate || !upload) throw new AppError('audio_required', 'The upload has no "audio" file field.', 400);
    await Promise.all([upload, shotUpload]);
    const received = gate as AudioGate;
    const shot = shotGate as ScreenshotGate | null;
    if (shot?.contentType) await blob.setContentType('audio', targets.screenshotName, shot.contentType);
    return {
      fields,
      filename,
      sizeBytes: received.bytes,
      contentType: received.contentType,
      sha256: received.digest(),
      screenshot: shot?.contentType ? { contentType: shot.contentType, sizeBytes: shot.bytes, sha256: shot.digest() } : null,
    };
  } catch (err) {
    // Stop the other part's upload too and let it settle, so the caller's clean-up runs after any last write.
    const cause = unwrapGateError(err, [gate, shotGate]);
    for (const g of [gate as AudioGate | null, shotGate as ScreenshotGate | null]) if (g && !g.writableFinished) g.destroy(cause instanceof Error ? cause : undefined);
    await Promise.allSettled([upload, shotUpload]);
    throw cause;
  }
}

/** The blob client wraps stream errors; surface a gate's own AppError (400/413/415/422) when that is the cause. */
function unwrapGateError(err: unknown, gates: (AudioGate | ScreenshotGate | null)[]): unknown {
  if (err instanceof AppError) return err;
  for (const gate of gates) {
    const gateErr = (gate as { errored?: unknown } | null)?.errored;
    if (gateErr instanceof AppError) return gateErr;
  }
  return err;
}
