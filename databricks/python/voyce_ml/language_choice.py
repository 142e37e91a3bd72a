"""Spoken-language detection for a clip that names no language.

Whisper's own detection reads the first 30 s of speech once and answers a probability per language.
On clear speech it is right and confident; on accented or synthetic speech the right language is often
second or lower (espeak-ng German clips: en 0.56, de 0.20; en 0.33, nn 0.17, fi 0.15, ..., de 0.07). So an
uncertain answer is settled by decoding the clip in each plausible language and keeping the decoding the
model itself finds most likely (highest mean token log-probability): nonsense English read from German
audio scores lower than the German (-1.08 against -0.92). Plausible: the two most probable of the
languages the product expects (VOYCE_EXPECTED_LANGUAGES), plus Whisper's own first choice when it is
none of them. That costs one or two extra decodings, and only on uncertain clips.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

# At or above this probability the detected language is used as is.
CONFIDENT = 0.8
# How many of the expected languages an uncertain clip is decoded in.
EXPECTED_CANDIDATES = 2
DEFAULT_EXPECTED = ("en", "de", "fr", "es", "pt", "it", "nl", "pl")


def expected_languages() -> tuple[str, ...]:
    """VOYCE_EXPECTED_LANGUAGES (comma-separated ISO 639-1 codes), else the languages the analysis was trained on."""
    configured = [c.strip().lower() for c in os.environ.get("VOYCE_EXPECTED_LANGUAGES", "").split(",") if c.strip()]
    return tuple(configured) or DEFAULT_EXPECTED


@dataclass(frozen=True)
class Detection:
    """The most probable language, its probability, and every language (in order) worth decoding."""

    language: str
    probability: float
    candidates: list[tuple[str, float]] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        return self.probability >= CONFIDENT or len(self.candidates) <= 1

    def probability_of(self, language: str) -> float:
        return next((p for lang, p in self.candidates if lang == language), self.probability if language == self.language else 0.0)


NO_SPEECH = Detection("en", 0.0, [])


def detect(model: Any, audio: Any) -> Detection:
    """Whisper language detection over the speech (VAD) of `audio` (16 kHz float32 mono)."""
    try:
        language, probability, ranked = model.detect_language(audio, vad_filter=True)
    except ValueError:  # the VAD found no speech at all: nothing to concatenate
        return NO_SPEECH
    expected = expected_languages()
    candidates = [(lang, float(p)) for lang, p in ranked if lang in expected][:EXPECTED_CANDIDATES]
    if language not in expected:
        candidates.insert(0, (language, float(probability)))
    return Detection(language, float(probability), candidates)


def decoding_score(segments: list[Any]) -> tuple[bool, float]:
    """How plausible a decoding is, larger is better: first whether every segment passed at temperature 0
    (faster-whisper re-samples a segment at a higher temperature when its text repeats itself or its
    log-probability is too low, as happens in the wrong language: "? ? ? ?" scores high per token),
    then the mean log-probability."""
    return all(getattr(s, "temperature", 0.0) == 0.0 for s in segments), mean_log_probability(segments)


def mean_log_probability(segments: list[Any]) -> float:
    """Token-weighted mean log-probability of a decoding; -inf with no tokens (nothing was heard)."""
    tokens = sum(len(s.tokens) for s in segments)
    if tokens == 0:
        return float("-inf")
    return sum(s.avg_logprob * len(s.tokens) for s in segments) / tokens
