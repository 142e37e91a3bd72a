import * as DocumentPicker from 'expo-document-picker';
import type { AudioInput } from '../queue/types';

/** Lets the person choose an audio file already on the device; null when cancelled. */
export type PickAudioFile = () => Promise<AudioInput | null>;

export const pickAudioFile: PickAudioFile = async () => {
  const res = await DocumentPicker.getDocumentAsync({ type: 'audio/*', copyToCacheDirectory: true, multiple: false });
  const asset = res.canceled ? undefined : res.assets[0];
  if (!asset) return null;
  return {
    uri: asset.uri,
    fileName: asset.name || 'audio',
    mimeType: asset.mimeType ?? 'application/octet-stream',
    durationMs: null,
    ...(asset.file ? { blob: asset.file } : {}),
  };
};
