#!/usr/bin/env bash
# bench/backends: the same requests on SQLite and on PostgreSQL (durable:
# fsync and synchronous_commit on, like SQLite's synchronous=FULL), measured
# in one run with wrk -t2 -c64: an authenticated read of one unit, a list
# page, and writes (creating units: validation, scope, transaction, audit
# row); then the writes spread over two cordon servers on one PostgreSQL
# against one server. Usage: bench/backends.sh [SECONDS]  (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
command -v wrk >/dev/null || { echo "wrk missing: run scripts/deps.sh" >&2; exit 1; }
tmp=$(mktemp -d /tmp/cordon-bench-XXXXXX)
pgdir=/tmp/cordon-bench-pg-$$
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

base=$(PG_DURABLE=1 scripts/pg.sh start "$pgdir")
psql "$base" -qc "CREATE DATABASE bench" >/dev/null
PGURL="postgresql:///bench?host=$pgdir&user=postgres"
build/cordon demo --db "$tmp/demo.db" --no-serve >/dev/null 2>&1
build/cordon copy --from "$tmp/demo.db" --to "$PGURL" >/dev/null 2>&1

serve() { # name port args...
  local name=$1 port=$2; shift 2
  build/cordon serve --listen 127.0.0.1:$port --quiet "$@" 2>"$tmp/$name.log" &
  for _ in $(seq 100); do grep -q listening "$tmp/$name.log" 2>/dev/null && return; sleep 0.1; done
  echo "$name did not start" >&2; cat "$tmp/$name.log" >&2; exit 1
}
serve sqlite 18971 --db "$tmp/demo.db"
serve pg1 18972 --pg "$PGURL"
serve pg2 18973 --pg "$PGURL"

signin() { # port -> "cookie csrf"
  local out cookie csrf
  out=$(curl -s -c "$tmp/jar$1" -X POST "http://127.0.0.1:$1/api/v1/session" \
    -d '{"username":"admin","password":"demo2020"}')
  cookie=$(awk '/cordon_session/ {print $7}' "$tmp/jar$1")
  csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' <<<"$out")
  echo "$cookie $csrf"
}
read -r ck_s cs_s < <(signin 18971)
read -r ck_p cs_p < <(signin 18972)
read -r ck_p2 cs_p2 < <(signin 18973)
unit=$(sqlite3 "$tmp/demo.db" "SELECT id FROM units WHERE kind='compound' ORDER BY id LIMIT 1")
parent=$(sqlite3 "$tmp/demo.db" "SELECT id FROM units WHERE kind='subdistrict' ORDER BY id LIMIT 1")

rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1=="99%" {print $2}'; }
line() { printf '%-58s %10s req/s   p99 %s\n' "$1" "$2" "$3"; }
get() { # name port cookie path
  local out
  out=$(wrk -t2 -c64 -d"${DUR}s" --latency -H "Cookie: cordon_session=$3" "http://127.0.0.1:$2$4")
  grep -q Non-2xx <<<"$out" && { echo "$1: non-2xx answers" >&2; grep Non-2xx <<<"$out" >&2; }
  line "$1" "$(rps <<<"$out")" "$(p99 <<<"$out")"
}
write() { # name port cookie csrf tag threads conns
  local out
  out=$(CORDON_COOKIE="cordon_session=$3" CORDON_CSRF=$4 CORDON_PARENT=$unit CORDON_TAG=$5 \
    wrk -t"$6" -c"$7" -d"${DUR}s" --latency -s bench/write.lua "http://127.0.0.1:$2/")
  grep -q Non-2xx <<<"$out" && { echo "writes on $2: non-2xx answers" >&2; grep Non-2xx <<<"$out" >&2; }
  echo "$out"
}

echo "bench/backends: wrk ${DUR}s per line, $(nproc) cores; PostgreSQL $(psql "$base" -Atc 'show server_version') durable"
get "SQLite      GET /api/v1/units/$unit" 18971 "$ck_s" "/api/v1/units/$unit"
get "PostgreSQL  GET /api/v1/units/$unit" 18972 "$ck_p" "/api/v1/units/$unit"
get "SQLite      GET /api/v1/units?parent=$parent&limit=50" 18971 "$ck_s" "/api/v1/units?parent=$parent&limit=50"
get "PostgreSQL  GET /api/v1/units?parent=$parent&limit=50" 18972 "$ck_p" "/api/v1/units?parent=$parent&limit=50"
out=$(write x 18971 "$ck_s" "$cs_s" s 2 64)
line "SQLite      POST /api/v1/units (one server)" "$(rps <<<"$out")" "$(p99 <<<"$out")"
out=$(write x 18972 "$ck_p" "$cs_p" p 2 64)
line "PostgreSQL  POST /api/v1/units (one server)" "$(rps <<<"$out")" "$(p99 <<<"$out")"
# Two servers, one database: half the clients on each, at once.
write x 18972 "$ck_p" "$cs_p" a 1 32 >"$tmp/w1" & w1=$!
write x 18973 "$ck_p2" "$cs_p2" b 1 32 >"$tmp/w2" & w2=$!
wait $w1 $w2
r1=$(rps <"$tmp/w1"); r2=$(rps <"$tmp/w2")
line "PostgreSQL  POST /api/v1/units (two servers, total)" "$(awk -v a="$r1" -v b="$r2" 'BEGIN{printf "%.2f", a+b}')" "$(p99 <"$tmp/w1") / $(p99 <"$tmp/w2")"
echo "rows written: SQLite $(sqlite3 "$tmp/demo.db" "SELECT COUNT(*) FROM units WHERE kind='building' AND code LIKE 's-%'") (buildings under compound $unit), PostgreSQL $(psql "$PGURL" -Atc "SELECT COUNT(*) FROM units WHERE kind='building' AND code ~ '^[pab]-'")"
