"""Raw ceiling, no server: `python -m voyce_bench.direct --seconds 10 --n 8 --concurrency 2 --threads 1`.

Makes a ~N-second espeak-ng clip (or takes `--clip`, the very file bench:e2e uploads), loads the models once
per process exactly as a warm jobs-runtime worker does (`tasks.load_models()`) and, n times, does the work of
the two job runs: decode the file and transcribe it with the production model policy (`02_voice_processing`'s
`_transcribe`, default policy unless `--model`), then analyse the transcript with the default analyzer
(`03_sentiment_analysis`'s). `--no-analysis` measures transcription alone. Prints model load time, per-clip
compute p50/p95 (transcription, analysis, both), real-time factor, clips per minute and the clip's WER.
With `--concurrency 2`, n clips are split over 2 processes (threads per process = cores / concurrency unless
--threads is given, for Whisper and the embedding engine alike): the 2-core ceiling the end-to-end benchmark
is compared with.
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


def _worker(clip: str, count: int, threads: int, reference: str, analysis: bool, model: Optional[str]) -> dict[str, Any]:
    # The same knobs the jobs runtime sets for its workers (scripts/stack/jobsRuntime.ts), before any model loads.
    os.environ["VOYCE_WHISPER_THREADS"] = str(threads)
    os.environ["VOYCE_EMBED_THREADS"] = str(threads)
    from voyce_ml import tasks
    from voyce_ml.metrics import word_error_rate
    from voyce_ml.transcription import load_audio
    from voyce_ml.whisper_models import policy

    t0 = time.perf_counter()
    tasks.load_models()
    load_s = time.perf_counter() - t0
    chosen = policy(model)
    times: list[float] = []
    asr_times: list[float] = []
    text = ""
    duration_s = 0.0
    for _ in range(count):
        t1 = time.perf_counter()
        transcript, _model = tasks._transcribe(load_audio(clip), None, chosen)
        t2 = time.perf_counter()
        if analysis:
            tasks.analyzer_for({}).analyze(transcript.text, transcript.language)
        times.append(time.perf_counter() - t1)
        asr_times.append(t2 - t1)
        text = transcript.text
        duration_s = transcript.duration_ms / 1000
    return {"load_s": load_s, "times": times, "asr_times": asr_times,
            "wer": word_error_rate(reference, text) if reference else None, "duration_s": duration_s,
            "policy": chosen}


def run(seconds: float, n: int, concurrency: int, threads: Optional[int], analysis: bool = True,
        clip_path: Optional[str] = None, reference_text: str = "", model: Optional[str] = None) -> dict[str, Any]:
    from voyce_ml.synth import speech_of_length

    per_proc_threads = threads or max(1, (os.cpu_count() or 2) // concurrency)
    with tempfile.TemporaryDirectory() as tmp:
        if clip_path:
            clip, reference = Path(clip_path), reference_text
        else:
            clip, reference = speech_of_length(Path(tmp) / "clip.wav", seconds)
        shares = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
        t0 = time.perf_counter()
        if concurrency == 1:
            results = [_worker(str(clip), n, per_proc_threads, reference, analysis, model)]
        else:
            with mp.get_context("spawn").Pool(concurrency) as pool:
                results = pool.starmap(_worker, [(str(clip), c, per_proc_threads, reference, analysis, model) for c in shares])
        wall = time.perf_counter() - t0
    times = [t for r in results for t in r["times"]]
    asr_times = [t for r in results for t in r["asr_times"]]
    duration = results[0]["duration_s"]
    load = max(r["load_s"] for r in results)
    # Steady state, as warm workers run: each process's own compute time, not the spawn, imports and model
    # load around it (those would understate the ceiling the pipeline is measured against).
    compute_wall = max(sum(r["times"]) for r in results)
    return {
        "clip_seconds": round(duration, 2),
        "n": n,
        "concurrency": concurrency,
        "threads_per_process": per_proc_threads,
        "model_load_s": round(load, 3),
        "analysis": analysis,
        "policy": results[0]["policy"],
        "transcription_p50_s": round(statistics.median(asr_times), 3),
        "compute_p50_s": round(statistics.median(times), 3),
        "compute_p95_s": round(_percentile(times, 0.95), 3),
        "real_time_factor_p50": round(statistics.median(asr_times) / duration, 3),
        "clips_per_minute": round(n / compute_wall * 60, 1),
        "wall_s": round(wall, 2),
        "wer": None if results[0]["wer"] is None else round(results[0]["wer"], 3),
    }


def main(argv: Optional[list[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10.0, help="approximate clip length")
    p.add_argument("--n", type=int, default=8, help="clips to transcribe in total")
    p.add_argument("--concurrency", type=int, default=1, help="worker processes (each loads the model)")
    p.add_argument("--threads", type=int, default=None, help="CTranslate2 threads per process")
    p.add_argument("--no-analysis", action="store_true", help="transcription alone (the old ceiling)")
    p.add_argument("--clip", default=None, help="an audio file to use instead of a synthesised clip")
    p.add_argument("--reference", default="", help="the words of --clip, for its WER")
    p.add_argument("--model", default=None, help="Whisper model policy (default: the production one, see whisper_models.py)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    a = p.parse_args(argv)
    if a.n < 1 or a.concurrency < 1:
        p.error("--n and --concurrency must be >= 1")
    r = run(a.seconds, a.n, a.concurrency, a.threads, analysis=not a.no_analysis, clip_path=a.clip,
            reference_text=a.reference, model=a.model)
    if a.json:
        print(json.dumps(r))
        return
    wer = "-" if r["wer"] is None else f"{r['wer']:.1%}"
    print(f"clip: {r['clip_seconds']} s of speech, WER {wer}, Whisper policy {r['policy']}")
    print(f"processes: {r['concurrency']} x {r['threads_per_process']} thread(s), n={r['n']}")
    print(f"model load: {r['model_load_s']:.3f} s")
    what = "transcription + analysis" if r["analysis"] else "transcription"
    print(f"transcription per clip: p50 {r['transcription_p50_s']:.3f} s")
    print(f"{what} per clip: p50 {r['compute_p50_s']:.3f} s, p95 {r['compute_p95_s']:.3f} s "
          f"(RTF p50 {r['real_time_factor_p50']:.3f})")
    print(f"throughput: {r['clips_per_minute']} clips/min (wall {r['wall_s']} s incl. load)")


if __name__ == "__main__":
    main()
