#!/usr/bin/env bash
# npm run bench:accuracy — sentiment/intent/emotion accuracy on the held-out test set: as text (the 03 task
# code), then as espeak-ng speech through the real pipeline (API -> Temporal -> jobs runtime -> PostgreSQL,
# bench/accuracyPipeline.ts), both scored by databricks/python/bench/voyce_bench/accuracy.py.
#   --no-spoken          text level only
#   --in-process         spoken clips through the 02 -> 03 task functions in one Python process instead of the
#                        pipeline (with --transcripts FILE to reuse transcripts while retraining)
#   --rotation N         another voice/speed/format for each sentence (a second spoken test set)
#   --set english|multilingual   only one of the spoken sets through the pipeline (default: both; the
#                        multilingual one is data/test_multilingual.txt in de, fr, es, pt, it, language detected)
#   --verbose            per-class tables and confusion matrices
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VOYCE_PYTHON:-.venv/bin/python}"
export HF_HUB_OFFLINE=1
py_args=() pipeline_args=() spoken=pipeline
while [ $# -gt 0 ]; do
  case "$1" in
    --no-spoken) spoken=none ;;
    --in-process) spoken=in-process ;;
    --rotation) pipeline_args+=(--rotation "$2"); py_args+=(--rotation "$2"); shift ;;
    --verbose) pipeline_args+=(--verbose); py_args+=(--verbose) ;;
    --set) pipeline_args+=(--set "$2"); shift ;;
    *) py_args+=("$1") ;;
  esac
  shift
done
case "$spoken" in
  none) exec "$PY" -m voyce_bench.accuracy --no-spoken "${py_args[@]}" ;;
  in-process) exec "$PY" -m voyce_bench.accuracy --spoken-in-process "${py_args[@]}" ;;
  pipeline)
    "$PY" -m voyce_bench.accuracy --no-spoken "${py_args[@]}"
    exec npx tsx bench/accuracyPipeline.ts "${pipeline_args[@]}" ;;
esac
