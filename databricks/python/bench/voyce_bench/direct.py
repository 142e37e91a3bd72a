"""Raw ceiling, no server: `python -m voyce_bench.direct --seconds 10 --n 8 --concurrency 2 --threads 1`.

Makes a ~N-second espeak-ng clip, loads Whisper and the analyzer once per process and, n times, transcribes
the clip with the production settings (tiny.en, int8, beam 8 + patience 2, word timestamps, VAD) and analyses
the transcript (the work each submission really needs; `--no-analysis` measures transcription alone). Prints
model load time, per-clip compute p50/p95 (transcription, analysis, both), real-time factor, clips per minute
and the clip's WER. With
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


def _worker(clip: str, count: int, threads: int, reference: str, analysis: bool) -> dict[str, Any]:
    from voyce_ml.metrics import word_error_rate
    from voyce_ml.transcription import Transcriber

    t0 = time.perf_counter()
    transcriber = Transcriber(cpu_threads=threads)
    analyzer = None
    if analysis:
        from voyce_ml.analysis import Analyzer
        from voyce_ml.embeddings import Embedder

        analyzer = Analyzer(embedder=Embedder(threads=threads))
        analyzer.warm_up()
    load_s = time.perf_counter() - t0
    times: list[float] = []
    asr_times: list[float] = []
    text = ""
    duration_s = 0.0
    for _ in range(count):
        t1 = time.perf_counter()
        transcript = transcriber.transcribe(clip)
        t2 = time.perf_counter()
        if analyzer is not None:
            analyzer.analyze(transcript.text, transcript.language)
        times.append(time.perf_counter() - t1)
        asr_times.append(t2 - t1)
        text = transcript.text
        duration_s = transcript.duration_ms / 1000
    return {"load_s": load_s, "times": times, "asr_times": asr_times, "wer": word_error_rate(reference, text),
            "duration_s": duration_s}


def run(seconds: float, n: int, concurrency: int, threads: Optional[int], analysis: bool = True) -> dict[str, Any]:
    from voyce_ml.synth import speech_of_length

    per_proc_threads = threads or max(1, (os.cpu_count() or 2) // concurrency)
    with tempfile.TemporaryDirectory() as tmp:
        clip, reference = speech_of_length(Path(tmp) / "clip.wav", seconds)
        shares = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
        t0 = time.perf_counter()
        if concurrency == 1:
            results = [_worker(str(clip), n, per_proc_threads, reference, analysis)]
        else:
            with mp.get_context("spawn").Pool(concurrency) as pool:
                results = pool.starmap(_worker, [(str(clip), c, per_proc_threads, reference, analysis) for c in shares])
        wall = time.perf_counter() - t0
    times = [t for r in results for t in r["times"]]
    asr_times = [t for r in results for t in r["asr_times"]]
    duration = results[0]["duration_s"]
    load = max(r["load_s"] for r in results)
    compute_wall = wall - load  # clips/min excludes the one-off model load (warm workers)
    return {
        "clip_seconds": round(duration, 2),
        "n": n,
        "concurrency": concurrency,
        "threads_per_process": per_proc_threads,
        "model_load_s": round(load, 3),
        "analysis": analysis,
        "transcription_p50_s": round(statistics.median(asr_times), 3),
        "compute_p50_s": round(statistics.median(times), 3),
        "compute_p95_s": round(_percentile(times, 0.95), 3),
        "real_time_factor_p50": round(statistics.median(asr_times) / duration, 3),
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
    p.add_argument("--no-analysis", action="store_true", help="transcription alone (the old ceiling)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    a = p.parse_args(argv)
    if a.n < 1 or a.concurrency < 1:
        p.error("--n and --concurrency must be >= 1")
    r = run(a.seconds, a.n, a.concurrency, a.threads, analysis=not a.no_analysis)
    if a.json:
        print(json.dumps(r))
        return
    print(f"clip: {r['clip_seconds']} s espeak-ng speech, WER {r['wer']:.1%}")
    print(f"processes: {r['concurrency']} x {r['threads_per_process']} thread(s), n={r['n']}")
    print(f"model load: {r['model_load_s']:.3f} s")
    what = "transcription + analysis" if r["analysis"] else "transcription"
    print(f"transcription per clip: p50 {r['transcription_p50_s']:.3f} s")
    print(f"{what} per clip: p50 {r['compute_p50_s']:.3f} s, p95 {r['compute_p95_s']:.3f} s "
          f"(RTF p50 {r['real_time_factor_p50']:.3f})")
    print(f"throughput: {r['clips_per_minute']} clips/min (wall {r['wall_s']} s incl. load)")


if __name__ == "__main__":
    main()
