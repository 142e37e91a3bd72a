"""The framed TCP protocol between the API and a live worker, one connection per live session.

A frame is one kind byte (`J` a UTF-8 JSON object, `A` audio bytes), a 4-byte big-endian length and the payload.
API -> worker: `J {"type": "start", "encoding", "sampleRate", "language"?}`, `A` frames, then `J {"type": "stop"}`
(or `cancel`, or just closing). `J {"type": "status"}` instead of `start` asks for capacity and load.
Worker -> API: `ready` | `busy`, then `partial` / `final` (`text`, `words`, `audioSeconds`, `lagSeconds`),
`done` after `stop` (`audioSeconds`), or `error` (`code`, `message`); the worker closes after `done`/`error`.
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import Any, Union

JSON_KIND = b"J"
AUDIO_KIND = b"A"
MAX_FRAME_BYTES = 1 << 20
_HEADER = struct.Struct(">cI")


class ProtocolError(Exception):
    """The peer sent something that is not a frame of this protocol."""


Frame = Union[dict[str, Any], bytes]


def encode_json(message: dict[str, Any]) -> bytes:
    payload = json.dumps(message, separators=(",", ":")).encode()
    return _HEADER.pack(JSON_KIND, len(payload)) + payload


def encode_audio(data: bytes) -> bytes:
    return _HEADER.pack(AUDIO_KIND, len(data)) + data


async def read_frame(reader: asyncio.StreamReader) -> Frame | None:
    """The next frame: a dict (JSON) or bytes (audio); None at a clean end of stream."""
    try:
        header = await reader.readexactly(_HEADER.size)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProtocolError("the stream ended inside a frame header") from exc
        return None
    kind, length = _HEADER.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"a frame of {length} bytes is over the limit of {MAX_FRAME_BYTES}")
    try:
        payload = await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("the stream ended inside a frame") from exc
    if kind == AUDIO_KIND:
        return payload
    if kind != JSON_KIND:
        raise ProtocolError(f"unknown frame kind {kind!r}")
    try:
        message = json.loads(payload)
    except ValueError as exc:
        raise ProtocolError("a JSON frame is not valid JSON") from exc
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError('a JSON frame must be an object with a string "type"')
    return message
