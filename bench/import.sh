#!/usr/bin/env bash
# bench/import: importing round 1's 620,623 persons from a generated CSV
# through the real import path (`cordon import persons FILE`: parsing,
# validation, compounds, households, arrivals graded, facts, counters, the
# batch; one transaction) beside SQLite's raw insert of the same rows into
# the same persons table of the same demo database, in one transaction with
# one prepared statement (bench/import_raw.c), in the same run. Each side
# runs on a fresh copy of the demo database; the baseline runs before and
# after the import and the faster of its two runs is used. Prints wall and
# CPU (user+sys) seconds and their ratios (target <= 1.5).
# Usage: bench/import.sh [ROWS]   (default 620623)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-620623}
OUT=build/bench
mkdir -p "$OUT"
[ -n "${BENCH_NO_MAKE:-}" ] || make -s build/cordon
cc -O2 -o "$OUT/import_raw" bench/import_raw.c $(pkg-config --cflags --libs sqlite3)

# The demo district (units, compounds, its own population): built once,
# rebuilt by `cordon demo` itself when this binary's demo differs.
demo="$OUT/import-demo.db"
build/cordon demo --db "$demo" --no-serve >/dev/null 2>"$OUT/import-demo.err" || {
  cat "$OUT/import-demo.err" >&2
  exit 1
}
# The list names the demo's compounds by code; made anew when they change.
sqlite3 "$demo" "SELECT code FROM units WHERE kind = 'compound' ORDER BY id" >"$OUT/import-compounds.new"
cmp -s "$OUT/import-compounds.new" "$OUT/import-compounds.txt" ||
  mv "$OUT/import-compounds.new" "$OUT/import-compounds.txt"
rm -f "$OUT/import-compounds.new"
csv="$OUT/import-persons-$ROWS.csv"
if [ ! -f "$csv" ] || [ bench/import_gen.mjs -nt "$csv" ] || [ "$OUT/import-compounds.txt" -nt "$csv" ]; then
  node bench/import_gen.mjs "$csv" "$OUT/import-compounds.txt" "$ROWS"
fi

fresh() { # copy of the demo database at $1
  rm -f "$1" "$1-wal" "$1-shm"
  cp "$demo" "$1"
}
# run NAME CMD...: sets W and C to the command's wall and CPU (user+sys)
# seconds; its output goes to $OUT/NAME.log and .err
run() {
  local name=$1
  shift
  if ! /usr/bin/time -o "$OUT/$name.time" -f '%e %U %S' "$@" >"$OUT/$name.log" 2>"$OUT/$name.err"; then
    echo "$name failed:" >&2
    cat "$OUT/$name.err" >&2
    exit 1
  fi
  read -r W C < <(awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$OUT/$name.time")
}
# The page cache cordon gives an import (imports.c IMPORT_CACHE_KIB), for the baseline too.
CACHE_KIB=$(sed -n 's/^#define IMPORT_CACHE_KIB "\([0-9]*\)".*/\1/p' src/feature/imports.c)

echo "bench/import: $ROWS persons ($(du -h "$csv" | cut -f1) CSV), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)" >&2
fresh "$OUT/import-raw.db"
run import-raw1 "$OUT/import_raw" "$OUT/import-raw.db" "$csv" "$CACHE_KIB"
raw_w1=$W raw_c1=$C
fresh "$OUT/import-cordon.db"
run import-cordon build/cordon import persons "$csv" --source bench --db "$OUT/import-cordon.db"
imp_w=$W imp_c=$C
fresh "$OUT/import-raw.db"
run import-raw2 "$OUT/import_raw" "$OUT/import-raw.db" "$csv" "$CACHE_KIB"
raw_w2=$W raw_c2=$C

counts=$(tail -1 "$OUT/import-cordon.log")
printf '%-46s %8s s wall %8s s cpu   (%s)\n' "raw insert, run 1" "$raw_w1" "$raw_c1" "$(cat "$OUT/import-raw1.log")" >&2
printf '%-46s %8s s wall %8s s cpu   (%s)\n' "cordon import persons" "$imp_w" "$imp_c" "$counts" >&2
printf '%-46s %8s s wall %8s s cpu   (%s)\n' "raw insert, run 2" "$raw_w2" "$raw_c2" "$(cat "$OUT/import-raw2.log")" >&2
db=$(sqlite3 "$OUT/import-cordon.db" "SELECT (SELECT COUNT(*) FROM persons) || ' persons, ' || (SELECT COUNT(*) FROM households) || ' households, ' || (SELECT COUNT(*) FROM arrivals) || ' arrivals, ' || (SELECT COUNT(*) FROM person_facts) || ' fact rows, ' || (SELECT COUNT(*) FROM persons WHERE facts_implied = 1) || ' persons whose creation facts the row implies'")
echo "stored by the import: $db" >&2
awk -v rw1="$raw_w1" -v rw2="$raw_w2" -v rc1="$raw_c1" -v rc2="$raw_c2" -v iw="$imp_w" -v ic="$imp_c" -v n="$ROWS" 'BEGIN {
  rw = rw1 < rw2 ? rw1 : rw2; rc = rc1 < rc2 ? rc1 : rc2
  printf "import: %.0f rows/s wall\n", n / iw
  printf "ratio import / raw insert, wall: %.2f   (target <= 1.5)\n", iw / rw
  printf "ratio import / raw insert, cpu:  %.2f\n", ic / rc }'
rm -f "$OUT"/import-raw.db* "$OUT"/import-cordon.db*
