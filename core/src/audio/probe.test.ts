import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeAudio } from './probe';

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
