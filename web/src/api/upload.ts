import { ApiError, freshAccessToken, refreshTokens } from './client';
import { useSession } from '../stores/session';
import type { Submission } from './types';

export interface UploadRequest {
  audio: Blob;
  filename: string;
  fields: Record<string, string>;
  /** Same key, same submission: a retry after a lost answer never creates a second one. */
  idempotencyKey: string;
}

/**
 * POST /api/submissions/upload with progress (fetch has no upload progress, XMLHttpRequest does).
 * Rejects with ApiError; status 0 means the network failed and the upload may be retried with the same key.
 */
export async function uploadSubmission(req: UploadRequest, onProgress?: (fraction: number) => void): Promise<Submission> {
  let result = await send(req, onProgress);
  if (result.status === 401 && useSession.getState().user && (await refreshTokens())) result = await send(req, onProgress);
  if (result.status === 202) return (JSON.parse(result.body) as { submission: Submission }).submission;
  let code = 'upload_failed';
  let message = `The upload failed (${result.status}).`;
  try {
    const parsed = JSON.parse(result.body) as { error?: { code?: string; message?: string } };
    code = parsed.error?.code ?? code;
    message = parsed.error?.message ?? message;
  } catch {
    // not JSON
  }
  throw new ApiError(result.status, code, message);
}

async function send(req: UploadRequest, onProgress?: (fraction: number) => void): Promise<{ status: number; body: string }> {
  const token = await freshAccessToken();
  const form = new FormData();
  for (const [k, v] of Object.entries(req.fields)) if (v) form.append(k, v);
  form.append('audio', req.audio, req.filename);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/submissions/upload');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('idempotency-key', req.idempotencyKey);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The connection dropped during the upload.'));
    xhr.ontimeout = xhr.onerror;
    xhr.send(form);
  });
}
