import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ScreenshotGate, sniffImage } from './screenshotGate';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);

/** Streams `chunks` through a gate; answers what came out, or the gate's error. */
async function through(chunks: Buffer[], max?: number) {
  const gate = new ScreenshotGate(max);
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), gate, new Writable({ write: (c: Buffer, _e, done) => (out.push(c), done()) }));
  return { gate, bytes: Buffer.concat(out) };
}

describe('sniffImage', () => {
  it('knows PNG and JPEG by their magic numbers, nothing else', () => {
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(JPEG)).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImage(PNG.subarray(0, 4))).toBeNull();
  });
});

describe('ScreenshotGate', () => {
  it('passes an image through, judged even when its first bytes arrive one at a time', async () => {
    const { gate, bytes } = await through([...PNG].map((b) => Buffer.from([b])));
    expect(gate.contentType).toBe('image/png');
    expect(bytes.equals(PNG)).toBe(true);
    expect(gate.digest()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses what is not PNG/JPEG (415), an empty part (400) and anything over the limit (413)', async () => {
    await expect(through([Buffer.from('plain text, not an image')])).rejects.toMatchObject({ code: 'unsupported_screenshot_type', status: 415 });
    await expect(through([])).rejects.toMatchObject({ code: 'empty_screenshot', status: 400 });
    await expect(through([JPEG, Buffer.alloc(600)], 512)).rejects.toMatchObject({ code: 'screenshot_too_large', status: 413 });
  });
});
