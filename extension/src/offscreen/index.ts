/**
 * The recorder, in an offscreen document because a service worker cannot capture audio. It records WebM/Opus
 * with MediaRecorder, reports the input level ten times a second, stops itself at the server's maximum length,
 * and leaves the recording in IndexedDB for the popup (listen back) and the worker (send).
 */
import { DRAFT_KEY, type Draft, idb } from '../shared/idb';
import type { LiveAccess } from '../shared/api';
import type { OffscreenCommand, RecorderEvent } from '../shared/messages';
import { startLiveTranscript } from './liveTranscript';

let recorder: MediaRecorder | null = null;
let stream: MediaStream | null = null;
let audioContext: AudioContext | null = null;
let meterTimer: ReturnType<typeof setInterval> | undefined;
let limitTimer: ReturnType<typeof setTimeout> | undefined;
let live: ReturnType<typeof startLiveTranscript> | null = null;

const emit = (event: RecorderEvent) => chrome.runtime.sendMessage(event).catch(() => undefined);

/** Root-mean-square of the waveform, scaled so speech sits around the middle of the meter. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.min(1, Math.sqrt(sum / Math.max(1, samples.length)) * 4);
}

async function start(maxMs: number, access: LiveAccess | null | undefined): Promise<void> {
  if (recorder) return;
  try {
    // Nothing plays while recording, so echo cancellation has nothing to cancel; and the speech model copes with
    // background noise better than with the artefacts noise suppression leaves in the voice.
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: true } });
  } catch (err) {
    const e = err as DOMException;
    await emit({ type: 'recorder/failed', name: e.name || 'Error', message: e.message || String(err) });
    return;
  }
  const mimeType = MediaRecorder.isTypeSupported('audio/webm;codecs=opus') ? 'audio/webm;codecs=opus' : '';
  const rec = new MediaRecorder(stream, mimeType ? { mimeType, audioBitsPerSecond: 48_000 } : {});
  recorder = rec;
  const chunks: Blob[] = [];
  const startedAt = Date.now();
  // Live words only for WebM/Opus (what /api/live takes); the recording itself never depends on them.
  live = access && mimeType ? startLiveTranscript(access, (event) => void emit(event)) : null;
  rec.ondataavailable = (e) => {
    if (!e.data.size) return;
    chunks.push(e.data);
    live?.chunk(e.data);
  };
  rec.onstop = async () => {
    const durationMs = Date.now() - startedAt;
    const audio = new Blob(chunks, { type: rec.mimeType || 'audio/webm' });
    cleanUp();
    const draft: Draft = { audio, filename: 'recording.webm', durationMs, createdAt: Date.now() };
    await idb.put('drafts', DRAFT_KEY, draft);
    await emit({ type: 'recorder/stopped', durationMs, bytes: audio.size });
  };
  audioContext = new AudioContext();
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 1024;
  audioContext.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  meterTimer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    void emit({ type: 'recorder/level', level: levelOf(samples), elapsedMs: Date.now() - startedAt });
  }, 100);
  limitTimer = setTimeout(stop, maxMs);
  rec.start(live ? 250 : 1000);
  await emit({ type: 'recorder/started', startedAt });
}

function stop(): void {
  if (recorder && recorder.state !== 'inactive') recorder.stop();
}

function cleanUp(): void {
  live?.end();
  live = null;
  clearInterval(meterTimer);
  clearTimeout(limitTimer);
  stream?.getTracks().forEach((t) => t.stop()); // the browser's "recording" indicator goes off
  void audioContext?.close();
  recorder = null;
  stream = null;
  audioContext = null;
}

chrome.runtime.onMessage.addListener((message: OffscreenCommand, sender) => {
  if (sender.id !== chrome.runtime.id || message?.target !== 'offscreen') return false;
  if (message.type === 'start') void start(message.maxMs, message.live);
  if (message.type === 'stop') stop();
  return false;
});
