"""Key phrases, KeyBERT-style, with the same MiniLM embeddings the classifiers use.

Why our own ~60 lines instead of the `keybert` package: KeyBERT's core is exactly this (candidate
n-grams, cosine similarity to the document vector, Maximal Marginal Relevance for diversity), and
reusing the already-loaded encoder avoids a second model and a new dependency in the warm worker.
Measured against YAKE (PyPI `yake`) on 42 test sentences with hand-written reference phrases
(`voyce_bench/keywords.py`, printed by bench:accuracy): this ranking has the higher F1 (mainly recall), so it stays.

Candidates: runs of 1..3 words with no stop word of the text's language inside (e-mail addresses and URLs dropped), de-duplicated; at most MAX_CANDIDATES of
them (most frequent, then earliest) are embedded, which bounds the cost on long transcripts.
Count: 3 + one per 25 words, capped at 8; fewer when the text has fewer candidates.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy as np

from .stopwords import for_language

MAX_CANDIDATES = 40
_NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\[(?:email|phone|card)\]")
MMR_DIVERSITY = 0.5
_TOKEN = re.compile(r"[^\W_][\w'\-]*")  # letters of any script: "größe", "reembolso"


def candidates(text: str, max_n: int = 3, language: str = "en") -> list[str]:
    """Stop-word-free n-grams (the stop words of `language`), ordered by frequency then first position."""
    stop = for_language(language)
    tokens = [t.strip("'-") for t in _TOKEN.findall(_NOT_WORDS.sub(" . ", text.lower()))]
    seen: dict[str, tuple[int, int]] = {}
    for i in range(len(tokens)):
        for n in range(1, max_n + 1):
            gram = tokens[i : i + n]
            if len(gram) < n or any(not t or t in stop or t.isdigit() for t in gram):
                break
            phrase = " ".join(gram)
            if n == 1 and len(phrase) < 3:
                continue
            count, first = seen.get(phrase, (0, i))
            seen[phrase] = (count + 1, first)
    ranked = sorted(seen, key=lambda p: (-seen[p][0], seen[p][1]))
    return ranked[:MAX_CANDIDATES]


def wanted(text: str) -> int:
    return min(8, 3 + len(text.split()) // 25)


def mmr(doc: np.ndarray, cand: np.ndarray, k: int, diversity: float = MMR_DIVERSITY) -> list[int]:
    """Maximal Marginal Relevance over normalised vectors: relevant to the doc, unlike each other."""
    relevance = cand @ doc
    chosen = [int(np.argmax(relevance))]
    while len(chosen) < min(k, len(cand)):
        redundancy = (cand @ cand[chosen].T).max(axis=1)
        score = (1 - diversity) * relevance - diversity * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return chosen


def extract(text: str, doc_vector: np.ndarray, embed, k: Optional[int] = None) -> list[str]:
    """Up to `k` (default `wanted(text)`) phrases; `embed(list[str])` returns normalised vectors."""
    cands = candidates(text)
    if not cands:
        return []
    vectors = embed(cands)
    return [cands[i] for i in mmr(doc_vector, vectors, k or wanted(text))]
