import type { ApiClient, UploadOptions } from './apiClient';

/**
 * Uploads as a well-behaved client does: a 503 must carry Retry-After, and the client waits that long before the
 * next try. Resolves with the submission id of the 202; fails on any other answer.
 */
export async function uploadHonouringRetryAfter(client: ApiClient, clip: Buffer, opts: UploadOptions = {}, maxTries = 10): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const res = await client.upload(clip, opts);
    if (res.status === 202) return res.body.submission.id as string;
    if (res.status !== 503) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (!(retryAfter > 0)) throw new Error(`503 without a usable Retry-After (${res.headers.get('retry-after')})`);
    if (attempt >= maxTries) throw new Error(`still 503 after ${attempt} uploads: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
  }
}
