#!/usr/bin/env bash
# `npm test`: everything CI checks, in order of cost. Keeps going after a failing step so one run
# shows every problem, prints a summary, and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUMMARY=()
FAILED=0
START_ALL=$(date +%s%N)
seconds_since() { echo "$(( ($(date +%s%N) - $1) / 1000000 ))" | awk '{printf "%.1f", $1/1000}'; }

# step NAME COMMAND...: run it, time it, record PASS/FAIL.
step() {
  local name=$1; shift
  local started; started=$(date +%s%N)
  echo; echo "=== $name: $*"
  if "$@"; then
    SUMMARY+=("$(printf '  %-12s PASS  %6ss' "$name" "$(seconds_since "$started")")")
    return 0
  fi
  SUMMARY+=("$(printf '  %-12s FAIL  %6ss' "$name" "$(seconds_since "$started")")")
  FAILED=1
  return 1
}

summary() {
  echo; echo "=== summary ($(seconds_since "$START_ALL") s)"
  printf '%s\n' "${SUMMARY[@]}"
  if [ "$FAILED" -eq 0 ]; then echo "  all passed"; else echo "  FAILED"; fi
}

# Without a working machine nothing below means anything: stop here if setup fails.
if ! step setup bash scripts/setup.sh; then summary; exit 1; fi
step typecheck npm run -s typecheck
step lint npm run -s lint
step python .venv/bin/python -m pytest databricks/python/tests -q
step unit npx jest --selectProjects unit
step integration npx jest --selectProjects integration --runInBand
# Each client app's own tests (Vitest, jest-expo, …), then the browser end-to-end tests against the stack.
for app in web extension mobile; do
  [ -f "$app/package.json" ] && step "$app" npm test --prefix "$app"
done
step e2e npx jest --selectProjects e2e --runInBand
summary
exit "$FAILED"
