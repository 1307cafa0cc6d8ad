#!/usr/bin/env bash
# FerretDB v1 (MongoDB wire protocol, SQLite backend), built with the Go toolchain.
# Usage: ferretdb.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# The binary's name carries our build's settings: a checkout with an older build rebuilds once.
BIN="$TOOLS/bin/ferretdb-$FERRETDB_VERSION-untracked"
DATA="$RUN_DIR/ferretdb-data"
PIDFILE="$RUN_DIR/ferretdb.pid"

install() {
  if [ -x "$BIN" ]; then return 0; fi
  command -v go >/dev/null || { log "go is required"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION with the Go toolchain (first time: a few minutes)"
  # The module as published lacks build/version/version.txt, which the binary requires at start;
  # so fetch the module source, add that file, and build from the copy.
  local src="$TOOLS/src/ferretdb-$FERRETDB_VERSION"
  if [ ! -f "$src/go.mod" ]; then
    local modtmp="$TOOLS/src/modtmp"
    mkdir -p "$modtmp"
    (cd "$modtmp" && [ -f go.mod ] || go mod init wwb.local/ferretdb-fetch >/dev/null 2>&1; cd "$modtmp" && go mod download -x "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" >/dev/null 2>&1 || true)
    local dir
    dir=$(cd "$modtmp" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    [ -n "$dir" ] || { log "could not download the FerretDB module"; exit 1; }
    rm -rf "$src"; mkdir -p "$(dirname "$src")"
    cp -r "$dir" "$src"; chmod -R u+w "$src"
    echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  fi
  untrack "$src/internal/util/resource/resource.go"
  mkdir -p "$TOOLS/bin"
  (cd "$src" && CGO_ENABLED=0 go build -o "$BIN.tmp" ./cmd/ferretdb) && mv "$BIN.tmp" "$BIN"
}

# FerretDB tracks the lifetime of every document iterator it makes (a stack trace into a pprof
# profile and a finalizer each), a leak detector for its own tests: about 10% of its CPU while a
# campaign is planned (measured with its pprof profile). Our build keeps it for FerretDB's debug
# builds only (the `ferretdb_debug` tag), as the store's behaviour does not change. The check
# fails loudly if a new version no longer has the two functions, rather than building untouched.
untrack() { # resource.go
  grep -q 'if !debugbuild.Enabled {' "$1" && return 0
  grep -q '^func Track(obj any, token \*Token) {$' "$1" && grep -q '^func Untrack(obj any, token \*Token) {$' "$1" ||
    { log "FerretDB's resource tracker has changed; review scripts/services/ferretdb.sh"; exit 1; }
  sed -i -e 's/^func Track(obj any, token \*Token) {$/&\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}/' \
    -e 's/^func Untrack(obj any, token \*Token) {$/&\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}/' "$1"
}

start() {
  if port_open "$MONGO_PORT"; then log "a MongoDB-compatible server already listens on $MONGO_PORT"; return 0; fi
  install
  mkdir -p "$DATA" "$RUN_DIR/ferretdb-state"
  log "starting FerretDB on 127.0.0.1:$MONGO_PORT"
  # synchronous(normal): in WAL mode a commit is written, not fsynced (checkpoints are); it
  # survives the process being killed and is lost only with the machine, as MongoDB's own
  # default (a journal flushed every 100 ms) is. It halves an insert's latency here.
  # GOGC=400: the collector runs a quarter as often (a fifth of FerretDB's CPU was GC while a
  # campaign was planned) for a larger heap (about 1 GB after 100,000-document runs).
  GOGC="${FERRETDB_GOGC:-400}" nohup "$BIN" --handler=sqlite \
    --sqlite-url="file:$DATA/?_pragma=synchronous(normal)" --listen-addr="127.0.0.1:$MONGO_PORT" \
    --state-dir="$RUN_DIR/ferretdb-state" --telemetry=disable --debug-addr=- --log-level=warn \
    >"$RUN_DIR/ferretdb.log" 2>&1 &
  echo $! >"$PIDFILE"
  wait_port "$MONGO_PORT" 30 FerretDB || { tail -n 40 "$RUN_DIR/ferretdb.log" >&2; exit 1; }
  log "FerretDB is up"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  reset) stop; rm -rf "$DATA" ;;
  status) port_open "$MONGO_PORT" && echo up || echo down ;;
  *) echo "usage: $0 install|start|stop|reset|status" >&2; exit 2 ;;
esac
