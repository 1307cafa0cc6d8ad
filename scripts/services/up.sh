#!/usr/bin/env bash
# Installs (first time) and starts the local Kafka broker and FerretDB unless they already run.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
"$dir/ferretdb.sh" install &
f=$!
"$dir/kafka.sh" install
wait "$f"
"$dir/ferretdb.sh" start
"$dir/kafka.sh" start
