"""`python -m voyce_ml.runtime --host 127.0.0.1 --port 8765 --state-file runs.sqlite --workers 1`

Start order: open the SQLite state (runs left active by a dead runtime become INTERNAL_ERROR),
start serving HTTP (so /health can answer 503 while loading), spawn the warm workers, and once
every worker has loaded its models print exactly one stdout line
`jobs runtime listening on http://HOST:PORT` (starter scripts may wait for it or poll /health).
SIGTERM/SIGINT: stop accepting, kill workers, mark in-flight runs INTERNAL_ERROR, exit 0.
Exit code 1 if a worker cannot load its models, 2 if VOYCE_JOBS_WEBHOOK_DESTINATIONS is malformed
(webhook notifications: see notifications.py).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Optional

from .api import JobsApi, make_server
from .notifications import NotificationConfigError, Notifier
from .scheduler import Scheduler
from .store import RunStore
from .workers import WorkerInitError

log = logging.getLogger("voyce.jobs")


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m voyce_ml.runtime", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=os.environ.get("VOYCE_JOBS_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("VOYCE_JOBS_PORT", "8765")))
    p.add_argument("--state-file", default=os.environ.get("VOYCE_JOBS_STATE_FILE", "jobs-runtime.sqlite"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("VOYCE_JOBS_WORKERS", "1")))
    p.add_argument("--ready-timeout", type=float, default=180.0, help="seconds to wait for model load")
    p.add_argument("--log-level", default=os.environ.get("VOYCE_JOBS_LOG_LEVEL", "INFO"))
    args = p.parse_args(argv)
    if args.workers < 1:
        p.error("--workers must be >= 1")
    return args


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s jobs-runtime %(levelname)s %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        notifier = Notifier.from_env()
    except NotificationConfigError as exc:
        log.error("%s", exc)
        return 2
    Path(args.state_file).parent.mkdir(parents=True, exist_ok=True)
    store = RunStore(args.state_file)
    # Workers download into per-worker dirs here; wiped at start, since a killed runtime leaves files.
    scratch = Path(f"{args.state_file}.scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    scheduler = Scheduler(store, args.workers, scratch, notifier)
    server = make_server(args.host, args.port, JobsApi(store, scheduler))
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if not stopping.is_set():
            log.info("received %s, shutting down", signal.Signals(signum).name)
            stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    scheduler.start()
    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    serve.start()
    code = 0
    try:
        errors: list[BaseException] = []
        ready = threading.Thread(target=_capture, args=(scheduler.wait_ready, errors, args.ready_timeout), daemon=True)
        ready.start()
        while ready.is_alive() and not stopping.is_set():
            ready.join(0.1)
        if errors:
            raise errors[0]
        if not stopping.is_set():
            host, port = server.server_address[:2]
            print(f"jobs runtime listening on http://{host}:{port}", flush=True)
            log.info("%d worker(s) ready; state in %s", args.workers, args.state_file)
        while not stopping.wait(0.5):
            pass
    except WorkerInitError as exc:
        log.error("workers failed to start: %s", exc)
        code = 1
    finally:
        server.shutdown()
        server.server_close()
        scheduler.stop()
        store.close()
        shutil.rmtree(scratch, ignore_errors=True)
        log.info("stopped")
    return code


def _capture(fn: Callable[..., object], errors: list[BaseException], *args: object) -> None:
    """Run fn in a thread (so signals stay responsive) and hand its exception to the main thread."""
    try:
        fn(*args)
    except BaseException as exc:  # handed to the main thread
        errors.append(exc)


if __name__ == "__main__":
    sys.exit(main())
