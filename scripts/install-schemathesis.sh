#!/usr/bin/env bash
# Installs schemathesis (the OpenAPI fuzzer of test/e2e/api-fuzz.test.ts and `npm run fuzz`) into a
# Python venv under .tools/ (git-ignored), pinned so that a run today and a run next month generate
# from the same engine. A no-op when the pinned version is already there; CI calls it after Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SCHEMATHESIS_VERSION="4.32.5"
VENV="${SCHEMATHESIS_VENV:-.tools/schemathesis-venv}"
if [ -x "$VENV/bin/st" ] && "$VENV/bin/python" -c \
  "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  exit 0
fi
PYTHON="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$PYTHON" ]; then
  echo "install-schemathesis: python3 is missing (3.9+ with the venv module is needed)" >&2
  exit 1
fi
started=$(date +%s)
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==$SCHEMATHESIS_VERSION"
echo "install-schemathesis: schemathesis $SCHEMATHESIS_VERSION in $VENV ($(( $(date +%s) - started )) s)"
