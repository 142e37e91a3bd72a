"""Character n-gram TF-IDF features: what a head reads besides the sentence embedding.

Why: the heads read Whisper's transcript, and tiny.en mishears about one word in five on synthetic
voices ("bulk tagging" -> "both tugging", "unusable" -> "unusual"). A misheard word moves the MiniLM
embedding a long way, but most of its character n-grams survive ("tugging" still shares " tag"-like
pieces with "tagging", "unusual" shares "unus"), and cue words such as "crash", "add", "how do" weigh
in directly. A logistic regression over these features, mixed with the embedding head's
probabilities (see model_artifact.Head), measured better both in cross-validation on the training
split (written and spoken rows) and on the held-out spoken clips (README "Accuracy").

The analyzer is scikit-learn's `TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
sublinear_tf=True)` (lower-cased; n-grams inside word boundaries, padded with a space), fitted at
training time; `transform` reproduces it with the standard library and numpy only, so the warm
worker needs no scikit-learn (a test checks both give the same matrix).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

NGRAM_RANGE = (2, 5)
MIN_DF = 2


def char_wb_ngrams(text: str, ngram_range: tuple[int, int] = NGRAM_RANGE) -> list[str]:
    """scikit-learn's `char_wb` analyzer: lower-case, each word padded with a space, n-grams within it."""
    lo, hi = ngram_range
    grams: list[str] = []
    for word in text.lower().split():
        w = f" {word} "
        for n in range(lo, hi + 1):
            if len(w) <= n:
                grams.append(w)  # a word no longer than n counts once, whole, as in scikit-learn
                break
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


@dataclass
class CharTfidf:
    """A fitted vocabulary (n-gram -> column) and the idf of each column."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngram_range: tuple[int, int] = NGRAM_RANGE

    @staticmethod
    def vectorizer(min_df: int = MIN_DF, ngram_range: tuple[int, int] = NGRAM_RANGE) -> Any:
        """The scikit-learn vectorizer this class reproduces (training only: sparse matrices, fast fits)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, min_df=min_df, sublinear_tf=True)

    @classmethod
    def from_vectorizer(cls, vec: Any) -> "CharTfidf":
        """Keep what transform needs from a fitted `vectorizer()`."""
        return cls({str(k): int(v) for k, v in vec.vocabulary_.items()}, vec.idf_.astype(np.float64), tuple(vec.ngram_range))

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = MIN_DF, ngram_range: tuple[int, int] = NGRAM_RANGE) -> "CharTfidf":
        return cls.from_vectorizer(cls.vectorizer(min_df, ngram_range).fit(list(texts)))

    @property
    def size(self) -> int:
        return len(self.idf)

    def rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each text as (column indices, l2-normalised tf-idf values): (1 + ln tf) * idf, unknown n-grams dropped."""
        out = []
        for text in texts:
            counts = Counter(g for g in char_wb_ngrams(text, self.ngram_range) if g in self.vocabulary)
            idx = np.fromiter((self.vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
            val = np.fromiter(((1.0 + math.log(c)) for c in counts.values()), dtype=np.float64, count=len(counts)) * self.idf[idx]
            norm = float(np.linalg.norm(val))
            out.append((idx, val / norm if norm else val))
        return out

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Dense (n, size) matrix, for tests and small batches."""
        dense = np.zeros((len(texts), self.size), dtype=np.float64)
        for r, (idx, val) in enumerate(self.rows(texts)):
            dense[r, idx] = val
        return dense

    def to_json(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"analyzer": "char_wb", "ngram_range": list(self.ngram_range), "terms": terms, "idf": np.round(self.idf, 5).tolist()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "CharTfidf":
        if d.get("analyzer") != "char_wb":
            raise ValueError(f"unknown lexical analyzer {d.get('analyzer')!r}")
        terms = list(d["terms"])
        return cls({t: i for i, t in enumerate(terms)}, np.asarray(d["idf"], dtype=np.float64), (int(d["ngram_range"][0]), int(d["ngram_range"][1])))


@dataclass
class LexicalPart:
    """A softmax classifier over CharTfidf features and the weight of its log-probabilities in the mix."""

    tfidf: CharTfidf
    coef: np.ndarray  # classes x vocabulary
    intercept: np.ndarray
    weight: float

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        out = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        for r, (idx, val) in enumerate(self.tfidf.rows(texts)):
            if len(idx):
                out[r] += self.coef[:, idx].astype(np.float64) @ val
        return out

    def to_json(self) -> dict[str, Any]:
        return {"weight": self.weight, "tfidf": self.tfidf.to_json(), "coef": np.round(self.coef, 4).tolist(), "intercept": np.round(self.intercept, 6).tolist()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "LexicalPart":
        return cls(CharTfidf.from_json(d["tfidf"]), np.asarray(d["coef"], dtype=np.float32), np.asarray(d["intercept"], dtype=np.float32), float(d["weight"]))
