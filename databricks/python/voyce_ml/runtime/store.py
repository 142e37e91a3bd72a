"""Runs persisted in SQLite, so `runs/get` answers after a restart and ids never repeat.

One row per submitted run (we support exactly one task per run). The parent run id and the task
run id both come from one AUTOINCREMENT sequence, so they are distinct, like Databricks'.
A single connection guarded by a lock is plenty for this load and keeps SQLite simple.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ACTIVE_STATES = ("PENDING", "RUNNING")

SCHEMA = """
CREATE TABLE IF NOT EXISTS id_seq (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER);
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY,
  task_run_id INTEGER NOT NULL UNIQUE,
  run_name TEXT NOT NULL,
  task_key TEXT NOT NULL,
  notebook_path TEXT NOT NULL,
  params_json TEXT NOT NULL,
  idempotency_token TEXT UNIQUE,
  timeout_seconds INTEGER NOT NULL DEFAULT 0,
  life_cycle_state TEXT NOT NULL,
  result_state TEXT,
  state_message TEXT NOT NULL DEFAULT '',
  user_cancelled_or_timedout INTEGER NOT NULL DEFAULT 0,
  start_time INTEGER NOT NULL,
  exec_start_time INTEGER,
  end_time INTEGER,
  result_json TEXT,
  error TEXT,
  error_trace TEXT,
  webhooks_json TEXT
);
CREATE INDEX IF NOT EXISTS runs_state ON runs (life_cycle_state);
"""


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Run:
    run_id: int
    task_run_id: int
    run_name: str
    task_key: str
    notebook_path: str
    params: dict[str, str]
    idempotency_token: Optional[str]
    timeout_seconds: int
    life_cycle_state: str
    result_state: Optional[str]
    state_message: str
    user_cancelled_or_timedout: bool
    start_time: int
    exec_start_time: Optional[int]
    end_time: Optional[int]
    result_json: Optional[str] = field(default=None, repr=False)
    error: Optional[str] = None
    error_trace: Optional[str] = field(default=None, repr=False)
    # webhook_notifications of the submit, as {event: [destination id]} (see notifications.py)
    webhooks: Optional[dict[str, list[str]]] = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Run":
        d = dict(row)
        d["params"] = json.loads(d.pop("params_json"))
        d["user_cancelled_or_timedout"] = bool(d["user_cancelled_or_timedout"])
        raw = d.pop("webhooks_json", None)
        d["webhooks"] = json.loads(raw) if raw else None
        return cls(**d)


class RunStore:
    def __init__(self, path: str | Path) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        # State files written before webhook notifications existed lack the column.
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(runs)")}
        if "webhooks_json" not in columns:
            self._db.execute("ALTER TABLE runs ADD COLUMN webhooks_json TEXT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _next_id(self) -> int:
        cur = self._db.execute("INSERT INTO id_seq (at) VALUES (?)", (now_ms(),))
        return int(cur.lastrowid)

    def create(
        self,
        run_name: str,
        task_key: str,
        notebook_path: str,
        params: dict[str, str],
        idempotency_token: Optional[str],
        timeout_seconds: int,
        webhooks: Optional[dict[str, list[str]]] = None,
    ) -> tuple[Run, bool]:
        """Insert a PENDING run; with a known idempotency token return that run instead (created=False)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if idempotency_token:
                    row = self._db.execute(
                        "SELECT * FROM runs WHERE idempotency_token = ?", (idempotency_token,)
                    ).fetchone()
                    if row is not None:
                        self._db.execute("COMMIT")
                        return Run.from_row(row), False
                run_id, task_run_id = self._next_id(), self._next_id()
                self._db.execute(
                    "INSERT INTO runs (run_id, task_run_id, run_name, task_key, notebook_path, params_json,"
                    " idempotency_token, timeout_seconds, life_cycle_state, state_message, start_time, webhooks_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 'Waiting for a worker', ?, ?)",
                    (run_id, task_run_id, run_name, task_key, notebook_path, json.dumps(params),
                     idempotency_token or None, timeout_seconds, now_ms(), json.dumps(webhooks) if webhooks else None),
                )
                row = self._db.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return Run.from_row(row), True

    def get(self, run_id: int) -> Optional[Run]:
        """By parent run id or task run id."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM runs WHERE run_id = ? OR task_run_id = ?", (run_id, run_id)
            ).fetchone()
        return Run.from_row(row) if row else None

    def mark_running(self, run_id: int) -> bool:
        """PENDING -> RUNNING; False if the run is no longer pending (cancelled, timed out)."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE runs SET life_cycle_state='RUNNING', state_message='In run', exec_start_time=?"
                " WHERE run_id=? AND life_cycle_state='PENDING'",
                (now_ms(), run_id),
            )
        return cur.rowcount == 1

    def finish(
        self,
        run_id: int,
        life_cycle_state: str,
        result_state: Optional[str],
        state_message: str,
        *,
        result_json: Optional[str] = None,
        error: Optional[str] = None,
        error_trace: Optional[str] = None,
        user_cancelled_or_timedout: bool = False,
        only_pending: bool = False,
    ) -> bool:
        """Move an active run to a final state; False if it was already final (first writer wins)."""
        active = "('PENDING')" if only_pending else "('PENDING','RUNNING')"
        with self._lock:
            cur = self._db.execute(
                "UPDATE runs SET life_cycle_state=?, result_state=?, state_message=?, end_time=?,"
                " result_json=?, error=?, error_trace=?, user_cancelled_or_timedout=?"
                f" WHERE run_id=? AND life_cycle_state IN {active}",
                (life_cycle_state, result_state, state_message, now_ms(), result_json, error,
                 error_trace, int(user_cancelled_or_timedout), run_id),
            )
        return cur.rowcount == 1

    def fail_active_after_restart(self, message: str) -> int:
        """Runs left PENDING/RUNNING by a runtime that died: INTERNAL_ERROR, so callers resubmit."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE runs SET life_cycle_state='INTERNAL_ERROR', result_state='FAILED', state_message=?,"
                " end_time=?, error=? WHERE life_cycle_state IN ('PENDING','RUNNING')",
                (message, now_ms(), message),
            )
        return cur.rowcount

    def pending_ids(self) -> list[int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT run_id FROM runs WHERE life_cycle_state='PENDING' ORDER BY run_id"
            ).fetchall()
        return [int(r[0]) for r in rows]

    def list(self, limit: int, offset: int, active_only: bool, completed_only: bool) -> tuple[list[Run], bool]:
        """Newest first; returns (runs, has_more)."""
        where = ""
        if active_only:
            where = "WHERE life_cycle_state IN ('PENDING','RUNNING')"
        elif completed_only:
            where = "WHERE life_cycle_state NOT IN ('PENDING','RUNNING')"
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM runs {where} ORDER BY start_time DESC, run_id DESC LIMIT ? OFFSET ?",
                (limit + 1, offset),
            ).fetchall()
        runs = [Run.from_row(r) for r in rows]
        return runs[:limit], len(runs) > limit

