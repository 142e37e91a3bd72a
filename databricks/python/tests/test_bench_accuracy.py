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
    assert figures["informal"]["sentences"] > 0 and 0 <= figures["informal"]["sentiment_accuracy"] <= 1
    assert figures["keywords"]["sentences"] == 42 and {"keybert_style", "yake"} <= set(figures["keywords"])


def test_informal_rule() -> None:
    informal = bench_accuracy.is_informal
    assert informal("@voyce_support the update wiped my recordings. unreal")
    assert informal("cant scroll the transcript on mobile it just bounces back")
    assert informal("Thanks for sharing my email with advertisers, really appreciate it 🙄")
    assert informal("Great job, the new version won't even start on my phone")
    assert not informal("The analytics export puts every value in a single column.")  # "column" is not "lol"
    assert not informal("Please add a way to export the analytics as CSV.")
    from voyce_ml import dataset

    assert sum(informal(e.text) for e in dataset.load("test")) >= 40  # the slice is a real part of the test set


def test_keyword_scoring() -> None:
    from voyce_ml import keyword_bench as kb

    assert kb.overlap_f1("upload keeps failing", "upload failing") >= 0.5
    assert kb.overlap_f1("deleted categories", "deleted category") == 1.0  # plural folded
    assert kb.overlap_f1("filter", "category filter") >= 0.5 and kb.overlap_f1("app", "slow app on wifi") < 0.5
    assert kb.score([["a b", "x"]], [["a b", "c"]]) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    refs = kb.load_references()
    texts = {e.text for e in __import__("voyce_ml.dataset", fromlist=["load"]).load("test")}
    assert len(refs) == 42 and all(t in texts for t, _ in refs)
