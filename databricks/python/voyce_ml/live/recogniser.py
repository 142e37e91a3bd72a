"""A streaming recogniser: a rolling window of the audio, re-decoded as audio arrives (whisper_streaming's
`OnlineASRProcessor`), settling words by local agreement and trimming the window at settled segment ends so a
decode never grows with the length of the recording.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..transcription import Transcriber
from .agreement import HypothesisBuffer, TimedWord

SAMPLE_RATE = 16000
# Greedy-ish decoding for the live preview: each window is decoded many times, and the workflow's beam-8 pass
# is the record. Measured on this 2-core machine by `npm run bench:live` (README).
LIVE_BEAM = 2
# Past this many seconds the window is cut at the end of a settled segment (whisper_streaming: 15 s; shorter
# here because tiny.en on one core must decode the window several times a second).
TRIM_AFTER_S = 6.0
# Hard bound of the window when nothing settles (noise, a monologue without pauses).
MAX_WINDOW_S = 12.0
# A window without speech (the VAD found none) keeps only this much of its end.
SILENCE_KEEP_S = 1.0
PROMPT_CHARS = 200
SENTENCE_ENDS = (".", "?", "!")


@dataclass(frozen=True)
class Update:
    """What one decode changed: newly settled words (in order, never repeated) and the unsettled tail."""

    settled: list[TimedWord]
    tail: list[TimedWord]
    decoded_until: float  # seconds of audio the decode covered


class LiveRecogniser:
    """Feed 16 kHz float samples with `add`, call `step` whenever a decode is affordable, `finish` at the end.

    `add` runs on the event loop while `step` decodes on a thread: the state is read and changed under a lock, and
    the decode itself runs outside it. After `settle_now` (a stop out of time) a decode still running is dropped.
    """

    def __init__(self, transcriber: Transcriber, language: Optional[str] = None, beam_size: int = LIVE_BEAM) -> None:
        self._transcriber = transcriber
        self._language = language
        self._beam_size = beam_size
        self._window = np.zeros(0, dtype=np.float32)
        self._offset = 0.0  # seconds of audio trimmed off the front of the window
        self._decoded_samples = 0  # window length at the last decode
        self._hypotheses = HypothesisBuffer()
        self._settled: list[TimedWord] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def received_seconds(self) -> float:
        return self._offset + len(self._window) / SAMPLE_RATE

    @property
    def undecoded_seconds(self) -> float:
        return (len(self._window) - self._decoded_samples) / SAMPLE_RATE

    @property
    def settled(self) -> list[TimedWord]:
        return list(self._settled)

    def add(self, samples: np.ndarray) -> None:
        if samples.size:
            with self._lock:
                self._window = np.concatenate([self._window, samples.astype(np.float32, copy=False)])

    def step(self) -> Update:
        """Decode the window once (blocking: run it off the event loop); settle what agrees with the last decode."""
        with self._lock:
            window, offset, prompt = self._window, self._offset, self._prompt()
            self._decoded_samples = len(window)
        segments = self._decode(window, prompt)
        with self._lock:
            if self._closed:
                return Update([], [], self.received_seconds)
            self._hypotheses.insert([TimedWord(w.word, w.start + offset, w.end + offset) for _, words in segments for w in words])
            settled = self._hypotheses.flush()
            self._settled.extend(settled)
            self._trim([end + offset for end, _ in segments])
            return Update(settled, list(self._hypotheses.tail), self.received_seconds)

    def finish(self) -> Update:
        """The recording ended: decode what is left once more and settle everything."""
        update = self.step() if self.undecoded_seconds > 0 else None
        rest = self.settle_now()
        return Update((update.settled if update else []) + rest.settled, [], self.received_seconds)

    def settle_now(self) -> Update:
        """End without another decode: the last decode's tail is settled as it stands; a decode under way is dropped."""
        with self._lock:
            if self._closed:
                return Update([], [], self.received_seconds)
            self._closed = True
            rest = self._hypotheses.settle_all()
            self._settled.extend(rest)
            return Update(rest, [], self.received_seconds)

    def _decode(self, window: np.ndarray, prompt: str) -> list[tuple[float, list]]:
        if not len(window):
            return []
        return self._transcriber.decode_window(window, language=self._language, beam_size=self._beam_size, prompt=prompt)

    def _prompt(self) -> str:
        """Settled text whose audio has left the window: context for the decoder, as in whisper_streaming."""
        before = [w.word for w in self._settled if w.end <= self._offset]
        return " ".join(before)[-PROMPT_CHARS:]

    def _trim(self, segment_ends: list[float]) -> None:
        window_s = len(self._window) / SAMPLE_RATE
        if not segment_ends and window_s > SILENCE_KEEP_S * 4 and not self._hypotheses.tail:
            self._cut_at(self.received_seconds - SILENCE_KEEP_S)
            return
        if window_s <= TRIM_AFTER_S:
            return
        settled_end = self._hypotheses.last_settled_end
        # The latest segment end (not the last segment's: it may still grow) or settled sentence end.
        candidates = [end for end in segment_ends[:-1] if end <= settled_end]
        candidates += [w.end for w in self._hypotheses.settled_in_window if w.word.endswith(SENTENCE_ENDS)]
        if candidates:
            self._cut_at(max(candidates))
        elif window_s > MAX_WINDOW_S:
            self._cut_at(max(settled_end, self.received_seconds - MAX_WINDOW_S))

    def _cut_at(self, time: float) -> None:
        drop = int(round((time - self._offset) * SAMPLE_RATE))
        if drop <= 0:
            return
        self._window = self._window[drop:]
        self._offset += drop / SAMPLE_RATE
        self._decoded_samples = max(0, self._decoded_samples - drop)
        self._hypotheses.forget_before(self._offset)
