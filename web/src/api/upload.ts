import { uploadFormData, uploadSubmission as upload } from '@voyce/api-client';
import { client } from './client';
import type { Submission } from './types';

export interface UploadRequest {
  audio: Blob;
  filename: string;
  fields: Record<string, string>;
  /** Same key, same submission: a retry after a lost answer never creates a second one. */
  idempotencyKey: string;
}

/**
 * POST /api/submissions/upload with progress. Rejects with ApiError; status 0 means the network failed and the
 * upload may be retried with the same key.
 */
export async function uploadSubmission(req: UploadRequest, onProgress?: (fraction: number) => void): Promise<Submission> {
  const form = () => uploadFormData({ audio: req.audio, fileName: req.filename, fields: req.fields });
  return (await upload(client, form, { idempotencyKey: req.idempotencyKey, ...(onProgress ? { onProgress } : {}) })) as unknown as Submission;
}
