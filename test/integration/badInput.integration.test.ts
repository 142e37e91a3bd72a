jest.setTimeout(300_000);

import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { ApiClient } from '../support/apiClient';
import { expectContinue, uploadHuge, writeAllThenRead } from '../support/raw';
import { startApiWithWorker, type RunningApi } from '../support/services';
import { speak, synth } from '../support/speech';

/** Bad input always gets a clear error or a `rejected` status with a reason, never a 5xx, and leaves nothing behind. */
let api: RunningApi;
let c: ApiClient;
let userId: string;
const submitted: string[] = [];

beforeAll(async () => {
  api = await startApiWithWorker();
  c = new ApiClient(api.url);
  userId = (await c.registerFresh()).id;
}, 180_000);

afterAll(async () => {
  await api?.close();
});

async function stagingBlobsOfUser(): Promise<string[]> {
  const service = BlobServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING ?? '');
  const names: string[] = [];
  for await (const b of service.getContainerClient(api.deps.config.BLOB_STAGING_CONTAINER).listBlobsFlat({ prefix: `${userId}/` })) names.push(b.name);
  return names;
}

async function expectRejected(bytes: Buffer, filename: string, reason: string) {
  const res = await c.upload(bytes, { filename });
  expect(res.status).toBe(202);
  submitted.push(res.body.submission.id);
  const done = await c.waitForTerminal(res.body.submission.id);
  expect(done.status).toBe('rejected');
  expect(done.progress.error.code).toBe(reason);
  expect(done.progress.error.message.length).toBeGreaterThan(10);
  expect(done.transcription).toBeUndefined();
  return done;
}

describe('refused at upload, before anything is stored', () => {
  it('an empty file is 422 empty_file', async () => {
    const res = await c.upload(Buffer.alloc(0), { filename: 'empty.wav' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('empty_file');
  });

  it('text renamed .wav is 415', async () => {
    const res = await c.upload(Buffer.from('This is a plain text file pretending to be a recording.\n'.repeat(50)), { filename: 'notes.wav' });
    expect(res.status).toBe(415);
    expect(res.body.error).toEqual({ code: 'unsupported_media_type', message: expect.stringContaining('WAV') });
  });

  it('random bytes named .mp3 are 415', async () => {
    const bytes = randomBytes(64 * 1024);
    bytes[0] = 0x00; // never an accidental MPEG frame sync
    const res = await c.upload(bytes, { filename: 'noise.mp3' });
    expect(res.status).toBe(415);
  });

  it('no file field is 400 audio_required', async () => {
    const res = await c.upload(null, { fields: { title: 'no audio here' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('audio_required');
  });

  it('a bad token is 401 in the error shape', async () => {
    const res = await c.upload(speak('hello there', 'wav'), { filename: 'a.wav', token: 'not.a.jwt' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('a malformed context field is 422 naming the field', async () => {
    const res = await c.upload(speak('hello there', 'wav'), { filename: 'a.wav', fields: { context: '{"client":"fax"}' } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toMatch(/^context/);
  });

  it('a 32 MB file is 413 as soon as the limit is crossed', async () => {
    const head = speak('This recording is far too long.', 'wav').subarray(0, 44);
    const res = await uploadHuge(api.url, c.token, 32 * 1024 * 1024, head);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    // Answered near the 25 MB limit, not after the whole 32 MB (the client stops sending on the answer).
    expect(res.sentBytes).toBeLessThan(30 * 1024 * 1024);
  });

  it('a client that writes all 32 MB (Content-Length) before reading gets a readable 413, not a reset', async () => {
    const head = speak('This recording is far too long.', 'wav').subarray(0, 44);
    const res = await writeAllThenRead(api.url, c.token, 32 * 1024 * 1024, head);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.sentBytes).toBe(32 * 1024 * 1024);
  });

  it('the same client sending 32 MB chunked (no Content-Length) gets a readable 413 too', async () => {
    const head = speak('This recording is far too long.', 'wav').subarray(0, 44);
    const res = await writeAllThenRead(api.url, c.token, 32 * 1024 * 1024, head, { chunked: true });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('a 7 MB screenshot written whole before reading gets a readable 413', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const res = await writeAllThenRead(api.url, c.token, 7 * 1024 * 1024, png, { field: 'screenshot', chunked: true });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('screenshot_too_large');
  });

  it('Expect: 100-continue with a Content-Length past the limit is 413 before any body byte', async () => {
    const res = await expectContinue(api.url, c.token, 32 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.text).toContain('payload_too_large');
  });

  it('Expect: 100-continue within the limit is told to continue', async () => {
    const res = await expectContinue(api.url, c.token, 1024 * 1024);
    expect(res.status).toBe(100);
  });

  it('recorded no submission row for any refused upload', async () => {
    const rows = await api.deps.db('voice_submissions').where({ user_id: userId }).count<{ n: string }[]>({ n: '*' });
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('left no staging blob behind for any refused upload', async () => {
    expect(await stagingBlobsOfUser()).toEqual([]);
    const list = await c.json('GET', '/api/submissions');
    expect(list.body.items).toEqual([]);
  });
});

describe('rejected by the pipeline with a reason', () => {
  it('a truncated WAV is corrupt_audio', async () => {
    const wav = speak('The invoice page shows the wrong total amount for my order.', 'wav');
    await expectRejected(wav.subarray(0, Math.floor(wav.length * 0.6)), 'cut.wav', 'corrupt_audio');
  });

  it('garbage behind an ID3 tag is unrecognized_format', async () => {
    const bytes = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), randomBytes(32 * 1024)]);
    const done = await expectRejected(bytes, 'fake.mp3', 'unrecognized_format');
    expect(done.durationMs).toBeNull();
  });

  it('0.2 s of tone is too_short', async () => {
    await expectRejected(synth('sine=frequency=440', 0.2), 'beep.wav', 'too_short');
  });

  it('5 s of silence is no_speech', async () => {
    const done = await expectRejected(synth('anullsrc=r=16000:cl=mono', 5, 'ogg'), 'quiet.ogg', 'no_speech');
    expect(done.durationMs).toBeGreaterThan(4500);
  });

  it('keeps no staged audio of rejected submissions and no workflow running', async () => {
    expect(await stagingBlobsOfUser()).toEqual([]);
    for (const id of submitted) {
      const description = await api.deps.temporal.workflow.getHandle(`submission-${id}`).describe();
      expect(description.status.name).toBe('COMPLETED');
    }
  });
});
