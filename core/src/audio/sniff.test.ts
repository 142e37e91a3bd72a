import { readFileSync } from 'node:fs';
import { sniffContainer, wavMissingBytes } from './sniff';

const wavHeader = (declaredTotal: number) => {
  const b = Buffer.alloc(12);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(declaredTotal - 8, 4);
  b.write('WAVE', 8, 'latin1');
  return b;
};

describe('sniffContainer', () => {
  it.each([
    ['wav', wavHeader(1000)],
    ['flac', Buffer.from('fLaC\0\0\0\x22', 'latin1')],
    ['ogg', Buffer.from('OggS\0\x02', 'latin1')],
    ['webm', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42])],
    ['m4a', Buffer.from('\0\0\0\x20ftypM4A ', 'latin1')],
    ['mp3', Buffer.from('ID3\x04\0\0', 'latin1')],
    ['mp3', Buffer.from([0xff, 0xfb, 0x90, 0x64])],
  ])('recognises %s by its bytes', (expected, head) => {
    expect(sniffContainer(head)).toBe(expected);
  });

  it('refuses text, even when it would be named .wav', () => {
    expect(sniffContainer(Buffer.from('hello, this is not audio at all'))).toBeNull();
  });

  it('refuses an empty buffer and a frame sync with the reserved layer', () => {
    expect(sniffContainer(Buffer.alloc(0))).toBeNull();
    expect(sniffContainer(Buffer.from([0xff, 0xe0, 0x00, 0x00]))).toBeNull();
  });

  it('does not read this very source file as audio', () => {
    expect(sniffContainer(readFileSync(__filename))).toBeNull();
  });
});

describe('wavMissingBytes', () => {
  it('is 0 for a complete file and the shortfall for a truncated one', () => {
    expect(wavMissingBytes(wavHeader(1000), 1000)).toBe(0);
    expect(wavMissingBytes(wavHeader(1000), 600)).toBe(400);
  });
  it('ignores the unknown-length markers streaming writers use', () => {
    const h = wavHeader(8);
    h.writeUInt32LE(0xffffffff, 4);
    expect(wavMissingBytes(h, 100)).toBe(0);
  });
});
