#!/usr/bin/env bash
# Runs every example twice: against its own embedded dev server, and against a
# standalone `pubnub-devserver` on a free loopback port (PUBNUB_ORIGIN=http://...).
# Each run must end by itself within EXAMPLE_TIMEOUT seconds with exit code 0.
# Usage: .ci/examples.sh            (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

timeout_secs="${EXAMPLE_TIMEOUT:-120}"
target_dir="${CARGO_TARGET_DIR:-target}"

echo "== building the dev server and the examples"
cargo build --quiet -p pubnub-devserver --bin pubnub-devserver
cargo build --quiet --examples

workdir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# --port 0: the server binds a free port and prints "listening on http://HOST:PORT".
"$target_dir/debug/pubnub-devserver" --port 0 >"$workdir/server.out" 2>"$workdir/server.err" &
server_pid=$!
origin=""
for _ in $(seq 1 300); do
  origin="$(sed -n 's|^pubnub-devserver listening on \(http://[^ ]*\)$|\1|p' "$workdir/server.out")"
  [ -n "$origin" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$workdir/server.err" >&2; echo "the dev server exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$origin" ] || { echo "the dev server did not report its address" >&2; exit 1; }
echo "== standalone dev server at $origin"

failed=0
# run LABEL NAME [VAR=VALUE...]: one example with the given environment.
run() {
  local label="$1" name="$2"
  shift 2
  local log="$workdir/$name-$label.log"
  local status=0
  case "$name" in
    pipe) printf '{"n":1}\n{"n":2}\nnot json\n{"n":3}\n' |
            env "$@" timeout "$timeout_secs" "$target_dir/debug/examples/$name" ci-pipe >"$log" 2>&1 || status=$? ;;
    supervised) env SUPERVISED_MESSAGES=5 "$@" timeout "$timeout_secs" "$target_dir/debug/examples/$name" \
            >"$log" 2>&1 </dev/null || status=$? ;;
    *) env "$@" timeout "$timeout_secs" "$target_dir/debug/examples/$name" >"$log" 2>&1 </dev/null || status=$? ;;
  esac
  if [ "$status" -eq 0 ]; then
    echo "ok   $name ($label)"
  else
    echo "FAIL $name ($label): exit $status; its output:"
    sed 's/^/    /' "$log"
    failed=1
  fi
}

# Never let a developer's own settings redirect the runs.
unset PUBNUB_ORIGIN PUBNUB_SECURE PUBNUB_SUBSCRIBE_KEY PUBNUB_PUBLISH_KEY PUBNUB_SECRET_KEY PUBNUB_USER_ID

host_port="${origin#http://}"
for file in examples/*.rs; do
  name="$(basename "$file" .rs)"
  run embedded "$name"
  run standalone "$name" "PUBNUB_ORIGIN=$origin"
done
# The other spelling of plain HTTP: a bare host:port beside PUBNUB_SECURE=false.
run standalone-secure-false quickstart "PUBNUB_ORIGIN=$host_port" PUBNUB_SECURE=false

# The standalone server must have served the standalone runs.
kill -0 "$server_pid" 2>/dev/null || { echo "the dev server died during the runs" >&2; failed=1; }
exit "$failed"
