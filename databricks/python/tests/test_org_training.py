"""Organisation models: corrections parsing, the insufficient_labels path, and a full run whose saved artifact
is per organisation, hashed, and only written when it beats the active model (fast stand-in encoder)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from voyce_ml import dataset, org_training
from voyce_bench.org_models import team_corrections
from voyce_ml.model_artifact import Artifact, default_path

from .test_training import HashEmbedder


def test_parse_corrections_validates_labels() -> None:
    got = org_training.parse_corrections(['{"text": "the price went up", "intent": "question"}', ""])
    assert got == [org_training.Correction("the price went up", intent="question")]
    with pytest.raises(ValueError, match="unknown intent 'moan'"):
        org_training.parse_corrections(['{"text": "x", "intent": "moan"}'])
    with pytest.raises(ValueError, match="no text"):
        org_training.parse_corrections(['{"intent": "question"}'])


def test_too_few_corrections_end_with_insufficient_labels(tmp_path: Path) -> None:
    few = [org_training.Correction("the price went up", intent="question")] * 3
    result = org_training.train_org("org-a", few, Artifact.load(default_path()), tmp_path, HashEmbedder(), log=lambda _m: None)  # type: ignore[arg-type]
    assert result["status"] == "insufficient_labels"
    assert result["evaluation"]["n"] == 3 and result["evaluation"]["labels"]["intent"] == 3
    assert not any(tmp_path.iterdir())


def test_a_team_habit_is_learnt_and_saved_under_its_organisation(tmp_path: Path) -> None:
    test = dataset.load("test")
    corrections = team_corrections(test[0::2], {"question": "complaint"})
    result = org_training.train_org("org-a", corrections, Artifact.load(default_path()), tmp_path, HashEmbedder(), log=lambda _m: None)  # type: ignore[arg-type]
    ev = result["evaluation"]
    assert ev["n"] == len(corrections) and ev["folds"] == 5 and ev["labels"] == 3 * len(corrections)
    if result["status"] == "activated":
        assert ev["after"] > ev["before"]
        path = Path(result["path"])
        assert path.parent.parent == tmp_path / "org-a" and hashlib.sha256(path.read_bytes()).hexdigest() == result["sha256"]
        assert Artifact.load(path).metrics["org_id"] == "org-a"
    else:
        assert result["status"] == "not_better" and ev["after"] <= ev["before"] and not any(tmp_path.iterdir())
