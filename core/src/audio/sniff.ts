import type { AudioContainer } from './formats';

/** How many leading bytes `sniffContainer` needs. */
export const SNIFF_BYTES = 12;

/**
 * Recognises an audio container by its first bytes (never by file name or declared type), so an upload of
 * the wrong kind is refused before anything is stored. The full decode check happens later in the pipeline.
 */
export function sniffContainer(head: Buffer): AudioContainer | null {
  const ascii = (start: number, end: number) => head.subarray(start, end).toString('latin1');
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (head.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (head.length >= 8 && ascii(4, 8) === 'ftyp') return 'm4a';
  if (head.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame header: 11 sync bits, then layer bits that are not the reserved 00.
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && ((head[1] ?? 0) & 0x06) !== 0) return 'mp3';
  return null;
}

/**
 * A WAV file states its own length in the RIFF header; a file shorter than that was cut off in transit.
 * Returns the number of missing bytes (0 when complete). Only meaningful for WAV.
 */
export function wavMissingBytes(head: Buffer, actualSize: number): number {
  if (head.length < 8) return 0;
  const declared = head.readUInt32LE(4) + 8;
  // Streaming writers put 0 or 0xFFFFFFFF here when they do not know the length yet.
  if (declared <= 8 || declared >= 0xffffffff) return 0;
  return Math.max(0, declared - actualSize);
}
