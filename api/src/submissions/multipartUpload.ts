import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, type BlobStore } from '@voyce/core';
import { AudioGate } from './uploadStream';

export interface ReceivedUpload {
  fields: Record<string, string>;
  filename: string | null;
  sizeBytes: number;
  contentType: string;
  sha256: string;
}

const MAX_FIELD_BYTES = 16 * 1024;

/**
 * Streams the multipart `audio` part straight into the staging blob `stagingName` (never whole in memory) and
 * collects the text fields, which may come before or after the file. On an error the caller (which owns the
 * staging name) deletes whatever part of the blob was written.
 */
export async function receiveUpload(req: Request, blob: BlobStore, stagingName: string, maxBytes: number): Promise<ReceivedUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError('multipart_required', 'Send the recording as multipart/form-data with the file in the "audio" field.', 400);
  }
  const fields: Record<string, string> = {};
  let filename: string | null = null;
  let gate: AudioGate | null = null;
  let upload: Promise<void> | null = null;

  try {
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: req.headers, limits: { fields: 20, fieldSize: MAX_FIELD_BYTES, files: 2, parts: 30 } });
      } catch (err) {
        reject(new AppError('malformed_multipart', `The multipart body is malformed: ${(err as Error).message}.`, 400));
        return;
      }
      const fail = (err: unknown) => {
        req.unpipe(parser);
        reject(err);
      };
      parser.on('field', (name, value, info) => {
        if (info.valueTruncated) return fail(new AppError('field_too_long', `The field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`, 400));
        fields[name] = value;
      });
      parser.on('file', (name, stream, info) => {
        if (name !== 'audio' || gate) {
          stream.resume(); // other parts (e.g. a screenshot) are handled by their own feature; never stored here
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
      req.on('aborted', () => fail(new AppError('upload_aborted', 'The upload was interrupted.', 400)));
      req.pipe(parser);
    });
    if (!gate || !upload) throw new AppError('audio_required', 'The upload has no "audio" file field.', 400);
    await upload;
    const received = gate as AudioGate;
    return { fields, filename, sizeBytes: received.bytes, contentType: received.contentType, sha256: received.digest() };
  } catch (err) {
    throw unwrapGateError(err, gate);
  }
}

/** The blob client wraps stream errors; surface the gate's own AppError (413/415/422) when that is the cause. */
function unwrapGateError(err: unknown, gate: AudioGate | null): unknown {
  if (err instanceof AppError) return err;
  const gateErr = (gate as { errored?: unknown } | null)?.errored;
  return gateErr instanceof AppError ? gateErr : err;
}
