"""Accuracy bench (`npm run bench:accuracy`): the held-out test set, as text and as speech.

Text level: every test sentence through the analyzer (the code of 03_sentiment_analysis) ->
sentiment accuracy (and VADER alone, for comparison), intent accuracy, emotion macro-F1, plus the
latency of one 03 task call per transcript (p50/p95, warm process).

Spoken, two ways over the same plan (`plan()`: each test sentence spoken by espeak-ng with rotating
voices, speeds and formats):
* through the real pipeline — `npm run bench:accuracy` runs bench/accuracyPipeline.ts, which uploads
  every clip to the API and reads back the transcript and analysis the Temporal workflow stored, then
  calls `--score` here so both paths are scored by the same code;
* in-process (`--spoken-in-process`, what `npm run bench:accuracy -- --in-process` runs): the clips served
  over local HTTP and sent through the task functions `02_voice_processing` -> `03_sentiment_analysis` in
  this process, with `--transcripts FILE` to reuse the transcripts while retraining the classifier.
Both print WER and the same accuracies on the transcripts.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

from voyce_ml import dataset, tasks
from voyce_ml.evaluation import format_report, report
from voyce_ml.sentiment import label_for
from voyce_ml.sentiment_features import vader_scores

VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-us+f3", "en-gb-scotland")
SPEEDS = (140, 165, 185)
FORMATS = {"wav": ["-c:a", "pcm_s16le"], "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"], "ogg": ["-c:a", "libopus", "-b:a", "48k"],
           "m4a": ["-c:a", "aac", "-b:a", "96k"], "flac": ["-c:a", "flac"]}


def _scores(name: str, gold: list[dataset.Example], outs: list[dict[str, Any]], verbose: bool) -> dict[str, float]:
    reps = {
        "sentiment": report(f"{name} sentiment", [e.sentiment for e in gold], [o["sentiment"]["label"] for o in outs], dataset.SENTIMENTS),
        "intent": report(f"{name} intent", [e.intent for e in gold], [o["intent"]["label"] for o in outs], dataset.INTENTS),
        "emotion": report(f"{name} emotion", [e.emotion for e in gold], [o["emotions"][0]["label"] if o["emotions"] else "neutral" for o in outs], dataset.EMOTIONS),
    }
    if verbose:
        for rep in reps.values():
            print(format_report(rep))
    return {"sentiment_accuracy": reps["sentiment"]["accuracy"], "intent_accuracy": reps["intent"]["accuracy"], "emotion_macro_f1": reps["emotion"]["macro_f1"]}


def text_level(test: list[dataset.Example], verbose: bool) -> dict[str, Any]:
    outs, latencies = [], []
    for i, e in enumerate(test):
        t0 = time.perf_counter()
        outs.append(tasks.run_task(tasks.SENTIMENT_ANALYSIS, {"submission_id": f"t{i}", "text": e.text}))
        latencies.append((time.perf_counter() - t0) * 1000)
    result: dict[str, Any] = _scores("text", test, outs, verbose)
    vader = [label_for(vader_scores(e.text)["compound"]) for e in test]
    result["vader_only_sentiment_accuracy"] = round(sum(v == e.sentiment for v, e in zip(vader, test)) / len(test), 4)
    result["latency_ms_p50"] = round(statistics.median(latencies), 1)
    result["latency_ms_p95"] = round(sorted(latencies)[int(0.95 * (len(latencies) - 1))], 1)
    result["model_version"] = outs[0]["model_version"]
    return result


_SLANG = re.compile(r"\b(lol|omg|pls|plz|smh|tbh|ngl|idk|kinda|sooo+|haha+|u|ur|thx|cant|didnt|dont|wont|im|meh|yeah|wow)\b", re.IGNORECASE)


def is_informal(text: str) -> bool:
    """The issue's hard case, by rule: a handle, no capital or no closing punctuation, slang/typo spellings
    ("cant", "pls", "tbh"), emoji, "??"/"!!". Every sarcastic test sentence is caught by one of these too
    (they are listed in the README); the rule is kept simple so anyone can check which sentences count."""
    t = text.strip()
    if not t:
        return False
    return (t[0].islower() or "@" in t or t[-1] not in ".!?" or bool(_SLANG.search(t))
            or any(ord(ch) > 0x2000 for ch in t) or "??" in t or "!!" in t)


def informal_slice(test: list[dataset.Example], verbose: bool) -> dict[str, Any]:
    """Sentiment (and intent) on the informal test sentences only, against VADER alone on the same ones."""
    subset = [e for e in test if is_informal(e.text)]
    if not subset:
        return {"sentences": 0}
    outs = tasks.analyzer().analyze_many([e.text for e in subset])
    result: dict[str, Any] = {"sentences": len(subset), **_scores("informal", subset, outs, verbose)}
    vader = [label_for(vader_scores(e.text)["compound"]) for e in subset]
    result["vader_only_sentiment_accuracy"] = round(sum(v == e.sentiment for v, e in zip(vader, subset)) / len(subset), 4)
    return result


def _speak(text: str, out: Path, voice: str, speed: int, fmt: str) -> None:
    src = out.with_suffix(".src.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(src), text], check=True, capture_output=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(src), "-ar", "16000", "-ac", "1", *FORMATS[fmt], str(out)], check=True)
    src.unlink()


def plan(test: list[dataset.Example], rotation: int = 0) -> list[dict[str, Any]]:
    """How each test sentence is spoken: voice, speed (wpm) and format rotate so every combination occurs.
    `rotation` 0 gives the README's figures; another value renders the same sentences differently."""
    fmts = list(FORMATS)
    return [{"index": i, "text": e.text, "intent": e.intent, "emotion": e.emotion, "sentiment": e.sentiment,
             "voice": VOICES[(i + rotation) % len(VOICES)], "speed": SPEEDS[(i + 2 * rotation) % len(SPEEDS)],
             "format": fmts[(i + 4 * rotation) % len(fmts)]} for i, e in enumerate(test)]


def spoken(test: list[dataset.Example], verbose: bool, transcripts: Optional[Path] = None, rotation: int = 0) -> dict[str, Any]:
    """`rotation` shifts which voice, speed and format each sentence gets (0 = the figures in the README; another
    value renders the same sentences differently, a second spoken test set). `transcripts`: a JSON file of the clips' transcripts; reused when it matches (same sentences, voices,
    speeds, formats and Whisper version), written otherwise — so a retrained classifier can be measured on
    the same speech without transcribing again (`--transcripts FILE`)."""
    from voyce_ml.metrics import word_error_rate

    cache: dict[str, Any] = {}
    if transcripts and transcripts.exists():
        cache = json.loads(transcripts.read_text())
    heard: dict[str, Any] = {}

    with tempfile.TemporaryDirectory(prefix="voyce-bench-") as tmp:
        handler = functools.partial(_QuietHandler, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        outs, wers, asr_ms = [], [], []
        try:
            for i, (e, clip) in enumerate(zip(test, plan(test, rotation))):
                voice, speed, fmt = clip["voice"], clip["speed"], clip["format"]
                key = json.dumps([e.text, voice, speed, fmt, tasks.transcriber().model_info["version"]])
                if key in cache:
                    tr = cache[key]
                else:
                    _speak(e.text, Path(tmp) / f"c{i}.{fmt}", voice, speed, fmt)
                    t0 = time.perf_counter()
                    tr = tasks.run_task(tasks.VOICE_PROCESSING, {"submission_id": f"c{i}", "audio_url": f"{base}/c{i}.{fmt}"})
                    asr_ms.append((time.perf_counter() - t0) * 1000)
                heard[key] = {"text": tr["text"]}
                wers.append(word_error_rate(e.text, tr["text"]))
                outs.append(tasks.run_task(tasks.SENTIMENT_ANALYSIS, {"submission_id": f"c{i}", "text": tr["text"]}))
        finally:
            server.shutdown()
    result: dict[str, Any] = _scores("spoken", test, outs, verbose)
    result["wer_mean"] = round(statistics.mean(wers), 4)
    result["clips"] = len(test)
    result["asr_ms_p50"] = round(statistics.median(asr_ms), 1) if asr_ms else None  # None: every transcript from --transcripts
    if transcripts:
        transcripts.write_text(json.dumps(heard, indent=1))
    result["voices"], result["speeds"], result["formats"], result["rotation"] = list(VOICES), list(SPEEDS), list(FORMATS), rotation
    return result


def score_pipeline(results_path: Path, verbose: bool) -> dict[str, Any]:
    """Score what the real pipeline answered for the planned clips (bench/accuracyPipeline.ts writes the file:
    `[{index, transcript, analysis: {sentiment: {label}, intent: {label}, emotions: [{label}]}}]`)."""
    from voyce_ml.metrics import word_error_rate

    test = dataset.load("test")
    rows = json.loads(results_path.read_text())
    gold = [test[r["index"]] for r in rows]
    outs = [{"sentiment": r["analysis"]["sentiment"], "intent": r["analysis"]["intent"], "emotions": r["analysis"]["emotions"]} for r in rows]
    result: dict[str, Any] = _scores("pipeline", gold, outs, verbose)
    result["wer_mean"] = round(statistics.mean(word_error_rate(g.text, r["transcript"]) for g, r in zip(gold, rows)), 4)
    result["clips"] = len(rows)
    # The informal sentences (handles, slang, typos, emoji, sarcasm) spoken: the closest this set comes to real customer speech.
    informal = [(g, o) for g, o in zip(gold, outs) if is_informal(g.text)]
    if informal:
        result["informal"] = {
            "clips": len(informal),
            "sentiment_accuracy": round(sum(g.sentiment == o["sentiment"]["label"] for g, o in informal) / len(informal), 4),
            "intent_accuracy": round(sum(g.intent == o["intent"]["label"] for g, o in informal) / len(informal), 4),
        }
    return result


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # noqa: D102 - keep the bench output readable
        pass


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Voyce accuracy bench on the held-out test set")
    ap.add_argument("--no-spoken", action="store_true", help="text level only (no espeak-ng/Whisper); the default here")
    ap.add_argument("--spoken-in-process", action="store_true", help="also the spoken clips through 02 -> 03 in this process")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N test sentences")
    ap.add_argument("--verbose", action="store_true", help="print per-class tables and confusion matrices")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--transcripts", type=Path, help="reuse/save the spoken clips' transcripts in this JSON file")
    ap.add_argument("--rotation", type=int, default=0, help="render each sentence with another voice/speed/format (a second spoken set)")
    ap.add_argument("--plan", action="store_true", help="print the spoken test plan as JSON and exit (bench/accuracyPipeline.ts)")
    ap.add_argument("--score", type=Path, help="score the real pipeline's answers in this JSON file and exit")
    args = ap.parse_args(argv)
    if args.plan:
        test = dataset.load("test")
        print(json.dumps(plan(test[: args.limit] if args.limit else test, args.rotation)))
        return 0
    if args.score:
        figures = score_pipeline(args.score, args.verbose)
        print("spoken (pipeline):", json.dumps(figures))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
        return 0
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    test = dataset.load("test")
    if args.limit:
        test = test[: args.limit]
    t0 = time.perf_counter()
    tasks.analyzer()
    figures: dict[str, Any] = {"analyzer_load_s": round(time.perf_counter() - t0, 2), "test_sentences": len(test)}
    figures["text"] = text_level(test, args.verbose)
    print("text  :", json.dumps(figures["text"]))
    figures["informal"] = informal_slice(test, args.verbose)
    print("informal:", json.dumps(figures["informal"]))
    from voyce_bench.keywords import compare

    figures["keywords"] = compare(tasks.analyzer())
    print("keywords:", json.dumps(figures["keywords"]))
    if args.spoken_in_process and not args.no_spoken:
        figures["spoken"] = spoken(test, args.verbose, args.transcripts, args.rotation)
        print("spoken:", json.dumps(figures["spoken"]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
