"""Webhook notifications of a run's start and end, as Databricks sends them to notification destinations.

`runs/submit` may carry `webhook_notifications: {"on_start": [{"id": …}], "on_success": […], "on_failure": […]}`
(at most 3 destinations per event, as Databricks). In a workspace the ids name notification destinations an admin
created (generic webhook: URL plus optional basic-auth username and password); this runtime reads the same
destinations from `VOYCE_JOBS_WEBHOOK_DESTINATIONS`, a JSON object `{"<id>": {"url": …, "username": …, "password": …}}`.
An id that is not configured is refused at submit (INVALID_PARAMETER_VALUE), so a typo fails loudly.

The body is the Databricks job webhook payload, `{"event_type": "jobs.on_success", "workspace_id": …, "run":
{"run_id": …}}` (`jobs.on_start`, `jobs.on_failure`; a cancelled or timed-out run counts as a failure). Delivery
happens on a thread of its own, so a slow receiver never holds a worker slot, and is retried a few times with
backoff on a refused connection, a timeout or a non-2xx answer; then it is given up (logged): a receiver must keep
a fallback (the Voyce worker polls `runs/get` slowly).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Optional

log = logging.getLogger("voyce.jobs")

EVENTS = ("on_start", "on_success", "on_failure")
# Accepted (Databricks has them) but never sent by this runtime: runs here have no duration thresholds or streams.
IGNORED_EVENTS = ("on_duration_warning_threshold_exceeded", "on_streaming_backlog_exceeded")
MAX_PER_EVENT = 3
RETRY_DELAYS_S = (0.25, 1.0, 4.0)  # 4 attempts in all
TIMEOUT_S = 5.0
WORKSPACE_ID = "local"


class NotificationConfigError(ValueError):
    """The destinations variable or a submit's webhook_notifications is malformed."""


@dataclass(frozen=True)
class Destination:
    id: str
    url: str
    username: Optional[str] = None
    password: Optional[str] = None

    def headers(self) -> dict[str, str]:
        h = {"Content-Type": "application/json", "User-Agent": "voyce-jobs-runtime/0.1"}
        if self.username is not None or self.password is not None:
            token = base64.b64encode(f"{self.username or ''}:{self.password or ''}".encode()).decode()
            h["Authorization"] = f"Basic {token}"
        return h


def parse_destinations(raw: Optional[str]) -> dict[str, Destination]:
    """`VOYCE_JOBS_WEBHOOK_DESTINATIONS` → destinations by id; empty or unset: none."""
    if not raw or not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotificationConfigError(f"VOYCE_JOBS_WEBHOOK_DESTINATIONS is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotificationConfigError("VOYCE_JOBS_WEBHOOK_DESTINATIONS must be a JSON object {id: {url, username?, password?}}")
    out: dict[str, Destination] = {}
    for dest_id, cfg in data.items():
        if not isinstance(cfg, dict) or not isinstance(cfg.get("url"), str) or not cfg["url"].startswith(("http://", "https://")):
            raise NotificationConfigError(f"VOYCE_JOBS_WEBHOOK_DESTINATIONS[{dest_id!r}] needs an http(s) 'url'")
        for key in ("username", "password"):
            if cfg.get(key) is not None and not isinstance(cfg[key], str):
                raise NotificationConfigError(f"VOYCE_JOBS_WEBHOOK_DESTINATIONS[{dest_id!r}].{key} must be a string")
        out[dest_id] = Destination(dest_id, cfg["url"], cfg.get("username"), cfg.get("password"))
    return out


def validate_request(value: Any, destinations: dict[str, Destination]) -> Optional[dict[str, list[str]]]:
    """A submit's `webhook_notifications` → {event: [destination id]}; None when absent. Raises on a bad shape."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise NotificationConfigError("webhook_notifications must be an object")
    out: dict[str, list[str]] = {}
    for event, targets in value.items():
        if event not in EVENTS + IGNORED_EVENTS:
            raise NotificationConfigError(f"webhook_notifications.{event} is not a notification event ({', '.join(EVENTS)})")
        if not isinstance(targets, list) or len(targets) > MAX_PER_EVENT:
            raise NotificationConfigError(f"webhook_notifications.{event} must be a list of at most {MAX_PER_EVENT} {{\"id\": …}}")
        ids: list[str] = []
        for t in targets:
            dest_id = t.get("id") if isinstance(t, dict) else None
            if not isinstance(dest_id, str) or not dest_id:
                raise NotificationConfigError(f"webhook_notifications.{event} entries must be {{\"id\": \"<destination id>\"}}")
            if dest_id not in destinations:
                raise NotificationConfigError(f"notification destination {dest_id!r} does not exist")
            ids.append(dest_id)
        if event in EVENTS and ids:
            out[event] = ids
    return out


def event_for(life_cycle_state: str, result_state: Optional[str]) -> Optional[str]:
    """Which notification a run's state calls for: on_start when it starts running, on_success/on_failure at its end."""
    if life_cycle_state == "RUNNING":
        return "on_start"
    if life_cycle_state in ("PENDING",):
        return None
    return "on_success" if result_state == "SUCCESS" else "on_failure"


def payload(event: str, run_id: int, run_name: str) -> dict[str, Any]:
    return {"event_type": f"jobs.{event}", "workspace_id": WORKSPACE_ID, "run": {"run_id": run_id, "run_name": run_name}}


Sender = Callable[[Destination, bytes], int]


def http_send(dest: Destination, body: bytes) -> int:
    """POST the body; the HTTP status, or raises on a connection failure."""
    req = urllib.request.Request(dest.url, data=body, method="POST", headers=dest.headers())
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        exc.read()
        return int(exc.code)


class Notifier:
    """Sends a run's notifications on background threads, each delivery retried on failure."""

    def __init__(self, destinations: dict[str, Destination], send: Sender = http_send,
                 delays: tuple[float, ...] = RETRY_DELAYS_S) -> None:
        self.destinations, self._send, self._delays = destinations, send, delays
        self._lock = threading.Lock()
        self.delivered = 0
        self.given_up = 0

    @classmethod
    def from_env(cls) -> "Notifier":
        return cls(parse_destinations(os.environ.get("VOYCE_JOBS_WEBHOOK_DESTINATIONS")))

    def notify(self, subscriptions: Optional[dict[str, list[str]]], event: Optional[str], run_id: int, run_name: str) -> list[threading.Thread]:
        """Starts one delivery per destination subscribed to `event`; returns their threads (tests join them)."""
        if not subscriptions or event is None:
            return []
        body = json.dumps(payload(event, run_id, run_name)).encode()
        threads = []
        for dest_id in subscriptions.get(event, []):
            dest = self.destinations.get(dest_id)
            if dest is None:  # removed from the configuration since the submit
                log.warning("run %d: notification destination %s no longer configured", run_id, dest_id)
                continue
            t = threading.Thread(target=self._deliver, args=(dest, body, run_id, event), daemon=True,
                                 name=f"notify-{run_id}-{event}")
            t.start()
            threads.append(t)
        return threads

    def _deliver(self, dest: Destination, body: bytes, run_id: int, event: str) -> None:
        attempts = len(self._delays) + 1
        for attempt in range(1, attempts + 1):
            try:
                status = self._send(dest, body)
                failure = None if 200 <= status < 300 else f"HTTP {status}"
            except OSError as exc:  # refused, reset, timed out
                failure = f"{type(exc).__name__}: {exc}"
            if failure is None:
                with self._lock:
                    self.delivered += 1
                log.debug("run %d: %s delivered to %s (attempt %d)", run_id, event, dest.id, attempt)
                return
            if attempt < attempts:
                log.info("run %d: %s to %s failed (%s), retrying", run_id, event, dest.id, failure)
                time.sleep(self._delays[attempt - 1])
            else:
                with self._lock:
                    self.given_up += 1
                log.warning("run %d: %s to %s failed %d times (%s), given up", run_id, event, dest.id, attempts, failure)
