"""`npm run bench:accuracy` runs: the text-level part on a few test sentences."""

from __future__ import annotations

import json
from pathlib import Path

from voyce_ml import bench_accuracy


def test_text_level_bench(tmp_path: Path, capsys) -> None:
    out = tmp_path / "figures.json"
    assert bench_accuracy.main(["--no-spoken", "--limit", "25", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["test_sentences"] == 25 and 0 <= figures["text"]["sentiment_accuracy"] <= 1
    assert {"intent_accuracy", "emotion_macro_f1", "vader_only_sentiment_accuracy", "latency_ms_p50"} <= set(figures["text"])
    assert "text  :" in capsys.readouterr().out
