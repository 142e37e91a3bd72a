"""06_batch_inference: analyse many stored transcripts in one run, for re-inference with a new model.

Params (strings, as every notebook parameter):
  items      JSON list of {"submission_id": str, "text": str}, or
  items_url  http(s) URL (e.g. a read-only blob SAS URL) of a JSON file holding that list —
             for batches too large for a 10 KB Databricks parameter;
  batch_size optional, encoder batch size (default 64);
  redact_pii optional, as in 03.
Result: {"model_version", "count", "results": [{"submission_id", "analysis": <as 03>}], "failures":
[{"submission_id", "error"}], "timings": {"compute_ms", "per_item_ms"}}. An item without a
submission_id or text is reported in `failures`, the rest are still analysed.

Why in chunks: the encoder sees `batch_size` documents per call, which is where batching pays
(one padded forward pass instead of one per transcript) while memory stays bounded.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any, Mapping

from . import pii
from .errors import TaskInputError

MAX_ITEMS = 10_000


def _items(params: Mapping[str, str]) -> list[Any]:
    if params.get("items"):
        raw = str(params["items"])
    elif params.get("items_url"):
        url = str(params["items_url"])
        if not url.startswith(("http://", "https://")):
            raise TaskInputError("items_url must be an http(s) URL")
        with urllib.request.urlopen(url, timeout=60) as resp:  # noqa: S310 - scheme checked above
            raw = resp.read().decode("utf-8")
    else:
        raise TaskInputError("missing required parameter 'items' (or 'items_url')")
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise TaskInputError(f"items is not valid JSON: {exc}") from exc
    if not isinstance(items, list):
        raise TaskInputError("items must be a JSON list of {submission_id, text}")
    if len(items) > MAX_ITEMS:
        raise TaskInputError(f"at most {MAX_ITEMS} items per run, got {len(items)}")
    return items


def run_batch(params: Mapping[str, str], analyzer: Any) -> dict[str, Any]:
    t0 = time.perf_counter()
    items = _items(params)
    batch_size = max(1, int(params.get("batch_size") or 64))
    redact = pii.enabled(params)
    good: list[tuple[str, str]] = []
    failures: list[dict[str, str]] = []
    for item in items:
        sid = item.get("submission_id") if isinstance(item, dict) else None
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(sid, str) or not sid or not isinstance(text, str):
            failures.append({"submission_id": str(sid or ""), "error": "item needs a string submission_id and text"})
            continue
        good.append((sid, pii.redact(text) if redact else text))
    results: list[dict[str, Any]] = []
    for start in range(0, len(good), batch_size):
        chunk = good[start : start + batch_size]
        for (sid, _), analysis in zip(chunk, analyzer.analyze_many([t for _, t in chunk])):
            results.append({"submission_id": sid, "analysis": analysis})
    total = (time.perf_counter() - t0) * 1000
    return {
        "model_version": analyzer.model_version,
        "count": len(results),
        "results": results,
        "failures": failures,
        "timings": {"compute_ms": round(total, 1), "per_item_ms": round(total / max(1, len(results)), 2)},
    }
