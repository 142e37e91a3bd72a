"""VADER scores as extra classifier features: how "VADER blended with the classifier" is done.

Why stacking rather than averaging two labels: the logistic regression learns how much to trust the
lexicon against the embedding per class (VADER is good at plain "love/hate" words, the embedding at
sarcasm and domain phrases like "logged me out again"), and the weight is fitted, not guessed.
The four VADER numbers (compound, pos, neu, neg) are scaled by VADER_SCALE so they matter next to
384 unit-norm embedding dimensions under the same L2 penalty.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

VADER_SCALE = 2.0
_vader = None


def _analyzer():
    global _vader
    if _vader is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _vader = SentimentIntensityAnalyzer()
    return _vader


def vader_scores(text: str) -> dict[str, float]:
    """VADER's polarity_scores (compound, pos, neu, neg); zeros for empty text."""
    if not text.strip():
        return {"compound": 0.0, "pos": 0.0, "neu": 0.0, "neg": 0.0}
    return {k: float(v) for k, v in _analyzer().polarity_scores(text).items()}


def vader_features(texts: Sequence[str]) -> np.ndarray:
    """Shape (n, 4): scaled compound, pos, neu, neg."""
    rows = [vader_scores(t) for t in texts]
    return VADER_SCALE * np.asarray([[r["compound"], r["pos"], r["neu"], r["neg"]] for r in rows], dtype=np.float32).reshape(len(rows), 4)
