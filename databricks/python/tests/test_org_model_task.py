"""05_model_training in organisation mode: parameters, the exit value's shape, the artifact it names, and
analysis with that artifact (fast stand-in encoder; the real one runs in the integration test and the bench)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from voyce_ml import analysis, dataset, tasks  # analysis now: it binds the real embedder_for before any test patches it
from voyce_bench.org_models import team_corrections
from voyce_ml.errors import TaskInputError
from voyce_ml.model_artifact import default_path
from voyce_ml.org_model_task import train_org_model

from .test_notebooks import run_notebook
from .test_training import HashEmbedder as _HashDocuments


class HashEmbedder(_HashDocuments):
    """The training stand-in, able to embed keyword candidates too (analysis asks for both)."""

    model_id = "hash"

    def embed(self, texts, batch_size: int = 32):  # type: ignore[no-untyped-def]
        return self.embed_documents(list(texts))


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _complainers(tmp_path: Path) -> Path:
    rows = [{"text": c.text, "intent": c.intent, "emotion": c.emotion, "sentiment": c.sentiment}
            for c in team_corrections(dataset.load("test")[0::2], {"question": "complaint"})]
    return _write(tmp_path / "corrections.jsonl", rows)


def test_too_few_corrections_answer_insufficient_labels_with_the_count(tmp_path: Path) -> None:
    few = _write(tmp_path / "c.jsonl", [{"text": "the price went up", "intent": "complaint"}] * 3)
    out = train_org_model({"org_id": "org-a", "corrections_path": str(few), "output_dir": str(tmp_path / "out")},
                          lambda _m: pytest.fail("no encoder is needed for too few labels"), log=lambda _m: None)
    assert out["status"] == "insufficient_labels" and out["labels"] == 3
    assert out["evaluation"]["n"] == 3 and out["evaluation"]["before"] is None and out["evaluation"]["after"] is None
    assert "model_version" not in out and not (tmp_path / "out").exists()


def test_bad_parameters_are_task_input_errors(tmp_path: Path) -> None:
    good = _write(tmp_path / "c.jsonl", [{"text": "x", "intent": "question"}])
    with pytest.raises(TaskInputError, match="org_id"):
        train_org_model({"corrections_path": str(good), "output_dir": str(tmp_path)})
    with pytest.raises(TaskInputError, match="folder"):
        train_org_model({"org_id": "../etc", "corrections_path": str(good), "output_dir": str(tmp_path)})
    with pytest.raises(TaskInputError, match="corrections_url"):
        train_org_model({"org_id": "a", "output_dir": str(tmp_path)})
    with pytest.raises(TaskInputError, match="http"):
        train_org_model({"org_id": "a", "corrections_url": "file:///etc/passwd", "output_dir": str(tmp_path)})
    bad = _write(tmp_path / "bad.jsonl", [{"text": "x", "intent": "moan"}])
    with pytest.raises(TaskInputError, match="unknown intent 'moan'"):
        train_org_model({"org_id": "a", "corrections_path": str(bad), "output_dir": str(tmp_path)})
    with pytest.raises(TaskInputError, match="sha256"):
        train_org_model({"org_id": "a", "corrections_path": str(good), "output_dir": str(tmp_path),
                         "active_model_path": str(default_path()), "active_model_sha256": "0" * 64})


def test_a_team_habit_through_the_notebook_names_a_hashed_artifact_that_analyses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("voyce_ml.embedding_backends.embedder_for", lambda _m: HashEmbedder())
    out = run_notebook("05_model_training", {"org_id": "org-a", "corrections_path": str(_complainers(tmp_path)), "output_dir": str(tmp_path / "out")})
    ev = out["evaluation"]
    assert out["org_id"] == "org-a" and out["labels"] == ev["n"] == 63 and out["baseline_version"].startswith("voyce-clf-")
    assert out["status"] == "activated", ev
    assert ev["after"] > ev["before"] and ev["per_head"]["intent"]["retrained"]
    path = Path(out["artifact_path"])
    assert path.parent.parent == tmp_path / "out" / "org-a"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == out["artifact_sha256"]
    assert out["model_version"] == f"voyce-{path.parent.name}" and out["model_version"].startswith("voyce-org-")

    # 03 with that artifact answers with its version; without, the default's; a wrong sha256 is refused
    monkeypatch.setattr(tasks, "_analyzer", analysis.Analyzer(default_path(), embedder=HashEmbedder()))  # type: ignore[arg-type]
    monkeypatch.setattr(tasks, "_org_analyzers", type(tasks._org_analyzers)())
    org = tasks.run_task("03_sentiment_analysis", {"submission_id": "s", "text": "why did the price go up?",
                                                    "model_path": str(path), "model_sha256": out["artifact_sha256"]})
    assert org["model_version"] == out["model_version"]
    plain = tasks.run_task("03_sentiment_analysis", {"submission_id": "s", "text": "why did the price go up?"})
    assert plain["model_version"] == out["baseline_version"]
    batch = tasks.run_task("06_batch_inference", {"items": json.dumps([{"submission_id": "s", "text": "why?"}]), "model_path": str(path)})
    assert batch["model_version"] == out["model_version"]
    with pytest.raises(TaskInputError, match="sha256"):
        tasks.run_task("03_sentiment_analysis", {"submission_id": "s", "text": "x", "model_path": str(path), "model_sha256": "ab" * 32})


def test_a_second_run_over_the_organisation_model_scores_against_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("voyce_ml.embedding_backends.embedder_for", lambda _m: HashEmbedder())
    corrections = _complainers(tmp_path)
    first = train_org_model({"org_id": "org-a", "corrections_path": str(corrections), "output_dir": str(tmp_path)},
                            lambda _m: HashEmbedder(), log=lambda _m: None)  # type: ignore[arg-type, return-value]
    assert first["status"] == "activated"
    again = train_org_model({"org_id": "org-a", "corrections_path": str(corrections), "output_dir": str(tmp_path),
                             "active_model_path": first["artifact_path"], "active_model_sha256": first["artifact_sha256"]},
                            lambda _m: HashEmbedder(), log=lambda _m: None)  # type: ignore[arg-type, return-value]
    # the same corrections teach the org model nothing new: it is the baseline now, and it is not replaced
    assert again["baseline_version"] == first["model_version"] and again["status"] == "not_better"
    assert again["evaluation"]["before"] >= first["evaluation"]["after"] - 0.05
