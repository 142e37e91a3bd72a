import { DRAFT_KEY, idb } from '../../shared/idb';
import type { RecorderState } from '../../shared/messages';
import { captureContext } from '../pageContext';
import { setRecorder, startRecording, stopRecording } from '../recorder';

/** `recorder/start`: the page context as it is when recording starts, then the microphone. */
export async function onRecorderStart(): Promise<RecorderState> {
  await captureContext().catch(() => undefined);
  return startRecording();
}

/** `recorder/stop`. */
export const onRecorderStop = (): Promise<RecorderState> => stopRecording();

/** `recorder/discard`: the recording and its draft are dropped. */
export async function onRecorderDiscard(): Promise<RecorderState> {
  await stopRecording();
  await idb.delete('drafts', DRAFT_KEY);
  return setRecorder({ phase: 'idle' });
}

/** `draft/fromFile`: the popup stored a picked file as the draft. */
export const onDraftFromFile = ({ durationMs }: { durationMs: number | null }): Promise<RecorderState> => setRecorder({ phase: 'recorded', ...(durationMs !== null ? { durationMs } : {}) });
