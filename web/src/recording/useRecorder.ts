import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export type RecorderState = 'idle' | 'requesting' | 'denied' | 'unsupported' | 'recording' | 'paused' | 'recorded' | 'error';

export interface Recording {
  blob: Blob;
  url: string;
  durationMs: number;
  mimeType: string;
}

/** The best format this browser records in that the API accepts (WebM/Opus first, then OGG, then MP4/AAC). */
export function pickMimeType(isSupported: (t: string) => boolean = (t) => MediaRecorder.isTypeSupported(t)): string {
  for (const t of ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4']) if (isSupported(t)) return t;
  return '';
}

export const extensionFor = (mimeType: string) => (mimeType.includes('ogg') ? 'ogg' : mimeType.includes('mp4') ? 'm4a' : 'webm');

/** Hooks into the recording as it happens (the live transcript streams the chunks). */
export interface RecorderEvents {
  /** The recording began in `mimeType`. */
  onStart?: (mimeType: string) => void;
  /** One MediaRecorder chunk (every 250 ms), in order; the first carries the container header. */
  onChunk?: (chunk: Blob) => void;
  /** The recording ended; every chunk has been delivered. */
  onStop?: () => void;
}

/**
 * The microphone: permission, MediaRecorder, a live input level (0..1) and an elapsed timer that pauses
 * with the recording; stops on its own at `maxMs`.
 */
export function useRecorder(maxMs: number, events: RecorderEvents = {}) {
  const on = useRef(events);
  useLayoutEffect(() => {
    on.current = events;
  });
  const [state, setState] = useState<RecorderState>(typeof MediaRecorder === 'undefined' || !navigator.mediaDevices ? 'unsupported' : 'idle');
  const [elapsedMs, setElapsedMs] = useState(0);
  const [level, setLevel] = useState(0);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = useRef<{ stream: MediaStream; recorder: MediaRecorder; audio: AudioContext; raf: number; timer: number; chunks: Blob[]; accumulated: number; since: number | null } | null>(null);

  const elapsed = () => {
    const l = live.current;
    return l ? l.accumulated + (l.since === null ? 0 : performance.now() - l.since) : 0;
  };

  const release = useCallback(() => {
    const l = live.current;
    if (!l) return;
    cancelAnimationFrame(l.raf);
    clearInterval(l.timer);
    l.stream.getTracks().forEach((t) => t.stop());
    void l.audio.close().catch(() => undefined);
    live.current = null;
    setLevel(0);
  }, []);

  const stop = useCallback(() => {
    const l = live.current;
    if (!l || l.recorder.state === 'inactive') return;
    l.accumulated = elapsed();
    l.since = null;
    l.recorder.stop();
  }, []);

  const start = useCallback(async () => {
    setError(null);
    setState('requesting');
    let stream: MediaStream;
    // No echo cancellation or noise suppression: they smear consonants, and Whisper copes with noise better on raw audio.
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (err) {
      const name = err instanceof DOMException ? err.name : '';
      if (name === 'NotAllowedError' || name === 'SecurityError') setState('denied');
      else {
        setError(name === 'NotFoundError' ? 'No microphone was found. Plug one in, or upload a file instead.' : 'The microphone could not be started.');
        setState('error');
      }
      return;
    }
    const mimeType = pickMimeType();
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 1024;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const l = { stream, recorder, audio, raf: 0, timer: 0, chunks: [] as Blob[], accumulated: 0, since: performance.now() as number | null };
    live.current = l;
    const meter = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS on a perceptual-ish scale: quiet speech ~0.3, loud ~0.9.
      setLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
      l.raf = requestAnimationFrame(meter);
    };
    l.raf = requestAnimationFrame(meter);
    l.timer = window.setInterval(() => {
      const ms = elapsed();
      setElapsedMs(ms);
      if (ms >= maxMs) stop();
    }, 100);
    recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      l.chunks.push(e.data);
      on.current.onChunk?.(e.data);
    };
    recorder.onstop = () => {
      const type = recorder.mimeType || mimeType || 'audio/webm';
      const blob = new Blob(l.chunks, { type });
      setElapsedMs(l.accumulated);
      setRecording({ blob, url: URL.createObjectURL(blob), durationMs: l.accumulated, mimeType: type });
      setState('recorded');
      release();
      on.current.onStop?.();
    };
    recorder.start(250);
    on.current.onStart?.(recorder.mimeType || mimeType);
    setElapsedMs(0);
    setState('recording');
  }, [maxMs, release, stop]);

  const pause = useCallback(() => {
    const l = live.current;
    if (!l || l.recorder.state !== 'recording') return;
    l.accumulated = elapsed();
    l.since = null;
    l.recorder.pause();
    setState('paused');
  }, []);

  const resume = useCallback(() => {
    const l = live.current;
    if (!l || l.recorder.state !== 'paused') return;
    l.since = performance.now();
    l.recorder.resume();
    setState('recording');
  }, []);

  const reset = useCallback(() => {
    release();
    setRecording((r) => {
      if (r) URL.revokeObjectURL(r.url);
      return null;
    });
    setElapsedMs(0);
    setState('idle');
  }, [release]);

  useEffect(() => release, [release]);

  return { state, elapsedMs, level, recording, error, start, stop, pause, resume, reset };
}

/** 75000 → "1:15". */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
