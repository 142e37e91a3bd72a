"""Sentiment with VADER: a lexicon that ships inside the `vaderSentiment` wheel (no downloads).

Labels use VADER's standard thresholds on the compound score: >= 0.05 positive, <= -0.05
negative, otherwise neutral.

Confidence formula (0..1): how far the compound score sits from the nearest decision boundary,
relative to the width of the label's band, mapped onto 0.5..1.0:
  * positive/negative: 0.5 + 0.5 * (|compound| - 0.05) / 0.95  (0.5 right at ±0.05, 1.0 at ±1)
  * neutral:           0.5 + 0.5 * (1 - |compound| / 0.05)      (1.0 at 0, 0.5 at the boundary)
  * empty text: label neutral, score 0, confidence 0.0 (nothing was said, so nothing is known).
A score at a boundary is a coin toss between two labels, hence 0.5 as the floor.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import TypedDict

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

THRESHOLD = 0.05
MODEL_VERSION = f"vader-{version('vaderSentiment')}"


class SentimentResult(TypedDict):
    label: str
    score: float
    confidence: float


def label_for(compound: float) -> str:
    """VADER's standard 3-class mapping."""
    if compound >= THRESHOLD:
        return "positive"
    if compound <= -THRESHOLD:
        return "negative"
    return "neutral"


def confidence_for(compound: float, label: str) -> float:
    """See the module docstring for the formula."""
    magnitude = min(1.0, abs(compound))
    if label == "neutral":
        margin = 1.0 - magnitude / THRESHOLD
    else:
        margin = (magnitude - THRESHOLD) / (1.0 - THRESHOLD)
    return round(0.5 + 0.5 * max(0.0, min(1.0, margin)), 4)


class SentimentAnalyzer:
    """Holds one VADER analyzer (the lexicon is parsed once, ~0.1 s) for many texts."""

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def analyze(self, text: str) -> SentimentResult:
        if not text or not text.strip():
            return {"label": "neutral", "score": 0.0, "confidence": 0.0}
        compound = float(self._vader.polarity_scores(text)["compound"])
        label = label_for(compound)
        return {"label": label, "score": round(compound, 4), "confidence": confidence_for(compound, label)}
