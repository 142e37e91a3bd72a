import { AppError, AUDIO_CONTAINERS, SNIFF_BYTES, sniffContainer, type AudioContainer } from '@voyce/core';
import { formatMb, StreamGate } from './streamGate';

/** The audio part of an upload: a supported container by its first bytes, within the size limit. */
export class AudioGate extends StreamGate<AudioContainer> {
  constructor(maxBytes: number) {
    super({
      maxBytes,
      sniffBytes: SNIFF_BYTES,
      sniff: sniffContainer,
      tooLarge: (max) => new AppError('payload_too_large', `The audio file is larger than the limit of ${formatMb(max)}.`, 413),
      empty: () => new AppError('empty_file', 'The audio file is empty.', 422),
      unsupported: () =>
        new AppError('unsupported_media_type', 'The file is not audio in a supported format (WAV, MP3, OGG/Opus, WebM/Opus, M4A/AAC, FLAC).', 415),
    });
  }

  get container(): AudioContainer | null {
    return this.kind;
  }

  get contentType(): string {
    return this.kind ? AUDIO_CONTAINERS[this.kind].contentType : 'application/octet-stream';
  }
}
