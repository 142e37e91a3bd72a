"""The notebooks run as Databricks would run them: exec the source with a stand-in `dbutils`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


class _Exit(Exception):
    def __init__(self, value: str) -> None:
        self.value = value


class FakeDbutils:
    def __init__(self, params: dict[str, str]) -> None:
        outer = self
        self.params = params

        class Widgets:
            def text(self, name: str, default: str, label: str = "") -> None:
                outer.params.setdefault(name, default)

            def get(self, name: str) -> str:
                return outer.params[name]

        class Notebook:
            def exit(self, value: str) -> None:
                raise _Exit(value)

        self.widgets, self.notebook = Widgets(), Notebook()


def run_notebook(name: str, params: dict[str, str], **injected: Any) -> dict[str, Any]:
    source = (NOTEBOOKS / f"{name}.py").read_text()
    assert source.startswith("# Databricks notebook source\n") and "# COMMAND ----------" in source
    with pytest.raises(_Exit) as done:
        exec(compile(source, name, "exec"), {"dbutils": FakeDbutils(dict(params)), "__name__": "__main__", **injected})
    return json.loads(done.value.value)


def test_voice_processing_notebook(audio_server: str) -> None:
    out = run_notebook("02_voice_processing", {"submission_id": "s1", "audio_url": f"{audio_server}/speech.wav"})
    assert "checkout" in out["text"].lower() and out["model"]["name"] == "faster-whisper-base"


def test_sentiment_notebook() -> None:
    out = run_notebook("03_sentiment_analysis", {"submission_id": "s1", "text": "I really love this feature"})
    assert out["sentiment"]["label"] == "positive"


def test_sentiment_notebook_returns_the_full_analysis() -> None:
    out = run_notebook("03_sentiment_analysis", {"submission_id": "s1", "text": "Please add dark mode"})
    assert out["intent"]["label"] == "feature_request" and out["action_items"] == [{"text": "Add dark mode", "priority": "low"}]


def test_batch_inference_notebook() -> None:
    items = [{"submission_id": "a", "text": "I love it"}, {"submission_id": "b", "text": "it crashes, fix it"}]
    out = run_notebook("06_batch_inference", {"items": json.dumps(items)})
    assert out["count"] == 2 and [r["submission_id"] for r in out["results"]] == ["a", "b"]


class FakeSpark:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def sql(self, statement: str) -> None:
        self.statements.append(statement)


def test_unity_catalog_setup_notebook() -> None:
    spark = FakeSpark()
    out = run_notebook("00_unity_catalog_setup", {}, spark=spark)
    assert out["catalog"] == "voyce_catalog" and out["statements"] == len(spark.statements) >= 11
    assert spark.statements[0] == "CREATE CATALOG IF NOT EXISTS voyce_catalog"


def test_training_notebook_calls_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from voyce_ml import training
    from voyce_ml.model_artifact import Artifact, default_path

    calls: list[Path] = []

    def fake_train(out_dir: Path) -> tuple[Artifact, Path]:
        calls.append(out_dir)
        return Artifact.load(default_path()), default_path()

    monkeypatch.setattr(training, "train", fake_train)
    out = run_notebook("05_model_training", {"output_dir": str(tmp_path)})
    assert calls == [tmp_path] and out["version"].startswith("clf-")


def test_ingestion_notebook_calls_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from voyce_ml import ingestion

    monkeypatch.setattr(ingestion, "ingest", lambda spark, path, name: {"path": path, "catalog": name})
    out = run_notebook("01_data_ingestion", {"source_path": "/Volumes/x.jsonl"}, spark=object())
    assert out == {"path": "/Volumes/x.jsonl", "catalog": "voyce_catalog"}
