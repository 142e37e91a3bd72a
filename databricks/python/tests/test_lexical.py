"""The lexical features: the numpy transform must equal scikit-learn's vectorizer it stands in for,
and a head with a lexical part must round-trip through the artifact and mix as documented."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voyce_ml import dataset
from voyce_ml.lexical import CharTfidf, LexicalPart, char_wb_ngrams
from voyce_ml.model_artifact import Artifact, Head, mix

ODD_TEXTS = [
    "",
    "a",
    "ok",
    "I  love   it!!",
    "why can't i attach a file?? pls add it",
    "@voyce_support ur app crashed AGAIN 🙄",
    "Ünïcode naïve café — résumé",
    "tabs\tand\nnewlines",
    "zzzzzz qqqqqq",  # n-grams unseen in training: an all-zero row
]


def test_char_wb_ngrams_match_scikit_learn() -> None:
    analyzer = CharTfidf.vectorizer().build_analyzer()
    for text in ODD_TEXTS + [e.text for e in dataset.load("test")[:40]]:
        assert char_wb_ngrams(text) == analyzer(text), text


def test_transform_equals_scikit_learn() -> None:
    train = [e.text for e in dataset.load("train")]
    vec = CharTfidf.vectorizer().fit(train)
    ours = CharTfidf.from_vectorizer(vec)
    texts = ODD_TEXTS + [e.text for e in dataset.load("test")]
    np.testing.assert_allclose(ours.transform(texts), vec.transform(texts).toarray(), rtol=1e-9, atol=1e-12)
    # and after a JSON round trip (idf rounded to 5 decimals)
    again = CharTfidf.from_json(ours.to_json())
    np.testing.assert_allclose(again.transform(texts), vec.transform(texts).toarray(), atol=1e-5)


def _head(lexical_weight: float) -> Head:
    rng = np.random.default_rng(3)
    tfidf = CharTfidf.fit(["the app crashes", "please add dark mode", "love it thanks", "how do i export"], min_df=1)
    lexical = LexicalPart(tfidf, rng.normal(size=(3, tfidf.size)).astype(np.float32), np.zeros(3, np.float32), lexical_weight)
    return Head("intent", ["a", "b", "c"], rng.normal(size=(3, 4)).astype(np.float32), np.zeros(3, np.float32), "embedding", lexical)


def test_a_lexical_head_mixes_and_round_trips(tmp_path: Path) -> None:
    head = _head(0.5)
    x = np.random.default_rng(4).normal(size=(2, 4)).astype(np.float32)
    texts = ["the app crashes when i add a file", "thanks"]
    p = head.proba(x, texts)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-9)
    alone = Head(head.name, head.classes, head.coef, head.intercept, head.features).proba(x)
    assert not np.allclose(p, alone)  # the texts change the answer
    with pytest.raises(ValueError, match="pass the texts"):
        head.proba(x)
    path = Artifact("clf-test", "all-MiniLM-L6-v2", {"intent": head}, {}, "now").save(tmp_path / "model.json")
    loaded = Artifact.load(path).heads["intent"]
    np.testing.assert_allclose(loaded.proba(x, texts), p, atol=1e-3)


def test_mix_weight_zero_is_the_embedding_head_alone() -> None:
    log_p = np.log(np.array([[0.7, 0.2, 0.1]]))
    log_q = np.log(np.array([[0.1, 0.1, 0.8]]))
    np.testing.assert_allclose(mix(log_p, log_q, 0.0), np.exp(log_p))
    np.testing.assert_allclose(mix(log_p, log_q, 1.0), np.exp(log_q))
    both = mix(log_p, log_q, 0.5)[0]
    expected = np.sqrt([0.07, 0.02, 0.08])
    np.testing.assert_allclose(both, expected / expected.sum())


def test_a_version_1_artifact_still_loads(tmp_path: Path) -> None:
    head = Head("intent", ["a", "b"], np.ones((2, 3), np.float32), np.zeros(2, np.float32), "embedding")
    path = Artifact("clf-old", "all-MiniLM-L6-v2", {"intent": head}, {}, "then").save(tmp_path / "model.json")
    doc = path.read_text().replace("voyce-linear-heads/2", "voyce-linear-heads/1")
    path.write_text(doc)
    assert Artifact.load(path).heads["intent"].lexical is None
    path.write_text(doc.replace("voyce-linear-heads/1", "something-else"))
    with pytest.raises(ValueError, match="not a"):
        Artifact.load(path)
