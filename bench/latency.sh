#!/usr/bin/env bash
# bench/latency: p50/p99 latency through the API of person search (whole ID
# number, last 4, name, surname) and coverage by unit, at full scale (the demo's
# 620,623 persons, two screening rounds), on SQLite. Builds the demo (and
# reports its wall time) unless DEMO_DB names one already built, serves it,
# and runs bench/latency.mjs (node fetch, 2,000 requests per query at
# concurrency 8 by default) as the officer and the admin; GET /healthz is
# measured the same way as the baseline of what the client and HTTP cost.
# Then lists the persons indexes and the plans of the searches.
# Usage: bench/latency.sh [N [C]]      env: DEMO_DB=path NO_BUILD=1 THREADS=8
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
C=${2:-8}
THREADS=${THREADS:-8}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
DB=${DEMO_DB:-}
if [ -z "$DB" ]; then
  DB=$tmp/demo.db
  t0=$(date +%s.%N)
  build/cordon demo --db "$DB" --no-serve >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  grep -E "^  round [12]: coverage|^population and screening" "$tmp/demo.log" || true
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "cordon demo (SQLite): %.1f s wall\n", b - a }'
fi

PORT=${PORT:-18993}
build/cordon serve --db "$DB" --listen 127.0.0.1:$PORT --quiet --threads "$THREADS" 2>"$tmp/serve.log" &
for _ in $(seq 100); do grep -q listening "$tmp/serve.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$tmp/serve.log" || { cat "$tmp/serve.log" >&2; exit 1; }

echo "server: $THREADS threads, $(nproc) cores shared with the client"
node bench/latency.mjs "http://127.0.0.1:$PORT" "$N" "$C"

if command -v sqlite3 >/dev/null; then
  echo "persons indexes:"
  sqlite3 "$DB" "SELECT '  ' || name || ': ' || COALESCE(sql, '(constraint)') FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'persons' ORDER BY name"
fi
