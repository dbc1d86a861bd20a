#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks.
#   scripts/pg.sh start DIR      initdb in DIR, start the server on a unix socket
#                                in DIR (no TCP), print the base URL
#                                postgresql:///postgres?host=DIR&user=postgres
#   scripts/pg.sh stop DIR       stop it and remove DIR
#   scripts/pg.sh with CMD ...   start one in a fresh temporary directory, run
#                                CMD with CORDON_TEST_PG=<base URL> in its
#                                environment, always stop the server (also on
#                                Ctrl-C), exit with CMD's status
# As root, the server runs as the postgres user (initdb refuses root). Make
# databases with: psql "<base URL>" -c 'CREATE DATABASE name'.
set -euo pipefail
usage() { echo "usage: pg.sh start DIR | stop DIR | with CMD [ARGS...]" >&2; exit 2; }
cmd=${1:-}
[ -n "$cmd" ] || usage
shift

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
need_bin() {
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || {
    echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql, or scripts/deps.sh)" >&2
    exit 1
  }
}
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir=$1
  need_bin
  mkdir -p "$dir"
  # The socket path (DIR/.s.PGSQL.5432) must fit in sun_path (107 bytes).
  if [ $(( ${#dir} + 16 )) -gt 107 ]; then
    echo "pg.sh: $dir is too long a path for a unix socket; use a shorter one" >&2
    exit 1
  fi
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    # the postgres user must be able to reach DIR
    runuser -u postgres -- test -x "$dir" || {
      echo "pg.sh: the postgres user cannot enter $dir; use a directory under /tmp" >&2
      exit 1
    }
  fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # $durability: off for tests, on for benchmarks (PG_DURABLE=1).
  # max_connections covers several servers' pools at once.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses='' -c port=5432 $durability -c max_connections=400 -c shared_buffers=64MB -c log_checkpoints=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir&user=postgres"
}

stop() {
  local dir=$1
  if [ -d "$dir/data" ] && [ -n "$bin" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

# Tests run without durability (fast; the code paths are the same);
# benchmarks set PG_DURABLE=1 to compare with SQLite at synchronous=FULL.
if [ "${PG_DURABLE:-0}" = 1 ]; then durability="-c fsync=on -c synchronous_commit=on"
else durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
case "$cmd" in
start) start "${1:?usage: pg.sh start DIR}" ;;
stop) stop "${1:?usage: pg.sh stop DIR}" ;;
with)
  [ $# -gt 0 ] || usage
  need_bin
  # /tmp, not $TMPDIR: the postgres user must reach it and the socket path
  # must stay short.
  dir=$(mktemp -d /tmp/cordon-pg.XXXXXX)
  trap 'stop "$dir"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  url=$(start "$dir")
  echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $url" >&2
  rc=0
  CORDON_TEST_PG=$url "$@" || rc=$?
  if [ "$rc" != 0 ] && [ -n "${CORDON_PG_LOG:-}" ]; then
    # unique violations are how racing inserts lose; the rest may matter
    echo "--- PostgreSQL server log: errors other than unique violations (last 40) ---" >&2
    grep -E 'ERROR|FATAL|PANIC' "$dir/server.log" | grep -v 'duplicate key value' | tail -n 40 >&2 || true
  fi
  exit "$rc"
  ;;
*) usage ;;
esac
