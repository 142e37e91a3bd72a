import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { conflict, type Submission, unavailable } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { parseOrThrow } from '../http/validate';
import { receiveUpload } from './multipartUpload';
import { startSubmissionPipeline } from './pipelineStarter';
import { uploadFields } from './uploadFields';

export interface CreateResult {
  submission: Submission;
  /** False when an Idempotency-Key answered an earlier submission instead of creating one. */
  created: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The upload use case: stream to staging, record the submission (`pending`), start its workflow. Whatever
 * fails on the way removes what was made, so a failed upload leaves nothing behind and can simply be retried.
 */
export async function createSubmission(deps: ApiDeps, req: Request, userId: string): Promise<CreateResult> {
  const id = randomUUID();
  const key = req.header('idempotency-key');
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) throw conflict('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    const earlier = await deps.idempotency.claim(userId, key, id);
    if (earlier) {
      const submission = await deps.submissions.findById(earlier);
      if (!submission) throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      return { submission, created: false };
    }
  }

  const stagingName = `${userId}/${id}`;
  // Beside the audio's permanent name (`<user>/<id>.<ext>`), in the same container; immutable once written.
  const screenshotName = `${userId}/${id}.screenshot`;
  try {
    const upload = await receiveUpload(req, deps.blob, {
      stagingName,
      maxBytes: deps.config.UPLOAD_MAX_BYTES,
      screenshotName,
      screenshotMetadata: { submissionid: id, userid: userId },
    });
    const fields = parseOrThrow(uploadFields, upload.fields, 422);
    const submission = await deps.submissions.create({
      id,
      userId,
      title: fields.title ?? null,
      description: fields.description ?? null,
      category: fields.category ?? null,
      language: fields.language ?? null,
      context: fields.context ?? null,
      contentType: upload.contentType,
      originalFilename: upload.filename,
      sizeBytes: upload.sizeBytes,
      stagingBlob: stagingName,
      checksumSha256: upload.sha256,
      screenshot: upload.screenshot ? { blob: screenshotName, ...upload.screenshot } : null,
    });
    try {
      await startSubmissionPipeline(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, submission);
    } catch (err) {
      deps.logger.error({ err, submissionId: id }, 'could not start the submission workflow');
      await deps.submissions.deleteUnstarted(id);
      throw unavailable('pipeline_unavailable', 'The processing service is not reachable; nothing was stored. Please retry.');
    }
    return { submission, created: true };
  } catch (err) {
    await deps.blob.delete('staging', stagingName).catch(() => undefined);
    await deps.blob.delete('audio', screenshotName).catch(() => undefined);
    if (key !== undefined) await deps.idempotency.release(userId, key, id).catch(() => undefined);
    throw err;
  }
}
