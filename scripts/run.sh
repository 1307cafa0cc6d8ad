#!/usr/bin/env bash
# Runs the whole platform on one node: starts the local Kafka broker and FerretDB (installing
# them the first time), builds, then runs every role (api, worker, gateway) in one process.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -x scripts/install-chromium.sh ] && scripts/install-chromium.sh
scripts/services/up.sh
npm run -s build
if [ -z "${ADMIN_API_KEY:-}" ]; then
  keyfile=.tools/run/admin-api-key
  ADMIN_API_KEY=$(scripts/admin-key.sh "$keyfile")
  export ADMIN_API_KEY
  echo "ADMIN_API_KEY not set: using the one in $keyfile"
fi
exec node dist/apps/all-in-one/src/main.js
