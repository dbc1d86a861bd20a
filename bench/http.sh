#!/usr/bin/env bash
# bench/http: requests per second of GET /healthz and of an authenticated
# GET /api/v1/units/{id} through cordon, beside a minimal libmicrohttpd
# responder measured in the same run with the same wrk settings, and the
# ratios. Usage: bench/http.sh [DURATION_SECONDS]  (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
THREADS=${CORDON_THREADS:-8}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
mkdir -p build/bench
cc -O2 -o build/bench/minimal bench/minimal.c $(pkg-config --cflags --libs libmicrohttpd)
command -v wrk >/dev/null || { echo "wrk missing: run scripts/deps.sh" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
PORT_MIN=18991 PORT_C=18992

build/bench/minimal $PORT_MIN "$THREADS" 2>/dev/null &
build/cordon demo --db "$tmp/demo.db" --no-serve >/dev/null
build/cordon serve --db "$tmp/demo.db" --listen 127.0.0.1:$PORT_C --quiet --threads "$THREADS" 2>"$tmp/serve.log" &
for _ in $(seq 50); do grep -q listening "$tmp/serve.log" 2>/dev/null && break; sleep 0.1; done

# Sign in as the officer (scope: one sub-district) and pick a compound inside it.
login=$(curl -s -c "$tmp/jar" -X POST http://127.0.0.1:$PORT_C/api/v1/session \
  -d '{"username":"officer","password":"demo2020"}')
cookie=$(awk '/cordon_session/ {print $7}' "$tmp/jar")
[ -n "$cookie" ] || { echo "sign-in failed: $login" >&2; exit 1; }
unit=$(curl -s -b "$tmp/jar" "http://127.0.0.1:$PORT_C/api/v1/units?kind=compound&limit=1" \
  | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
[ -n "$unit" ] || { echo "no compound found" >&2; exit 1; }

run() { # name url [header]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d"${DUR}s" --latency -H "$3" "$2")
  else out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$2"); fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers!" >&2; grep Non-2xx <<<"$out" >&2; fi
  printf '%-44s %10s req/s   p50 %-8s p99 %-8s\n' "$1" "$rps" "$p50" "$p99" >&2
  echo "$rps"
}

echo "bench/http: wrk -t2 -c64 -d${DUR}s, $THREADS server threads, $(nproc) cores" >&2
base=$(run "minimal libmicrohttpd responder" "http://127.0.0.1:$PORT_MIN/")
health=$(run "cordon GET /healthz" "http://127.0.0.1:$PORT_C/healthz")
unitget=$(run "cordon GET /api/v1/units/$unit (signed in)" "http://127.0.0.1:$PORT_C/api/v1/units/$unit" "Cookie: cordon_session=$cookie")
# The baseline again, after: the ratios use the faster of its two runs, so a
# machine that warmed up or calmed down during the run does not flatter cordon.
base2=$(run "minimal libmicrohttpd responder (again)" "http://127.0.0.1:$PORT_MIN/")
base=$(awk -v a="$base" -v b="$base2" 'BEGIN { print (a > b ? a : b) }')
awk -v b="$base" -v h="$health" -v u="$unitget" 'BEGIN {
  printf "ratio healthz / minimal:            %.2f\n", h / b
  printf "ratio authenticated GET / minimal:  %.2f   (target >= 0.50)\n", u / b }'
