"""One live session on a worker: decode audio as it arrives, re-decode the window whenever enough is new, and
send what settled (`final`) and the unsettled tail (`partial`) back; `stop` settles everything and says `done`."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor
from typing import Any, Awaitable, Callable, Optional

import numpy as np

from ..errors import AudioDecodeError
from ..transcription import Transcriber
from .agreement import TimedWord
from .decoding import ENCODINGS, LiveDecoder, open_decoder
from .protocol import Frame
from .recogniser import LiveRecogniser, Update

log = logging.getLogger("voyce.live")
# Decode again once this much new audio is in: the latency floor of a word (plus one decode).
MIN_STEP_S = 0.3
MIN_RATE, MAX_RATE = 8000, 48000
# From `stop` to `done`: the API answers `submission` within 2 s (API.md), so the worker's last words must be in
# by then. The decode under way is waited for, and the last decode runs only if the measured decode time says it
# fits; otherwise the last decode's tail is settled as it stands (the workflow's transcription is the record).
STOP_BUDGET_S = 1.5
# Decode time is tracked as an exponential moving average with this weight for the newest decode.
DECODE_EWMA_WEIGHT = 0.3

Send = Callable[[dict[str, Any]], Awaitable[None]]


class SessionError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_start(message: dict[str, Any]) -> tuple[str, int, Optional[str]]:
    """Validate a `start` message: (encoding, sample rate, language)."""
    encoding = message.get("encoding")
    if encoding not in ENCODINGS:
        raise SessionError("bad_message", f"encoding must be one of {', '.join(ENCODINGS)}")
    rate = message.get("sampleRate", 16000)
    if not isinstance(rate, int) or isinstance(rate, bool) or not MIN_RATE <= rate <= MAX_RATE:
        raise SessionError("bad_message", f"sampleRate must be an integer from {MIN_RATE} to {MAX_RATE}")
    language = message.get("language")
    if language is not None and not isinstance(language, str):
        raise SessionError("bad_message", "language must be a string")
    return encoding, rate, language


class LiveSession:
    def __init__(self, transcriber: Transcriber, executor: Executor, send: Send, language: Optional[str],
                 stop_budget_s: float = STOP_BUDGET_S) -> None:
        self._stop_budget_s = stop_budget_s
        self._recogniser = LiveRecogniser(transcriber, language)
        self._executor = executor
        self._send = send
        self._decoder: Optional[LiveDecoder] = None
        self._arrived = asyncio.Event()
        self._ending = False
        self._loop_task: Optional[asyncio.Task[None]] = None
        self._decode_seconds: Optional[float] = None  # moving average of one decode of the window

    async def open(self, encoding: str, sample_rate: int) -> None:
        self._decoder = await open_decoder(encoding, sample_rate, self._on_samples)
        self._loop_task = asyncio.ensure_future(self._decode_loop())

    async def handle(self, frame: Frame) -> bool:
        """One frame after `start`; True once the session is over (after `done`)."""
        if isinstance(frame, bytes):
            await self._feed(frame)
            return False
        kind = frame["type"]
        if kind == "stop":
            await self._stop()
            return True
        if kind == "cancel":
            await self.abort()
            return True
        raise SessionError("bad_message", f"unexpected message type {kind!r} during a session")

    async def abort(self) -> None:
        """Dropped or cancelled: stop decoding and forget the audio."""
        self._ending = True
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
        if self._decoder is not None:
            await self._decoder.abort()

    async def _feed(self, data: bytes) -> None:
        assert self._decoder is not None
        try:
            await self._decoder.feed(data)
        except AudioDecodeError as exc:
            raise SessionError("invalid_audio", str(exc)) from exc

    async def _stop(self) -> None:
        assert self._decoder is not None and self._loop_task is not None
        deadline = time.monotonic() + self._stop_budget_s
        try:
            await self._decoder.close()  # the last buffered audio reaches the recogniser
        except AudioDecodeError as exc:
            raise SessionError("invalid_audio", str(exc)) from exc
        await self._publish(await self._last_words(deadline))
        await self._send({"type": "done", "audioSeconds": round(self._recogniser.received_seconds, 3)})

    async def _last_words(self, deadline: float) -> Update:
        """Settle everything by `deadline`: the decode under way and one more decode when each fits in the time left."""
        assert self._loop_task is not None
        self._ending = True
        self._arrived.set()
        # The decode under way, if any, finishes first (its words are most of what is unsettled).
        await asyncio.wait({self._loop_task}, timeout=max(0.0, deadline - time.monotonic()))
        if not self._loop_task.done():
            self._loop_task.cancel()
            return self._recogniser.settle_now()
        left = deadline - time.monotonic()
        if self._recogniser.undecoded_seconds <= 0 or (self._decode_seconds or 0.0) > left:
            return self._recogniser.settle_now()
        final = asyncio.get_running_loop().run_in_executor(self._executor, self._recogniser.finish)
        try:
            return await asyncio.wait_for(asyncio.shield(final), left)
        except asyncio.TimeoutError:
            return self._recogniser.settle_now()  # the late decode's result is dropped by the recogniser

    def _on_samples(self, samples: np.ndarray) -> None:
        self._recogniser.add(samples)
        if self._recogniser.undecoded_seconds >= MIN_STEP_S:
            self._arrived.set()

    async def _decode_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            if self._ending:
                return
            began = time.monotonic()
            update = await loop.run_in_executor(self._executor, self._recogniser.step)
            self._note_decode(time.monotonic() - began)
            await self._publish(update)
            if self._recogniser.undecoded_seconds >= MIN_STEP_S:
                self._arrived.set()  # audio came in during the decode: go again at once

    def _note_decode(self, seconds: float) -> None:
        last = self._decode_seconds
        self._decode_seconds = seconds if last is None else last + DECODE_EWMA_WEIGHT * (seconds - last)

    async def _publish(self, update: Update) -> None:
        received = self._recogniser.received_seconds
        progress = {"audioSeconds": round(received, 3), "lagSeconds": round(max(0.0, received - update.decoded_until), 3)}
        if update.settled:
            await self._send({"type": "final", **_words(update.settled), **progress})
        await self._send({"type": "partial", **_words(update.tail), **progress})


def _words(words: list[TimedWord]) -> dict[str, Any]:
    return {"text": " ".join(w.word for w in words), "words": [w.to_dict() for w in words]}
