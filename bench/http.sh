#!/usr/bin/env bash
# bench/http: requests per second of GET /healthz and of an authenticated
# GET /api/v1/units/{id} through cordon, beside a minimal libmicrohttpd
# responder measured in the same run with the same wrk settings, and the
# ratios. Usage: bench/http.sh [DURATION_SECONDS]  (default 10)
#   env: CORDON_OLD=path/to/an/older/cordon: that binary's authenticated GET
#   too, on the same database in the same run (side by side);
#   CALLGRIND=N: instead of wrk, instructions per request under callgrind
#   (the machine's load does not move them) of N authenticated GETs and of
#   N requests to the bare responder, each over one keep-alive connection.
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
# BENCH_PORT: the first of three ports (a server of anyone else on them
# would share their connections: cordon listens with SO_REUSEPORT).
P0=${BENCH_PORT:-18991}
PORT_MIN=$P0 PORT_C=$((P0 + 1))
for p in $P0 $((P0 + 1)) $((P0 + 2)); do
  if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$p "; then
    echo "port $p is taken: set BENCH_PORT to another range" >&2; exit 1
  fi
done

PORT_OLD=$((P0 + 2))
build/cordon demo --db "$tmp/demo.db" --no-serve >/dev/null
wait_listen() { for _ in $(seq 600); do grep -q listening "$1" 2>/dev/null && return; sleep 0.1; done; }
if [ -n "${CALLGRIND:-}" ]; then
  # Counted from after a warm-up to the end of the requests (callgrind_control).
  count() { # name cmd... -> instructions per request of the N requests
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" "$@" 2>"$tmp/$name.vg" &
    local pid=$!
    wait_listen "$tmp/$name.vg"
    local pre=()
    if [ "$name" != minimal ]; then
      curl -s -c "$tmp/jar" -X POST http://127.0.0.1:$PORT_C/api/v1/session \
        -d '{"username":"officer","password":"demo2020"}' >/dev/null
      unit=$(curl -s -b "$tmp/jar" "http://127.0.0.1:$PORT_C/api/v1/units?kind=compound&limit=1" \
        | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
      url="http://127.0.0.1:$PORT_C/api/v1/units/$unit"; pre=(-b "$tmp/jar")
    else
      url="http://127.0.0.1:$PORT_MIN/"
    fi
    : >"$tmp/urls"
    for _ in $(seq 100); do printf 'url = "%s"\noutput = /dev/null\n' "$url" >>"$tmp/urls"; done
    curl -s "${pre[@]}" -K "$tmp/urls"
    callgrind_control -z $pid >/dev/null 2>&1
    for _ in $(seq $((CALLGRIND / 100))); do curl -s "${pre[@]}" -K "$tmp/urls"; done
    callgrind_control -d $pid >/dev/null 2>&1
    kill -INT $pid; wait $pid 2>/dev/null || true
    local ir
    ir=$(awk '/^summary:|^totals:/ {print $2; exit}' "$tmp/$name.cg".1)
    echo "$name: $url" >&2
    echo $((ir / (CALLGRIND / 100 * 100)))
  }
  echo "bench/http: callgrind, $CALLGRIND requests each, one keep-alive connection" >&2
  c=$(count cordon build/cordon serve --db "$tmp/demo.db" --listen 127.0.0.1:$PORT_C --quiet --threads 2)
  m=$(count minimal build/bench/minimal $PORT_MIN 2)
  echo "instructions per request: cordon's authenticated GET $c, minimal responder $m" >&2
  if [ -n "${CORDON_OLD:-}" ]; then
    o=$(count old "$CORDON_OLD" serve --db "$tmp/demo.db" --listen 127.0.0.1:$PORT_C --quiet --threads 2)
    echo "instructions per request: CORDON_OLD's authenticated GET $o" >&2
  fi
  exit 0
fi
build/bench/minimal $PORT_MIN "$THREADS" 2>/dev/null &
build/cordon serve --db "$tmp/demo.db" --listen 127.0.0.1:$PORT_C --quiet --threads "$THREADS" 2>"$tmp/serve.log" &
wait_listen "$tmp/serve.log"
if [ -n "${CORDON_OLD:-}" ]; then
  "$CORDON_OLD" serve --db "$tmp/demo.db" --listen 127.0.0.1:$PORT_OLD --quiet --threads "$THREADS" 2>"$tmp/old.log" &
  wait_listen "$tmp/old.log"
  curl -s -c "$tmp/jar-old" -X POST http://127.0.0.1:$PORT_OLD/api/v1/session \
    -d '{"username":"officer","password":"demo2020"}' >/dev/null
  cookie_old=$(awk '/cordon_session/ {print $7}' "$tmp/jar-old")
fi

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
[ -z "${CORDON_OLD:-}" ] || old=$(run "CORDON_OLD GET /api/v1/units/$unit (signed in)" "http://127.0.0.1:$PORT_OLD/api/v1/units/$unit" "Cookie: cordon_session=$cookie_old")
[ -z "${CORDON_OLD:-}" ] || unitget2=$(run "cordon GET /api/v1/units/$unit (again, after CORDON_OLD)" "http://127.0.0.1:$PORT_C/api/v1/units/$unit" "Cookie: cordon_session=$cookie")
# The baseline again, after: the ratios use the faster of its two runs, so a
# machine that warmed up or calmed down during the run does not flatter cordon.
base2=$(run "minimal libmicrohttpd responder (again)" "http://127.0.0.1:$PORT_MIN/")
base=$(awk -v a="$base" -v b="$base2" 'BEGIN { print (a > b ? a : b) }')
awk -v b="$base" -v h="$health" -v u="$unitget" 'BEGIN {
  printf "ratio healthz / minimal:            %.2f\n", h / b
  printf "ratio authenticated GET / minimal:  %.2f   (target >= 0.50)\n", u / b }'
[ -z "${CORDON_OLD:-}" ] || awk -v b="$base" -v o="$old" -v u="$unitget" -v u2="$unitget2" 'BEGIN {
  printf "ratio CORDON_OLD GET / minimal:     %.2f\n", o / b
  printf "ratio cordon GET (second run) / minimal: %.2f\n", u2 / b }'
