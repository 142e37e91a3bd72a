"""Runs rendered in the Databricks Jobs API 2.1 JSON shapes (times ms since epoch, durations ms).

For a one-task submit run Databricks reports the parent run and a `tasks[]` entry with its own
task run id; `runs/get-output` takes the task run id. setup_duration is the time queued for a
worker, execution_duration the time on it, cleanup_duration 0 (nothing to tear down).
"""

from __future__ import annotations

from typing import Any

from .store import Run, now_ms


def state(run: Run) -> dict[str, Any]:
    s: dict[str, Any] = {"life_cycle_state": run.life_cycle_state, "state_message": run.state_message,
                         "user_cancelled_or_timedout": run.user_cancelled_or_timedout}
    if run.result_state:
        s["result_state"] = run.result_state
    return s


def _durations(run: Run) -> dict[str, int]:
    end = run.end_time or now_ms()
    exec_start = run.exec_start_time
    setup = (exec_start if exec_start is not None else end) - run.start_time
    execution = (end - exec_start) if exec_start is not None else 0
    if run.end_time is None:  # Databricks reports 0 until the phase is over
        setup = setup if exec_start is not None else 0
        execution = 0
    return {"setup_duration": max(0, setup), "execution_duration": max(0, execution), "cleanup_duration": 0}


def task_run(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.task_run_id,
        "task_key": run.task_key,
        "notebook_task": {"notebook_path": run.notebook_path, "base_parameters": run.params, "source": "WORKSPACE"},
        "state": state(run),
        "start_time": run.start_time,
        "end_time": run.end_time or 0,
        **_durations(run),
        "attempt_number": 0,
    }


def parent_run(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "run_name": run.run_name,
        "run_type": "SUBMIT_RUN",
        "state": state(run),
        "tasks": [task_run(run)],
        "start_time": run.start_time,
        "end_time": run.end_time or 0,
        **_durations(run),
        "run_duration": ((run.end_time or now_ms()) - run.start_time),
        "format": "MULTI_TASK",
    }


def run_output(run: Run) -> dict[str, Any]:
    """get-output: notebook_output on success, error/error_trace on failure, metadata always."""
    out: dict[str, Any] = {"metadata": task_run(run)}
    if run.result_state == "SUCCESS" and run.result_json is not None:
        out["notebook_output"] = {"result": run.result_json, "truncated": False}
    elif run.error:
        out["error"] = run.error
        if run.error_trace:
            out["error_trace"] = run.error_trace
    return out
