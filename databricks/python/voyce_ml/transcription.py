"""Speech to text with faster-whisper (CTranslate2, int8 on CPU): Whisper base (multilingual) or tiny.en.

A model is loaded once per `Transcriber` and reused for every clip: loading costs ~0.3-1 s, a clip
~0.1x its length, so warm workers matter. Settings are fixed on purpose (beam 8 with patience 2,
word timestamps, silero VAD which ships inside faster-whisper): they are part of what the model
version means (`+beam8p2`). Greedy decoding measured no faster and less accurate here; beam 8 with
patience 2 against beam 5 cut the word error rate on a dev set of spoken *training* sentences from
26.8 % to 25.7 % (22.5 % → 21.5 % on the test clips) at no measurable cost on a 9.5 s clip; an
`initial_prompt` or `hotwords` of product vocabulary made it much worse (37 %: tiny.en drops words).

A clip with no language given is detected (language_choice.py); a given language is used as is.
Which model reads a clip is decided in whisper_models.py and tasks.py.

Environment:
  VOYCE_WHISPER_THREADS    CTranslate2 intra-op threads (default 2).
  (model folders: see whisper_models.py)
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

from faster_whisper.audio import decode_audio  # noqa: E402

from . import language_choice  # noqa: E402
from .errors import AudioDecodeError  # noqa: E402
from .language_choice import Detection  # noqa: E402
from .whisper_models import ModelSpec, english_spec  # noqa: E402

BEAM_SIZE = 8
PATIENCE = 2.0


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
    language_source: str  # "given" (the upload named it) or "detected"
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
            "language_source": self.language_source,
            "confidence": round(self.confidence, 4),
            "duration_ms": self.duration_ms,
            "no_speech": self.no_speech,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end, "confidence": w.confidence}
                for w in self.words
            ],
        }


def load_audio(audio_path: str | Path) -> Any:
    """The clip as 16 kHz mono float32. Raises AudioDecodeError when the file is not decodable audio."""
    try:
        return decode_audio(str(audio_path))
    except Exception as exc:  # PyAV raises many types (InvalidDataError, ValueError, ...)
        if _is_decode_error(exc):
            raise AudioDecodeError(f"audio could not be decoded: {type(exc).__name__}: {exc}") from exc
        raise


class Transcriber:
    """Loads one Whisper model once; `transcribe()` many clips with it (not thread-safe)."""

    def __init__(
        self, model: Optional[ModelSpec | str | Path] = None, cpu_threads: Optional[int] = None, num_workers: int = 1
    ) -> None:
        spec = model if isinstance(model, ModelSpec) else english_spec() if model is None else ModelSpec(Path(model), Path(model).name)
        if not (spec.path / "model.bin").is_file():
            raise FileNotFoundError(f"no faster-whisper model at {spec.path} (model.bin missing)")
        threads = cpu_threads if cpu_threads is not None else int(os.environ.get("VOYCE_WHISPER_THREADS", "2"))
        self.model_dir = spec.path
        self.model_id = spec.model_id
        # num_workers > 1 lets that many threads decode at once (the live worker's sessions); batch uses one.
        self.model = WhisperModel(
            str(spec.path), device="cpu", compute_type="int8", cpu_threads=threads, num_workers=num_workers
        )

    @property
    def multilingual(self) -> bool:
        return bool(self.model.model.is_multilingual)

    @property
    def model_info(self) -> dict[str, str]:
        return {"name": f"faster-whisper-{self.model_id}", "version": f"{faster_whisper.__version__}+{self.model_id}+beam{BEAM_SIZE}p{PATIENCE:g}"}

    def warm_up(self) -> None:
        """Load the silero VAD (onnxruntime, lazily loaded by faster-whisper) before the first real clip."""
        import numpy as np

        list(self.model.transcribe(np.zeros(16000, dtype=np.float32), beam_size=1, vad_filter=True)[0])

    def detect(self, audio: Any) -> Detection:
        """The clip's spoken language by this (multilingual) model; see language_choice.py."""
        return language_choice.detect(self.model, audio)

    def transcribe(self, audio: Any, language: Optional[str] = None, detection: Optional[Detection] = None) -> Transcript:
        """Transcribe one clip (a path or 16 kHz samples) in `language` if given, else in the detected one.

        Raises AudioDecodeError when a path is not decodable audio."""
        samples = load_audio(audio) if isinstance(audio, (str, Path)) else audio
        if language:
            code = language.split("-")[0].lower()
            if not self.multilingual and code != "en":
                raise ValueError(f"{self.model_id} transcribes English only, not {language!r}")
            return self._decode(samples, code, 1.0, "given")
        if not self.multilingual:
            return self._decode(samples, "en", detection.probability_of("en") if detection else 1.0, "detected")
        found = detection or self.detect(samples)
        if found.certain:
            return self._decode(samples, found.language, found.probability, "detected")
        decodings = [(self._segments(samples, lang), lang) for lang, _ in found.candidates]
        segments, lang = max(decodings, key=lambda d: language_choice.decoding_score(d[0][0]))
        return self._transcript(segments[0], segments[1], lang, found.probability_of(lang), "detected")

    def _segments(self, samples: Any, language: str) -> tuple[list[Any], Any]:
        segments, info = self.model.transcribe(
            samples, language=language, beam_size=BEAM_SIZE, patience=PATIENCE, word_timestamps=True, vad_filter=True
        )
        return list(segments), info  # decoding is lazy: it runs here

    def _decode(self, samples: Any, language: str, probability: float, source: str) -> Transcript:
        segments, info = self._segments(samples, language)
        return self._transcript(segments, info, language, probability, source)

    @staticmethod
    def _transcript(segments: list[Any], info: Any, language: str, probability: float, source: str) -> Transcript:
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
            language=language,
            language_probability=probability,
            language_source=source,
            confidence=confidence,
            duration_ms=int(round(info.duration * 1000)),
            words=words,
        )


    def decode_window(
        self, samples: Any, *, language: Optional[str], beam_size: int, prompt: str = ""
    ) -> list[tuple[float, list[Word]]]:
        """Decode 16 kHz float samples (the live window) with the batch path's VAD and word timestamps.

        Returns `(segment end, words)` per segment, times relative to the window's start.
        """
        segments, _info = self.model.transcribe(
            samples,
            language=self._usable_language(language),
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=True,
            initial_prompt=prompt or None,
            condition_on_previous_text=False,
            # No temperature fallback: a re-decode a moment later is the live path's retry, and a fallback
            # costs several decodes of the window at once (measured: 5 s instead of 1 s).
            temperature=0.0,
        )
        return [
            (
                float(seg.end),
                [
                    Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                    for w in (seg.words or [])
                    if w.word.strip()
                ],
            )
            for seg in segments
        ]

    def _usable_language(self, language: Optional[str]) -> Optional[str]:
        if language and not self.model.model.is_multilingual and language.split("-")[0].lower() != "en":
            return None  # English-only model: faster-whisper would warn and use "en" anyway
        return language or None


def _is_decode_error(exc: Exception) -> bool:
    """PyAV errors (and the IndexError/ValueError it leads to on empty streams) mean bad input."""
    module = type(exc).__module__ or ""
    return module.startswith("av") or isinstance(exc, (ValueError, IndexError, EOFError))
