#!/usr/bin/env bash
# Every test tier: static checks, unit specs, then integration and e2e against a real Kafka
# broker and FerretDB (started here when they are not already running).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "== typecheck"; npx tsc -p tsconfig.json --noEmit
echo "== lint"; npx eslint . --max-warnings=0
echo "== format"; npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }
echo "== services"; scripts/services/up.sh
echo "== build"; npm run -s build
# The console is typechecked against the API client the build generated from the OpenAPI document.
echo "== typecheck console"; npx tsc -p apps/console/tsconfig.json --noEmit
echo "== tests"; npx jest --runInBand --ci "$@"
