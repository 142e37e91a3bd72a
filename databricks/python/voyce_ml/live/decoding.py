"""Live audio to 16 kHz mono float samples, as it arrives: pcm_s16le directly, webm_opus (MediaRecorder's chunks)
through an ffmpeg subprocess fed on stdin and read on stdout, so nothing waits for the end of the recording."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from typing import Callable, Optional, Protocol

import numpy as np

from ..errors import AudioDecodeError
from .recogniser import SAMPLE_RATE

Sink = Callable[[np.ndarray], None]
ENCODINGS = ("pcm_s16le", "webm_opus")
_READ_BYTES = 1 << 14


class LiveDecoder(Protocol):
    async def feed(self, data: bytes) -> None: ...

    async def close(self) -> None:
        """End of input: deliver what is left; raise AudioDecodeError if the stream was not decodable."""

    async def abort(self) -> None: ...


def s16le_to_float(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


class PcmDecoder:
    """Mono signed 16-bit little-endian at `sample_rate` (resampled linearly to 16 kHz when it differs)."""

    def __init__(self, sample_rate: int, sink: Sink) -> None:
        self._rate = sample_rate
        self._sink = sink
        self._odd = b""  # a frame may end between the two bytes of a sample

    async def feed(self, data: bytes) -> None:
        data = self._odd + data
        usable = len(data) - len(data) % 2
        self._odd = data[usable:]
        if usable:
            self._sink(self._resample(s16le_to_float(data[:usable])))

    async def close(self) -> None:
        self._odd = b""

    async def abort(self) -> None:
        self._odd = b""

    def _resample(self, samples: np.ndarray) -> np.ndarray:
        if self._rate == SAMPLE_RATE:
            return samples
        # Per frame, so a frame's last partial output sample may be dropped: inaudible for a preview.
        count = int(len(samples) * SAMPLE_RATE / self._rate)
        positions = np.arange(count, dtype=np.float64) * (self._rate / SAMPLE_RATE)
        return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


class FfmpegDecoder:
    """WebM/Opus through `ffmpeg` (stdin -> s16le 16 kHz stdout); probing is cut short so output starts at once."""

    def __init__(self, sink: Sink, process: asyncio.subprocess.Process) -> None:
        self._sink = sink
        self._process = process
        self._pcm = PcmDecoder(SAMPLE_RATE, sink)
        self._reader = asyncio.ensure_future(self._read())
        self._stderr = asyncio.ensure_future(self._read_stderr())
        self._errors = b""

    @classmethod
    async def start(cls, sink: Sink, input_format: str = "webm") -> "FfmpegDecoder":
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise RuntimeError("ffmpeg not found on PATH (apt-get install ffmpeg)")
        process = await asyncio.create_subprocess_exec(
            ffmpeg, "-hide_banner", "-loglevel", "error",
            "-probesize", "32", "-analyzeduration", "0", "-fflags", "nobuffer",
            "-f", input_format, "-i", "pipe:0", "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "pipe:1",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        return cls(sink, process)

    async def feed(self, data: bytes) -> None:
        stdin = self._process.stdin
        if stdin is None or stdin.is_closing() or self._process.returncode is not None:
            raise AudioDecodeError(f"the webm_opus stream could not be decoded: {self._reason()}")
        stdin.write(data)
        try:
            await stdin.drain()  # back-pressure: a client faster than ffmpeg waits here
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise AudioDecodeError(f"the webm_opus stream could not be decoded: {self._reason()}") from exc

    async def close(self) -> None:
        stdin = self._process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()
        await self._reader
        await self._stderr
        code = await self._process.wait()
        if code != 0:
            raise AudioDecodeError(f"the webm_opus stream could not be decoded: {self._reason()}")

    async def abort(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self._process.kill()
        await self._process.wait()
        for task in (self._reader, self._stderr):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    @property
    def failed(self) -> bool:
        return self._process.returncode not in (None, 0)

    def _reason(self) -> str:
        text = self._errors.decode("utf-8", "replace").strip().splitlines()
        return text[-1] if text else "ffmpeg stopped"

    async def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        while chunk := await stdout.read(_READ_BYTES):
            await self._pcm.feed(chunk)

    async def _read_stderr(self) -> None:
        stderr = self._process.stderr
        assert stderr is not None
        while chunk := await stderr.read(4096):
            self._errors = (self._errors + chunk)[-4096:]


async def open_decoder(encoding: str, sample_rate: Optional[int], sink: Sink) -> LiveDecoder:
    """The decoder of a session's `encoding` (one of ENCODINGS)."""
    if encoding == "pcm_s16le":
        return PcmDecoder(sample_rate or SAMPLE_RATE, sink)
    if encoding == "webm_opus":
        return await FfmpegDecoder.start(sink)
    raise ValueError(f"unknown encoding {encoding!r}; expected one of {', '.join(ENCODINGS)}")


__all__ = ["ENCODINGS", "FfmpegDecoder", "LiveDecoder", "PcmDecoder", "open_decoder"]
