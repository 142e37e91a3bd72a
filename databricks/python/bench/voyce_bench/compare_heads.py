"""Two classifier artifacts side by side on the same text: the English test set and the multilingual held-out set.

Run: `python -m voyce_bench.compare_heads --old OLD/model.json [--new NEW/model.json]` (new: the configured or
packaged default). Each artifact is read by the encoder it was trained on (`embedding_backends.embedder_for`)
through the full analyzer, the code of `03_sentiment_analysis`, so the figures are those an analysis gives.
The previous packaged model, for instance: `git show <commit>:databricks/python/voyce_ml/models/default/model.json`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from voyce_ml import dataset, multilingual_set
from voyce_ml.analysis import Analyzer
from voyce_ml.evaluation import report
from voyce_ml.model_artifact import configured_path


def scores(analyzer: Analyzer, gold: Sequence[dataset.Example], languages: Optional[Sequence[str]] = None) -> dict[str, float]:
    """Sentiment and intent accuracy, emotion macro-F1 of `analyzer` on `gold`."""
    outs = analyzer.analyze_many([e.text for e in gold], list(languages) if languages else None)
    top = [o["emotions"][0]["label"] if o["emotions"] else "neutral" for o in outs]
    return {
        "sentiment": report("s", [e.sentiment for e in gold], [o["sentiment"]["label"] for o in outs], dataset.SENTIMENTS)["accuracy"],
        "intent": report("i", [e.intent for e in gold], [o["intent"]["label"] for o in outs], dataset.INTENTS)["accuracy"],
        "emotion_f1": report("e", [e.emotion for e in gold], top, dataset.EMOTIONS)["macro_f1"],
    }


def compare(paths: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """{name: {version, encoder, rows: {set: scores}}} for each artifact."""
    english = dataset.load("test")
    held_out = multilingual_set.load()
    out: dict[str, dict[str, Any]] = {}
    for name, path in paths.items():
        analyzer = Analyzer(path)
        rows = {f"English test ({len(english)})": scores(analyzer, english)}
        rows[f"multilingual test ({len(held_out)})"] = scores(analyzer, [s.example for s in held_out], [s.language for s in held_out])
        for lang in sorted({s.language for s in held_out}):
            part = [s for s in held_out if s.language == lang]
            rows[f"  {lang} ({len(part)})"] = scores(analyzer, [s.example for s in part], [lang] * len(part))
        out[name] = {"version": analyzer.model_version, "encoder": analyzer.artifact.embedding_model, "rows": rows}
    return out


def format_table(result: dict[str, dict[str, Any]]) -> str:
    names = list(result)
    lines = ["text set | " + " | ".join(f"{n}: {result[n]['version']} ({result[n]['encoder']}) sentiment / intent / emotion F1" for n in names)]
    for row in result[names[0]]["rows"]:
        cells = [" / ".join(f"{result[n]['rows'][row][k]:.3f}" for k in ("sentiment", "intent", "emotion_f1")) for n in names]
        lines.append(f"{row} | " + " | ".join(cells))
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", type=Path, required=True, help="the previous model.json")
    ap.add_argument("--new", type=Path, help="the new model.json (default: VOYCE_MODEL_PATH or the packaged default)")
    args = ap.parse_args(argv)
    print(format_table(compare({"old": args.old, "new": args.new or configured_path()})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
