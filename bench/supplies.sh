#!/usr/bin/env bash
# bench/supplies: the warehouse's reads and its hot write, on SQLite.
# 1. A ledger of 1,000,000 entries (13 items in 2 warehouses, the summaries
#    and running balances consistent with it: GET /stock/check says so) and
#    a queue of 1,000 open requests among 5,000: p50/p99 of GET /api/v1/stock
#    (on hand for all items) and GET /api/v1/supply-requests?status=open (the
#    queue's first page, front line first), against GET /healthz measured the
#    same way (what the client and HTTP cost).
# 2. Approvals per second on one hot item: 1,000 units, 16 clients each
#    approving its own requests of 1 unit as fast as it can (2,000 requests):
#    exactly 1,000 succeed, every other is 422, on hand ends at 0, none below.
# Usage: bench/supplies.sh [N [C]]   (N requests per read at concurrency C)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
C=${2:-8}
[ -n "${NO_BUILD:-}" ] || make -s build/cordon
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
DB=$tmp/bench.db
printf 'bench-password-1\n' >"$tmp/pw"
build/cordon init --db "$DB" --admin-password-file "$tmp/pw" >/dev/null 2>&1
t0=$(date +%s.%N)
sqlite3 "$DB" <<'SQL'
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO units(parent_id, kind, code, name, created_at, updated_at)
  SELECT id, 'town', 'B-T', '基准镇', 0, 0 FROM units WHERE parent_id IS NULL;
INSERT INTO unit_tree(ancestor_id, unit_id, depth) SELECT (SELECT MIN(id) FROM units), id, 1 FROM units WHERE code = 'B-T';
INSERT INTO unit_tree(ancestor_id, unit_id, depth) SELECT id, id, 0 FROM units WHERE code = 'B-T';
INSERT INTO units(parent_id, kind, code, name, created_at, updated_at)
  SELECT id, 'community', 'B-C', '基准社区', 0, 0 FROM units WHERE code = 'B-T';
INSERT INTO unit_tree(ancestor_id, unit_id, depth)
  SELECT t.ancestor_id, c.id, t.depth + 1 FROM units c JOIN unit_tree t ON t.unit_id = c.parent_id WHERE c.code = 'B-C';
INSERT INTO unit_tree(ancestor_id, unit_id, depth) SELECT id, id, 0 FROM units WHERE code = 'B-C';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 13)
INSERT INTO items(unit_id, name, unit, spec, low_stock, created_at)
  SELECT (SELECT MIN(id) FROM units), '基准物资' || i, '件', '', 100, 0 FROM n;
INSERT INTO warehouses(unit_id, name, created_at) SELECT MIN(id), '区库', 0 FROM units;
INSERT INTO warehouses(unit_id, name, created_at) SELECT id, '镇库', 0 FROM units WHERE code = 'B-T';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO stock_ledger(warehouse_id, item_id, lot_id, unit_id, kind, quantity, balance, at, source, created_at)
  SELECT w.id, it.id, 0, w.unit_id, 'receipt', 1,
         ROW_NUMBER() OVER (PARTITION BY w.id, it.id ORDER BY n.i), 1580000000 + n.i, 'purchase', 0
  FROM n JOIN warehouses w ON w.id = 1 + (n.i % 2) JOIN items it ON it.id = 1 + (n.i / 2) % 13
  ORDER BY n.i;
INSERT INTO stock_on_hand(warehouse_id, item_id, quantity)
  SELECT warehouse_id, item_id, SUM(quantity) FROM stock_ledger GROUP BY warehouse_id, item_id;
INSERT INTO stock_lots(warehouse_id, item_id, lot_id, quantity)
  SELECT warehouse_id, item_id, 0, SUM(quantity) FROM stock_ledger GROUP BY warehouse_id, item_id;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO supply_requests(unit_id, kind, priority, requester, status, open, created_at)
  SELECT (SELECT id FROM units WHERE code = 'B-C'),
         CASE i % 5 WHEN 0 THEN 'epidemic_point' WHEN 1 THEN 'isolation_site' WHEN 2 THEN 'checkpoint' WHEN 3 THEN 'medical_team' ELSE 'community' END,
         CASE i % 5 WHEN 0 THEN 1 WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3 ELSE 4 END,
         '基准点位' || i, CASE WHEN i % 5 = 4 OR i <= 1000 THEN 'open' ELSE 'done' END,
         CASE WHEN i <= 1000 THEN 1 ELSE 0 END, 1580000000 + i FROM n;
UPDATE supply_requests SET status = 'done' WHERE open = 0;
INSERT INTO supply_request_lines(request_id, item_id, quantity, issued)
  SELECT r.id, it.id, 10, CASE WHEN r.open = 1 THEN 0 ELSE 10 END FROM supply_requests r JOIN items it ON it.id <= 2;
COMMIT;
SQL
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "data: 1,000,000 ledger entries, 5,000 requests (1,000 open) in %.1f s\n", b - a }'
PORT=${PORT:-$((20000 + RANDOM % 20000))}
build/cordon serve --db "$DB" --listen 127.0.0.1:$PORT --quiet 2>"$tmp/serve.log" &
for _ in $(seq 100); do grep -q listening "$tmp/serve.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$tmp/serve.log" || { cat "$tmp/serve.log" >&2; exit 1; }
node bench/supplies.mjs "http://127.0.0.1:$PORT" "$N" "$C" bench-password-1
