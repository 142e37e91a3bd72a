"""05_model_training: fit the intent, emotion and sentiment heads on sentence embeddings.

Why logistic regression: with ~460 labelled sentences a linear model over frozen MiniLM embeddings
is the strongest thing that does not overfit, trains in a second on 2 cores, and exports as plain
weights (see model_artifact). Hyper-parameters (C, class weighting) and, for sentiment, the feature
set (embedding / embedding+VADER / VADER alone) are chosen by 5-fold cross-validation on the
training split only; the test split is touched once, for the printed report.

With `--with-asr`, `data/train_asr.txt` (Whisper transcripts of the spoken training sentences, line
for line, see asr_augment.py) is added to the training data; cross-validation groups a sentence with
its transcript (StratifiedGroupKFold) so no fold validates on the twin of a training example. It is
off by default because it measured worse overall (README "Accuracy": better spoken intent/emotion,
worse spoken sentiment and worse on every text-level figure).

Run: `python -m voyce_ml.training [--out .data/models] [--promote]` — prints per-class
precision/recall/F1 and confusion matrices, writes `<out>/<version>/model.json` + `metrics.json`,
and with `--promote` also replaces the packaged default artifact.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from . import dataset
from .embeddings import MODEL_ID, Embedder
from .evaluation import argmax_labels, format_report, report
from .model_artifact import Artifact, Head, default_path
from .sentiment import label_for
from .sentiment_features import vader_features, vader_scores

GRID_C = (1.0, 4.0, 16.0, 64.0)
GRID_WEIGHT = (None, "balanced")
FOLDS = 5
SEED = 7
# Bump when the training code changes what it fits (folds, features, grid), so the content-derived
# version changes with it.
TRAINING_REVISION = 2


def _fit(x: np.ndarray, y: Sequence[str], c: float, weight: Optional[str]):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight=weight, max_iter=3000, random_state=SEED).fit(x, list(y))


def _cv_score(x: np.ndarray, y: Sequence[str], c: float, weight: Optional[str], metric: str, groups: np.ndarray) -> float:
    """Mean out-of-fold accuracy or macro-F1; rows sharing a group stay in the same fold."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    y_arr = np.asarray(y)
    scores = []
    for tr, va in StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED).split(x, y_arr, groups):
        pred = _fit(x[tr], y_arr[tr], c, weight).predict(x[va])
        scores.append(float(np.mean(pred == y_arr[va])) if metric == "accuracy" else float(f1_score(y_arr[va], pred, average="macro", zero_division=0)))
    return float(np.mean(scores))


def select(x: np.ndarray, y: Sequence[str], metric: str, groups: Optional[np.ndarray] = None) -> tuple[float, Optional[str], float]:
    """Best (C, class_weight, cv score) over the grid."""
    g = np.arange(len(y)) if groups is None else groups
    best = max(((c, w, _cv_score(x, y, c, w, metric, g)) for c in GRID_C for w in GRID_WEIGHT), key=lambda t: t[2])
    return best


def _head(name: str, model: Any, features: str) -> Head:
    return Head(name, [str(c) for c in model.classes_], model.coef_.astype(np.float32), model.intercept_.astype(np.float32), features)


def asr_examples(train: list[dataset.Example], use_asr: bool) -> list[dataset.Example]:
    """The packaged ASR twins of `train` when present and aligned (same labels line for line), else []."""
    path = Path(str(dataset._default_path("train_asr")))
    if not use_asr or not path.exists():
        return []
    twins = dataset.load(path=path)
    aligned = len(twins) == len(train) and all((a.intent, a.emotion, a.sentiment) == (b.intent, b.emotion, b.sentiment) for a, b in zip(twins, train))
    if not aligned:
        raise ValueError(f"{path} is not aligned with the training set; regenerate it (python -m voyce_ml.asr_augment)")
    return twins


def data_version(train_path: Optional[Path] = None, extra: Sequence[dataset.Example] = ()) -> str:
    """Content hash of training data + search space + embedding model: same inputs, same version."""
    source = train_path or Path(str(dataset._default_path("train")))
    h = hashlib.sha256(source.read_bytes())
    h.update("\n".join(e.text for e in extra).encode())
    h.update(json.dumps([TRAINING_REVISION, GRID_C, GRID_WEIGHT, FOLDS, SEED, MODEL_ID, "vader-x2"]).encode())
    return "clf-" + h.hexdigest()[:10]


def train(out_dir: Path, embedder: Optional[Embedder] = None, train_path: Optional[Path] = None, test_path: Optional[Path] = None,
          log=print, use_asr: bool = False) -> tuple[Artifact, Path]:
    """Fit, report, save. Returns the artifact and the path of its model.json."""
    t0 = time.perf_counter()
    written = dataset.load("train", train_path)
    twins = asr_examples(written, use_asr and train_path is None)
    train_set = written + twins
    groups = np.concatenate([np.arange(len(written)), np.arange(len(twins))])
    test_set = dataset.load("test", test_path)
    embedder = embedder or Embedder()
    texts_tr = [e.text for e in train_set]
    texts_te = [e.text for e in test_set]
    emb_tr, emb_te = embedder.embed_documents(texts_tr), embedder.embed_documents(texts_te)
    vad_tr, vad_te = vader_features(texts_tr), vader_features(texts_te)
    feats_tr = {"embedding": emb_tr, "embedding+vader": np.hstack([emb_tr, vad_tr])}
    feats_te = {"embedding": emb_te, "embedding+vader": np.hstack([emb_te, vad_te])}
    log(f"train {len(written)} sentences + {len(twins)} ASR transcripts / test {len(test_set)} sentences, embedded in {time.perf_counter() - t0:.1f} s")

    heads: dict[str, Head] = {}
    metrics: dict[str, Any] = {"selection": {}, "test": {}, "training_rows": {"written": len(written), "asr": len(twins)}}
    specs = (("intent", dataset.INTENTS, "accuracy", ("embedding",)),
             ("emotion", dataset.EMOTIONS, "macro_f1", ("embedding",)),
             ("sentiment", dataset.SENTIMENTS, "accuracy", ("embedding", "embedding+vader")))
    for name, labels, metric, feature_sets in specs:
        y_tr = [getattr(e, name) for e in train_set]
        y_te = [getattr(e, name) for e in test_set]
        candidates = []
        for fs in feature_sets:
            c, w, score = select(feats_tr[fs], y_tr, metric, groups)
            candidates.append((score, fs, c, w))
            log(f"{name}: features={fs} best C={c} class_weight={w} cv {metric}={score:.3f}")
        if name == "sentiment":
            vader_cv = float(np.mean([label_for(vader_scores(e.text)["compound"]) == e.sentiment for e in written]))
            log(f"sentiment: VADER alone on the training split: accuracy={vader_cv:.3f}")
            metrics["selection"]["sentiment_vader_train_accuracy"] = round(vader_cv, 4)
        score, fs, c, w = max(candidates, key=lambda t: t[0])
        model = _fit(feats_tr[fs], y_tr, c, w)
        heads[name] = _head(name, model, fs)
        metrics["selection"][name] = {"features": fs, "C": c, "class_weight": w, f"cv_{metric}": round(score, 4)}
        rep = report(f"{name} (test, {fs})", y_te, argmax_labels(heads[name].proba(feats_te[fs]), heads[name].classes), labels)
        metrics["test"][name] = rep
        log(format_report(rep))
    vader_rep = report("sentiment (test, VADER alone)", [e.sentiment for e in test_set], [label_for(vader_scores(t)["compound"]) for t in texts_te], dataset.SENTIMENTS)
    metrics["test"]["sentiment_vader_only"] = vader_rep
    log(format_report(vader_rep))

    version = data_version(train_path, twins)
    artifact = Artifact(version, MODEL_ID, heads, {"selection": metrics["selection"], "test": {k: {"accuracy": v["accuracy"], "macro_f1": v["macro_f1"]} for k, v in metrics["test"].items()}}, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    path = artifact.save(out_dir / version / "model.json")
    (out_dir / version / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    log(f"saved {path} ({path.stat().st_size / 1024:.0f} KiB), version {version}, total {time.perf_counter() - t0:.1f} s")
    _log_mlflow(path, metrics, log)
    return artifact, path


def _log_mlflow(path: Path, metrics: dict[str, Any], log) -> None:
    """On Databricks (mlflow importable) record the run; locally this is a no-op."""
    try:
        import mlflow  # type: ignore[import-not-found]
    except ImportError:
        return
    with mlflow.start_run(run_name=f"voyce-{path.parent.name}"):
        for head, rep in metrics["test"].items():
            mlflow.log_metric(f"{head}_accuracy", rep["accuracy"])
            mlflow.log_metric(f"{head}_macro_f1", rep["macro_f1"])
        mlflow.log_artifact(str(path))
    log("logged the run to MLflow")


def promote(path: Path) -> Path:
    """Copy a trained model.json over the packaged default (commit it to ship the new version)."""
    target = default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(".data/models"), help="artifact root (default .data/models)")
    ap.add_argument("--train", type=Path, help="training file (default: packaged train.txt)")
    ap.add_argument("--test", type=Path, help="test file (default: packaged test.txt)")
    ap.add_argument("--promote", action="store_true", help="also replace the packaged default artifact")
    ap.add_argument("--with-asr", action="store_true", help="also train on data/train_asr.txt (ASR transcripts)")
    args = ap.parse_args(argv)
    _, path = train(args.out, train_path=args.train, test_path=args.test, use_asr=args.with_asr)
    if args.promote:
        print(f"promoted to {promote(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
