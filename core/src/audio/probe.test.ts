import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeAudio } from './probe';
import { WAV_HEADER_BYTES } from './wavHeader';

const limits = { minMs: 500, maxMs: 600_000, maxBytes: 25 * 1024 * 1024 };
const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
const tone = (file: string, seconds: number, args: string[] = []) => {
  const out = path.join(dir, file);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, ...args, out]);
  return out;
};

describe('probeAudio', () => {
  it('measures PCM WAV from its header alone when hinted, to the same duration a full decode finds', async () => {
    const wav = tone('a.wav', 2.5, ['-ar', '16000', '-ac', '1']);
    const hinted = await probeAudio(wav, limits, undefined, { likelyPcmWav: true });
    const decoded = await probeAudio(wav, limits);
    if (!hinted.ok || !decoded.ok) throw new Error('both probes should accept the tone');
    expect(hinted.format.durationMs).toBe(2500);
    expect(Math.abs(hinted.format.durationMs - decoded.format.durationMs)).toBeLessThanOrEqual(20);
  });

  it('answers from the first bytes of a PCM WAV exactly what ffprobe answers, without running it', async () => {
    const wav = tone('h.wav', 3.2, ['-ar', '16000', '-ac', '1']);
    const wavHead = readFileSync(wav).subarray(0, WAV_HEADER_BYTES);
    const missingTools = { ffprobe: '/nonexistent/ffprobe', ffmpeg: '/nonexistent/ffmpeg' };
    const fromHeader = await probeAudio(wav, limits, missingTools, { likelyPcmWav: true, wavHead });
    const fromFfprobe = await probeAudio(wav, limits, undefined, { likelyPcmWav: true });
    expect(fromHeader).toEqual(fromFfprobe);
    const short = await probeAudio(wav, { ...limits, minMs: 5000 }, missingTools, { wavHead });
    expect(short).toMatchObject({ ok: false, reason: 'too_short' });
  });

  it('still decodes a file hinted as WAV that is compressed audio, and rejects a short one', async () => {
    const ogg = tone('b.ogg', 0.2, ['-c:a', 'libopus']);
    const result = await probeAudio(ogg, limits, undefined, { likelyPcmWav: true });
    expect(result).toMatchObject({ ok: false, reason: 'too_short' });
  });

  it('rejects bytes that are not audio even when hinted', async () => {
    const junk = path.join(dir, 'junk.wav');
    writeFileSync(junk, Buffer.from('RIFF....WAVEnot really audio at all'));
    const result = await probeAudio(junk, limits, undefined, { likelyPcmWav: true });
    expect(result.ok).toBe(false);
  });
});
