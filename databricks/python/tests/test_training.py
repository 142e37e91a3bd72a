"""Training end to end on the real labelled data, with a fast stand-in encoder (hashing bag of words)
so the test checks the pipeline (selection, report, artifact round trip), not MiniLM."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from voyce_ml import dataset, multilingual_set, training
from voyce_ml.model_artifact import Artifact, default_path


class HashEmbedder:
    def embed_documents(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 384] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1)


def test_dataset_sizes_labels_and_no_overlap() -> None:
    train, test = dataset.load("train"), dataset.load("test")
    assert len(train) >= 400 and len(test) >= 120
    for field, labels in (("intent", dataset.INTENTS), ("emotion", dataset.EMOTIONS), ("sentiment", dataset.SENTIMENTS)):
        assert {getattr(e, field) for e in train} == set(labels)
        assert {getattr(e, field) for e in test} == set(labels)
    assert not {e.text.lower() for e in train} & {e.text.lower() for e in test}


def test_training_writes_a_versioned_artifact(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(training, "GRID_C", (4.0,))
    monkeypatch.setattr(training, "GRID_LEXICAL_C", (4.0,))
    lines: list[str] = []
    artifact, path = training.train(tmp_path, embedder=HashEmbedder(), log=lines.append, use_asr=False)  # type: ignore[arg-type]
    assert path == tmp_path / artifact.version / "model.json" and artifact.version.startswith("clf-")
    loaded = Artifact.load(path)
    assert set(loaded.heads) == {"intent", "emotion", "sentiment"}
    assert loaded.heads["intent"].classes == sorted(dataset.INTENTS)
    report = "\n".join(lines)
    assert "confusion (rows = gold" in report and "precision" not in report.split("\n")[0]
    metrics = json.loads((path.parent / "metrics.json").read_text())
    assert 0 <= metrics["test"]["intent"]["accuracy"] <= 1 and "sentiment_vader_only" in metrics["test"]
    for head in ("intent", "emotion", "sentiment"):
        chosen = metrics["selection"][head]
        assert chosen["lexical_weight"] in training.LEXICAL_WEIGHTS and chosen["lexical_C"] in training.GRID_LEXICAL_C
        # the lexical part is kept exactly when cross-validation gave it a weight, and it never scores worse
        assert (loaded.heads[head].lexical is not None) == (chosen["lexical_weight"] > 0)
        metric = "accuracy" if head != "emotion" else "macro_f1"
        assert chosen[f"cv_{metric}"] >= chosen[f"cv_{metric}_embedding_alone"]


def test_packaged_default_artifact_is_small_and_loadable() -> None:
    path = default_path()
    assert path.stat().st_size < 5 * 1024 * 1024
    art = Artifact.load(path)
    assert art.embedding_model == "multilingual-e5-small-q4" and art.metrics["test"]["intent"]["accuracy"] >= 0.9
    # trained on the other languages too, and measured on the held-out ones
    assert art.metrics["selection"] and art.version.startswith("clf-")
    # trained with the spoken training transcripts (the default), every choice recorded
    assert all("asr_weight" in art.metrics["selection"][h] and "lexical_weight" in art.metrics["selection"][h] for h in art.heads)


def test_training_with_asr_transcripts_selects_a_weight_and_scores_both(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(training, "GRID_C", (4.0,))
    monkeypatch.setattr(training, "GRID_WEIGHT", (None,))
    monkeypatch.setattr(training, "FOLDS", 3)
    monkeypatch.setattr(training, "ASR_WEIGHTS", (0.0, 1.0))
    monkeypatch.setattr(training, "GRID_LEXICAL_C", (4.0,))
    lines: list[str] = []
    artifact, path = training.train(tmp_path, embedder=HashEmbedder(), log=lines.append, use_asr=True)  # type: ignore[arg-type]
    twins = training.asr_examples(dataset.load("train"), True)
    assert twins and len(twins) % len(dataset.load("train")) == 0
    selection = json.loads((path.parent / "metrics.json").read_text())["selection"]
    for head in ("intent", "emotion", "sentiment"):
        assert selection[head]["asr_weight"] in training.ASR_WEIGHTS
        assert {k for k in selection[head] if k.endswith(("_written", "_spoken"))}
    assert any("spoken=" in line for line in lines)
    # the ASR transcripts are part of the data version: a different artifact than the written-only one
    assert artifact.version != training.data_version()


def test_multilingual_training_set_covers_four_languages_every_label_and_stays_out_of_the_test_set() -> None:
    train = multilingual_set.load(multilingual_set.train_path())
    held_out = multilingual_set.load()
    assert {s.language for s in train} >= {"de", "fr", "es", "pt"} and len(train) >= 120
    for lang in ("de", "fr", "es", "pt"):
        assert {s.example.intent for s in train if s.language == lang} == set(dataset.INTENTS)
    assert {s.example.sentiment for s in train} == set(dataset.SENTIMENTS)
    assert not {s.example.text.lower() for s in train} & {s.example.text.lower() for s in held_out}
    assert not {s.example.text.lower() for s in train} & {e.text.lower() for e in dataset.load("test")}


def test_multilingual_rows_join_training_and_change_the_version(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(training, "GRID_C", (4.0,))
    monkeypatch.setattr(training, "GRID_WEIGHT", (None,))
    monkeypatch.setattr(training, "GRID_LEXICAL_C", (4.0,))
    monkeypatch.setattr(training, "LEXICAL_WEIGHTS", (0.0,))
    monkeypatch.setattr(training, "FOLDS", 2)
    lines: list[str] = []
    with_others, path = training.train(tmp_path, embedder=HashEmbedder(), log=lines.append, use_asr=False)  # type: ignore[arg-type]
    metrics = json.loads((path.parent / "metrics.json").read_text())
    assert metrics["training_rows"]["multilingual"] == len(multilingual_set.load(multilingual_set.train_path()))
    assert set(metrics["test_multilingual"]["intent"]["by_language"]) == {s.language for s in multilingual_set.load()}
    assert any(line.startswith("intent (multilingual test, text") for line in lines)
    others = [s.example for s in multilingual_set.load(multilingual_set.train_path())]
    assert with_others.version == training.data_version(None, (), with_others.embedding_model, others)
    assert with_others.version != training.data_version(None, (), with_others.embedding_model)
