jest.setTimeout(300_000);

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { backup, createBlobStore, createDb, restore } from '@voyce/core';
import { databaseName, ensureDatabase, withDatabase } from '../../scripts/stack/postgres';
import { dropDatabase } from '../../scripts/stack/testDatabase';
import { ApiClient } from '../support/apiClient';
import { startApi, startApiWithWorker, type RunningApi } from '../support/services';
import { speak } from '../support/speech';

/** Screenshots sent with a submission: judged by their bytes, stored beside the audio, served signed, deleted and backed up with it. */
let api: RunningApi;
let c: ApiClient;
let userId: string;
let clip: Buffer;
const imageDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-shots-'));
const restoredDb = withDatabase(process.env.DATABASE_URL ?? '', `${databaseName(process.env.DATABASE_URL ?? 'x/x')}_shots_restored`);

/** A real image made by ffmpeg (so its bytes are what a browser capture produces, not a hand-made header). */
function image(format: 'png' | 'jpg', size = '64x48'): Buffer {
  const file = path.join(imageDir, `shot-${size}.${format}`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', file]);
  return readFileSync(file);
}

async function uploadWith(parts: { audio?: Buffer; screenshot?: Buffer; screenshotFirst?: boolean; screenshotName?: string; idempotencyKey?: string; fields?: Record<string, string> }) {
  const form = new FormData();
  const addShot = () => parts.screenshot && form.append('screenshot', new Blob([parts.screenshot], { type: 'image/png' }), parts.screenshotName ?? 'page.png');
  for (const [k, v] of Object.entries(parts.fields ?? {})) form.append(k, v);
  if (parts.screenshotFirst) addShot();
  if (parts.audio) form.append('audio', new Blob([parts.audio]), 'clip.wav');
  if (!parts.screenshotFirst) addShot();
  const res = await fetch(`${api.url}/api/submissions/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, ...(parts.idempotencyKey ? { 'idempotency-key': parts.idempotencyKey } : {}) },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function blobsOfUser(): Promise<string[]> {
  const service = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING ?? '');
  const names: string[] = [];
  for (const container of [api.deps.config.BLOB_STAGING_CONTAINER, api.deps.config.BLOB_AUDIO_CONTAINER]) {
    for await (const b of service.getContainerClient(container).listBlobsFlat({ prefix: `${userId}/` })) names.push(`${container}/${b.name}`);
  }
  return names.sort();
}

const submissionsOfUser = async () => (await c.json('GET', '/api/submissions?limit=100')).body.items as { id: string }[];

async function fetchScreenshot(id: string, token = c.token): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const redirect = await fetch(`${api.url}/api/submissions/${id}/screenshot`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  if (redirect.status !== 302) return { status: redirect.status, type: null, bytes: Buffer.alloc(0) };
  const res = await fetch(redirect.headers.get('location') ?? '');
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  api = await startApiWithWorker();
  c = new ApiClient(api.url);
  userId = (await c.registerFresh()).id;
  clip = speak('The save button on this page does nothing.', 'wav');
}, 180_000);

afterAll(async () => {
  await api?.close();
  await dropDatabase(restoredDb).catch(() => undefined);
});

it('stores a PNG screenshot beside the audio and serves it through a signed URL, before and after the pipeline', async () => {
  const png = image('png');
  const res = await uploadWith({ audio: clip, screenshot: png, screenshotName: 'anything.bin', fields: { context: JSON.stringify({ client: 'extension', pageUrl: 'https://shop.example/cart' }) } });
  expect(res.status).toBe(202);
  const id = res.body.submission.id as string;
  expect(res.body.submission.screenshot).toEqual({ contentType: 'image/png', sizeBytes: png.length });

  const early = await fetchScreenshot(id);
  expect(early.status).toBe(200);
  expect(early.type).toBe('image/png');
  expect(early.bytes.equals(png)).toBe(true);

  const done = await c.waitForTerminal(id);
  expect(done.status).toBe('completed');
  expect(done.screenshot).toEqual({ contentType: 'image/png', sizeBytes: png.length });
  const row = await api.deps.crossOrg.submissions.findById(id);
  expect(row?.screenshot?.blob).toBe(`${userId}/${id}.screenshot`);
  expect(path.dirname(row?.audioBlob ?? '')).toBe(path.dirname(row?.screenshot?.blob ?? 'x')); // beside the audio

  // fetch() in a browser cannot read a cross-origin Location: JSON on request, like /audio.
  const json = await fetch(`${api.url}/api/submissions/${id}/screenshot`, { headers: { authorization: `Bearer ${c.token}`, accept: 'application/json' } });
  expect(json.status).toBe(200);
  const { url, expiresAt } = (await json.json()) as { url: string; expiresAt: string };
  expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
  expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(png)).toBe(true);
});

it('accepts a JPEG whatever its declared name, placed before the audio part', async () => {
  const jpg = image('jpg');
  const res = await uploadWith({ audio: clip, screenshot: jpg, screenshotFirst: true, screenshotName: 'shot.png' });
  expect(res.status).toBe(202);
  expect(res.body.submission.screenshot.contentType).toBe('image/jpeg');
  const got = await fetchScreenshot(res.body.submission.id);
  expect(got.type).toBe('image/jpeg');
  expect(got.bytes.equals(jpg)).toBe(true);
});

it('answers 404 for a submission without a screenshot and for another user', async () => {
  const plain = await uploadWith({ audio: clip });
  expect(plain.body.submission.screenshot).toBeNull();
  expect((await fetchScreenshot(plain.body.submission.id)).status).toBe(404);

  const withShot = await uploadWith({ audio: clip, screenshot: image('png') });
  const other = new ApiClient(api.url);
  await other.registerFresh();
  const res = await fetchScreenshot(withShot.body.submission.id, other.token);
  expect(res.status).toBe(404);
});

describe('a bad screenshot is refused with a clear error and nothing is stored', () => {
  let before: { blobs: string[]; submissions: number };
  beforeEach(async () => {
    // Earlier uploads are still moving through the pipeline (staging → audio); let them settle first.
    for (const s of await submissionsOfUser()) await c.waitForTerminal(s.id);
    before = { blobs: await blobsOfUser(), submissions: (await submissionsOfUser()).length };
  });
  const expectNothingStored = async () => {
    expect(await blobsOfUser()).toEqual(before.blobs);
    expect((await submissionsOfUser()).length).toBe(before.submissions);
  };

  it.each([
    ['text named .png', Buffer.from('this is not an image at all, just text'), 415, 'unsupported_screenshot_type'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 415, 'unsupported_screenshot_type'],
    ['an empty file', Buffer.alloc(0), 400, 'empty_screenshot'],
    ['6 MB behind a PNG signature', Buffer.concat([image('png'), Buffer.alloc(6 * 1024 * 1024, 7)]), 413, 'screenshot_too_large'],
  ])('%s', async (_what, bytes, status, code) => {
    for (const screenshotFirst of [false, true]) {
      const res = await uploadWith({ audio: clip, screenshot: bytes, screenshotFirst });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(/screenshot/i);
    }
    await expectNothingStored();
  });

  it('a good screenshot with bad audio or no audio leaves no screenshot behind', async () => {
    const bad = await uploadWith({ audio: Buffer.from('plain text, not audio, at all....'), screenshot: image('png'), screenshotFirst: true });
    expect(bad.status).toBe(415);
    expect(bad.body.error.code).toBe('unsupported_media_type');
    const none = await uploadWith({ screenshot: image('png') });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('audio_required');
    await expectNothingStored();
  });
});

it('an idempotent retry with the same screenshot stores it once', async () => {
  const png = image('png', '80x60');
  const key = `shot-${Date.now()}`;
  const first = await uploadWith({ audio: clip, screenshot: png, idempotencyKey: key });
  const again = await uploadWith({ audio: clip, screenshot: png, idempotencyKey: key });
  expect(first.status).toBe(202);
  expect(again.status).toBe(202);
  expect(again.body.submission.id).toBe(first.body.submission.id);
  const shots = (await blobsOfUser()).filter((n) => n.includes(first.body.submission.id) && n.endsWith('.screenshot'));
  expect(shots).toHaveLength(1);
});

it('deleting a submission deletes its screenshot', async () => {
  const res = await uploadWith({ audio: clip, screenshot: image('png') });
  const id = res.body.submission.id as string;
  await c.waitForTerminal(id);
  const name = `${userId}/${id}.screenshot`;
  expect(await api.deps.blob.exists('audio', name)).toBe(true);
  expect((await c.json('DELETE', `/api/submissions/${id}`)).status).toBe(204);
  expect(await api.deps.blob.exists('audio', name)).toBe(false);
});

it('backs up and restores screenshots with their checksums', async () => {
  const png = image('png', '96x72');
  const res = await uploadWith({ audio: clip, screenshot: png });
  const id = res.body.submission.id as string;
  expect((await c.waitForTerminal(id)).status).toBe('completed');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'voyce-shots-backup-'));
  const manifest = await backup(api.deps.db, api.deps.config.DATABASE_URL, api.deps.blob, dir);
  const entry = manifest.blobs.find((b) => b.name === `${userId}/${id}.screenshot`);
  expect(entry).toMatchObject({ container: 'audio', sizeBytes: png.length });

  await dropDatabase(restoredDb).catch(() => undefined); // left over by an interrupted run
  await ensureDatabase(restoredDb);
  const containers = { stagingContainer: 'shots-staging-restored', audioContainer: 'shots-audio-restored' };
  const db = createDb(restoredDb);
  try {
    await restore(db, restoredDb, createBlobStore({ connectionString: api.deps.config.AZURE_STORAGE_CONNECTION_STRING, ...containers }), dir);
  } finally {
    await db.destroy();
  }
  const restored = await startApi({ DATABASE_URL: restoredDb, BLOB_AUDIO_CONTAINER: containers.audioContainer, BLOB_STAGING_CONTAINER: containers.stagingContainer });
  try {
    const redirect = await fetch(`${restored.url}/api/submissions/${id}/screenshot`, { headers: { authorization: `Bearer ${c.token}` }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const img = await fetch(redirect.headers.get('location') ?? '');
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(png)).toBe(true);
  } finally {
    await restored.close();
    const service = BlobServiceClient.fromConnectionString(api.deps.config.AZURE_STORAGE_CONNECTION_STRING);
    await Promise.all(Object.values(containers).map((n) => service.getContainerClient(n).deleteIfExists()));
  }
});
