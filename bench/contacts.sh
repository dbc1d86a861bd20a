#!/usr/bin/env bash
# bench/contacts: issue 12's closing figure. A case whose person was scanned
# at 20 gates over its contact window (20 windows of ±30 minutes) among
# SCANS (10,000,000) generated gate scans over 200 gates and the 60 days
# before now: GET /api/v1/cases/{id}/contact-candidates through the API (the
# household, gate, vehicle, train and place queries, each candidate's name,
# unit, scope and decision, the JSON), median of R (20) requests one after
# another, each timed to the answer's last byte (parsed_ms: with the
# client's JSON.parse too), beside the raw query of the same windows
# straight on the same database in the same run (SQLite:
# bench/contacts_raw.c, the query contacts.c runs for the gate reasons,
# every row stepped and read; target: the API within 2x of it). With PG=1 the same on a durable PostgreSQL
# (the raw query through psql, \timing).
# Usage: bench/contacts.sh [SCANS]  env: R (20), GATES (200), DAYS (60),
#   PG=1 (PG_SCANS, default SCANS), SQLITE=0 (PostgreSQL only), NO_BUILD=1,
#   KEEP=1 (keep the databases to look into; PostgreSQL left running).
# On 2 shared cores each backend takes 3-4 minutes with 10,000,000 scans:
#   bench/contacts.sh; SQLITE=0 PG=1 bench/contacts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCANS=${1:-10000000}
R=${R:-20}
GATES=${GATES:-200}
DAYS=${DAYS:-60}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
mkdir -p build/bench
cc -O2 -o build/bench/contacts_raw bench/contacts_raw.c $(pkg-config --cflags --libs sqlite3)
tmp=$(mktemp -d "$PWD/build/bench/contacts.XXXXXX")
pgdir=/tmp/cordon-contacts-pg-$$
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then
    echo "kept $tmp${PG:+ and PostgreSQL in $pgdir (scripts/pg.sh stop $pgdir)}" >&2
  else
    [ -z "${PG:-}" ] || scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
PW=bench-admin-pass
echo "$PW" >"$tmp/pw"
wait_listen() { for _ in $(seq 300); do grep -q listening "$1" 2>/dev/null && return; sleep 0.1; done; echo "no server: $(cat "$1")" >&2; exit 1; }
field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
echo "bench/contacts: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# ---- SQLite ----
if [ "${SQLITE:-1}" != 0 ]; then
build/cordon init --db "$tmp/c.db" --admin-password-file "$tmp/pw" >/dev/null 2>&1
build/cordon serve --db "$tmp/c.db" --listen 127.0.0.1:18981 --quiet 2>"$tmp/s.log" &
spid=$!
wait_listen "$tmp/s.log"
t0=$(date +%s)
node bench/contacts.mjs setup http://127.0.0.1:18981 "$PW" sqlite "$tmp/c.db" "$SCANS" "$GATES" "$DAYS" "$tmp"
n=$(sqlite3 "$tmp/c.db" 'SELECT COUNT(*) FROM gate_scans')
echo "SQLite: $n gate scans over $GATES gates and $DAYS days, made in $(( $(date +%s) - t0 )) s" >&2
read -r from to w <"$tmp/window.txt"
api=$(node bench/contacts.mjs api http://127.0.0.1:18981 "$PW" "$(cat "$tmp/case.txt")" "$R")
raw=$(build/bench/contacts_raw "$tmp/c.db" "$(cat "$tmp/person.txt")" "$from" "$to" "$w" "$R")
echo "  API  GET /cases/{id}/contact-candidates: $api" >&2
echo "  raw  gate query, same windows (sqlite3):  $raw" >&2
awk -v a="$(field median_ms <<<"$api")" -v b="$(field median_ms <<<"$raw")" \
  'BEGIN { printf "SQLite ratio API / raw query (median): %.2f\n", a / b }'
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
[ -z "${PG:-}" ] || rm -f "$tmp/c.db"*
fi

# ---- PostgreSQL ----
if [ -n "${PG:-}" ]; then
  base=$(PG_DURABLE=1 scripts/pg.sh start "$pgdir")
  psql "$base" -qXc "CREATE DATABASE bench" >/dev/null
  URL="postgresql:///bench?host=$pgdir&user=postgres"
  build/cordon init --pg "$URL" --admin-password-file "$tmp/pw" >/dev/null 2>&1
  build/cordon serve --pg "$URL" --listen 127.0.0.1:18982 --quiet 2>"$tmp/p.log" &
  wait_listen "$tmp/p.log"
  t0=$(date +%s)
  node bench/contacts.mjs setup http://127.0.0.1:18982 "$PW" pg "$URL" "${PG_SCANS:-$SCANS}" "$GATES" "$DAYS" "$tmp"
  n=$(psql "$URL" -qXAtc 'SELECT COUNT(*) FROM gate_scans')
  echo "PostgreSQL: $n gate scans, made in $(( $(date +%s) - t0 )) s" >&2
  read -r from to w <"$tmp/window.txt"
  person=$(cat "$tmp/person.txt")
  api=$(node bench/contacts.mjs api http://127.0.0.1:18982 "$PW" "$(cat "$tmp/case.txt")" "$R")
  # The same query through psql, R + 1 times (the first a warm-up); \timing
  # reports each statement's time including the round trip on the socket.
  # The session is set as cordon sets its connections (db_pg.c: no JIT, no
  # parallel workers), so both sides run the same plan.
  q="SELECT o.person_id, u.name || ' ' || g.name, CASE WHEN o.at < s.at THEN o.at ELSE s.at END,
    CASE WHEN o.at > s.at THEN o.at ELSE s.at END FROM gate_scans s JOIN gate_scans o ON o.gate_id = s.gate_id + 0
    AND o.at >= s.at - $w AND o.at <= s.at + $w JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = g.unit_id
    WHERE s.person_id = $person AND s.at >= $from AND s.at < $to AND o.person_id IS NOT NULL
    AND o.person_id <> $person ORDER BY s.at, o.at;"
  rows=$(psql "$URL" -qXAtc "SELECT COUNT(*) FROM (${q%;}) x")
  times=$( { echo 'SET jit = off; SET max_parallel_workers_per_gather = 0;'; echo '\timing on'; echo '\o /dev/null'; for _ in $(seq $((R + 1))); do echo "$q"; done; } \
    | psql "$URL" -qX 2>&1 | awk '/^Time:/ { print $2 }' | tail -n +2 | sort -n)
  m=$(wc -l <<<"$times")
  raw="rows $rows median_ms $(sed -n "$((m / 2 + 1))p" <<<"$times") p90_ms $(sed -n "$((m * 9 / 10 + 1))p" <<<"$times")"
  echo "  API  GET /cases/{id}/contact-candidates: $api" >&2
  echo "  raw  gate query, same windows (psql):     $raw" >&2
  awk -v a="$(field median_ms <<<"$api")" -v b="$(field median_ms <<<"$raw")" \
    'BEGIN { printf "PostgreSQL ratio API / raw query (median): %.2f\n", a / b }'
fi
