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
from typing import Any, Optional

import numpy as np

FORMAT = "voyce-linear-heads/1"


@dataclass
class Head:
    """One softmax classifier: classes, weights (classes x features), bias; `features` names the input."""

    name: str
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    features: str  # "embedding" | "embedding+vader" | "vader"

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (n, classes); a binary head stores one row as scikit-learn does."""
        logits = x @ self.coef.T + self.intercept
        if len(self.classes) == 2 and logits.shape[1] == 1:
            logits = np.hstack([-logits, logits]) / 2
        logits = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "features": self.features,
            "coef": np.round(self.coef, 6).tolist(),
            "intercept": np.round(self.intercept, 6).tolist(),
        }

    @classmethod
    def from_json(cls, name: str, d: dict[str, Any]) -> "Head":
        return cls(name, list(d["classes"]), np.asarray(d["coef"], dtype=np.float32), np.asarray(d["intercept"], dtype=np.float32), d["features"])


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
        if doc.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} artifact")
        heads = {name: Head.from_json(name, d) for name, d in doc["heads"].items()}
        return cls(doc["version"], doc["embedding_model"], heads, doc.get("metrics", {}), doc.get("trained_at", ""))


def default_path() -> Path:
    """The artifact committed inside the package (what a fresh clone and the wheel use)."""
    return Path(str(resources.files("voyce_ml") / "models" / "default" / "model.json"))


def configured_path() -> Path:
    """`VOYCE_MODEL_PATH` (a model.json written by training) if set, else the packaged default."""
    configured: Optional[str] = os.environ.get("VOYCE_MODEL_PATH")
    return Path(configured) if configured else default_path()
