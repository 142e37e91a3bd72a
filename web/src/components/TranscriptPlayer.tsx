import { useRef, useState } from 'react';
import type { Transcription } from '../api/types';
import { languageDirection, languageName } from '../languages';
import { revealDuration } from './audioDuration';

/** Index of the word being spoken at `t` seconds, or -1. */
export function wordAt(words: Transcription['words'], t: number): number {
  let lo = 0;
  let hi = words.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = words[mid]!;
    if (t < w.start) hi = mid - 1;
    else if (t >= w.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * The recording with its transcript: the word being spoken is highlighted as it plays, and clicking (or
 * pressing Enter on) a word plays from there.
 */
export function TranscriptPlayer({ audioUrl, transcription }: { audioUrl: string | null; transcription?: Transcription | undefined }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [current, setCurrent] = useState(-1);
  const words = transcription?.words ?? [];

  const seek = (i: number) => {
    const el = audio.current;
    const w = words[i];
    if (!el || !w) return;
    el.currentTime = w.start;
    void el.play().catch(() => undefined);
  };

  return (
    <section className="card" aria-labelledby="recording-title">
      <h2 id="recording-title">Recording</h2>
      {audioUrl ? (
        <audio ref={audio} controls preload="metadata" src={audioUrl} onLoadedMetadata={(e) => revealDuration(e.currentTarget)} onTimeUpdate={(e) => setCurrent(e.currentTarget.paused && e.currentTarget.currentTime === 0 ? -1 : wordAt(words, e.currentTarget.currentTime))} className="player">
          Your browser cannot play this recording.
        </audio>
      ) : (
        <p className="muted">The audio is not available.</p>
      )}
      <h3>Transcript</h3>
      {!transcription ? (
        <p className="muted">Not transcribed yet.</p>
      ) : words.length === 0 ? (
        <p className="transcript" lang={transcription.language} dir={languageDirection(transcription.language)}>
          {transcription.text}
        </p>
      ) : (
        <p className="transcript" data-testid="transcript" lang={transcription.language} dir={languageDirection(transcription.language)}>
          {words.map((w, i) => (
            <span key={i}>
              <span
                className={i === current ? 'word current' : 'word'}
                role="button"
                tabIndex={0}
                title={`Play from ${w.start.toFixed(1)} s`}
                onClick={() => seek(i)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    seek(i);
                  }
                }}
              >
                {w.word.trim()}
              </span>{' '}
            </span>
          ))}
        </p>
      )}
      {transcription && (
        <p className="muted small">
          Language {languageName(transcription.language)}
          {transcription.languageSource === 'detected' && ` (detected${transcription.languageProbability == null ? '' : `, ${Math.round(transcription.languageProbability * 100)} % sure`})`}, confidence {Math.round(transcription.confidence * 100)} %, model {transcription.model}
        </p>
      )}
    </section>
  );
}
