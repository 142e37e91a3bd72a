"""HTTP front of the local jobs runtime: Jobs API 2.1 subset + /health.

Why stdlib `ThreadingHTTPServer` and not FastAPI/uvicorn: six small JSON endpoints, a thread per
connection is plenty (the heavy work is in worker processes), and no extra dependencies to pin,
install and keep in step with the notebooks' clusters. Errors use Databricks' body
`{"error_code", "message"}` with matching HTTP statuses. HTTP/1.1 keep-alive is supported.
"""

from __future__ import annotations

import json
import logging
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

from .. import tasks
from . import views
from .notifications import NotificationConfigError, validate_request
from .scheduler import Scheduler
from .store import RunStore

log = logging.getLogger("voyce.jobs")
MAX_BODY = 1 << 20
LIST_LIMIT_MAX = 25  # as Databricks' runs/list
PREFIX = "/api/2.1/jobs/runs/"

STATUS = {"INVALID_PARAMETER_VALUE": 400, "MALFORMED_REQUEST": 400, "RESOURCE_DOES_NOT_EXIST": 404,
          "ENDPOINT_NOT_FOUND": 404, "UNAUTHENTICATED": 401, "TEMPORARILY_UNAVAILABLE": 503}


class ApiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _bad(message: str) -> ApiError:
    return ApiError("INVALID_PARAMETER_VALUE", message)


def _run_id(value: Any) -> int:
    try:
        rid = int(str(value))
    except (TypeError, ValueError):
        raise _bad(f"run_id must be an integer, got {value!r}") from None
    return rid


class JobsApi:
    """The endpoint logic, independent of the HTTP plumbing."""

    def __init__(self, store: RunStore, scheduler: Scheduler) -> None:
        self.store, self.scheduler = store, scheduler

    def _get(self, run_id: int):
        run = self.store.get(run_id)
        if run is None:
            raise ApiError("RESOURCE_DOES_NOT_EXIST", f"Run {run_id} does not exist.")
        return run

    def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        tasks_in = body.get("tasks")
        if not isinstance(tasks_in, list) or len(tasks_in) != 1:
            raise _bad("this runtime supports exactly one task per run: 'tasks' must be a list of one task")
        task = tasks_in[0] if isinstance(tasks_in[0], dict) else {}
        nb = task.get("notebook_task")
        if not isinstance(nb, dict) or not isinstance(nb.get("notebook_path"), str):
            raise _bad("tasks[0].notebook_task.notebook_path is required (only notebook tasks are supported)")
        try:
            tasks.resolve(nb["notebook_path"])
        except ValueError as exc:
            raise _bad(str(exc)) from None
        params = nb.get("base_parameters") or {}
        if not isinstance(params, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
            raise _bad("notebook_task.base_parameters must map strings to strings")
        timeout = body.get("timeout_seconds", 0) or 0
        if not isinstance(timeout, int) or timeout < 0:
            raise _bad("timeout_seconds must be a non-negative integer")
        try:
            webhooks = validate_request(body.get("webhook_notifications"), self.scheduler.notifier.destinations)
        except NotificationConfigError as exc:
            raise _bad(str(exc)) from None
        token = body.get("idempotency_token")
        if token is not None and (not isinstance(token, str) or len(token) > 64):
            raise _bad("idempotency_token must be a string of at most 64 characters")
        run, created = self.store.create(
            run_name=str(body.get("run_name") or "Untitled"),
            task_key=str(task.get("task_key") or "task"),
            notebook_path=nb["notebook_path"],
            params=params,
            idempotency_token=token,
            timeout_seconds=timeout,
            webhooks=webhooks,
        )
        if created:
            self.scheduler.submit(run)
            log.info("run %d submitted (%s)", run.run_id, run.notebook_path)
        return {"run_id": run.run_id}

    def get(self, q: dict[str, str]) -> dict[str, Any]:
        return views.parent_run(self._get(_run_id(q.get("run_id"))))

    def get_output(self, q: dict[str, str]) -> dict[str, Any]:
        return views.run_output(self._get(_run_id(q.get("run_id"))))

    def cancel(self, body: dict[str, Any]) -> dict[str, Any]:
        run = self._get(_run_id(body.get("run_id")))
        if run.life_cycle_state in ("PENDING", "RUNNING"):
            self.scheduler.cancel(run)
        return {}

    def list(self, q: dict[str, str]) -> dict[str, Any]:
        try:
            limit = int(q.get("limit") or 25)
            offset = int(q.get("offset") or 0)
        except ValueError:
            raise _bad("limit and offset must be integers") from None
        if not 1 <= limit <= LIST_LIMIT_MAX or offset < 0:
            raise _bad(f"limit must be between 1 and {LIST_LIMIT_MAX}, offset >= 0")
        active = (q.get("active_only") or "").lower() == "true"
        completed = (q.get("completed_only") or "").lower() == "true"
        if active and completed:
            raise _bad("active_only and completed_only cannot both be true")
        runs, more = self.store.list(limit, offset, active, completed)
        return {"runs": [views.parent_run(r) for r in runs], "has_more": more}


def make_handler(api: JobsApi, token: Optional[str]) -> type[BaseHTTPRequestHandler]:
    get_routes: dict[str, Callable[[dict[str, str]], dict[str, Any]]] = {
        PREFIX + "get": api.get, PREFIX + "get-output": api.get_output, PREFIX + "list": api.list}
    post_routes: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        PREFIX + "submit": api.submit, PREFIX + "cancel": api.cancel}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "voyce-jobs-runtime/0.1"

        def log_message(self, fmt: str, *args: Any) -> None:
            log.debug("%s " + fmt, self.address_string(), *args)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            return not token or self.headers.get("Authorization", "") == f"Bearer {token}"

        def _handle(self, method: str) -> None:
            url = urlsplit(self.path)
            try:
                body = self._read_body() if method == "POST" else {}
                if url.path == "/health":
                    h = api.scheduler.health()
                    ok = api.scheduler.ready
                    self._send(200 if ok else 503, {"status": "ok" if ok else "starting", "workers": h})
                    return
                if not self._authorized():
                    raise ApiError("UNAUTHENTICATED", "Missing or invalid bearer token.")
                routes = get_routes if method == "GET" else post_routes
                if url.path not in routes:
                    raise ApiError("ENDPOINT_NOT_FOUND", f"No API found for '{method} {url.path}'")
                if method == "GET":
                    arg: Any = {k: v[-1] for k, v in parse_qs(url.query).items()}
                else:
                    arg = body
                self._send(200, routes[url.path](arg))
            except ApiError as exc:
                self._send(STATUS.get(exc.code, 400), {"error_code": exc.code, "message": exc.message})
            except Exception as exc:  # never leak a stack over HTTP; log it
                log.exception("internal error on %s %s", method, url.path)
                self._send(500, {"error_code": "INTERNAL_ERROR", "message": f"{type(exc).__name__}: {exc}"})

        def _read_body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise ApiError("MALFORMED_REQUEST", "request body too large")
            raw = self.rfile.read(length) if length else b""
            if not raw:
                return {}
            try:
                body = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ApiError("MALFORMED_REQUEST", f"Invalid JSON given in the body of the request: {exc}") from None
            if not isinstance(body, dict):
                raise ApiError("MALFORMED_REQUEST", "request body must be a JSON object")
            return body

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

    return Handler


def make_server(host: str, port: int, api: JobsApi) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(api, os.environ.get("VOYCE_JOBS_TOKEN") or None))
    server.daemon_threads = True
    return server
