#!/usr/bin/env bash
# `npm run build -w @voyce/api-client`: the OpenAPI document the API serves -> generated TypeScript types ->
# dist/ (ES modules + .d.ts) that the web app, the extension and the mobile app depend on. A change of the
# contract that breaks a client therefore breaks that client's typecheck after this build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=../..
"$ROOT/node_modules/.bin/tsx" "$ROOT/api/src/openapi/exportCli.ts" generated/openapi.json
"$ROOT/node_modules/.bin/openapi-typescript" generated/openapi.json -o src/generated/schema.ts --root-types --alphabetize >/dev/null
rm -rf dist
"$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json
