"""Keywords: KeyBERT-style (keywords.py, MiniLM + MMR) against YAKE, measured on hand-written references.

`data/keywords_ref.txt` holds 42 test sentences (every third line of test.txt) with the key phrases a
person picked for each, written before either extractor's output was looked at. Both extractors return
the same number of phrases per text (`keywords.wanted`, 3 for these sentences). A predicted phrase hits a
reference phrase when their token overlap F1 is ≥ 0.5 (lower-case, punctuation dropped, a plural "s"
stripped, "-ies" read as "-y"), so "upload failing" matches "upload keeps failing", one word matches a two-word reference
("filter" ~ "category filter") but not a four-word one.
Figures (macro over sentences): precision = predicted phrases that hit, recall = reference phrases hit.

Run: `python -m voyce_bench.keywords` (also printed by `npm run bench:accuracy`).
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Callable, Optional, Sequence

from voyce_ml import keywords

_WORD = re.compile(r"[a-z0-9']+")


def load_references(path: Optional[Path] = None) -> list[tuple[str, list[str]]]:
    source = path or Path(str(resources.files("voyce_bench") / "data" / "keywords_ref.txt"))
    out = []
    for raw in source.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            text, phrases = raw.rsplit("|", 1)
            out.append((text.strip(), [p.strip() for p in phrases.split(";") if p.strip()]))
    return out


def _singular(t: str) -> str:
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    return t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t


def _tokens(phrase: str) -> list[str]:
    return [_singular(w) for w in (x.strip("'") for x in _WORD.findall(phrase.lower())) if w]


def overlap_f1(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    common = len(set(ta) & set(tb))
    if not common:
        return 0.0
    p, r = common / len(set(ta)), common / len(set(tb))
    return 2 * p * r / (p + r)


def score(predicted: Sequence[Sequence[str]], references: Sequence[Sequence[str]], threshold: float = 0.5) -> dict[str, float]:
    """Macro precision/recall/F1 of predicted phrase lists against reference phrase lists."""
    precisions, recalls = [], []
    for pred, ref in zip(predicted, references):
        hits = [[overlap_f1(p, r) >= threshold for r in ref] for p in pred]
        precisions.append(sum(any(h) for h in hits) / len(pred) if pred else 0.0)
        recalls.append(sum(any(h[j] for h in hits) for j in range(len(ref))) / len(ref) if ref else 1.0)
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def keybert_style(texts: Sequence[str], analyzer=None) -> list[list[str]]:
    """What the analyzer returns (the 03 task's `keywords`)."""
    if analyzer is None:
        from voyce_ml import tasks

        analyzer = tasks.analyzer()
    return [a["keywords"] for a in analyzer.analyze_many(list(texts))]


def yake_extractor(max_ngram: int = 3, dedup: float = 0.9) -> Callable[[str, int], list[str]]:
    import yake  # PyPI `yake`, only needed for this comparison

    def extract(text: str, k: int) -> list[str]:
        kw = yake.KeywordExtractor(lan="en", n=max_ngram, dedupLim=dedup, top=k)
        return [phrase.lower() for phrase, _ in kw.extract_keywords(text)]

    return extract


def compare(analyzer=None, path: Optional[Path] = None) -> dict[str, dict[str, float]]:
    refs = load_references(path)
    texts = [t for t, _ in refs]
    gold = [r for _, r in refs]
    result = {"sentences": len(refs), "keybert_style": score(keybert_style(texts, analyzer), gold)}
    try:
        yake_kw = yake_extractor()
    except ImportError:
        result["yake"] = {"error": "yake not installed"}  # type: ignore[assignment]
    else:
        result["yake"] = score([yake_kw(t, keywords.wanted(t)) for t in texts], gold)
    return result  # type: ignore[return-value]


def main(argv: Optional[list[str]] = None) -> int:
    print("keywords:", json.dumps(compare()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
