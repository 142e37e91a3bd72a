import type { ReactNode } from 'react';
import { revealDuration } from '../../components/audioDuration';
import { formatDuration, type useRecorder } from '../../recording/useRecorder';

type Rec = ReturnType<typeof useRecorder>;

/** Step 1's microphone part: permission notices, timer and level, start/pause/resume/stop, listen back. */
export function Recorder({ rec, maxMs, onStartOver, children }: { rec: Rec; maxMs: number; onStartOver: () => void; children?: ReactNode }) {
  const recording = rec.state === 'recording' || rec.state === 'paused';
  const remaining = Math.max(0, maxMs - rec.elapsedMs);
  return (
    <>
      {rec.state === 'unsupported' && <p className="notice">This browser cannot record audio. Upload a file instead.</p>}
      {rec.state === 'denied' && (
        <p className="notice notice-error" role="alert">
          Voyce is not allowed to use your microphone. Allow it in the address bar’s site settings, then press “Start recording” again — or upload a file below.
        </p>
      )}
      {rec.state === 'error' && rec.error && (
        <p className="notice notice-error" role="alert">
          {rec.error}
        </p>
      )}
      <div className="recorder-row">
        <div className="timer" aria-live="off">
          <span className="visually-hidden">Recorded </span>
          <span data-testid="timer">{formatDuration(rec.elapsedMs)}</span>
          <span className="muted small"> / {formatDuration(maxMs)}</span>
        </div>
        <meter className="level" min={0} max={1} value={rec.level} aria-label="Microphone level" />
      </div>
      {recording && remaining < 30_000 && (
        <p className="muted small" role="status">
          {Math.ceil(remaining / 1000)} seconds left.
        </p>
      )}
      <div className="actions">
        {(rec.state === 'idle' || rec.state === 'denied' || rec.state === 'error' || rec.state === 'requesting') && (
          <button type="button" className="button record" onClick={() => void rec.start()} disabled={rec.state === 'requesting'}>
            {rec.state === 'requesting' ? 'Waiting for the microphone…' : 'Start recording'}
          </button>
        )}
        {rec.state === 'recording' && (
          <button type="button" className="button secondary" onClick={rec.pause}>
            Pause
          </button>
        )}
        {rec.state === 'paused' && (
          <button type="button" className="button secondary" onClick={rec.resume}>
            Resume
          </button>
        )}
        {recording && (
          <button type="button" className="button" onClick={rec.stop}>
            Stop
          </button>
        )}
        {rec.state === 'recorded' && (
          <button type="button" className="button secondary" onClick={onStartOver}>
            Record again
          </button>
        )}
      </div>
      {children}
      {rec.recording && (
        <div className="listen">
          <p>Listen back before you send it:</p>
          <audio controls src={rec.recording.url} aria-label="Your recording" onLoadedMetadata={(e) => revealDuration(e.currentTarget)} />
        </div>
      )}
    </>
  );
}
