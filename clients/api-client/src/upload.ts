import type { ApiClient } from './client';
import { apiErrorFrom, NetworkError } from './errors';
import type { ResponseJson } from './operations';

/** What `FormData.append` takes for a file: a Blob on the web, `{uri, name, type}` in React Native. */
export type FilePart = Blob | { uri: string; name: string; type: string };

/** The upload's fields (API.md, POST /api/submissions/upload); empty ones are not sent. */
export interface UploadForm {
  audio: FilePart;
  fileName: string;
  fields?: Record<string, string | undefined>;
  /** A JSON object: who sent it from where (serialised into the `context` field). */
  context?: Record<string, unknown>;
  screenshot?: { file: Blob; fileName: string };
}

export interface UploadOptions {
  /** Same key, same submission: a retry after a lost answer never creates a second one. */
  idempotencyKey: string;
  /** Fraction sent so far; where given (and XMLHttpRequest exists), the upload goes through it for progress. */
  onProgress?: (fraction: number) => void;
}

export type UploadedSubmission = ResponseJson<'post', '/api/submissions/upload'>['submission'];

export function uploadFormData(upload: UploadForm): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields ?? {})) if (value) form.append(name, value);
  if (upload.context) form.append('context', JSON.stringify(upload.context));
  if (typeof Blob !== 'undefined' && upload.audio instanceof Blob) form.append('audio', upload.audio, upload.fileName);
  else form.append('audio', upload.audio as unknown as Blob); // React Native reads {uri, name, type}
  if (upload.screenshot) form.append('screenshot', upload.screenshot.file, upload.screenshot.fileName);
  return form;
}

/**
 * POST /api/submissions/upload (multipart), authenticated like every call; the form is built anew for each
 * attempt (a 401 renews the token and sends again). Rejects with ApiError unless accepted (202).
 */
export async function uploadSubmission(client: ApiClient, form: () => FormData, opts: UploadOptions): Promise<UploadedSubmission> {
  const url = await client.url('/api/submissions/upload');
  const res = await client.authenticated((token) => {
    const headers: Record<string, string> = { accept: 'application/json', 'idempotency-key': opts.idempotencyKey };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.onProgress && typeof XMLHttpRequest !== 'undefined') return xhrPost(url, headers, form(), opts.onProgress);
    return client.transport(url, { method: 'POST', headers, body: form() });
  });
  if (res.status !== 202) throw await apiErrorFrom(res);
  return ((await res.json()) as { submission: UploadedSubmission }).submission;
}

/** fetch has no upload progress, XMLHttpRequest does; its answer is handed back as a Response. */
function xhrPost(url: string, headers: Record<string, string>, body: FormData, onProgress: (fraction: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const retryAfter = xhr.getResponseHeader('retry-after');
      resolve(new Response(xhr.responseText, { status: xhr.status, headers: retryAfter ? { 'retry-after': retryAfter } : {} }));
    };
    xhr.onerror = () => reject(new NetworkError('The connection dropped during the upload.'));
    xhr.ontimeout = xhr.onerror;
    xhr.send(body);
  });
}
