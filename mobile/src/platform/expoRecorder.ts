import { Platform } from 'react-native';
import {
  RecordingPresets,
  requestRecordingPermissionsAsync,
  setAudioModeAsync,
  useAudioRecorder,
  useAudioRecorderState,
} from 'expo-audio';
import { levelFromDb, type Recorder } from './recorder';

const OPTIONS = { ...RecordingPresets.HIGH_QUALITY, isMeteringEnabled: true };

/** The Recorder on expo-audio: AAC in .m4a on phones, Opus in WebM in the browser (MediaRecorder). */
export function useExpoRecorder(): Recorder {
  const recorder = useAudioRecorder(OPTIONS);
  const status = useAudioRecorderState(recorder, 100);
  return {
    state: { isRecording: status.isRecording, durationMs: status.durationMillis, level: levelFromDb(status.metering) },
    async requestPermission() {
      const res = await requestRecordingPermissionsAsync();
      if (res.granted && Platform.OS !== 'web') await setAudioModeAsync({ allowsRecording: true, playsInSilentMode: true });
      return res.granted;
    },
    async start() {
      await recorder.prepareToRecordAsync();
      recorder.record();
    },
    pause: () => recorder.pause(),
    resume: () => recorder.record(),
    async stop() {
      const durationMs = recorder.getStatus().durationMillis;
      await recorder.stop();
      const uri = recorder.uri;
      if (!uri) throw new Error('the recorder produced no file');
      const web = Platform.OS === 'web';
      return { uri, fileName: web ? 'recording.webm' : 'recording.m4a', mimeType: web ? 'audio/webm' : 'audio/mp4', durationMs };
    },
  };
}
