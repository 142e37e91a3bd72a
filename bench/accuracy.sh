#!/usr/bin/env bash
# npm run bench:accuracy — sentiment/intent/emotion accuracy on the held-out test set, as text and as
# espeak-ng speech through the 02 -> 03 task code (see databricks/python/voyce_ml/bench_accuracy.py).
# Extra arguments pass through, e.g. `npm run bench:accuracy -- --no-spoken --verbose`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VOYCE_PYTHON:-.venv/bin/python}"
export HF_HUB_OFFLINE=1
exec "$PY" -m voyce_ml.bench_accuracy "$@"
