// Setup for bench/isolation.sh: through the API, a sub-district with a
// compound, a device token (role officer) and one order; then, in SQL (the
// records the API would write, only faster), N persons under active
// isolation orders in 50 compounds with DAYS days of twice-daily checks and
// their day summaries (about 4 % missed), as of the server's clock, and the
// counts the writes keep beside them.
// Usage: node bench/isolation_setup.mjs BASE PASSWORD DB N DAYS OUTDIR
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [base, pw, db, N, DAYS, out] = process.argv.slice(2);
let cookie = '';
let csrf = '';
async function call(method, p, body) {
  const res = await fetch(base + p, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  if (!cookie) cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return text ? JSON.parse(text) : null;
}
const login = await call('POST', '/api/v1/session', { username: 'admin', password: pw });
csrf = login.csrf_token;
const me = await call('GET', '/api/v1/me');
const s = await call('POST', '/api/v1/units', { parent_id: me.scope_unit.id, kind: 'subdistrict', code: 'B-S', name: '压测街道' });
const dev = await call('POST', '/api/v1/devices', { name: '压测包保平板', role: 'officer', scope_unit_id: s.id });
const sqlText = `
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO units(parent_id, kind, code, name, created_at, updated_at)
SELECT ${s.id}, 'compound', 'B-K' || i, '压测小区' || i, 0, 0 FROM n;
INSERT INTO unit_tree(ancestor_id, unit_id, depth)
SELECT t.ancestor_id, u.id, t.depth + 1 FROM units u JOIN unit_tree t ON t.unit_id = ${s.id} WHERE u.code LIKE 'B-K%';
INSERT INTO unit_tree(ancestor_id, unit_id, depth) SELECT id, id, 0 FROM units WHERE code LIKE 'B-K%';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
INSERT INTO persons(unit_id, doc_type, doc_number, doc_last4, name, source, created_at, updated_at)
SELECT (SELECT id FROM units WHERE code = 'B-K' || (1 + i % 50)), 'passport', 'BENCH' || i, substr('0000' || i, -4), '压测' || i, 'manual', 0, 0 FROM n;
INSERT INTO isolations(person_id, unit_id, kind, reason, status, last_exposure_day, start_day, planned_end_day,
  advised_kind, source, created_at, updated_at)
SELECT id, unit_id, CASE WHEN id % 3 = 0 THEN 'centralized' ELSE 'home' END, 'arrival', 'active',
  date('now', '+8 hours', '-${DAYS} days'), date('now', '+8 hours', '-${DAYS} days'), date('now', '+8 hours', '+1 days'),
  'home', 'bench', strftime('%s', 'now') - ${DAYS} * 86400 - 3600, 0 FROM persons WHERE doc_number LIKE 'BENCH%';
WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < ${DAYS})
INSERT INTO check_days(isolation_id, day, morning, evening, checks, max_temp, symptomatic)
SELECT i.id, date('now', '+8 hours', '-' || d.k || ' days'), (i.id + d.k) % 25 <> 0, (i.id * 7 + d.k) % 25 <> 0, 2, 365, 0
FROM isolations i, d WHERE i.source = 'bench';
WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < ${DAYS}), s(slot, h) AS (VALUES ('morning', 8), ('evening', 19))
INSERT INTO health_checks(isolation_id, person_id, at, day, slot, temperature, symptoms, by_kind, created_at)
SELECT i.id, i.person_id, strftime('%s', 'now') - d.k * 86400, date('now', '+8 hours', '-' || d.k || ' days'), s.slot, 360 + i.id % 10, '', 'self', 0
FROM isolations i, d, s WHERE i.source = 'bench';
-- The counts the order and check writes keep (023_isolation_counts.sql).
DELETE FROM isolation_counts;
INSERT INTO isolation_counts(unit_id, kind, planned_end_day, n, gaps)
  SELECT i.unit_id, i.kind, i.planned_end_day, COUNT(*),
    SUM(CASE WHEN (SELECT COUNT(*) FROM isolation_carers ic WHERE ic.isolation_id = i.id) < 4 THEN 1 ELSE 0 END)
  FROM isolations i WHERE i.status = 'active' GROUP BY i.unit_id, i.kind, i.planned_end_day;
DELETE FROM check_day_counts;
INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)
  SELECT i.unit_id, cd.day, SUM(CASE WHEN cd.morning <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN cd.evening <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN cd.morning <> 0 AND cd.evening <> 0 THEN 1 ELSE 0 END)
  FROM check_days cd JOIN isolations i ON i.id = cd.isolation_id
  WHERE i.end_day IS NULL OR i.end_day > cd.day GROUP BY i.unit_id, cd.day;
COMMIT;
ANALYZE;
`;
execFileSync('sqlite3', ['-cmd', '.timeout 30000', db], { input: sqlText, maxBuffer: 1 << 26 });
const ids = execFileSync('sqlite3', [db, "SELECT id FROM isolations WHERE source = 'bench' ORDER BY id"]).toString().trim().split('\n');
await fs.writeFile(path.join(out, 'orders.txt'), ids.join('\n') + '\n');
await fs.writeFile(path.join(out, 'device.txt'), dev.token);
await fs.writeFile(path.join(out, 'unit.txt'), String(s.id));
