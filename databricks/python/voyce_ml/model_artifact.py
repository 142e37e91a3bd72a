"""The trained classifier heads as one small JSON artifact, and inference over it with numpy.

Why JSON weights instead of MLflow or a joblib pickle: a multinomial logistic regression is just a
weight matrix and a bias per class, so storing those numbers (~0.2 MB) gives an artifact that loads
in milliseconds, needs neither scikit-learn nor MLflow in the warm worker, cannot execute code when
loaded (pickles can), survives scikit-learn upgrades, and is small enough to commit so a fresh clone
analyses without training first. MLflow (not installed here, ~100 MB of dependencies) can still
track runs on Databricks: `05_model_training` logs this same file as an MLflow artifact when mlflow
is importable.

The version is derived from the content (training data + hyper-parameters hash), so retraining on
unchanged data yields the same `model_version` and batch re-inference has nothing to redo.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from .lexical import LexicalPart

FORMAT = "voyce-linear-heads/2"
# /1: embedding heads only. /2 adds an optional lexical part per head (lexical.py). Both load.
READABLE_FORMATS = ("voyce-linear-heads/1", FORMAT)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def mix(log_p_embedding: np.ndarray, log_p_lexical: np.ndarray, weight: float) -> np.ndarray:
    """Probabilities of the weighted geometric mean of two classifiers: softmax((1-w) log p + w log q)."""
    return np.exp(_log_softmax((1.0 - weight) * log_p_embedding + weight * log_p_lexical))


@dataclass
class Head:
    """One softmax classifier: classes, weights (classes x features), bias; `features` names the input.
    With `lexical`, its probabilities are mixed with a character n-gram classifier's (see `mix`)."""

    name: str
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    features: str  # "embedding" | "embedding+vader" | "vader"
    lexical: Optional[LexicalPart] = None

    def _logits(self, x: np.ndarray) -> np.ndarray:
        logits = x @ self.coef.T + self.intercept
        if len(self.classes) == 2 and logits.shape[1] == 1:
            logits = np.hstack([-logits, logits]) / 2
        return logits

    def proba(self, x: np.ndarray, texts: Optional[Sequence[str]] = None) -> np.ndarray:
        """Class probabilities, shape (n, classes); a binary head stores one row as scikit-learn does.
        A head with a lexical part needs the texts the features were computed from."""
        log_p = _log_softmax(self._logits(x).astype(np.float64))
        if self.lexical is None or self.lexical.weight == 0:
            return np.exp(log_p)
        if texts is None or len(texts) != len(x):
            raise ValueError(f"head {self.name!r} has a lexical part: pass the texts with the features")
        return mix(log_p, _log_softmax(self.lexical.logits(texts)), self.lexical.weight)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "classes": self.classes,
            "features": self.features,
            "coef": np.round(self.coef, 6).tolist(),
            "intercept": np.round(self.intercept, 6).tolist(),
        }
        if self.lexical is not None:
            doc["lexical"] = self.lexical.to_json()
        return doc

    @classmethod
    def from_json(cls, name: str, d: dict[str, Any]) -> "Head":
        lexical = LexicalPart.from_json(d["lexical"]) if d.get("lexical") else None
        return cls(name, list(d["classes"]), np.asarray(d["coef"], dtype=np.float32), np.asarray(d["intercept"], dtype=np.float32), d["features"], lexical)


@dataclass
class Artifact:
    version: str
    embedding_model: str
    heads: dict[str, Head]
    metrics: dict[str, Any]
    trained_at: str

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "format": FORMAT,
            "version": self.version,
            "embedding_model": self.embedding_model,
            "trained_at": self.trained_at,
            "metrics": self.metrics,
            "heads": {name: head.to_json() for name, head in self.heads.items()},
        }
        path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> "Artifact":
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") not in READABLE_FORMATS:
            raise ValueError(f"{path}: not a {' or '.join(READABLE_FORMATS)} artifact")
        heads = {name: Head.from_json(name, d) for name, d in doc["heads"].items()}
        return cls(doc["version"], doc["embedding_model"], heads, doc.get("metrics", {}), doc.get("trained_at", ""))


def default_path() -> Path:
    """The artifact committed inside the package (what a fresh clone and the wheel use)."""
    return Path(str(resources.files("voyce_ml") / "models" / "default" / "model.json"))


def configured_path() -> Path:
    """`VOYCE_MODEL_PATH` (a model.json written by training) if set, else the packaged default."""
    configured: Optional[str] = os.environ.get("VOYCE_MODEL_PATH")
    return Path(configured) if configured else default_path()
