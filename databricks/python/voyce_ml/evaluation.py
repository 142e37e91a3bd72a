"""Scoring helpers shared by training and the accuracy bench, so both report the same numbers."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np


def report(name: str, gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix (rows = gold)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    present = [label for label in labels if label in set(gold) | set(pred)]
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=present, zero_division=0)
    return {
        "name": name,
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "macro_f1": round(float(f1_score(gold, pred, labels=[x for x in present if x in set(gold)], average="macro", zero_division=0)), 4),
        "per_class": {lab: {"precision": round(float(p[i]), 3), "recall": round(float(r[i]), 3), "f1": round(float(f[i]), 3), "support": int(s[i])} for i, lab in enumerate(present)},
        "labels": present,
        "confusion": confusion_matrix(gold, pred, labels=present).tolist(),
    }


def format_report(rep: dict[str, Any]) -> str:
    """Human-readable table: per-class P/R/F1 and the confusion matrix."""
    labels = rep["labels"]
    width = max(len(x) for x in labels) + 2
    lines = [f"== {rep['name']}: accuracy {rep['accuracy']:.3f}  macro-F1 {rep['macro_f1']:.3f}  (n={rep['n']})"]
    lines.append(f"{'class':<{width}}{'prec':>7}{'recall':>8}{'f1':>7}{'n':>5}")
    for lab in labels:
        c = rep["per_class"][lab]
        lines.append(f"{lab:<{width}}{c['precision']:>7.3f}{c['recall']:>8.3f}{c['f1']:>7.3f}{c['support']:>5}")
    short = [x[:6] for x in labels]
    lines.append("confusion (rows = gold, cols = predicted):")
    lines.append(" " * width + "".join(f"{x:>7}" for x in short))
    for lab, row in zip(labels, rep["confusion"]):
        lines.append(f"{lab:<{width}}" + "".join(f"{v:>7}" for v in row))
    return "\n".join(lines)


def argmax_labels(proba: np.ndarray, classes: Sequence[str]) -> list[str]:
    return [classes[i] for i in np.argmax(proba, axis=1)]
