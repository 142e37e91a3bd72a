"""Word error rate, so Python tests, benchmarks and the TS side measure transcripts the same way.

Normalisation: lower-case, drop everything except letters (of any script), digits and apostrophes, split on
whitespace. WER = (substitutions + deletions + insertions) / reference words, by word-level
Levenshtein distance. Written out here rather than taking `jiwer` so the metric is one small,
dependency-free function that is easy to port exactly.
"""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^\w' ]+|_")  # any script's letters: German, French, ... words stay whole


def normalize_words(text: str) -> list[str]:
    """Lower-case, strip punctuation (keeping apostrophes), split into words."""
    cleaned = _NON_WORD.sub(" ", text.lower().replace("-", " "))
    return [w.strip("'") for w in cleaned.split() if w.strip("'")]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance (unit costs)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of `hypothesis` against `reference`; 0.0 when both are empty, 1.0 per word if ref is empty."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else float(len(hyp))
    return edit_distance(ref, hyp) / len(ref)
