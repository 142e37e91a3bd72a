"""The local jobs runtime end to end over HTTP, as the TypeScript Jobs client will use it."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Callable

import pytest

from voyce_ml import tasks
from voyce_ml.metrics import word_error_rate

from .conftest import REFERENCE, Runtime

TOKEN = "test-token"
API = "/api/2.1/jobs/runs"


@pytest.fixture
def rt(start_runtime: Callable[..., Runtime]) -> Runtime:
    return start_runtime(token=TOKEN)


def test_health_and_auth(rt: Runtime) -> None:
    status, health = rt.call("GET", "/health", token=None)
    assert status == 200 and health["status"] == "ok" and health["workers"]["ready"] == 1
    status, err = rt.call("GET", f"{API}/list", token=None)
    assert status == 401 and err["error_code"] == "UNAUTHENTICATED"
    status, err = rt.call("GET", f"{API}/list", token="wrong")
    assert status == 401


def test_voice_run_success_idempotency_and_output(rt: Runtime, audio_server: str) -> None:
    params = {"submission_id": "s1", "audio_url": f"{audio_server}/speech.wav"}
    run_id = rt.submit("02_voice_processing", params, idempotency_token="sub-s1-transcribe")
    assert rt.submit("02_voice_processing", params, idempotency_token="sub-s1-transcribe") == run_id
    run = rt.wait_terminal(run_id)
    assert run["state"]["life_cycle_state"] == "TERMINATED", run
    assert run["state"]["result_state"] == "SUCCESS", run
    task = run["tasks"][0]
    assert task["run_id"] != run_id and task["task_key"] == "t"
    assert run["end_time"] >= run["start_time"] > 0 and run["execution_duration"] > 0

    for rid in (task["run_id"], run_id):  # task run id (Databricks) or parent id (single-task runs)
        status, out = rt.call("GET", f"{API}/get-output?run_id={rid}")
        assert status == 200, out
        assert out["metadata"]["run_id"] == task["run_id"] and out["notebook_output"]["truncated"] is False
        result = json.loads(out["notebook_output"]["result"])
        assert word_error_rate(REFERENCE, result["text"]) <= 0.35
        assert result["model"]["name"] == "faster-whisper-base"  # the default policy (whisper_models.DEFAULT_POLICY)

    status, listed = rt.call("GET", f"{API}/list?limit=5")
    assert status == 200 and [r["run_id"] for r in listed["runs"]] == [run_id] and listed["has_more"] is False


def test_sentiment_run_and_failed_run(rt: Runtime, audio_server: str) -> None:
    ok = rt.submit("03_sentiment_analysis", {"submission_id": "s1", "text": "I hate this, it is broken"})
    bad = rt.submit("02_voice_processing", {"submission_id": "s2", "audio_url": f"{audio_server}/garbage.wav"})
    assert rt.wait_terminal(ok)["state"]["result_state"] == "SUCCESS"
    _, out = rt.call("GET", f"{API}/get-output?run_id={ok}")
    result = json.loads(out["notebook_output"]["result"])
    assert result["sentiment"]["label"] == "negative" and result["model_version"].startswith("voyce-clf-")
    # the runtime answers exactly what a direct call of the package (= the Databricks notebook) answers
    direct = tasks.run_task("03_sentiment_analysis", {"submission_id": "s1", "text": "I hate this, it is broken"})
    assert {k: v for k, v in result.items() if k != "timings"} == {k: v for k, v in direct.items() if k != "timings"}

    run = rt.wait_terminal(bad)
    assert run["state"]["result_state"] == "FAILED"
    _, out = rt.call("GET", f"{API}/get-output?run_id={bad}")
    assert "notebook_output" not in out and "AudioDecodeError" in out["error"] and out["error_trace"]


def test_errors(rt: Runtime) -> None:
    status, err = rt.call("GET", f"{API}/get?run_id=987654")
    assert status == 404 and err["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    status, err = rt.call("POST", f"{API}/submit", {"run_name": "x", "tasks": [
        {"task_key": "t", "notebook_task": {"notebook_path": "/x/04_unknown", "base_parameters": {}}}]})
    assert status == 400 and err["error_code"] == "INVALID_PARAMETER_VALUE" and "unknown notebook" in err["message"]
    status, err = rt.call("POST", f"{API}/submit", {"run_name": "x", "tasks": []})
    assert status == 400 and "exactly one task" in err["message"]
    status, err = rt.call("POST", f"{API}/cancel", {"run_id": 987654})
    assert status == 404


def test_cancel_pending_and_running(rt: Runtime, audio_server: str) -> None:
    slow = {"submission_id": "s", "audio_url": f"{audio_server}/slow.wav"}
    running = rt.submit("02_voice_processing", slow)
    pending = rt.submit("03_sentiment_analysis", {"submission_id": "s", "text": "fine"})  # queued behind it
    rt.wait(running, lambda r: r["state"]["life_cycle_state"] == "RUNNING")
    assert rt.get(pending)["state"]["life_cycle_state"] == "PENDING"
    _, active = rt.call("GET", f"{API}/list?active_only=true")
    assert {r["run_id"] for r in active["runs"]} == {running, pending}

    assert rt.call("POST", f"{API}/cancel", {"run_id": pending}) == (200, {})
    assert rt.get(pending)["state"]["result_state"] == "CANCELED"
    assert rt.call("POST", f"{API}/cancel", {"run_id": running}) == (200, {})
    run = rt.wait_terminal(running, timeout=15)
    assert run["state"]["life_cycle_state"] == "TERMINATED" and run["state"]["result_state"] == "CANCELED"
    assert rt.get(pending)["tasks"][0]["execution_duration"] == 0  # never started
    scratch = Path(f"{rt.state_file}.scratch")
    assert scratch.is_dir() and not any(p.is_file() for p in scratch.rglob("*"))  # killed run's download removed

    # the slot's worker was replaced: later runs still work
    after = rt.submit("03_sentiment_analysis", {"submission_id": "s", "text": "great"})
    assert rt.wait_terminal(after, timeout=30)["state"]["result_state"] == "SUCCESS"


def test_timeout(rt: Runtime, audio_server: str) -> None:
    rid = rt.submit("02_voice_processing", {"submission_id": "s", "audio_url": f"{audio_server}/slow.wav"},
                    timeout_seconds=1)
    run = rt.wait_terminal(rid, timeout=15)
    assert run["state"]["result_state"] == "TIMEDOUT" and run["state"]["user_cancelled_or_timedout"] is True


def test_restart_mid_run_reports_internal_error(start_runtime: Callable[..., Runtime], tmp_path: Path,
                                                audio_server: str) -> None:
    state = tmp_path / "restart.sqlite"
    first = start_runtime(state_file=state)
    done = first.submit("03_sentiment_analysis", {"submission_id": "s", "text": "nice"})
    first.wait_terminal(done)
    rid = first.submit("02_voice_processing", {"submission_id": "s", "audio_url": f"{audio_server}/slow.wav"},
                       idempotency_token="restart-token")
    first.wait(rid, lambda r: r["state"]["life_cycle_state"] == "RUNNING")
    deadline = time.monotonic() + 10
    while not [p for p in Path(f"{state}.scratch").rglob("*") if p.is_file()]:  # download has begun
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first.stop(signal.SIGKILL)
    assert [p for p in Path(f"{state}.scratch").rglob("*") if p.is_file()]  # the crash left it behind ...

    second = start_runtime(state_file=state)
    assert not [p for p in Path(f"{state}.scratch").rglob("*") if p.is_file()]  # ... the restart wiped it
    run = second.get(rid)
    assert run["state"]["life_cycle_state"] == "INTERNAL_ERROR"
    assert "restarted" in run["state"]["state_message"]
    assert second.get(done)["state"]["result_state"] == "SUCCESS"  # finished runs survive too
    _, out = second.call("GET", f"{API}/get-output?run_id={rid}")
    assert "restarted" in out["error"]
    # a fresh submission gets a new, never-reused id
    new = second.submit("03_sentiment_analysis", {"submission_id": "s", "text": "ok"})
    assert new > rid
    assert second.stop(signal.SIGTERM) == 0


def test_batch_inference_runs_through_the_runtime(rt: Runtime) -> None:
    items = json.dumps([{"submission_id": "a", "text": "please fix the login, it is broken"}, {"submission_id": "b", "text": ""}])
    rid = rt.submit("06_batch_inference", {"items": items})
    assert rt.wait_terminal(rid)["state"]["result_state"] == "SUCCESS"
    _, out = rt.call("GET", f"{API}/get-output?run_id={rid}")
    result = json.loads(out["notebook_output"]["result"])
    direct = tasks.run_task("06_batch_inference", {"items": items})
    strip = lambda rows: [{**r, "analysis": {k: v for k, v in r["analysis"].items() if k != "timings"}} for r in rows]  # noqa: E731
    assert result["count"] == 2 and strip(result["results"]) == strip(direct["results"])
