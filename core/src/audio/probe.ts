import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AudioFormat } from '../domain/submission';
import type { RejectionReason } from '../domain/audioRejection';
import { AUDIO_CONTAINERS, containerFromFormatName, type AudioContainer } from './formats';
import { parsePcmWavHeader, type PcmWavHeader } from './wavHeader';

const run = promisify(execFile);

export interface AudioLimits {
  minMs: number;
  maxMs: number;
  maxBytes: number;
}

export type ProbeResult =
  | { ok: true; format: AudioFormat; container: AudioContainer; contentType: string }
  | { ok: false; reason: RejectionReason; message: string };

interface FfprobeOutput {
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; bit_rate?: string }[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

/** Thrown when ffprobe/ffmpeg themselves cannot run or cannot read the source (a transient, retryable problem). */
export class ProbeUnavailableError extends Error {
  override readonly name = 'ProbeUnavailableError';
}

const reject = (reason: RejectionReason, message: string): ProbeResult => ({ ok: false, reason, message });

/**
 * A failed ffprobe/ffmpeg run is the audio's fault unless the tool is missing or the source could not be
 * read; those two are transient (retried), everything else means the bytes are not usable audio.
 */
function throwIfUnavailable(err: unknown, bin: string): void {
  const e = err as { code?: unknown; stderr?: string };
  if (e.code === 'ENOENT') throw new ProbeUnavailableError(`${bin} is not installed`);
  if (isReadFailure(e.stderr ?? '')) throw new ProbeUnavailableError(`could not read the audio: ${e.stderr?.trim()}`);
}

const isReadFailure = (stderr: string) => /Connection refused|Server returned 5|HTTP error 5|timed out|Network is unreachable/i.test(stderr);

/** Whether the source is probably PCM WAV (the upload gate sniffed its first bytes): a hint, checked by ffprobe. */
export interface ProbeHints {
  likelyPcmWav?: boolean;
  /** The file's first bytes (`WAV_HEADER_BYTES` of them): a plain PCM WAV header is then read here, no ffprobe. */
  wavHead?: Buffer;
}

/** PCM in WAV holds no frames to corrupt: its duration is its data size over its byte rate, exactly what ffprobe reports. */
const isPcmWav = (info: FfprobeOutput | null): boolean => {
  const stream = info?.streams?.find((s) => s.codec_type === 'audio');
  return containerFromFormatName(info?.format?.format_name ?? '') === 'wav' && /^pcm_/.test(stream?.codec_name ?? '') && Number(info?.format?.duration) > 0;
};

/**
 * Probes audio at `source` (a file path or a read-only URL): ffprobe for the container and stream, then, for
 * compressed audio only, a full decode with ffmpeg, which both proves the payload decodes and measures the real
 * duration (MediaRecorder WebM files carry none in their header). PCM WAV is not decoded here: the header gives
 * its duration exactly and truncation is checked against the header by the caller, so the transcription's
 * decode is the only one (one ffmpeg process less per clip on a CPU-bound machine).
 */
export async function probeAudio(
  source: string,
  limits: AudioLimits,
  bin = { ffprobe: 'ffprobe', ffmpeg: 'ffmpeg' },
  hints: ProbeHints = {},
): Promise<ProbeResult> {
  const header = hints.wavHead ? parsePcmWavHeader(hints.wavHead) : null;
  if (header) return fromPcmHeader(header, limits);
  let info: FfprobeOutput | null;
  let decodedMs: number | null;
  if (hints.likelyPcmWav) {
    info = await ffprobe(source, bin.ffprobe);
    decodedMs = info === null ? null : isPcmWav(info) ? Math.round(Number(info?.format?.duration) * 1000) : await decodedDurationMs(source, bin.ffmpeg);
  } else {
    // Both read the source independently; running them side by side halves the wait.
    [info, decodedMs] = await Promise.all([ffprobe(source, bin.ffprobe), decodedDurationMs(source, bin.ffmpeg)]);
  }
  if (info === null) return reject('unrecognized_format', 'The file is not audio in a supported format (WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC, FLAC).');

  const container = containerFromFormatName(info.format?.format_name ?? '');
  if (!container) return reject('unrecognized_format', `Unsupported container "${info.format?.format_name ?? 'unknown'}".`);
  const stream = info.streams?.find((s) => s.codec_type === 'audio');
  if (!stream) return reject('no_audio_stream', 'The file contains no audio stream.');
  const codec = stream.codec_name ?? 'unknown';
  if (!AUDIO_CONTAINERS[container].codecs.test(codec)) {
    return reject('unsupported_codec', `The codec "${codec}" is not supported in ${container.toUpperCase()} files.`);
  }

  if (decodedMs === null) return reject('corrupt_audio', 'The audio could not be decoded; the file may be truncated or damaged.');
  const outOfLimits = durationRejection(decodedMs, limits);
  if (outOfLimits) return outOfLimits;

  const bitRate = Number(stream.bit_rate ?? info.format?.bit_rate);
  return {
    ok: true,
    container,
    contentType: AUDIO_CONTAINERS[container].contentType,
    format: {
      container,
      codec,
      sampleRate: Number(stream.sample_rate ?? 0),
      channels: stream.channels ?? 0,
      durationMs: decodedMs,
      ...(Number.isFinite(bitRate) && bitRate > 0 ? { bitRate } : {}),
    },
  };
}

function durationRejection(durationMs: number, limits: AudioLimits): ProbeResult | null {
  if (durationMs < limits.minMs) {
    return reject('too_short', `The recording lasts ${(durationMs / 1000).toFixed(2)} s; at least ${(limits.minMs / 1000).toFixed(1)} s is needed.`);
  }
  if (durationMs > limits.maxMs) {
    return reject('too_long', `The recording lasts ${(durationMs / 1000).toFixed(1)} s; at most ${(limits.maxMs / 1000).toFixed(0)} s is accepted.`);
  }
  return null;
}

/** The same answer ffprobe gives for a plain PCM WAV, from its header. */
function fromPcmHeader(header: PcmWavHeader, limits: AudioLimits): ProbeResult {
  const outOfLimits = durationRejection(header.durationMs, limits);
  if (outOfLimits) return outOfLimits;
  return {
    ok: true,
    container: 'wav',
    contentType: AUDIO_CONTAINERS.wav.contentType,
    format: {
      container: 'wav',
      codec: header.codec,
      sampleRate: header.sampleRate,
      channels: header.channels,
      durationMs: header.durationMs,
      bitRate: header.byteRate * 8,
    },
  };
}

/** ffprobe's view of the container and streams, or null when it does not recognise the file. */
async function ffprobe(source: string, ffprobeBin: string): Promise<FfprobeOutput | null> {
  try {
    const { stdout } = await run(ffprobeBin, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', source], {
      timeout: 60_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    return JSON.parse(stdout) as FfprobeOutput;
  } catch (err) {
    throwIfUnavailable(err, ffprobeBin);
    return null;
  }
}

/** Decodes the first audio stream to nowhere; returns its duration, or null when decoding fails. */
async function decodedDurationMs(source: string, ffmpeg: string): Promise<number | null> {
  try {
    const { stdout, stderr } = await run(
      ffmpeg,
      ['-nostdin', '-v', 'error', '-i', source, '-map', '0:a:0', '-f', 'null', '-', '-progress', 'pipe:1', '-nostats'],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    if (/Invalid data|Error while decoding|corrupt/i.test(stderr)) return null;
    const times = [...stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((m) => Number(m[1]));
    const last = times.at(-1);
    return last === undefined ? null : Math.round(last / 1000);
  } catch (err) {
    throwIfUnavailable(err, ffmpeg);
    return null;
  }
}
