#!/usr/bin/env bash
# bench/bulletin: the bulletin's and the dashboard's p50/p99 through the API
# (bench/bulletin.mjs) on the demo district at a scale (1 by default; issue
# 17's targets: p99 <= 50 ms at scale 1, <= 200 ms at scale 10), on SQLite
# or on a throwaway PostgreSQL: PG=1 scripts/pg.sh with bench/bulletin.sh. Builds the demo
# (and reports its wall time) unless DEMO_DB names one already built; prints
# the server's RSS after the run.
# Usage: bench/bulletin.sh [SCALE [N]]     env: DEMO_DB=path PG=1 NO_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1}
N=${2:-200}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
if [ -n "${PG:-}" ]; then
  [ -n "${CORDON_TEST_PG:-}" ] || { echo "PG=1: run as scripts/pg.sh with bench/bulletin.sh" >&2; exit 2; }
  psql "$CORDON_TEST_PG" -qc 'CREATE DATABASE bulletin_bench' >/dev/null
  DB=${CORDON_TEST_PG/\/postgres\?/\/bulletin_bench?}
  ARGS=(--pg "$DB")
else
  DB=${DEMO_DB:-$tmp/demo.db}
  ARGS=(--db "$DB")
fi
if [ -z "${DEMO_DB:-}" ]; then
  t0=$(date +%s.%N)
  build/cordon demo "${ARGS[@]}" --no-serve --rebuild --scale "$SCALE" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v s="$SCALE" 'BEGIN { printf "cordon demo --scale %s: %.1f s wall\n", s, b - a }'
fi
PORT=${PORT:-18994}
build/cordon serve "${ARGS[@]}" --listen 127.0.0.1:$PORT --quiet 2>"$tmp/serve.log" &
SRV=$!
for _ in $(seq 300); do grep -q listening "$tmp/serve.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$tmp/serve.log" || { cat "$tmp/serve.log" >&2; exit 1; }
node bench/bulletin.mjs "http://127.0.0.1:$PORT" "$N"
echo "server RSS after the run: $(awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' /proc/$SRV/status)"
