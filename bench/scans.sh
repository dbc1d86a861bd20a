#!/usr/bin/env bash
# bench/scans: gate scans per second through cordon's real endpoint
# (POST /api/v1/gates/{id}/scans with a device token: token verification,
# key, pass record, residence, colour rules, and the durable write of the
# scan through the group-commit writer), beside a bare libmicrohttpd +
# SQLite server storing one row per request in a transaction of its own at
# synchronous=FULL and at NORMAL, measured in the same run with the same
# wrk settings (-t2 -c64, a Lua script cycling through many residents'
# tokens and new client ids). Prints rates, p50/p99 and the ratios.
# With PG=1, also one cordon server against two on one durable PostgreSQL.
# Usage: bench/scans.sh [SECONDS]  (default 10)
#   env: SCAN_RESIDENTS (2000), CORDON_THREADS (cordon's server threads,
#   default 4: a scan parks its connection, not its thread, while its batch
#   commits), BASE_THREADS (the baseline's, 64: each of its requests holds
#   a thread through its own commit, so its pool covers the connections),
#   PG=1 (PG_THREADS, 32), NO_BUILD=1, BENCH_PORT (first of four ports,
#   18961: a server of anyone else on them shares their connections, as
#   cordon listens with SO_REUSEPORT), CORDON_OLD=path/to/an/older/cordon
#   (its scans too, on the same database after cordon's, and cordon's again:
#   old and new side by side in one run)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
THREADS=${CORDON_THREADS:-4}
BASE_THREADS=${BASE_THREADS:-64}
N=${SCAN_RESIDENTS:-2000}
P0=${BENCH_PORT:-18961}
P_BASE=$P0 P_SQLITE=$((P0 + 1)) P_PG1=$((P0 + 2)) P_PG2=$((P0 + 3))
for p in $P_BASE $P_SQLITE $P_PG1 $P_PG2; do
  if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$p "; then
    echo "port $p is taken: set BENCH_PORT to another range" >&2; exit 1
  fi
done
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
command -v wrk >/dev/null || { echo "wrk missing: run scripts/deps.sh" >&2; exit 1; }
mkdir -p build/bench
cc -O2 -o build/bench/scan_baseline bench/scan_baseline.c \
  $(pkg-config --cflags --libs libmicrohttpd sqlite3) -lpthread

# Every database of the run lives on the same disk (the repository's).
tmp=$(mktemp -d "$PWD/build/bench/scans.XXXXXX")
pgdir=/tmp/cordon-scans-pg-$$
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  # a server that does not stop within 10 s is killed, so PostgreSQL is
  # always stopped below
  for _ in $(seq 100); do [ -z "$(jobs -pr)" ] && break; sleep 0.1; done
  kill -9 $(jobs -pr) 2>/dev/null || true
  wait 2>/dev/null || true
  [ -z "${PG:-}" ] || scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
PW=bench-admin-pass
echo "$PW" >"$tmp/pw"

wait_listen() { # log
  for _ in $(seq 200); do grep -q listening "$1" 2>/dev/null && return; sleep 0.05; done
  echo "no server: $(cat "$1")" >&2; exit 1
}
serve() { # name port dbargs...
  local name=$1 port=$2; shift 2
  ${BIN:-build/cordon} serve "$@" --listen 127.0.0.1:$port --quiet --threads "$THREADS" 2>"$tmp/$name.log" &
  echo $! >"$tmp/$name.pid"
  wait_listen "$tmp/$name.log"
}
stop() { kill "$(cat "$tmp/$1.pid")" 2>/dev/null || true; wait "$(cat "$tmp/$1.pid")" 2>/dev/null || true; }

# Latencies as wrk prints them (850.00us, 2.31ms, 1.02s) in milliseconds.
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }
scan() { # label port device tag [threads conns] -> "rps p50 p99 requests"
  local out rps p50 p99 reqs
  out=$(CORDON_TOKENS=$tmp/tokens.txt CORDON_SCAN_PATH=$SCAN_PATH CORDON_DEVICE=$3 CORDON_TAG=$4 \
    wrk -t"${5:-2}" -c"${6:-64}" -d"${DUR}s" --latency -s bench/scans.lua "http://127.0.0.1:$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: non-2xx answers!" >&2; grep -E "Non-2xx|Socket" <<<"$out" >&2; fi
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | ms)
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%-58s %9s scans/s   p50 %7s ms   p99 %7s ms\n' "$1" "$rps" "$p50" "$p99" >&2
  echo "$rps $p50 $p99 $reqs"
}
baseline() { # label sync
  build/bench/scan_baseline $P_BASE "$tmp/base-$2.db" "$2" "$BASE_THREADS" 2>"$tmp/base.log" &
  local pid=$!
  wait_listen "$tmp/base.log"
  scan "$1" $P_BASE "" "base" 
  kill $pid; wait $pid 2>/dev/null || true
  rm -f "$tmp/base-$2.db"*
}

build/cordon init --db "$tmp/c.db" --admin-password-file "$tmp/pw" >/dev/null
serve sqlite $P_SQLITE --db "$tmp/c.db"
node bench/scans_setup.mjs http://127.0.0.1:$P_SQLITE "$PW" "$N" "$tmp"
SCAN_PATH=$(cat "$tmp/path.txt")
DEV=$(cat "$tmp/device.txt")

echo "bench/scans: wrk -t2 -c64 -d${DUR}s, $N residents' passes, $THREADS cordon threads ($BASE_THREADS baseline), $(nproc) cores, $(df -T "$tmp" | awk 'NR==2 {print $2}') disk" >&2
read -r full p50f p99f _ < <(baseline "baseline: bare MHD + SQLite insert, synchronous=FULL" FULL)
read -r norm p50n p99n _ < <(baseline "baseline: bare MHD + SQLite insert, synchronous=NORMAL" NORMAL)
n0=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM gate_scans")
read -r cord p50c p99c reqs < <(scan "cordon POST /gates/{id}/scans (SQLite, FULL, group commit)" $P_SQLITE "$DEV" "s$$")
n1=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM gate_scans")
allow=$(sqlite3 "$tmp/c.db" "SELECT COUNT(*) FROM gate_scans WHERE decision = 'allow'")
# The FULL baseline again: the ratio uses the faster of its two runs, so a
# machine that warmed up or calmed down during the run does not flatter cordon.
read -r full2 _ _ _ < <(baseline "baseline: bare MHD + SQLite insert, synchronous=FULL (again)" FULL)
full=$(awk -v a="$full" -v b="$full2" 'BEGIN { print (a > b ? a : b) }')
stop sqlite
if [ -n "${CORDON_OLD:-}" ]; then
  BIN=$CORDON_OLD serve old $P_SQLITE --db "$tmp/c.db"
  read -r old p50o p99o _ < <(scan "CORDON_OLD POST /gates/{id}/scans (same database)" $P_SQLITE "$DEV" "o$$")
  stop old
  serve sqlite $P_SQLITE --db "$tmp/c.db"
  read -r cord2 p50c2 p99c2 _ < <(scan "cordon POST /gates/{id}/scans (again, after CORDON_OLD)" $P_SQLITE "$DEV" "t$$")
  stop sqlite
  awk -v o="$old" -v po="$p99o" -v c="$cord2" -v pc="$p99c2" -v f="$full" 'BEGIN {
    printf "side by side: CORDON_OLD %.0f scans/s p99 %.2f ms (%.2fx FULL), cordon again %.0f scans/s p99 %.2f ms (%.2fx FULL)\n", o, po, o / f, c, pc, c / f }'
fi
echo "scans stored: $((n1 - n0)) rows for $reqs requests answered ($allow allowed in all)" >&2
grep -o 'batch: .*' "$tmp/sqlite.log" >&2 || true
awk -v c="$cord" -v f="$full" -v n="$norm" -v p="$p99c" 'BEGIN {
  printf "ratio cordon / FULL baseline:    %.2f   (target >= 3)\n", c / f
  printf "ratio cordon / NORMAL baseline:  %.2f   (target >= 0.50)\n", c / n
  printf "cordon p99:                      %.2f ms (target <= 20 ms)\n", p }'

[ -n "${PG:-}" ] || exit 0
# ---- PostgreSQL (durable: fsync and synchronous_commit on): one server, then two.
# A scan's reads are round trips to PostgreSQL that hold their thread: more threads.
THREADS=${PG_THREADS:-32}
base=$(PG_DURABLE=1 scripts/pg.sh start "$pgdir")
psql "$base" -qc "CREATE DATABASE scans" >/dev/null
PGURL="postgresql:///scans?host=$pgdir&user=postgres"
build/cordon init --pg "$PGURL" --admin-password-file "$tmp/pw" >/dev/null
serve pg1 $P_PG1 --pg "$PGURL"
node bench/scans_setup.mjs http://127.0.0.1:$P_PG1 "$PW" "$N" "$tmp"
SCAN_PATH=$(cat "$tmp/path.txt")
DEV=$(cat "$tmp/device.txt")
serve pg2 $P_PG2 --pg "$PGURL"
read -r one _ _ _ < <(scan "cordon scans, PostgreSQL durable, one server" $P_PG1 "$DEV" "p1$$")
CORDON_TOKENS=$tmp/tokens.txt CORDON_SCAN_PATH=$SCAN_PATH CORDON_DEVICE=$DEV CORDON_TAG="a$$" \
  wrk -t1 -c32 -d"${DUR}s" --latency -s bench/scans.lua http://127.0.0.1:$P_PG1 >"$tmp/w1" &
w1=$!
CORDON_TOKENS=$tmp/tokens.txt CORDON_SCAN_PATH=$SCAN_PATH CORDON_DEVICE=$DEV CORDON_TAG="b$$" \
  wrk -t1 -c32 -d"${DUR}s" --latency -s bench/scans.lua http://127.0.0.1:$P_PG2 >"$tmp/w2" &
w2=$!
wait $w1 $w2
r1=$(awk '/Requests\/sec/ {print $2}' "$tmp/w1"); r2=$(awk '/Requests\/sec/ {print $2}' "$tmp/w2")
q1=$(awk '$1=="99%" {print $2}' "$tmp/w1" | ms); q2=$(awk '$1=="99%" {print $2}' "$tmp/w2" | ms)
printf '%-58s %9s scans/s   p99 %s / %s ms\n' "cordon scans, PostgreSQL durable, two servers (total)" \
  "$(awk -v a="$r1" -v b="$r2" 'BEGIN{printf "%.2f", a+b}')" "$q1" "$q2" >&2
awk -v o="$one" -v a="$r1" -v b="$r2" 'BEGIN { printf "ratio two servers / one (PostgreSQL): %.2f\n", (a + b) / o }'
echo "scans stored on PostgreSQL: $(psql "$PGURL" -Atc 'SELECT COUNT(*) FROM gate_scans')" >&2
stop pg1; stop pg2
for s in pg1 pg2; do echo "$s $(grep -o 'batch: .*' "$tmp/$s.log")" >&2; done
