"""Queue of submitted runs, one dispatcher thread per warm worker, cancel and timeout.

State changes go through `RunStore` with "first writer wins" updates (only an active run can be
finished), so a cancel racing with completion leaves exactly one final state.
Timeouts count from submission (`start_time`), as Databricks counts cluster setup too; a run
still queued when its time is up is timed out by the watchdog without starting.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from pathlib import Path
from typing import Any, Optional

from .notifications import Notifier, event_for
from .store import Run, RunStore, now_ms
from .workers import Outcome, Worker, WorkerInitError

log = logging.getLogger("voyce.jobs")

RESTART_MESSAGE = "The jobs runtime restarted while this run was active; resubmit the run."
SHUTDOWN_MESSAGE = "The jobs runtime shut down while this run was active; resubmit the run."

_LOG_NAMES = {"ok": "SUCCESS", "error": "FAILED", "cancelled": "CANCELED", "timedout": "TIMEDOUT",
              "shutdown": "INTERNAL_ERROR (shutdown)", "crashed": "INTERNAL_ERROR (worker died)"}


def _deadline(run: Run) -> Optional[int]:
    return run.start_time + run.timeout_seconds * 1000 if run.timeout_seconds > 0 else None


class Scheduler:
    def __init__(self, store: RunStore, workers: int, scratch_root: Path, notifier: Optional[Notifier] = None) -> None:
        self.store = store
        self.notifier = notifier or Notifier({})
        self.workers = [Worker(i, scratch_root) for i in range(workers)]
        self._queue: "queue.Queue[int]" = queue.Queue()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._cancel: dict[int, threading.Event] = {}
        self._busy: set[int] = set()
        self._started_once = threading.Event()
        self._init_error: Optional[str] = None
        self._threads: list[threading.Thread] = []

    # lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        swept = self.store.fail_active_after_restart(RESTART_MESSAGE)
        if swept:
            log.warning("marked %d run(s) left active by a previous runtime as INTERNAL_ERROR", swept)
        for w in self.workers:
            t = threading.Thread(target=self._dispatch_loop, args=(w,), name=f"dispatch-{w.index}", daemon=True)
            t.start()
            self._threads.append(t)
        t = threading.Thread(target=self._watchdog, name="watchdog", daemon=True)
        t.start()
        self._threads.append(t)

    def wait_ready(self, timeout: float) -> None:
        """Block until every worker has loaded its models once; raise on a load failure."""
        deadline = time.monotonic() + timeout
        while not all(w.ready for w in self.workers):
            if self._init_error:
                raise WorkerInitError(self._init_error)
            if time.monotonic() > deadline:
                raise WorkerInitError(f"workers not ready after {timeout:.0f}s")
            time.sleep(0.05)
        self._started_once.set()

    @property
    def ready(self) -> bool:
        return self._started_once.is_set()

    def health(self) -> dict[str, int]:
        with self._lock:
            busy = len(self._busy)
        return {"total": len(self.workers), "ready": sum(w.ready for w in self.workers), "busy": busy,
                "queued": self._queue.qsize()}

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=10)

    # API operations -------------------------------------------------------------------------
    def submit(self, run: Run) -> None:
        self._queue.put(run.run_id)

    def cancel(self, run: Run) -> None:
        """Pending: final at once. Running: the dispatcher kills the worker and records CANCELED."""
        with self._lock:
            self._cancel.setdefault(run.run_id, threading.Event()).set()
        if self._finish(run.run_id, "TERMINATED", "CANCELED", "Run cancelled.",
                             user_cancelled_or_timedout=True, only_pending=True):
            log.info("run %d cancelled before it started", run.run_id)

    # internals ------------------------------------------------------------------------------
    def _finish(self, run_id: int, life_cycle_state: str, result_state: Optional[str], state_message: str,
                **final: Any) -> bool:
        """store.finish, then the run's on_success/on_failure notifications if this call ended it."""
        if not self.store.finish(run_id, life_cycle_state, result_state, state_message, **final):
            return False
        run = self.store.get(run_id)
        if run is not None:
            self.notifier.notify(run.webhooks, event_for(run.life_cycle_state, run.result_state), run.run_id, run.run_name)
        return True

    def _watchdog(self) -> None:
        while not self._stop.wait(0.5):
            for run_id in self.store.pending_ids():
                run = self.store.get(run_id)
                dl = _deadline(run) if run else None
                if run and dl is not None and now_ms() >= dl:
                    if self._finish(run_id, "TERMINATED", "TIMEDOUT",
                                         f"Run timed out after {run.timeout_seconds}s while queued.",
                                         user_cancelled_or_timedout=True, only_pending=True):
                        log.info("run %d timed out while queued", run_id)

    def _dispatch_loop(self, worker: Worker) -> None:
        while not self._stop.is_set():
            if not worker.ready:
                try:
                    worker.start(self._stop)
                except WorkerInitError as exc:
                    if not self._stop.is_set():
                        log.error("%s", exc)
                        self._init_error = str(exc)
                    return
            try:
                run_id = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self._execute(worker, run_id)
        worker.stop()

    def _execute(self, worker: Worker, run_id: int) -> None:
        with self._lock:
            cancel = self._cancel.setdefault(run_id, threading.Event())
        try:
            run = self.store.get(run_id)
            if run is None or cancel.is_set() or not self.store.mark_running(run_id):
                return  # cancelled or timed out while queued
            self.notifier.notify(run.webhooks, "on_start", run.run_id, run.run_name)
            with self._lock:
                self._busy.add(worker.index)
            log.info("run %d (%s, task run %d) started on worker %d", run_id, run.notebook_path,
                     run.task_run_id, worker.index)
            t0 = time.perf_counter()
            outcome = worker.run(run_id, run.notebook_path, run.params, _deadline(run), cancel, self._stop)
            self._record(run, outcome)
            log.info("run %d ended %s in %.0f ms", run_id, _LOG_NAMES.get(outcome.kind, outcome.kind.upper()), (time.perf_counter() - t0) * 1000)
        finally:
            with self._lock:
                self._cancel.pop(run_id, None)
                self._busy.discard(worker.index)

    def _record(self, run: Run, o: Outcome) -> None:
        rid = run.run_id
        if o.kind == "ok":
            self._finish(rid, "TERMINATED", "SUCCESS", "", result_json=o.result_json)
        elif o.kind == "error":
            self._finish(rid, "TERMINATED", "FAILED", (o.error or "")[:1000], error=o.error, error_trace=o.error_trace)
        elif o.kind == "cancelled":
            self._finish(rid, "TERMINATED", "CANCELED", "Run cancelled.", user_cancelled_or_timedout=True)
        elif o.kind == "timedout":
            self._finish(rid, "TERMINATED", "TIMEDOUT", f"Run timed out after {run.timeout_seconds}s.",
                              user_cancelled_or_timedout=True)
        elif o.kind == "shutdown":
            self._finish(rid, "INTERNAL_ERROR", "FAILED", SHUTDOWN_MESSAGE, error=SHUTDOWN_MESSAGE)
        else:
            self._finish(rid, "INTERNAL_ERROR", "FAILED", o.error or "worker crashed", error=o.error)
