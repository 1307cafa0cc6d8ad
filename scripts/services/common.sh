#!/usr/bin/env bash
# Shared paths for the local service scripts. Everything lives under .tools/ (git-ignored).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${WWB_TOOLS_DIR:-$ROOT/.tools}"
RUN_DIR="$TOOLS/run"
mkdir -p "$TOOLS" "$RUN_DIR"

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
LOG4J_VERSION="${LOG4J_VERSION:-2.25.3}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"

log() { printf '[services] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds name
  local i=0
  while ! port_open "$1"; do
    i=$((i + 1))
    if [ "$i" -gt $(($2 * 4)) ]; then log "$3 did not open port $1 within $2 s"; return 1; fi
    sleep 0.25
  done
}
