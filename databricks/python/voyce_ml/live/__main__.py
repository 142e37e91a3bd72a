"""`python -m voyce_ml.live --host 127.0.0.1 --port 8766 --sessions 2`

Loads Whisper (the batch path's model code and VAD) once, warms it up, then listens; the one stdout line
`live worker listening on tcp://HOST:PORT` says it is ready (the port opens only then). SIGTERM/SIGINT end it.
Environment: VOYCE_LIVE_SESSIONS (default: the number of cores), VOYCE_WHISPER_THREADS (per decode, default 1).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from typing import Optional

from ..transcription import Transcriber
from .server import LiveWorker


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m voyce_ml.live", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=os.environ.get("VOYCE_LIVE_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("VOYCE_LIVE_PORT", "8766")))
    p.add_argument("--sessions", type=int, default=int(os.environ.get("VOYCE_LIVE_SESSIONS", str(os.cpu_count() or 1))),
                   help="sessions decoded at once (each takes one core while someone speaks)")
    p.add_argument("--log-level", default=os.environ.get("VOYCE_LIVE_LOG_LEVEL", "INFO"))
    args = p.parse_args(argv)
    if args.sessions < 1:
        p.error("--sessions must be >= 1")
    return args


async def _serve(args: argparse.Namespace) -> None:
    threads = int(os.environ.get("VOYCE_WHISPER_THREADS", "1"))
    transcriber = Transcriber(cpu_threads=threads, num_workers=args.sessions)
    transcriber.warm_up()
    worker = LiveWorker(transcriber, args.sessions)
    server = await asyncio.start_server(worker.serve, args.host, args.port)
    print(f"live worker listening on tcp://{args.host}:{args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s live-worker %(levelname)s %(message)s")
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
