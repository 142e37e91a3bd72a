"""Start-up cost of the local jobs runtime: seconds until "listening" and RSS per process.

Why: loading the analyzer (torch + sentence-transformers) dominates a worker's start and memory, and
the pipeline waits on /health; this prints the figures the README quotes. Uses a throwaway state
file and port; stops the runtime with SIGTERM afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="voyce-startup-") as tmp:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "voyce_ml.runtime", "--host", "127.0.0.1", "--port", str(port),
                                 "--state-file", f"{tmp}/s.sqlite", "--workers", str(args.workers)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "listening" in line:
                    break
            startup = time.perf_counter() - t0
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
                health = json.loads(resp.read())
            workers = [_rss_mb(p) for p in _children(proc.pid) if _rss_mb(p) > 100]
            print(json.dumps({"workers": args.workers, "startup_s": round(startup, 2), "health": health,
                              "runtime_rss_mb": _rss_mb(proc.pid), "worker_rss_mb": workers}))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
