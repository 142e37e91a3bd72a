"""Which sentence encoder reads the text: the one a classifier artifact was trained on.

An artifact names its `embedding_model`; `embedder_for` builds that encoder, so an analysis never feeds
one model's vectors to heads trained on another's (old MiniLM artifacts keep working). Training picks
the encoder with `VOYCE_EMBEDDING_MODEL` or `--embedding` (default: the multilingual e5).
"""

from __future__ import annotations

import os
from typing import Callable, Optional, Protocol, Sequence

import numpy as np


class SentenceEmbedder(Protocol):
    model_id: str

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...


def _minilm() -> SentenceEmbedder:
    from .embeddings import Embedder

    return Embedder()


def _e5() -> SentenceEmbedder:
    from .embeddings_e5 import E5Embedder

    return E5Embedder()


BACKENDS: dict[str, Callable[[], SentenceEmbedder]] = {"all-MiniLM-L6-v2": _minilm, "multilingual-e5-small-q4": _e5}
DEFAULT = "multilingual-e5-small-q4"


def embedder_for(model_id: str) -> SentenceEmbedder:
    """The encoder an artifact was trained on; ValueError naming the known ones otherwise."""
    make = BACKENDS.get(model_id)
    if make is None:
        raise ValueError(f"unknown embedding model {model_id!r}; known: {', '.join(BACKENDS)}")
    return make()


def configured_model_id(explicit: Optional[str] = None) -> str:
    """The encoder to train with: `explicit`, else `VOYCE_EMBEDDING_MODEL`, else DEFAULT (validated)."""
    model_id = explicit or os.environ.get("VOYCE_EMBEDDING_MODEL") or DEFAULT
    if model_id not in BACKENDS:
        raise ValueError(f"VOYCE_EMBEDDING_MODEL: unknown embedding model {model_id!r}; known: {', '.join(BACKENDS)}")
    return model_id
