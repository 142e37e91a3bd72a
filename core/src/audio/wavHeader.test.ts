import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePcmWavHeader, WAV_HEADER_BYTES } from './wavHeader';

const dir = mkdtempSync(path.join(tmpdir(), 'wavhead-'));
/** A tone written by ffmpeg (which adds a LIST chunk before `data`), as the first bytes a blob read returns. */
const head = (name: string, args: string[], seconds = 1.5): Buffer => {
  const out = path.join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, ...args, out]);
  return readFileSync(out).subarray(0, WAV_HEADER_BYTES);
};

/** A canonical 44-byte header, built by hand so each field can be bent. */
function header({ format = 1, channels = 1, rate = 16000, bits = 16, dataBytes = 32000 } = {}): Buffer {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(Math.min(36 + dataBytes, 0xffffffff), 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(format, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE((rate * channels * bits) / 8, 28);
  b.writeUInt16LE((channels * bits) / 8, 32);
  b.writeUInt16LE(bits, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  return b;
}

describe('parsePcmWavHeader', () => {
  it('reads what ffprobe reads from an ffmpeg-written 16-bit mono file, past its LIST chunk', () => {
    expect(parsePcmWavHeader(head('a.wav', ['-ar', '16000', '-ac', '1']))).toEqual({
      codec: 'pcm_s16le', sampleRate: 16000, channels: 1, byteRate: 32000, dataBytes: 48000, durationMs: 1500,
    });
  });

  it('reads stereo 24-bit and 8-bit layouts', () => {
    expect(parsePcmWavHeader(head('b.wav', ['-ar', '44100', '-ac', '2', '-c:a', 'pcm_s24le'], 2))).toMatchObject({ codec: 'pcm_s24le', channels: 2, sampleRate: 44100, durationMs: 2000 });
    expect(parsePcmWavHeader(header({ bits: 8, dataBytes: 8000 }))).toMatchObject({ codec: 'pcm_u8', durationMs: 500 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with the PCM sub-format (multichannel writers use it)', () => {
    expect(parsePcmWavHeader(head('c.wav', ['-ar', '48000', '-ac', '6'], 1))).toMatchObject({ codec: 'pcm_s16le', channels: 6, durationMs: 1000 });
  });

  it('leaves to ffprobe what is not plain integer PCM or not a whole header', () => {
    expect(parsePcmWavHeader(head('d.wav', ['-ar', '16000', '-c:a', 'pcm_f32le']))).toBeNull(); // float
    expect(parsePcmWavHeader(head('e.wav', ['-ar', '8000', '-c:a', 'pcm_alaw']))).toBeNull();
    expect(parsePcmWavHeader(header({ format: 2 }))).toBeNull(); // ADPCM
    expect(parsePcmWavHeader(header({ dataBytes: 0 }))).toBeNull(); // a streaming writer's placeholder
    expect(parsePcmWavHeader(header({ dataBytes: 0xffffffff }))).toBeNull();
    expect(parsePcmWavHeader(header({ bits: 12 }))).toBeNull();
    expect(parsePcmWavHeader(header({ channels: 0 }))).toBeNull();
    expect(parsePcmWavHeader(header().subarray(0, 30))).toBeNull(); // cut inside fmt
    expect(parsePcmWavHeader(Buffer.from('RIFF....WAVEnot really audio at all'))).toBeNull();
    expect(parsePcmWavHeader(Buffer.from('OggS and more bytes than twelve'))).toBeNull();
  });
});
