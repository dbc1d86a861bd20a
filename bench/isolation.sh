#!/usr/bin/env bash
# bench/isolation: issue 11's closing figures. With N (50,000) active
# isolation orders and DAYS (14) days of twice-daily checks (written in SQL
# as the API writes them): the monitoring page's figures and the
# missed-check list, p50/p99 through the API (target p99 <= 50 ms); then
# health checks per second through POST /api/v1/isolations/{id}/checks
# (device token; validation, scope, the check, its day summary, the alert
# rule, audit, one transaction a request) beside the bare durable-insert
# baseline of bench/scan_baseline.c (synchronous=FULL) in the same run, same
# wrk settings.
# The figures are read at 23:00 local on the last day with checks (both
# windows closed, a full day of checks in: the most the missed-check figure
# has to count), the checks written at 20:00 local on the day after (the
# evening window, no check yet: each marks its order's evening done).
# Usage: bench/isolation.sh [SECONDS]  (default 10); env N, DAYS, PORT, NO_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
N=${N:-50000}
DAYS=${DAYS:-14}
PORT=${PORT:-18971}   # the server; the baseline on PORT + 1
BPORT=$((PORT + 1))
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
command -v wrk >/dev/null || { echo "wrk missing: run scripts/deps.sh" >&2; exit 1; }
mkdir -p build/bench
cc -O2 -o build/bench/scan_baseline bench/scan_baseline.c $(pkg-config --cflags --libs libmicrohttpd sqlite3) -lpthread
tmp=$(mktemp -d "$PWD/build/bench/isolation.XXXXXX")
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
PW=bench-admin-pass
echo "$PW" >"$tmp/pw"
wait_listen() { for _ in $(seq 200); do grep -q listening "$1" 2>/dev/null && return; sleep 0.05; done; echo "no server: $(cat "$1")" >&2; exit 1; }
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }
load() { # label port device tag -> "rps p50 p99"
  local out
  out=$(CORDON_ORDERS=$tmp/orders.txt CORDON_DEVICE=$3 CORDON_TAG=$4 wrk -t2 -c16 -d"${DUR}s" --latency -s bench/checks.lua "http://127.0.0.1:$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers!" >&2; grep -E "Non-2xx|Socket" <<<"$out" >&2; fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p50=$(awk '$1=="50%" {print $2}' <<<"$out" | ms); p99=$(awk '$1=="99%" {print $2}' <<<"$out" | ms)
  printf '%-62s %9s /s   p50 %7s ms   p99 %7s ms\n' "$1" "$rps" "$p50" "$p99" >&2
  echo "$rps $p50 $p99"
}
build/cordon init --db "$tmp/c.db" --admin-password-file "$tmp/pw" >/dev/null
build/cordon serve --db "$tmp/c.db" --listen 127.0.0.1:$PORT --quiet 2>"$tmp/c.log" &
srv=$!
wait_listen "$tmp/c.log"
t0=$(date +%s)
node bench/isolation_setup.mjs http://127.0.0.1:$PORT "$PW" "$tmp/c.db" "$N" "$DAYS" "$tmp"
echo "bench/isolation: $N active orders, $DAYS days of checks ($(sqlite3 "$tmp/c.db" 'SELECT COUNT(*) FROM health_checks') checks) made in $(( $(date +%s) - t0 )) s; $(nproc) cores" >&2
DEV=$(cat "$tmp/device.txt")
# The server again with its clock set (above: local days as of now, UTC+8).
today=$(date -u -d @$(( $(date +%s) + 8 * 3600 )) +%F)
yesterday=$(date -u -d @$(( $(date +%s) + 8 * 3600 - 86400 )) +%F)
reserve() {
  kill "$srv"; wait "$srv" 2>/dev/null || true
  build/cordon serve --db "$tmp/c.db" --listen 127.0.0.1:$PORT --quiet --clock "$1" 2>"$tmp/c.log" &
  srv=$!
  wait_listen "$tmp/c.log"
}
reserve "${yesterday}T23:00"
echo "figures at ${yesterday}T23:00 local; $(uptime)" >&2
node bench/isolation_latency.mjs http://127.0.0.1:$PORT "$DEV" "$(cat "$tmp/unit.txt")" 200
reserve "${today}T20:00"
build/bench/scan_baseline $BPORT "$tmp/base.db" FULL 64 2>"$tmp/base.log" &
bp=$!
wait_listen "$tmp/base.log"
read -r base _ _ < <(load "baseline: bare MHD + SQLite insert, synchronous=FULL" $BPORT "" base)
kill $bp; wait $bp 2>/dev/null || true
n0=$(sqlite3 "$tmp/c.db" 'SELECT COUNT(*) FROM health_checks')
read -r cord _ _ < <(load "cordon POST /isolations/{id}/checks (SQLite, FULL)" $PORT "$DEV" "c$$")
n1=$(sqlite3 "$tmp/c.db" 'SELECT COUNT(*) FROM health_checks')
echo "checks stored: $((n1 - n0))" >&2
awk -v c="$cord" -v b="$base" 'BEGIN { printf "ratio cordon checks / FULL baseline: %.2f\n", c / b }'
