/** The containers Voyce accepts, the codecs allowed inside each, and the MIME type stored with the blob. */
export const AUDIO_CONTAINERS = {
  wav: { contentType: 'audio/wav', extension: 'wav', codecs: /^pcm_/ },
  mp3: { contentType: 'audio/mpeg', extension: 'mp3', codecs: /^mp3$/ },
  ogg: { contentType: 'audio/ogg', extension: 'ogg', codecs: /^(opus|vorbis)$/ },
  webm: { contentType: 'audio/webm', extension: 'webm', codecs: /^(opus|vorbis)$/ },
  m4a: { contentType: 'audio/mp4', extension: 'm4a', codecs: /^(aac|alac)$/ },
  flac: { contentType: 'audio/flac', extension: 'flac', codecs: /^flac$/ },
} as const;

export type AudioContainer = keyof typeof AUDIO_CONTAINERS;

/** Maps ffprobe's format_name (a comma list) to our container name. */
export function containerFromFormatName(formatName: string): AudioContainer | null {
  const names = formatName.split(',');
  if (names.includes('wav')) return 'wav';
  if (names.includes('mp3')) return 'mp3';
  if (names.includes('ogg')) return 'ogg';
  if (names.includes('webm') || names.includes('matroska')) return 'webm';
  if (names.includes('mp4') || names.includes('m4a') || names.includes('mov')) return 'm4a';
  if (names.includes('flac')) return 'flac';
  return null;
}
