"""The live worker's TCP server: one connection per session, at most `capacity` sessions decoding at once
(one model shared by `capacity` decoding threads); past that a `start` is answered `busy`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..transcription import Transcriber
from .protocol import ProtocolError, encode_json, read_frame
from .session import STOP_BUDGET_S, LiveSession, SessionError, parse_start

log = logging.getLogger("voyce.live")
START_TIMEOUT_S = 10.0


class LiveWorker:
    def __init__(self, transcriber: Transcriber, capacity: int, stop_budget_s: float = STOP_BUDGET_S) -> None:
        self.transcriber = transcriber
        self.capacity = capacity
        self.stop_budget_s = stop_budget_s
        self.active = 0
        self._executor = ThreadPoolExecutor(max_workers=capacity, thread_name_prefix="live-decode")

    def status(self) -> dict[str, Any]:
        return {"type": "status", "capacity": self.capacity, "active": self.active}

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def send(message: dict[str, Any]) -> None:
            writer.write(encode_json(message))
            await writer.drain()

        try:
            await self._converse(reader, send)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the API went away: nothing to answer
        except Exception:  # a fault of ours must end this session only, never the worker
            log.exception("live session failed")
            with contextlib.suppress(Exception):
                await send({"type": "error", "code": "live_worker_fault", "message": "The live recogniser failed."})
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _converse(self, reader: asyncio.StreamReader, send: Any) -> None:
        try:
            first = await asyncio.wait_for(read_frame(reader), START_TIMEOUT_S)
        except (ProtocolError, asyncio.TimeoutError):
            return
        if not isinstance(first, dict):
            return
        if first["type"] == "status":
            await send(self.status())
            return
        if first["type"] != "start":
            await send({"type": "error", "code": "bad_message", "message": "the first message must be start"})
            return
        if self.active >= self.capacity:
            await send({"type": "busy", "capacity": self.capacity})
            return
        self.active += 1
        session: LiveSession | None = None
        try:
            encoding, rate, language = parse_start(first)
            session = LiveSession(self.transcriber, self._executor, send, language, self.stop_budget_s)
            await session.open(encoding, rate)
            await send({"type": "ready", "capacity": self.capacity})
            while (frame := await read_frame(reader)) is not None:
                if await session.handle(frame):
                    session = None
                    return
        except (SessionError, ProtocolError) as exc:
            code = exc.code if isinstance(exc, SessionError) else "bad_message"
            await send({"type": "error", "code": code, "message": str(exc)})
        finally:
            self.active -= 1
            if session is not None:
                await session.abort()
