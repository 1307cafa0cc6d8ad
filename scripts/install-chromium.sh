#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium), the browser the whatsapp-web.js driver launches
# through puppeteer-core. A no-op when it is already there; CI and the run command call it.
set -euo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM_PATH" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM_PATH is missing and apt-get is not available; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$CHROMIUM_PATH" --version >/dev/null 2>&1 || true
echo "install-chromium: installed $("$CHROMIUM_PATH" --version 2>/dev/null || echo chromium)"
