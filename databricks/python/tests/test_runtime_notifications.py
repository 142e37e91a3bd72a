"""Webhook notifications of the local jobs runtime: the destinations mapping, the submit's shape, the payload,
basic auth and retries — the pieces alone, then end to end over HTTP with a real receiver."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

import pytest

from voyce_ml.runtime.notifications import (
    Destination,
    NotificationConfigError,
    Notifier,
    event_for,
    parse_destinations,
    validate_request,
)

from .conftest import Runtime

DEST = {"d1": Destination("d1", "http://127.0.0.1:9/hook", "voyce", "s3cret")}


def test_destinations_from_the_environment_variable() -> None:
    got = parse_destinations('{"d1": {"url": "http://127.0.0.1:1/x", "username": "u", "password": "p"}, "d2": {"url": "https://e/y"}}')
    assert got["d1"] == Destination("d1", "http://127.0.0.1:1/x", "u", "p") and got["d2"].password is None
    assert parse_destinations("") == {} and parse_destinations(None) == {}
    for bad in ("not json", "[1]", '{"d": {"url": "ftp://x"}}', '{"d": {"url": "http://x", "password": 3}}'):
        with pytest.raises(NotificationConfigError):
            parse_destinations(bad)


def test_basic_auth_header_only_with_credentials() -> None:
    h = DEST["d1"].headers()
    assert h["Authorization"] == "Basic " + base64.b64encode(b"voyce:s3cret").decode()
    assert "Authorization" not in Destination("x", "http://h/").headers()


def test_submit_shape_is_validated() -> None:
    assert validate_request(None, DEST) is None
    ok = validate_request({"on_success": [{"id": "d1"}], "on_failure": [{"id": "d1"}], "on_start": [],
                           "on_duration_warning_threshold_exceeded": [{"id": "d1"}]}, DEST)
    assert ok == {"on_success": ["d1"], "on_failure": ["d1"]}
    for bad, msg in (
        ("x", "must be an object"),
        ({"on_end": [{"id": "d1"}]}, "not a notification event"),
        ({"on_success": {"id": "d1"}}, "must be a list"),
        ({"on_success": [{"id": "d1"}] * 4}, "at most 3"),
        ({"on_success": ["d1"]}, "entries must be"),
        ({"on_success": [{"id": "nope"}]}, "'nope' does not exist"),
    ):
        with pytest.raises(NotificationConfigError, match=msg):
            validate_request(bad, DEST)


def test_event_for_each_state() -> None:
    assert event_for("RUNNING", None) == "on_start"
    assert event_for("PENDING", None) is None
    assert event_for("TERMINATED", "SUCCESS") == "on_success"
    for final in (("TERMINATED", "FAILED"), ("TERMINATED", "CANCELED"), ("TERMINATED", "TIMEDOUT"), ("INTERNAL_ERROR", "FAILED")):
        assert event_for(*final) == "on_failure"


def test_a_failed_delivery_is_retried_then_given_up() -> None:
    answers = iter([500, ConnectionRefusedError("refused"), 204])
    sent: list[dict[str, Any]] = []

    def send(dest: Destination, body: bytes) -> int:
        sent.append(json.loads(body))
        a = next(answers)
        if isinstance(a, Exception):
            raise a
        return a

    n = Notifier(DEST, send, delays=(0, 0, 0))
    for t in n.notify({"on_success": ["d1"]}, "on_success", 42, "voyce-transcription-x"):
        t.join(5)
    assert len(sent) == 3 and n.delivered == 1 and n.given_up == 0
    assert sent[0] == {"event_type": "jobs.on_success", "workspace_id": "local", "run": {"run_id": 42, "run_name": "voyce-transcription-x"}}

    always_401 = Notifier(DEST, lambda d, b: 401, delays=(0, 0))
    for t in always_401.notify({"on_failure": ["d1"]}, "on_failure", 43, "r"):
        t.join(5)
    assert always_401.delivered == 0 and always_401.given_up == 1
    assert Notifier(DEST, send).notify({"on_failure": ["d1"]}, "on_success", 44, "r") == []  # not subscribed


class Receiver:
    """A webhook receiver on loopback: records (authorization, body); the first `fail_first` answers are 503."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_first = fail_first
        self.got = threading.Condition()
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with outer.got:
                    outer.calls.append((self.headers.get("Authorization", ""), body))
                    failing = len(outer.calls) <= outer.fail_first
                    outer.got.notify_all()
                self.send_response(503 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/run-events"

    def wait_for(self, pred: Callable[[list[tuple[str, dict[str, Any]]]], bool], timeout: float = 30) -> None:
        with self.got:
            assert self.got.wait_for(lambda: pred(self.calls), timeout), self.calls


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=1)
    yield r
    r.server.shutdown()


def test_runtime_posts_start_and_end_of_a_run(start_runtime: Callable[..., Runtime], receiver: Receiver) -> None:
    dests = {"voyce": {"url": receiver.url, "username": "voyce", "password": "pw"}}
    rt = start_runtime(token="t", env_extra={"VOYCE_JOBS_WEBHOOK_DESTINATIONS": json.dumps(dests)})
    status, err = rt.call("POST", "/api/2.1/jobs/runs/submit", {"tasks": [{"task_key": "t", "notebook_task": {
        "notebook_path": "/x/03_sentiment_analysis", "base_parameters": {"text": "x"}}}],
        "webhook_notifications": {"on_success": [{"id": "other"}]}})
    assert status == 400 and err["error_code"] == "INVALID_PARAMETER_VALUE" and "'other' does not exist" in err["message"]

    hooks = {"on_start": [{"id": "voyce"}], "on_success": [{"id": "voyce"}], "on_failure": [{"id": "voyce"}]}
    ok = rt.submit("03_sentiment_analysis", {"submission_id": "s1", "text": "I love it"}, webhook_notifications=hooks)
    assert rt.wait_terminal(ok)["state"]["result_state"] == "SUCCESS"
    # on_start answered 503 once and was retried; then on_success
    # each event is delivered on a thread of its own: the on_start retry (after 0.25 s) may land after on_success
    receiver.wait_for(lambda calls: [b["event_type"] for _, b in calls].count("jobs.on_start") == 2
                      and any(b["event_type"] == "jobs.on_success" for _, b in calls))
    events = [b["event_type"] for _, b in receiver.calls]
    assert events.count("jobs.on_start") == 2 and events.count("jobs.on_success") == 1
    assert all(auth == "Basic " + base64.b64encode(b"voyce:pw").decode() for auth, _ in receiver.calls)
    assert all(b["run"]["run_id"] == ok for _, b in receiver.calls)

    bad = rt.submit("02_voice_processing", {"submission_id": "s2", "audio_url": "http://127.0.0.1:9/none.wav"},
                    webhook_notifications={"on_failure": [{"id": "voyce"}]})
    assert rt.wait_terminal(bad)["state"]["result_state"] == "FAILED"
    receiver.wait_for(lambda calls: any(b["event_type"] == "jobs.on_failure" and b["run"]["run_id"] == bad for _, b in calls))
