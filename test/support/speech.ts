import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const FORMATS = ['wav', 'mp3', 'ogg', 'webm', 'm4a', 'flac'] as const;
export type Format = (typeof FORMATS)[number];

const CODEC_ARGS: Record<Format, string[]> = {
  wav: ['-c:a', 'pcm_s16le'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  ogg: ['-c:a', 'libopus', '-b:a', '48k'],
  webm: ['-c:a', 'libopus', '-b:a', '48k'],
  m4a: ['-c:a', 'aac', '-b:a', '96k'],
  flac: ['-c:a', 'flac'],
};

const workDir = mkdtempSync(path.join(os.tmpdir(), 'voyce-speech-'));
let counter = 0;

/** Speaks `text` with espeak-ng and converts it to `format` with ffmpeg; returns the file's bytes. */
export function speak(text: string, format: Format, opts: { voice?: string; speed?: number } = {}): Buffer {
  const base = path.join(workDir, `clip-${++counter}`);
  execFileSync('espeak-ng', ['-v', opts.voice ?? 'en-us', '-s', String(opts.speed ?? 150), '-w', `${base}.src.wav`, text]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', `${base}.src.wav`, '-ar', '16000', '-ac', '1', ...CODEC_ARGS[format], `${base}.${format}`]);
  return readFileSync(`${base}.${format}`);
}

/** Generates audio with an ffmpeg lavfi source expression (tones, silence). */
export function synth(lavfi: string, seconds: number, format: Format = 'wav'): Buffer {
  const file = path.join(workDir, `synth-${++counter}.${format}`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', lavfi, '-t', String(seconds), '-ar', '16000', '-ac', '1', ...CODEC_ARGS[format], file]);
  return readFileSync(file);
}

export function writeTemp(name: string, bytes: Buffer): string {
  const file = path.join(workDir, name);
  writeFileSync(file, bytes);
  return file;
}
