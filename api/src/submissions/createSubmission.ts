import { randomUUID } from 'node:crypto';
import { conflict, submissionBlobs, type Submission } from '@voyce/core';
import type { ApiDeps } from '../deps';
import { parseOrThrow } from '../http/validate';
import { receiveUpload, type MultipartBody } from './multipartUpload';
import { outageOf } from './outageErrors';
import { registerSubmission } from './registerSubmission';
import { uploadFields } from './uploadFields';
import { UPLOAD_NEEDS, uploadGate } from './uploadGate';
import { uploadOrgOf } from '../orgs/uploadOrg';
import type { Principal } from '../auth/requireAuth';

export interface CreateResult {
  submission: Submission;
  /** False when an Idempotency-Key answered an earlier submission instead of creating one. */
  created: boolean;
}

/** What the upload use case reads of a request: the multipart body and the optional Idempotency-Key. */
export interface UploadInput {
  readonly body: MultipartBody;
  readonly idempotencyKey: string | undefined;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The upload use case: stream to staging, record the submission (`pending`), start its workflow. Whatever
 * fails on the way removes what was made, so a failed upload leaves nothing behind and can simply be retried.
 */
export async function createSubmission(deps: ApiDeps, input: UploadInput, me: Principal): Promise<CreateResult> {
  const userId = me.id;
  const id = randomUUID();
  const key = input.idempotencyKey;
  // A part down (a restart, an outage): 503 + Retry-After before anything is read or written.
  const gate = uploadGate(deps);
  await gate.require(UPLOAD_NEEDS);
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) throw conflict('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    const earlier = await deps.idempotency.claim(userId, key, id);
    if (earlier) {
      const submission = await deps.submissions.findById(earlier);
      if (!submission) throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      return { submission, created: false };
    }
  }

  const stagingName = submissionBlobs.staging({ userId, id });
  // Beside the audio's permanent name (`<user>/<id>.<ext>`), in the same container; immutable once written.
  const screenshotName = submissionBlobs.screenshot({ userId, id });
  try {
    const upload = await receiveUpload(input.body, deps.blob, {
      stagingName,
      maxBytes: deps.config.UPLOAD_MAX_BYTES,
      screenshotName,
      screenshotMetadata: { submissionid: id, userid: userId },
    });
    const fields = parseOrThrow(uploadFields, upload.fields, 422);
    const orgId = await uploadOrgOf(deps, me, fields.orgId);
    const submission = await registerSubmission(deps, {
      id,
      userId,
      orgId,
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
    return { submission, created: true };
  } catch (err) {
    await deps.blob.delete('staging', stagingName).catch(() => undefined);
    await deps.blob.delete('audio', screenshotName).catch(() => undefined);
    if (key !== undefined) await deps.idempotency.release(userId, key, id).catch(() => undefined);
    const part = outageOf(err);
    if (part === null) throw err;
    deps.logger.warn({ err, part }, 'upload refused: a part is down');
    gate.markDown(part, err instanceof Error ? err.message : String(err));
    throw gate.outage(part);
  }
}
