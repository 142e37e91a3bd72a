"""Python-side throughput of re-analysis: one 03 call per transcript against one 06 batch run.

Why: batch re-inference is worth its machinery only if batching beats the one-by-one path; this
prints both rates for the same transcripts (the test sentences, repeated) in one process.
Run: `python -m voyce_bench.batch [--n 250] [--batch-size 64]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from voyce_ml import dataset, tasks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=250)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)
    base = [e.text for e in dataset.load("test")]
    texts = (base * (args.n // len(base) + 1))[: args.n]
    tasks.analyzer()
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        tasks.run_task(tasks.SENTIMENT_ANALYSIS, {"submission_id": str(i), "text": text})
    one = time.perf_counter() - t0
    items = json.dumps([{"submission_id": str(i), "text": t} for i, t in enumerate(texts)])
    t0 = time.perf_counter()
    tasks.run_task(tasks.BATCH_INFERENCE, {"items": items, "batch_size": str(args.batch_size)})
    batch = time.perf_counter() - t0
    print(json.dumps({"transcripts": len(texts), "one_by_one_per_s": round(len(texts) / one, 1),
                      "batch_per_s": round(len(texts) / batch, 1), "batch_size": args.batch_size}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
