import type { AudioInput } from '../queue/types';

export interface RecorderState {
  isRecording: boolean;
  /** Recorded so far, pauses excluded. */
  durationMs: number;
  /** Input level 0..1 for the meter (0 when unknown). */
  level: number;
}

/** The microphone, as the record screen needs it. A hook returns it so implementations can use React state. */
export interface Recorder {
  state: RecorderState;
  /** Asks for the microphone permission; false when refused. */
  requestPermission(): Promise<boolean>;
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Ends the recording and hands over the file. */
  stop(): Promise<AudioInput>;
}

export type UseRecorder = () => Recorder;

/** Maps a dBFS meter value (about -60..0) to 0..1. */
export function levelFromDb(db: number | undefined): number {
  if (db === undefined || !Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(1, (db + 60) / 60));
}
