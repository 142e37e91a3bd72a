"""Shared fixtures: synthetic audio (espeak-ng/sox), a local HTTP server standing in for Blob
Storage (with a deliberately slow path), and a factory that starts the jobs runtime as a subprocess."""

from __future__ import annotations

import functools
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from voyce_ml import synth

from . import network_guard

network_guard.install()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REFERENCE = "the checkout page crashes when I press the pay button"
GERMAN = "Die App stürzt jedes Mal ab, wenn ich ein großes Foto hochlade."
SPANISH = "La aplicación se cierra cuando intento pagar con mi tarjeta."


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("audio")
    synth.speak(REFERENCE, d / "speech.wav")
    synth.speak(GERMAN, d / "german.wav", voice="de")
    synth.speak(SPANISH, d / "spanish.wav", voice="es")
    synth.silence(d / "silence.wav", 5.0)
    (d / "garbage.wav").write_bytes(b"RIFF this is not really audio " * 200)
    return d


class _Handler(http.server.SimpleHTTPRequestHandler):
    stop: threading.Event

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/slow"):  # never finishes in time: keeps a run RUNNING
            self.stop.wait(30)
            try:
                self.send_error(503)
            except OSError:
                pass  # the client (a killed worker) is gone
            return
        super().do_GET()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def audio_server(audio_dir: Path) -> Iterator[str]:
    stop = threading.Event()
    handler = functools.partial(type("H", (_Handler,), {"stop": stop}), directory=str(audio_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop.set()
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Runtime:
    """A jobs runtime subprocess plus a tiny JSON client for it."""

    def __init__(self, state_file: Path, workers: int = 1, token: Optional[str] = None,
                 env_extra: Optional[dict[str, str]] = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = token
        self.state_file = state_file
        env = dict(os.environ, HF_HUB_OFFLINE="1")
        env.pop("VOYCE_JOBS_TOKEN", None)
        if token:
            env["VOYCE_JOBS_TOKEN"] = token
        env.update(env_extra or {})
        self.stderr_path = state_file.with_suffix(f".{self.port}.log")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "voyce_ml.runtime", "--host", "127.0.0.1", "--port", str(self.port),
             "--state-file", str(state_file), "--workers", str(workers)],
            stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()  # printed once models are loaded
        assert line == f"jobs runtime listening on {self.base}", (line, self.stderr_path.read_text())

    def call(self, method: str, path: str, body: Optional[dict] = None, token: Optional[str] = "default") -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        tok = self.token if token == "default" else token
        if tok:
            req.add_header("Authorization", f"Bearer {tok}")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def submit(self, notebook: str, params: dict[str, str], **extra: Any) -> int:
        body = {"run_name": "test", "tasks": [{"task_key": "t", "notebook_task": {
            "notebook_path": f"/Workspace/voyce/notebooks/{notebook}", "base_parameters": params}}], **extra}
        status, out = self.call("POST", "/api/2.1/jobs/runs/submit", body)
        assert status == 200, out
        return int(out["run_id"])

    def get(self, run_id: int) -> dict[str, Any]:
        status, out = self.call("GET", f"/api/2.1/jobs/runs/get?run_id={run_id}")
        assert status == 200, out
        return out

    def wait(self, run_id: int, until: Callable[[dict], bool], timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.get(run_id)
            if until(run):
                return run
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} did not reach the expected state: {run}")

    def wait_terminal(self, run_id: int, timeout: float = 60) -> dict[str, Any]:
        return self.wait(run_id, lambda r: r["state"]["life_cycle_state"] not in ("PENDING", "RUNNING"), timeout)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            if sig == signal.SIGKILL:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the runtime and its workers, like a crash
            else:
                self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        self._stderr.close()
        return code


@pytest.fixture
def start_runtime(tmp_path: Path) -> Iterator[Callable[..., Runtime]]:
    started: list[Runtime] = []

    def start(state_file: Optional[Path] = None, **kw: Any) -> Runtime:
        rt = Runtime(state_file or tmp_path / "runs.sqlite", **kw)
        started.append(rt)
        return rt

    yield start
    for rt in started:
        rt.stop(signal.SIGKILL if rt.proc.poll() is None else signal.SIGTERM)
