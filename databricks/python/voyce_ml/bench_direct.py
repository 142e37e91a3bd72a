"""Raw transcription ceiling, no server: `python -m voyce_ml.bench_direct --seconds 10 --n 8`.

Makes a ~N-second espeak-ng clip, loads Whisper once per process and transcribes the clip n times
with the production settings (tiny.en, int8, beam 8 + patience 2, word timestamps, VAD). Prints model load
time, per-clip compute p50/p95, real-time factor, clips per minute and the clip's WER. With
`--concurrency 2`, n clips are split over 2 processes (threads per process = cores / concurrency
unless --threads is given): the 2-core ceiling the end-to-end benchmark is compared with.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _worker(clip: str, count: int, threads: int, reference: str) -> dict[str, Any]:
    from .metrics import word_error_rate
    from .transcription import Transcriber

    t0 = time.perf_counter()
    transcriber = Transcriber(cpu_threads=threads)
    load_s = time.perf_counter() - t0
    times: list[float] = []
    text = ""
    for _ in range(count):
        t1 = time.perf_counter()
        transcript = transcriber.transcribe(clip)
        times.append(time.perf_counter() - t1)
        text = transcript.text
    return {"load_s": load_s, "times": times, "wer": word_error_rate(reference, text),
            "duration_s": transcript.duration_ms / 1000 if count else 0.0}


def run(seconds: float, n: int, concurrency: int, threads: Optional[int]) -> dict[str, Any]:
    from .synth import speech_of_length

    per_proc_threads = threads or max(1, (os.cpu_count() or 2) // concurrency)
    with tempfile.TemporaryDirectory() as tmp:
        clip, reference = speech_of_length(Path(tmp) / "clip.wav", seconds)
        shares = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
        t0 = time.perf_counter()
        if concurrency == 1:
            results = [_worker(str(clip), n, per_proc_threads, reference)]
        else:
            with mp.get_context("spawn").Pool(concurrency) as pool:
                results = pool.starmap(_worker, [(str(clip), c, per_proc_threads, reference) for c in shares])
        wall = time.perf_counter() - t0
    times = [t for r in results for t in r["times"]]
    duration = results[0]["duration_s"]
    load = max(r["load_s"] for r in results)
    compute_wall = wall - load  # clips/min excludes the one-off model load (warm workers)
    return {
        "clip_seconds": round(duration, 2),
        "n": n,
        "concurrency": concurrency,
        "threads_per_process": per_proc_threads,
        "model_load_s": round(load, 3),
        "compute_p50_s": round(statistics.median(times), 3),
        "compute_p95_s": round(_percentile(times, 0.95), 3),
        "real_time_factor_p50": round(statistics.median(times) / duration, 3),
        "clips_per_minute": round(n / compute_wall * 60, 1),
        "wall_s": round(wall, 2),
        "wer": round(results[0]["wer"], 3),
    }


def main(argv: Optional[list[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10.0, help="approximate clip length")
    p.add_argument("--n", type=int, default=8, help="clips to transcribe in total")
    p.add_argument("--concurrency", type=int, default=1, help="worker processes (each loads the model)")
    p.add_argument("--threads", type=int, default=None, help="CTranslate2 threads per process")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    a = p.parse_args(argv)
    if a.n < 1 or a.concurrency < 1:
        p.error("--n and --concurrency must be >= 1")
    r = run(a.seconds, a.n, a.concurrency, a.threads)
    if a.json:
        print(json.dumps(r))
        return
    print(f"clip: {r['clip_seconds']} s espeak-ng speech, WER {r['wer']:.1%}")
    print(f"processes: {r['concurrency']} x {r['threads_per_process']} thread(s), n={r['n']}")
    print(f"model load: {r['model_load_s']:.3f} s")
    print(f"compute per clip: p50 {r['compute_p50_s']:.3f} s, p95 {r['compute_p95_s']:.3f} s "
          f"(RTF p50 {r['real_time_factor_p50']:.3f})")
    print(f"throughput: {r['clips_per_minute']} clips/min (wall {r['wall_s']} s incl. load)")


if __name__ == "__main__":
    main()
