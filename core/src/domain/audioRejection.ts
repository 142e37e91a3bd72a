/** Stable reasons a recording is rejected; clients can switch on them. */
export const REJECTION_REASONS = {
  empty_file: 'The file is empty.',
  unrecognized_format: 'The file is not audio in a supported format (WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC, FLAC).',
  unsupported_codec: 'The audio codec is not supported.',
  corrupt_audio: 'The audio could not be decoded; the file may be truncated or damaged.',
  too_short: 'The recording is too short.',
  too_long: 'The recording is too long.',
  too_large: 'The file is too large.',
  no_audio_stream: 'The file contains no audio stream.',
  no_speech: 'No speech was found in the recording.',
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;

/** Error type name used for non-retryable Temporal failures of invalid audio. */
export const INVALID_AUDIO_ERROR = 'InvalidAudio';
