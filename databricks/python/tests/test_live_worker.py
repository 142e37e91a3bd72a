"""The live worker over its TCP protocol with the real model: espeak-ng speech in 100 ms frames (pcm_s16le and
webm_opus), finals out; bad input gets an `error`; a full worker answers `busy`. Tolerant of ASR wording."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import pytest

from voyce_ml import synth
from voyce_ml.live.protocol import encode_audio, encode_json, read_frame
from voyce_ml.live.server import LiveWorker
from voyce_ml.metrics import word_error_rate
from voyce_ml.transcription import Transcriber

SENTENCE = "the checkout page crashes when I press the pay button"


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    t = Transcriber(cpu_threads=1, num_workers=2)
    t.warm_up()
    return t


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    d = tmp_path_factory.mktemp("live")
    wav = synth.speak(SENTENCE, d / "speech.wav")
    pcm = subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(wav), "-f", "s16le", "-ac", "1", "-ar", "16000", "pipe:1"],
                         check=True, capture_output=True).stdout
    webm = subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-f", "webm", "pipe:1"],
                          check=True, capture_output=True).stdout
    return {"pcm_s16le": pcm, "webm_opus": webm}


async def _session(worker: LiveWorker, start: dict[str, Any], chunks: list[bytes], end: dict[str, Any]) -> list[dict]:
    server = await asyncio.start_server(worker.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received: list[dict] = []

    async def collect() -> None:
        while (frame := await read_frame(reader)) is not None:
            assert isinstance(frame, dict)
            received.append(frame)

    collector = asyncio.ensure_future(collect())
    writer.write(encode_json(start))
    for chunk in chunks:
        writer.write(encode_audio(chunk))
        await writer.drain()
        await asyncio.sleep(0.02)  # faster than real time: the worker must keep up or lag, not fail
    writer.write(encode_json(end))
    await writer.drain()
    await asyncio.wait_for(collector, 60)
    writer.close()
    server.close()
    return received


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("encoding, size", [("pcm_s16le", 3200), ("webm_opus", 1500)])
def test_streams_finals_that_join_into_the_sentence(transcriber: Transcriber, clip: dict[str, bytes], encoding: str, size: int) -> None:
    # Audio goes in five times faster than real time, so at stop most of it is still to decode: this test is about
    # the words, so the stop may take as long as the last decode needs (test_live_stop_budget.py checks the bound).
    worker = LiveWorker(transcriber, capacity=2, stop_budget_s=60.0)
    got = asyncio.run(_session(worker, {"type": "start", "encoding": encoding, "sampleRate": 16000},
                               _chunks(clip[encoding], size), {"type": "stop"}))
    assert got[0]["type"] == "ready" and got[-1]["type"] == "done"
    assert 3.0 < got[-1]["audioSeconds"] < 6.0
    finals = [m for m in got if m["type"] == "final"]
    assert any(m["type"] == "partial" for m in got)
    words = [w for m in finals for w in m["words"]]
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)
    assert word_error_rate(SENTENCE, " ".join(m["text"] for m in finals)) <= 0.35
    assert worker.active == 0


def test_undecodable_webm_is_an_invalid_audio_error(transcriber: Transcriber) -> None:
    worker = LiveWorker(transcriber, capacity=1)
    got = asyncio.run(_session(worker, {"type": "start", "encoding": "webm_opus"}, [b"not webm at all " * 200], {"type": "stop"}))
    assert got[-1]["type"] == "error" and got[-1]["code"] == "invalid_audio"
    assert worker.active == 0


def test_bad_start_and_a_full_worker(transcriber: Transcriber) -> None:
    worker = LiveWorker(transcriber, capacity=1)
    got = asyncio.run(_session(worker, {"type": "start", "encoding": "mp3"}, [], {"type": "stop"}))
    assert got == [{"type": "error", "code": "bad_message", "message": "encoding must be one of pcm_s16le, webm_opus"}]
    worker.active = 1  # as if another session held the only slot
    got = asyncio.run(_session(worker, {"type": "start", "encoding": "pcm_s16le"}, [], {"type": "stop"}))
    assert got == [{"type": "busy", "capacity": 1}]
