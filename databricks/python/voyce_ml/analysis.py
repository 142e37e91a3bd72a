"""The full analysis of a transcript: sentiment, emotions, intent, action items, keywords, importance.

Why one class: the encoder and the classifier artifact are loaded once per process (a warm runtime
worker or a notebook) and every text, single or batched, goes through `analyze_many`, so
`03_sentiment_analysis` (one text) and `06_batch_inference` (many) give identical answers for the
same text. Batching embeds all documents, then all keyword candidates, in one encoder call each.

Output fields (snake_case; the TypeScript activity maps them to the API's camelCase):
  sentiment {label, score -1..1, confidence}: score = P(positive) - P(negative), confidence = top probability
  emotions [{label, score}]: probabilities >= EMOTION_MIN (at least the top one, at most 4), strongest first
  intent {label, confidence}; action_items [{text, priority}]; keywords [<= 8 phrases];
  importance_score 0..1 (formula in importance.py); model_version; timings (ms).
Empty text (no speech): neutral/0/confidence 0, no emotions, intent other/0, nothing else.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from . import action_items, importance, keywords, task_items, text_language
from .embedding_backends import SentenceEmbedder, embedder_for
from .model_artifact import Artifact, configured_path
from .sentiment_features import vader_features

EMOTION_MIN = 0.10
MAX_EMOTIONS = 4


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)


class Analyzer:
    def __init__(self, artifact_path: Optional[Path] = None, embedder: Optional[SentenceEmbedder] = None) -> None:
        self.artifact_path = artifact_path or configured_path()
        self.artifact = Artifact.load(self.artifact_path)
        # The encoder the heads were trained on (a MiniLM artifact gets MiniLM, a multilingual one e5).
        self.embedder = embedder or embedder_for(self.artifact.embedding_model)
        self.model_version = f"voyce-{self.artifact.version}"

    def warm_up(self) -> None:
        """The first encoder call allocates its buffers; pay it at start, not on a request."""
        self.analyze_many(["warm up the checkout page please fix it"])

    def _features(self, kind: str, docs: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        if kind == "embedding":
            return docs
        if kind == "embedding+vader":
            return np.hstack([docs, vader_features(texts)])
        raise ValueError(f"unknown feature set {kind!r}")

    def analyze(self, text: str, language: Optional[str] = None) -> dict[str, Any]:
        return self.analyze_many([text], [language])[0]

    def analyze_many(self, texts: Sequence[str], languages: Optional[Sequence[Optional[str]]] = None) -> list[dict[str, Any]]:
        """Analyses of `texts`; `languages` (ISO 639-1 each, or None) are the transcripts' languages, detected from
        the text where not given: action items are phrased in it, and keywords skip its stop words."""
        t0 = time.perf_counter()
        live = [i for i, t in enumerate(texts) if t and t.strip()]
        results: list[dict[str, Any]] = [self._empty() for _ in texts]
        if not live:
            return results
        live_texts = [texts[i].strip() for i in live]
        docs = self.embedder.embed_documents(live_texts)
        embed_ms = _ms(t0)
        heads = self.artifact.heads
        probs = {name: head.proba(self._features(head.features, docs, live_texts), live_texts) for name, head in heads.items()}
        t1 = time.perf_counter()
        langs = [text_language.identify(t, languages[i] if languages else None) for i, t in zip(live, live_texts)]
        cands = [keywords.candidates(t, language=lang) for t, lang in zip(live_texts, langs)]
        flat = [c for group in cands for c in group]
        vectors = self.embedder.embed(flat)
        keywords_ms = _ms(t1)
        offset = 0
        for row, (i, text) in enumerate(zip(live, live_texts)):
            group = cands[row]
            kw: list[str] = []
            if group:
                chosen = keywords.mmr(docs[row], vectors[offset : offset + len(group)], keywords.wanted(text))
                kw = [group[j] for j in chosen]
            offset += len(group)
            sentiment = self._sentiment(probs["sentiment"][row], heads["sentiment"].classes)
            intent_idx = int(np.argmax(probs["intent"][row]))
            intent = {"label": heads["intent"].classes[intent_idx], "confidence": round(float(probs["intent"][row][intent_idx]), 4)}
            results[i] = {
                "sentiment": sentiment,
                "emotions": self._emotions(probs["emotion"][row], heads["emotion"].classes),
                "intent": intent,
                "action_items": task_items.with_tasks(
                    action_items.extract(text) if langs[row] == "en" else [], text, intent["label"], langs[row]
                ),
                "language": langs[row],
                "keywords": kw,
                "importance_score": importance.score(intent["label"], intent["confidence"], sentiment["score"], text),
                "model_version": self.model_version,
            }
        total = _ms(t0)
        for r in results:
            r["timings"] = {"embed_ms": embed_ms, "keywords_ms": keywords_ms, "compute_ms": total, "batch_size": len(texts)}
        return results

    def _empty(self) -> dict[str, Any]:
        return {
            "sentiment": {"label": "neutral", "score": 0.0, "confidence": 0.0},
            "emotions": [],
            "intent": {"label": "other", "confidence": 0.0},
            "action_items": [],
            "keywords": [],
            "importance_score": 0.0,
            "model_version": self.model_version,
            "timings": {"compute_ms": 0.0},
        }

    @staticmethod
    def _sentiment(p: np.ndarray, classes: list[str]) -> dict[str, Any]:
        by = dict(zip(classes, (float(x) for x in p)))
        label = max(by, key=lambda k: by[k])
        return {"label": label, "score": round(by.get("positive", 0.0) - by.get("negative", 0.0), 4), "confidence": round(by[label], 4)}

    @staticmethod
    def _emotions(p: np.ndarray, classes: list[str]) -> list[dict[str, Any]]:
        order = np.argsort(-p)
        keep = [int(j) for j in order[:MAX_EMOTIONS] if p[j] >= EMOTION_MIN] or [int(order[0])]
        return [{"label": classes[j], "score": round(float(p[j]), 4)} for j in keep]
