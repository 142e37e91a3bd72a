"""An organisation's model: the default labelled data plus that organisation's corrections.

Why a separate entry point beside training.train: an organisation rarely has more than a few dozen
corrections, so the question is not "which hyper-parameters" (the active artifact already answers it)
but "does learning these corrections help on corrections the model has not seen". The heads are refitted
with the active model's settings (C, class weighting, feature set) on the default written sentences plus
the corrections (weighted CORRECTION_WEIGHT each, since a team's few labels must outweigh hundreds of
generic ones where they disagree), scored by k-fold cross-validation over the corrections (k = min(5, n)),
and compared with the active model on exactly the same held-out corrections. The new model is written only
when it scores better; it is stored per organisation (`<out>/<org>/<version>/model.json`, version = hash
of the default data, the corrections and the settings, plus its SHA-256) so artifacts never mix.

Corrections: JSON lines `{"text", "intent"?, "emotion"?, "sentiment"?}`; a head learns from the corrections
that label it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from . import dataset
from .embedding_backends import SentenceEmbedder, embedder_for
from .lexical import CharTfidf, LexicalPart
from .model_artifact import Artifact, Head
from .sentiment_features import vader_features

HEADS = (("intent", dataset.INTENTS), ("emotion", dataset.EMOTIONS), ("sentiment", dataset.SENTIMENTS))
MIN_LABELS = 6
MAX_FOLDS = 5
CORRECTION_WEIGHT = 8.0
SEED = 7
ORG_TRAINING_REVISION = 2


@dataclass(frozen=True)
class Correction:
    """A person's labels for one transcript; None = that head was not corrected."""

    text: str
    intent: Optional[str] = None
    emotion: Optional[str] = None
    sentiment: Optional[str] = None


def parse_corrections(lines: Sequence[str]) -> list[Correction]:
    """JSON lines → corrections; ValueError naming the line on a bad label or a missing text."""
    out: list[Correction] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        doc = json.loads(raw)
        text = str(doc.get("text") or "").strip()
        if not text:
            raise ValueError(f"correction {number}: no text")
        values = {}
        for head, allowed in HEADS:
            value = doc.get(head)
            if value is not None and value not in allowed:
                raise ValueError(f"correction {number}: unknown {head} {value!r}")
            values[head] = value
        out.append(Correction(text, **values))
    return out


def _features(kind: str, emb: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    return emb if kind == "embedding" else np.hstack([emb, vader_features(texts)])


def _settings(active: Artifact, head: str) -> tuple[float, Optional[str]]:
    chosen = active.metrics.get("selection", {}).get(head, {})
    return float(chosen.get("C", 4.0)), chosen.get("class_weight")


def _fit_head(active: Artifact, head: str, x: np.ndarray, y: Sequence[str], weights: np.ndarray,
              texts: Optional[Sequence[str]] = None) -> Head:
    from sklearn.linear_model import LogisticRegression

    c, cw = _settings(active, head)
    # newton-cg: the same objective as training's lbfgs, reached in a third of the time on 384 dense columns
    model = LogisticRegression(C=c, class_weight=cw, solver="newton-cg", max_iter=3000, random_state=SEED).fit(x, list(y), sample_weight=weights)
    lexical = None
    old = active.heads[head].lexical
    if old is not None and old.weight > 0 and texts is not None:
        # the active head mixes in character n-grams; refit that part too, with its C and weight
        lc = float(active.metrics.get("selection", {}).get(head, {}).get("lexical_C", 16.0))
        vec = CharTfidf.vectorizer()
        # saga: on a few thousand sparse n-gram columns it converges ~40x sooner than lbfgs (0.7 s against 31 s)
        lex = LogisticRegression(C=lc, class_weight=cw, solver="saga", tol=1e-3, max_iter=3000, random_state=SEED).fit(vec.fit_transform(list(texts)), list(y), sample_weight=weights)
        lexical = LexicalPart(CharTfidf.from_vectorizer(vec), lex.coef_.astype(np.float32), lex.intercept_.astype(np.float32), old.weight)
    return Head(head, [str(k) for k in model.classes_], model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                active.heads[head].features, lexical)


HABIT_MIN = 3
HABIT_SHARE = 0.75


def label_habits(predicted: Sequence[str], corrected: Sequence[str]) -> dict[str, str]:
    """Classes the organisation systematically calls something else: where the active model said `p` at least
    HABIT_MIN times and the corrections say one other label `l` in at least HABIT_SHARE of them, `p -> l`.

    Why: a team that calls every question a complaint contradicts the default data's ~70 questions, and a handful of
    weighted corrections cannot outvote them (the refit memorises the corrected sentences and still calls a new
    question a question). Relabelling the default rows of `p` the team's way removes the contradiction; it is learnt
    from the training corrections only, so the held-out score stays honest."""
    by: dict[str, list[str]] = {}
    for p, c in zip(predicted, corrected):
        by.setdefault(p, []).append(c)
    habits: dict[str, str] = {}
    for p, labels in by.items():
        if len(labels) < HABIT_MIN:
            continue
        top = max(set(labels), key=labels.count)
        if top != p and labels.count(top) / len(labels) >= HABIT_SHARE:
            habits[p] = top
    return habits


def _predict(head: Head, x: np.ndarray, texts: Sequence[str]) -> list[str]:
    return [head.classes[i] for i in np.argmax(head.proba(x, texts), axis=1)]


def version_of(corrections: Sequence[Correction], active: Artifact) -> str:
    """Content hash of default data + corrections + settings: the same inputs give the same version."""
    h = hashlib.sha256(Path(str(dataset._default_path("train"))).read_bytes())
    h.update(json.dumps([[c.text, c.intent, c.emotion, c.sentiment] for c in corrections]).encode())
    h.update(json.dumps([ORG_TRAINING_REVISION, CORRECTION_WEIGHT, active.version]).encode())
    return "org-" + h.hexdigest()[:10]


def base_embeddings(embedder: SentenceEmbedder, texts: Sequence[str], out_dir: Path) -> np.ndarray:
    """The default data's embeddings, cached beside the organisation artifacts (`<out>/.cache/`) per encoder and
    data: every organisation's run embeds the same few hundred sentences, the slowest part of a run on CPU."""
    model_id = getattr(embedder, "model_id", None)
    if not model_id:
        return embedder.embed_documents(list(texts))
    digest = hashlib.sha256(json.dumps([model_id, list(texts)]).encode()).hexdigest()[:16]
    path = out_dir / ".cache" / f"base-{digest}.npy"
    if path.is_file():
        cached = np.load(path)
        if cached.shape[0] == len(texts):
            return cached
    emb = np.asarray(embedder.embed_documents(list(texts)), dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{path.stem}.{uuid.uuid4().hex}.tmp.npy"
    np.save(tmp, emb)
    tmp.replace(path)  # atomic: two workers training at once never read half a file
    return emb


def train_org(org_id: str, corrections: Sequence[Correction], active: Artifact, out_dir: Path,
              embedder: Optional[SentenceEmbedder] = None, log=print) -> dict[str, Any]:
    """Train, evaluate against `active` on held-out corrections, save only when better.

    Returns {status: activated|not_better|insufficient_labels, evaluation: {n, folds, before, after, per_head},
    modelVersion?, path?, sha256?}."""
    labelled = {head: [c for c in corrections if getattr(c, head) is not None] for head, _ in HEADS}
    n = len(corrections)
    if n < MIN_LABELS:
        log(f"org {org_id}: {n} corrections, at least {MIN_LABELS} needed")
        return {"status": "insufficient_labels", "evaluation": {"n": n, "minimum": MIN_LABELS, "labels": {h: len(v) for h, v in labelled.items()}}}
    from sklearn.model_selection import KFold

    # the encoder the active heads were trained on: the organisation's heads must read the same vectors
    embedder = embedder or embedder_for(active.embedding_model)
    base = dataset.load("train")
    base_texts = [e.text for e in base]
    corr_texts = [c.text for c in corrections]
    base_emb = base_embeddings(embedder, base_texts, out_dir)
    corr_emb = embedder.embed_documents(corr_texts)
    k = min(MAX_FOLDS, n)
    folds = list(KFold(k, shuffle=True, random_state=SEED).split(corr_emb))
    per_head: dict[str, Any] = {}
    right_before = right_after = total = 0
    final_heads: dict[str, Head] = {}
    for head, _ in HEADS:
        kind = active.heads[head].features
        xb = _features(kind, base_emb, base_texts)
        xc = _features(kind, corr_emb, corr_texts)
        yb = [getattr(e, head) for e in base]
        yc = np.asarray([getattr(c, head) for c in corrections], dtype=object)
        has = np.asarray([v is not None for v in yc])
        before = _predict(active.heads[head], xc, corr_texts) if has.any() else []
        after: dict[int, str] = {}
        for tr, va in folds:
            tr, va = tr[has[tr]], va[has[va]]
            if len(va) == 0:
                continue
            habits = label_habits([before[j] for j in tr], [yc[j] for j in tr])
            fitted = _fit_head(active, head, np.vstack([xb, xc[tr]]), [habits.get(v, v) for v in yb] + list(yc[tr]),
                               np.concatenate([np.ones(len(yb)), np.full(len(tr), CORRECTION_WEIGHT)]),
                               base_texts + [corr_texts[j] for j in tr])
            for i, p in zip(va, _predict(fitted, xc[va], [corr_texts[j] for j in va])):
                after[int(i)] = p
        rows = np.flatnonzero(has)
        b = sum(before[i] == yc[i] for i in rows)
        a = sum(after[int(i)] == yc[i] for i in rows)
        # a head is replaced only where it wins on its own held-out corrections; elsewhere the active one stays
        retrained = a > b
        right_before, right_after, total = right_before + b, right_after + (a if retrained else b), total + len(rows)
        per_head[head] = {"n": int(len(rows)), "before": round(b / len(rows), 4) if len(rows) else None,
                          "after": round(a / len(rows), 4) if len(rows) else None, "retrained": bool(retrained)}
        habits = label_habits([before[i] for i in rows], [yc[i] for i in rows])
        per_head[head]["habits"] = habits
        final_heads[head] = _fit_head(active, head, np.vstack([xb, xc[rows]]), [habits.get(v, v) for v in yb] + list(yc[rows]),
                                      np.concatenate([np.ones(len(yb)), np.full(len(rows), CORRECTION_WEIGHT)]),
                                      base_texts + [corr_texts[i] for i in rows]) if retrained else active.heads[head]
        log(f"org {org_id} {head}: {len(rows)} held-out corrections, active {per_head[head]['before']} → org model {per_head[head]['after']}")
    evaluation = {"n": n, "folds": k, "labels": total, "before": round(right_before / total, 4), "after": round(right_after / total, 4),
                  "per_head": per_head, "baseline": active.version}
    if right_after <= right_before:
        return {"status": "not_better", "evaluation": evaluation}
    version = version_of(corrections, active)
    artifact = Artifact(version, active.embedding_model, final_heads, {"org_id": org_id, "evaluation": evaluation, "base": active.version,
                         # the settings travel on, so a later run over this artifact refits with the same ones
                         "selection": active.metrics.get("selection", {})},
                        datetime.now(timezone.utc).isoformat(timespec="seconds"))
    path = artifact.save(out_dir / org_id / version / "model.json")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    log(f"org {org_id}: saved {path} ({version}, sha256 {sha[:12]})")
    return {"status": "activated", "evaluation": evaluation, "modelVersion": f"voyce-{version}", "path": str(path), "sha256": sha}
