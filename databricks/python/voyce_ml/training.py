"""05_model_training: fit the intent, emotion and sentiment heads on sentence embeddings.

Why logistic regression: with ~460 labelled sentences a linear model over frozen MiniLM embeddings
is the strongest thing that does not overfit, trains in a second on 2 cores, and exports as plain
weights (see model_artifact). Hyper-parameters (C, class weighting) and, for sentiment, the feature
set (embedding / embedding+VADER / VADER alone) are chosen by 5-fold cross-validation on the
training split only; the test split is touched once, for the printed report.

The ASR transcripts `data/train_asr.txt` and `data/train_asr_N.txt` (Whisper transcripts of the spoken
training sentences, line for line, one file per rendering pass, see voyce_bench/asr_augment.py) join the training
data unless `--no-asr`; cross-validation groups a sentence with its transcripts (StratifiedGroupKFold) so
no fold validates on the twin of a training example, scores the written and the spoken validation rows
separately, and picks per head the weight of a transcript (ASR_WEIGHTS; 0 = fit on written sentences
only) with C and class weighting by the mean of both. A custom `--train` file has no transcripts.

Each head may then gain a lexical part (lexical.py: character n-gram TF-IDF + logistic regression) whose
log-probabilities are mixed with the embedding head's; its C and mixing weight are chosen by the same
cross-validation, weight 0 (no lexical part) winning ties. On the held-out spoken clips it lifted intent
from 0.736 to 0.856 (databricks/README.md "Accuracy" has every figure).

Languages: the hand-written German, French, Spanish and Portuguese examples in `data/train_multilingual.txt`
join the written rows (their own cross-validation groups) unless `--no-multilingual`, and the encoder is the
multilingual e5 (`embedding_backends.py`; `--embedding` or VOYCE_EMBEDDING_MODEL picks another). The report
adds the held-out multilingual set (`data/test_multilingual.txt`) read as text, per language.

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

from . import dataset, multilingual_set
from .embedding_backends import SentenceEmbedder, configured_model_id, embedder_for
from .evaluation import argmax_labels, format_report, report
from .lexical import CharTfidf, LexicalPart
from .model_artifact import Artifact, Head, default_path, mix
from .sentiment import label_for
from .sentiment_features import vader_features, vader_scores

GRID_C = (1.0, 4.0, 16.0, 64.0)
GRID_WEIGHT = (None, "balanced")
FOLDS = 5
SEED = 7
# Bump when the training code changes what it fits (folds, features, grid), so the content-derived
# version changes with it.
TRAINING_REVISION = 3
# Weight of an ASR transcript relative to a written sentence, chosen per head by cross-validation
# (0 = the head is fitted on written sentences only, the transcripts only score it).
ASR_WEIGHTS = (0.0, 0.35, 1.0)
# The lexical part of a head (lexical.py): C of its logistic regression and the weight of its
# log-probabilities in the mix (0 = embedding head alone), chosen by cross-validation after the
# embedding head's own settings.
GRID_LEXICAL_C = (4.0, 16.0, 64.0)
LEXICAL_WEIGHTS = (0.0, 0.3, 0.5, 0.7)


def _fit(x: np.ndarray, y: Sequence[str], c: float, weight: Optional[str], sample_weight: Optional[np.ndarray] = None):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight=weight, max_iter=3000, random_state=SEED).fit(x, list(y), sample_weight=sample_weight)


def _score(y_true: np.ndarray, pred: np.ndarray, metric: str) -> float:
    from sklearn.metrics import f1_score

    if len(y_true) == 0:
        return float("nan")
    return float(np.mean(pred == y_true)) if metric == "accuracy" else float(f1_score(y_true, pred, average="macro", zero_division=0))


def _folds(x: np.ndarray, y_arr: np.ndarray, groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The cross-validation folds: rows sharing a group (a sentence and its ASR transcripts) stay together."""
    from sklearn.model_selection import StratifiedGroupKFold

    return list(StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED).split(x, y_arr, groups))


def _fold_scores(y_arr: np.ndarray, pred: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]], spoken: np.ndarray,
                 metric: str) -> tuple[float, float]:
    """Mean over folds of the out-of-fold score of the written and of the spoken validation rows (spoken: nan
    when there are none)."""
    written, heard = [], []
    for _, va in folds:
        written.append(_score(y_arr[va][~spoken[va]], pred[va][~spoken[va]], metric))
        if spoken[va].any():
            heard.append(_score(y_arr[va][spoken[va]], pred[va][spoken[va]], metric))
    return float(np.mean(written)), (float(np.mean(heard)) if heard else float("nan"))


def _selection_score(written: float, heard: float) -> float:
    """What the grids maximise: the mean of the written and the spoken figures (users speak; the text level must
    hold too), or the written one when there are no spoken rows."""
    return written if np.isnan(heard) else (written + heard) / 2


def _cv_scores(x: np.ndarray, y: Sequence[str], c: float, weight: Optional[str], metric: str, groups: np.ndarray,
               spoken: np.ndarray, train_rows: np.ndarray, sample_weight: np.ndarray) -> tuple[float, float]:
    """Mean out-of-fold (written, spoken) accuracy or macro-F1. Only `train_rows` are fitted on, every validation
    row is scored, so a model trained on written sentences alone is still measured on the transcripts of its
    validation sentences."""
    y_arr = np.asarray(y)
    folds = _folds(x, y_arr, groups)
    pred = np.empty(len(y_arr), dtype=y_arr.dtype)
    for tr, va in folds:
        tr = tr[train_rows[tr]]
        pred[va] = _fit(x[tr], y_arr[tr], c, weight, sample_weight[tr]).predict(x[va])
    return _fold_scores(y_arr, pred, folds, spoken, metric)


def _cv_score(x: np.ndarray, y: Sequence[str], c: float, weight: Optional[str], metric: str, groups: np.ndarray) -> float:
    """Mean out-of-fold accuracy or macro-F1 over all rows; rows sharing a group stay in the same fold."""
    n = len(y)
    return _cv_scores(x, y, c, weight, metric, groups, np.zeros(n, bool), np.ones(n, bool), np.ones(n))[0]


def select(x: np.ndarray, y: Sequence[str], metric: str, groups: Optional[np.ndarray] = None) -> tuple[float, Optional[str], float]:
    """Best (C, class_weight, cv score) over the grid."""
    g = np.arange(len(y)) if groups is None else groups
    best = max(((c, w, _cv_score(x, y, c, w, metric, g)) for c in GRID_C for w in GRID_WEIGHT), key=lambda t: t[2])
    return best


def select_mixed(x: np.ndarray, y: Sequence[str], metric: str, groups: np.ndarray, spoken: np.ndarray,
                 asr_weights: Sequence[float]) -> tuple[float, Optional[str], float, float, float, float]:
    """Best (C, class_weight, asr_weight, cv score, written cv, spoken cv) over the grid, scored by
    `_selection_score`. asr_weight 0 = fit on the written sentences only."""
    best = None
    for aw in asr_weights:
        train_rows = np.ones(len(y), bool) if aw > 0 else ~spoken
        sw = np.where(spoken, aw if aw > 0 else 1.0, 1.0)
        for c in GRID_C:
            for w in GRID_WEIGHT:
                written, heard = _cv_scores(x, y, c, w, metric, groups, spoken, train_rows, sw)
                score = _selection_score(written, heard)
                if best is None or score > best[3] + 1e-12:
                    best = (c, w, aw, score, written, heard)
    assert best is not None
    return best


def _fit_lexical(texts: Sequence[str], y: np.ndarray, c: float, weight: Optional[str], sample_weight: np.ndarray) -> tuple[Any, Any]:
    vec = CharTfidf.vectorizer()
    return vec, _fit(vec.fit_transform(list(texts)), y, c, weight, sample_weight)


def select_lexical(x: np.ndarray, texts: Sequence[str], y: Sequence[str], metric: str, groups: np.ndarray, spoken: np.ndarray,
                   train_rows: np.ndarray, sample_weight: np.ndarray, c: float, weight: Optional[str]) -> tuple[float, float, float, float, float]:
    """Best (lexical C, lexical weight, cv score, written cv, spoken cv) for a head whose embedding part is fitted
    with (c, weight) on `train_rows`. Out-of-fold log-probabilities of both parts are computed once per lexical C
    over the same folds as the embedding selection, then every mixing weight is scored on them; weight 0 (the
    embedding head alone) wins ties, so the lexical part has to earn its place."""
    y_arr = np.asarray(y)
    folds = _folds(x, y_arr, groups)
    n, k = len(y_arr), len(set(y_arr))
    emb = np.zeros((n, k))
    lex = {lc: np.zeros((n, k)) for lc in GRID_LEXICAL_C}
    classes = None
    for tr, va in folds:
        tr = tr[train_rows[tr]]
        model = _fit(x[tr], y_arr[tr], c, weight, sample_weight[tr])
        classes = model.classes_
        emb[va] = model.predict_log_proba(x[va])
        vec = CharTfidf.vectorizer().fit([texts[i] for i in tr])
        x_tr, x_va = vec.transform([texts[i] for i in tr]), vec.transform([texts[i] for i in va])
        for lc in GRID_LEXICAL_C:
            lexical = _fit(x_tr, y_arr[tr], lc, weight, sample_weight[tr])
            assert list(lexical.classes_) == list(classes)
            lex[lc][va] = lexical.predict_log_proba(x_va)
    assert classes is not None
    best = None
    for lc in GRID_LEXICAL_C:
        for lw in LEXICAL_WEIGHTS:
            pred = classes[np.argmax(mix(emb, lex[lc], lw), axis=1)]
            w_cv, s_cv = _fold_scores(y_arr, pred, folds, spoken, metric)
            score = _selection_score(w_cv, s_cv)
            if best is None or score > best[2] + 1e-12:
                best = (lc, lw, score, w_cv, s_cv)
    assert best is not None
    return best


def _head(name: str, model: Any, features: str, lexical: Optional[LexicalPart] = None) -> Head:
    return Head(name, [str(c) for c in model.classes_], model.coef_.astype(np.float32), model.intercept_.astype(np.float32), features, lexical)


def asr_passes(train: list[dataset.Example], use_asr: bool) -> list[list[dataset.Example]]:
    """The packaged ASR transcripts of `train` (train_asr.txt, train_asr_N.txt), each aligned line for line."""
    if not use_asr:
        return []
    passes = []
    for path in dataset.asr_rendering_paths():
        twins = dataset.load(path=path)
        aligned = len(twins) == len(train) and all((a.intent, a.emotion, a.sentiment) == (b.intent, b.emotion, b.sentiment) for a, b in zip(twins, train))
        if not aligned:
            raise ValueError(f"{path} is not aligned with the training set; regenerate it (python -m voyce_bench.asr_augment)")
        passes.append(twins)
    return passes


def asr_examples(train: list[dataset.Example], use_asr: bool) -> list[dataset.Example]:
    """Every ASR transcript of `train` (all passes concatenated), else []."""
    return [e for p in asr_passes(train, use_asr) for e in p]


def data_version(train_path: Optional[Path] = None, extra: Sequence[dataset.Example] = (), embedding_model: str = "all-MiniLM-L6-v2",
                 multilingual: Sequence[dataset.Example] = ()) -> str:
    """Content hash of training data + search space + embedding model: same inputs, same version."""
    source = train_path or Path(str(dataset._default_path("train")))
    h = hashlib.sha256(source.read_bytes())
    h.update("\n".join(e.text for e in extra).encode())
    h.update(json.dumps([TRAINING_REVISION, GRID_C, GRID_WEIGHT, FOLDS, SEED, embedding_model, "vader-x2", GRID_LEXICAL_C, LEXICAL_WEIGHTS]
                        + ([list(ASR_WEIGHTS)] if extra else [])).encode())
    if multilingual:
        h.update("\n".join(f"{e.intent}|{e.emotion}|{e.sentiment}|{e.text}" for e in multilingual).encode())
    return "clf-" + h.hexdigest()[:10]


def train(out_dir: Path, embedder: Optional[SentenceEmbedder] = None, train_path: Optional[Path] = None, test_path: Optional[Path] = None,
          log=print, use_asr: bool = True, use_multilingual: bool = True, embedding: Optional[str] = None) -> tuple[Artifact, Path]:
    """Fit, report, save. Returns the artifact and the path of its model.json."""
    t0 = time.perf_counter()
    written = dataset.load("train", train_path)
    twins = asr_examples(written, use_asr and train_path is None)
    # Written examples in other languages: after the transcripts, each its own group, never "spoken".
    others = [s.example for s in multilingual_set.load(multilingual_set.train_path())] if use_multilingual and train_path is None else []
    train_set = written + twins + others
    groups = np.concatenate([np.arange(len(written))] + [np.arange(len(written))] * (len(twins) // max(1, len(written)))
                            + [len(written) + np.arange(len(others))])
    spoken = (np.arange(len(train_set)) >= len(written)) & (np.arange(len(train_set)) < len(written) + len(twins))
    test_set = dataset.load("test", test_path)
    embedding_model = configured_model_id(embedding)
    embedder = embedder or embedder_for(embedding_model)
    embedding_model = getattr(embedder, "model_id", embedding_model)
    texts_tr = [e.text for e in train_set]
    texts_te = [e.text for e in test_set]
    emb_tr, emb_te = embedder.embed_documents(texts_tr), embedder.embed_documents(texts_te)
    vad_tr, vad_te = vader_features(texts_tr), vader_features(texts_te)
    feats_tr = {"embedding": emb_tr, "embedding+vader": np.hstack([emb_tr, vad_tr])}
    feats_te = {"embedding": emb_te, "embedding+vader": np.hstack([emb_te, vad_te])}
    log(f"train {len(written)} sentences + {len(twins)} ASR transcripts + {len(others)} in other languages, encoder {embedding_model} / test {len(test_set)} sentences, embedded in {time.perf_counter() - t0:.1f} s")

    heads: dict[str, Head] = {}
    metrics: dict[str, Any] = {"selection": {}, "test": {}, "training_rows": {"written": len(written), "asr": len(twins), "multilingual": len(others)}}
    specs = (("intent", dataset.INTENTS, "accuracy", ("embedding",)),
             ("emotion", dataset.EMOTIONS, "macro_f1", ("embedding",)),
             ("sentiment", dataset.SENTIMENTS, "accuracy", ("embedding", "embedding+vader")))
    for name, labels, metric, feature_sets in specs:
        y_tr = [getattr(e, name) for e in train_set]
        y_te = [getattr(e, name) for e in test_set]
        candidates = []
        for fs in feature_sets:
            if twins:
                c, w, aw, score, cv_w, cv_s = select_mixed(feats_tr[fs], y_tr, metric, groups, spoken, ASR_WEIGHTS)
                log(f"{name}: features={fs} best C={c} class_weight={w} asr_weight={aw} cv {metric}: written={cv_w:.3f} spoken={cv_s:.3f} mean={score:.3f}")
            else:
                (c, w, score), aw, cv_w, cv_s = select(feats_tr[fs], y_tr, metric, groups), 0.0, None, None
                log(f"{name}: features={fs} best C={c} class_weight={w} cv {metric}={score:.3f}")
            candidates.append((score, fs, c, w, aw, cv_w, cv_s))
        if name == "sentiment":
            vader_cv = float(np.mean([label_for(vader_scores(e.text)["compound"]) == e.sentiment for e in written]))
            log(f"sentiment: VADER alone on the training split: accuracy={vader_cv:.3f}")
            metrics["selection"]["sentiment_vader_train_accuracy"] = round(vader_cv, 4)
        score, fs, c, w, aw, cv_w, cv_s = max(candidates, key=lambda t: t[0])
        rows = np.ones(len(y_tr), bool) if aw > 0 else ~spoken
        sw = np.where(spoken, aw, 1.0)
        lc, lw, lex_score, lex_w, lex_s = select_lexical(feats_tr[fs], texts_tr, y_tr, metric, groups, spoken, rows, sw, c, w)
        log(f"{name}: lexical part C={lc} weight={lw} cv {metric}={lex_score:.3f} (written={lex_w:.3f} spoken={lex_s:.3f}; embedding alone {score:.3f})")
        model = _fit(feats_tr[fs][rows], np.asarray(y_tr)[rows], c, w, sw[rows])
        lexical = None
        if lw > 0:
            vec, lex_model = _fit_lexical([t for t, keep in zip(texts_tr, rows) if keep], np.asarray(y_tr)[rows], lc, w, sw[rows])
            lexical = LexicalPart(CharTfidf.from_vectorizer(vec), lex_model.coef_.astype(np.float32), lex_model.intercept_.astype(np.float32), lw)
        heads[name] = _head(name, model, fs, lexical)
        metrics["selection"][name] = {"features": fs, "C": c, "class_weight": w, f"cv_{metric}": round(lex_score, 4),
                                      f"cv_{metric}_embedding_alone": round(score, 4), "lexical_C": lc, "lexical_weight": lw}
        if twins:
            metrics["selection"][name].update({"asr_weight": aw, f"cv_{metric}_written": round(lex_w, 4), f"cv_{metric}_spoken": round(lex_s, 4)})
        rep = report(f"{name} (test, {fs}{' + lexical' if lexical else ''})", y_te, argmax_labels(heads[name].proba(feats_te[fs], texts_te), heads[name].classes), labels)
        metrics["test"][name] = rep
        log(format_report(rep))
    vader_rep = report("sentiment (test, VADER alone)", [e.sentiment for e in test_set], [label_for(vader_scores(t)["compound"]) for t in texts_te], dataset.SENTIMENTS)
    metrics["test"]["sentiment_vader_only"] = vader_rep
    log(format_report(vader_rep))

    metrics["test_multilingual"] = multilingual_report(heads, embedder, log)
    version = data_version(train_path, twins, embedding_model, others)
    artifact = Artifact(version, embedding_model, heads, {"selection": metrics["selection"], "test": {k: {"accuracy": v["accuracy"], "macro_f1": v["macro_f1"]} for k, v in metrics["test"].items()}}, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    path = artifact.save(out_dir / version / "model.json")
    (out_dir / version / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    log(f"saved {path} ({path.stat().st_size / 1024:.0f} KiB), version {version}, total {time.perf_counter() - t0:.1f} s")
    _log_mlflow(path, metrics, log)
    return artifact, path


def multilingual_report(heads: dict[str, Head], embedder: SentenceEmbedder, log=print) -> dict[str, Any]:
    """Accuracy of each head on the held-out multilingual set read as text, overall and per language."""
    held_out = multilingual_set.load()
    texts = [s.example.text for s in held_out]
    docs = embedder.embed_documents(texts)
    feats = {"embedding": docs, "embedding+vader": np.hstack([docs, vader_features(texts)])}
    out: dict[str, Any] = {}
    for name, head in heads.items():
        pred = argmax_labels(head.proba(feats[head.features], texts), head.classes)
        right = [p == getattr(s.example, name) for p, s in zip(pred, held_out)]
        by_language = {lang: round(float(np.mean([r for r, s in zip(right, held_out) if s.language == lang])), 4)
                       for lang in sorted({s.language for s in held_out})}
        out[name] = {"accuracy": round(float(np.mean(right)), 4), "by_language": by_language}
        log(f"{name} (multilingual test, text, {len(held_out)}): accuracy {out[name]['accuracy']:.3f}  "
            + "  ".join(f"{k} {v:.2f}" for k, v in by_language.items()))
    return out


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
    ap.add_argument("--no-asr", action="store_true", help="leave out the ASR transcripts (data/train_asr*.txt): written sentences only")
    ap.add_argument("--no-multilingual", action="store_true", help="leave out data/train_multilingual.txt")
    ap.add_argument("--embedding", help="sentence encoder (default VOYCE_EMBEDDING_MODEL or multilingual-e5-small-q4; also all-MiniLM-L6-v2)")
    args = ap.parse_args(argv)
    _, path = train(args.out, train_path=args.train, test_path=args.test, use_asr=not args.no_asr,
                    use_multilingual=not args.no_multilingual, embedding=args.embedding)
    if args.promote:
        print(f"promoted to {promote(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
