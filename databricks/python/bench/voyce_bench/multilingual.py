"""The multilingual half of `npm run bench:accuracy`: the held-out multilingual set (`data/test_multilingual.txt`,
hand-written in de, fr, es, pt and it) spoken by espeak-ng in each language's voice, through the real pipeline
with no language named on the upload (so Whisper must detect it).

`--plan` prints the clips (voice per language, speeds and formats rotating) for bench/accuracyPipeline.ts;
`--score FILE` reads what the pipeline answered (`[{index, transcript, language, analysis}]`) and prints, per
language and overall: language detected right, word error rate, sentiment and intent accuracy, emotion macro-F1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any, Optional

from voyce_ml import dataset, multilingual_set
from voyce_ml.evaluation import report

SPEEDS = (135, 150, 165)
FORMATS = ("wav", "mp3", "ogg", "m4a", "flac")


def plan(rotation: int = 0) -> list[dict[str, Any]]:
    """Each multilingual test sentence with its language's espeak-ng voice; speed and format rotate."""
    return [{"index": i, "language": s.language, "text": s.example.text, "voice": multilingual_set.VOICES[s.language],
             "speed": SPEEDS[(i + rotation) % len(SPEEDS)], "format": FORMATS[(i + 2 * rotation) % len(FORMATS)]}
            for i, s in enumerate(multilingual_set.load())]


def _figures(gold: list[multilingual_set.SpokenExample], rows: list[dict[str, Any]]) -> dict[str, Any]:
    from voyce_ml.metrics import word_error_rate

    examples = [g.example for g in gold]
    analyses = [r["analysis"] for r in rows]
    top = [a["emotions"][0]["label"] if a["emotions"] else "neutral" for a in analyses]
    return {
        "clips": len(rows),
        "language_right": round(sum(r.get("language") == g.language for g, r in zip(gold, rows)) / len(rows), 4),
        "wer_mean": round(statistics.mean(word_error_rate(g.example.text, r["transcript"]) for g, r in zip(gold, rows)), 4),
        "sentiment_accuracy": report("s", [e.sentiment for e in examples], [a["sentiment"]["label"] for a in analyses], dataset.SENTIMENTS)["accuracy"],
        "intent_accuracy": report("i", [e.intent for e in examples], [a["intent"]["label"] for a in analyses], dataset.INTENTS)["accuracy"],
        "emotion_macro_f1": report("e", [e.emotion for e in examples], top, dataset.EMOTIONS)["macro_f1"],
    }


def score(results_path: Path) -> dict[str, Any]:
    """Per-language and overall figures of the pipeline's answers (see the module docstring)."""
    held_out = multilingual_set.load()
    rows = json.loads(results_path.read_text())
    gold = [held_out[r["index"]] for r in rows]
    out: dict[str, Any] = {"all": _figures(gold, rows), "by_language": {}}
    for lang in sorted({g.language for g in gold}):
        pairs = [(g, r) for g, r in zip(gold, rows) if g.language == lang]
        out["by_language"][lang] = _figures([g for g, _ in pairs], [r for _, r in pairs])
    out["misdetected"] = [{"index": r["index"], "expected": g.language, "detected": r.get("language")} for g, r in zip(gold, rows) if r.get("language") != g.language]
    return out


def format_table(figures: dict[str, Any], model_version: str = "") -> str:
    lines = [f"multilingual spoken set through the pipeline{f' ({model_version})' if model_version else ''}:",
             "language | clips | language right | WER | sentiment | intent | emotion macro-F1"]
    for name, f in [*figures["by_language"].items(), ("all", figures["all"])]:
        lines.append(f"{name} | {f['clips']} | {f['language_right']:.3f} | {100 * f['wer_mean']:.1f} % | {f['sentiment_accuracy']:.3f} | "
                     f"{f['intent_accuracy']:.3f} | {f['emotion_macro_f1']:.3f}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", action="store_true", help="print the clips as JSON and exit")
    ap.add_argument("--rotation", type=int, default=0, help="another speed/format for each sentence")
    ap.add_argument("--score", type=Path, help="score the pipeline's answers in this JSON file")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    if args.plan:
        print(json.dumps(plan(args.rotation)))
        return 0
    if not args.score:
        ap.error("--plan or --score FILE")
    figures = score(args.score)
    rows = json.loads(args.score.read_text())
    print(format_table(figures, rows[0]["analysis"].get("modelVersion", "") if rows else ""))
    print("multilingual (pipeline):", json.dumps(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
