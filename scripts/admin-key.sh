#!/usr/bin/env bash
# Prints the operator key kept in a file (default .tools/run/admin-api-key), generating it the
# first time. The key grants every account: only the owner may read the file (mode 600), also
# when an older run left it readable to others.
set -euo pipefail
keyfile=${1:-.tools/run/admin-api-key}
mkdir -p "$(dirname "$keyfile")"
umask 077
[ -s "$keyfile" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keyfile"
chmod 600 "$keyfile"
cat "$keyfile"
