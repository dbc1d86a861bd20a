// The monitoring page's missed-check figure after both windows have closed
// (the server runs on 2020-02-15 23:30 local): counted as the orders owing a
// check less those whose day shows it done, it must agree with the
// missed-check list, order by order, and leave out orders not yet under way
// or already closed that day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, expectStatus, sql, show } from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 100;
const newId = () => rid(`64010619820303${String(seq++).padStart(3, '0')}`);

// The rows above are written as the writes leave them, counts included:
// the counts the figures read (023_isolation_counts.sql) made anew.
const RECOUNT = `DELETE FROM isolation_counts;
INSERT INTO isolation_counts(unit_id, kind, planned_end_day, n, gaps)
  SELECT i.unit_id, i.kind, i.planned_end_day, COUNT(*),
    SUM(CASE WHEN (SELECT COUNT(*) FROM isolation_carers ic WHERE ic.isolation_id = i.id) < 4 THEN 1 ELSE 0 END)
  FROM isolations i WHERE i.status = 'active' GROUP BY i.unit_id, i.kind, i.planned_end_day;
DELETE FROM check_day_counts;
INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)
  SELECT i.unit_id, cd.day, SUM(CASE WHEN cd.morning <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN cd.evening <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN cd.morning <> 0 AND cd.evening <> 0 THEN 1 ELSE 0 END)
  FROM check_days cd JOIN isolations i ON i.id = cd.isolation_id
  WHERE i.end_day IS NULL OR i.end_day > cd.day GROUP BY i.unit_id, cd.day;`;

let srv; let admin; let S;
const O = {};

before(async () => {
  srv = await startServer({ clock: '2020-02-15T23:30' });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'MM-S', '漏检街道');
  const C = await mkUnit(admin, S.id, 'community', 'MM-C', '漏检社区');
  const K = await mkUnit(admin, C.id, 'compound', 'MM-K', '漏检小区');
  for (const n of ['both', 'morning', 'none', 'evening', 'late', 'released']) {
    const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name: `漏检${n}`, unit_id: K.id }), 201, n).body;
    O[n] = expectStatus(await admin.post('/api/v1/isolations', {
      person_id: p.id, kind: 'home', reason: 'general_contact', last_exposure_day: '2020-02-10',
    }), 201, `order ${n}`).body;
  }
  // Made two days ago, except 'late' (made today at 23:00: it owed no check yet).
  await sql(srv.db, `UPDATE isolations SET created_at = created_at - 2 * 86400, start_day = '2020-02-13' WHERE id <> ${O.late.id}`);
  await sql(srv.db, `UPDATE isolations SET created_at = created_at - 1800 WHERE id = ${O.late.id}`);
  // The day's checks as the check writes leave them.
  for (const [n, m, e] of [['both', 1, 1], ['morning', 1, 0], ['evening', 0, 1]]) {
    await sql(srv.db, `INSERT INTO check_days(isolation_id, day, morning, evening, checks) VALUES (${O[n].id}, '2020-02-15', ${m}, ${e}, ${m + e})`);
  }
  // Closed yesterday: owes nothing today.
  await sql(srv.db, `UPDATE isolations SET status = 'released', end_day = '2020-02-14' WHERE id = ${O.released.id}`);
  await sql(srv.db, RECOUNT);
});

after(async () => { await srv?.stop(); });

test('after the evening window the figure counts each order owing a check once, as the list does', async () => {
  const s = expectStatus(await admin.get(`/api/v1/isolation-summary?unit_id=${S.id}`), 200, 'summary').body;
  const list = expectStatus(await admin.get(`/api/v1/isolations/missed-checks?day=2020-02-15&unit_id=${S.id}&limit=100`), 200, 'list').body.items;
  const ids = list.map((o) => o.id).sort((a, b) => a - b);
  assert.deepEqual(ids, [O.morning.id, O.none.id, O.evening.id].sort((a, b) => a - b), show({ status: 200, body: list }));
  assert.equal(s.missed_checks, 3, show({ status: 200, body: s }));
  assert.equal(s.active.total, 5, 'released is not active');
});

test('releases due: orders whose end has come, less those held by a recent symptom or an open alert, as the list has them', async () => {
  const S2 = await mkUnit(admin, admin.root.id, 'subdistrict', 'MM-S2', '解除街道');
  const C2 = await mkUnit(admin, S2.id, 'community', 'MM-C2', '解除社区');
  const K2 = await mkUnit(admin, C2.id, 'compound', 'MM-K2', '解除小区');
  const R = {};
  for (const n of ['done', 'done2', 'symptom', 'alert', 'notyet']) {
    const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name: `解除${n}`, unit_id: K2.id }), 201, n).body;
    R[n] = expectStatus(await admin.post('/api/v1/isolations', {
      person_id: p.id, kind: 'home', reason: 'general_contact',
      last_exposure_day: n === 'notyet' ? '2020-02-10' : '2020-02-01',
    }), 201, `order ${n}`).body;
  }
  // A cough yesterday holds 'symptom'; a fever today opens an alert on 'alert'.
  await sql(srv.db, `INSERT INTO check_days(isolation_id, day, morning, evening, checks, symptomatic) VALUES (${R.symptom.id}, '2020-02-14', 1, 1, 2, 1)`);
  await sql(srv.db, RECOUNT);
  const f = expectStatus(await admin.post(`/api/v1/isolations/${R.alert.id}/checks`, { temperature: 38.6, client_id: `mm-due-${process.pid}` }), 201, 'fever').body;
  assert.ok(f.alert_id, 'the fever raised an alert');
  const s = expectStatus(await admin.get(`/api/v1/isolation-summary?unit_id=${S2.id}`), 200, 'summary').body;
  const list = expectStatus(await admin.get(`/api/v1/isolations/release-due?unit_id=${S2.id}&limit=100`), 200, 'due list').body.items;
  assert.deepEqual(list.map((o) => o.id).sort((a, b) => a - b), [R.done.id, R.done2.id].sort((a, b) => a - b), show({ status: 200, body: list }));
  assert.equal(s.releases_due, 2, show({ status: 200, body: s }));
});
