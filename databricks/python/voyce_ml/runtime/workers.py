"""Warm worker processes: each loads Whisper, VADER and the analyzer (MiniLM + classifier heads) once,
then runs tasks sent over a pipe.

Why our own `multiprocessing.Process` per slot instead of `ProcessPoolExecutor(initializer=...)`:
cancelling or timing out a *running* task means killing the process that runs it, and a killed
member breaks a whole ProcessPoolExecutor (BrokenProcessPool). With one process per slot we kill
and respawn just that slot (~6 s: torch/transformers imports + model loads) and the others keep going.
The `spawn` start method is used because the parent has threads (HTTP, dispatchers); forking a
threaded process can deadlock.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Optional

log = logging.getLogger("voyce.jobs")
_CTX = mp.get_context("spawn")
READY_TIMEOUT_S = 120.0


def _worker_main(conn: Connection, index: int, scratch: str) -> None:
    """Process entry: load models, say ready, then serve (run_id, notebook_path, params) forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group; the parent stops us
    tempfile.tempdir = scratch  # downloads land here; the parent removes it if it kills us
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s worker-{index} %(levelname)s %(message)s")
    logging.getLogger("faster_whisper").setLevel(logging.WARNING)  # per-clip INFO lines are noise here
    _exit_with_parent()
    try:
        from voyce_ml import tasks

        timings = tasks.load_models()
    except BaseException as exc:  # report why, so the runtime can fail fast with a reason
        conn.send(("init_error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        return
    conn.send(("ready", timings))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        run_id, notebook_path, params = msg
        try:
            result = tasks.run_task(notebook_path, params)
            conn.send(("ok", run_id, json.dumps(result)))
        except Exception as exc:
            conn.send(("error", run_id, f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def _exit_with_parent() -> None:
    """A runtime killed with SIGKILL cannot stop its workers; they notice the new parent and exit."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@dataclass
class Outcome:
    """How one task execution ended. kind: ok | error | cancelled | timedout | crashed | shutdown."""

    kind: str
    result_json: Optional[str] = None
    error: Optional[str] = None
    error_trace: Optional[str] = None


class WorkerInitError(RuntimeError):
    pass


class Worker:
    """One warm process. Not thread-safe: owned by exactly one dispatcher thread."""

    def __init__(self, index: int, scratch_root: Path) -> None:
        self.index = index
        self.scratch_root = scratch_root
        self.scratch: Optional[Path] = None
        self.proc: Optional[mp.process.BaseProcess] = None
        self.conn: Optional[Connection] = None
        self.ready = False
        self.load_timings: dict[str, float] = {}

    def start(self, stop: threading.Event) -> None:
        """Spawn and block until the models are loaded (raises WorkerInitError on failure)."""
        self.ready = False
        parent, child = _CTX.Pipe()
        t0 = time.perf_counter()
        self.scratch = Path(tempfile.mkdtemp(prefix=f"worker-{self.index}-", dir=self.scratch_root))
        self.proc = _CTX.Process(target=_worker_main, args=(child, self.index, str(self.scratch)), name=f"voyce-worker-{self.index}", daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not parent.poll(0.1):
            if stop.is_set():
                self.kill()
                raise WorkerInitError("stopping")
            if not self.proc.is_alive() or time.monotonic() > deadline:
                self.kill()
                raise WorkerInitError(f"worker {self.index} died or hung while loading models")
        msg = parent.recv()
        if msg[0] != "ready":
            self.kill()
            raise WorkerInitError(f"worker {self.index} could not load models: {msg[1]}\n{msg[2]}")
        self.load_timings = msg[1]
        self.ready = True
        log.info("worker %d ready in %.2fs (pid %s, %s)", self.index, time.perf_counter() - t0, self.proc.pid, msg[1])

    def run(
        self,
        run_id: int,
        notebook_path: str,
        params: dict[str, str],
        deadline_ms: Optional[int],
        cancel: threading.Event,
        stop: threading.Event,
    ) -> Outcome:
        """Execute one task; on cancel/timeout/shutdown the process is killed (caller restarts it)."""
        assert self.conn is not None and self.proc is not None
        self.conn.send((run_id, notebook_path, params))
        while True:
            try:
                if self.conn.poll(0.05):
                    msg = self.conn.recv()
                    if msg[0] == "ok":
                        return Outcome("ok", result_json=msg[2])
                    return Outcome("error", error=msg[2], error_trace=msg[3])
            except (EOFError, OSError):
                pass  # the process died; reported below
            for event, kind in ((cancel, "cancelled"), (stop, "shutdown")):
                if event.is_set():
                    self.kill()
                    return Outcome(kind)
            if deadline_ms is not None and time.time() * 1000 >= deadline_ms:
                self.kill()
                return Outcome("timedout")
            if not self.proc.is_alive():
                code = self.proc.exitcode
                self.kill()
                return Outcome("crashed", error=f"worker process died (exit code {code})")

    def kill(self) -> None:
        self.ready = False
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        if self.proc is not None:
            self.proc.join(timeout=5)
        if self.conn is not None:
            self.conn.close()
        self.proc, self.conn = None, None
        if self.scratch is not None:  # a killed task cannot delete its download
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def stop(self) -> None:
        """Polite stop (sentinel), then kill if it lingers."""
        if self.conn is not None and self.proc is not None and self.proc.is_alive():
            try:
                self.conn.send(None)
                self.proc.join(timeout=2)
            except (OSError, BrokenPipeError):
                pass
        self.kill()
