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


def run_notebook(name: str, params: dict[str, str]) -> dict[str, Any]:
    source = (NOTEBOOKS / f"{name}.py").read_text()
    assert source.startswith("# Databricks notebook source\n") and "# COMMAND ----------" in source
    with pytest.raises(_Exit) as done:
        exec(compile(source, name, "exec"), {"dbutils": FakeDbutils(dict(params)), "__name__": "__main__"})
    return json.loads(done.value.value)


def test_voice_processing_notebook(audio_server: str) -> None:
    out = run_notebook("02_voice_processing", {"submission_id": "s1", "audio_url": f"{audio_server}/speech.wav"})
    assert "checkout" in out["text"].lower() and out["model"]["name"] == "faster-whisper-tiny.en"


def test_sentiment_notebook() -> None:
    out = run_notebook("03_sentiment_analysis", {"submission_id": "s1", "text": "I really love this feature"})
    assert out["sentiment"]["label"] == "positive"
