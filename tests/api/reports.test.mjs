// Daily and zero reporting (日报告、零报告): a town officer files a zero
// report, a replacement keeps the history, a late filing is accepted and
// marked late, the status of a day lists who is missing with the reporting
// rate and timeliness, leaders see the missing reports of the units they are
// assigned to, key units report too, units created midway are expected only
// from their first day, bad input and other areas' units are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql,
} from './lib.mjs';

let srv;
let admin;
let A;
let A1;
let B;
let officerA;
let lead;
const DAY = '2020-02-10';

before(async () => {
  srv = await startServer({ clock: `${DAY}T15:00` });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'RP-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'RP-A1', '甲一社区');
  B = await mkUnit(admin, admin.root.id, 'town', 'RP-B', '乙镇');
  officerA = await userClient(srv, admin, { username: 'off.a', role: 'officer', scope_unit_id: A.id });
  lead = await userClient(srv, admin, { username: 'lead.b', role: 'group_lead', scope_unit_id: admin.root.id });
});

after(async () => {
  await srv?.stop();
});

let zeroReport;

test('a town officer files a zero report in one action; it counts as a report', async () => {
  const res = expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: DAY, zero: true }), 201, 'zero report');
  zeroReport = res.body;
  assert.equal(res.body.zero, true);
  assert.equal(res.body.late, false);
  assert.equal(res.body.version, 1);
  assert.equal(res.body.unit_name, '甲街道');
  assert.equal(res.body.figures.visited_households, 0);
  const st = expectStatus(await admin.get(`/api/v1/reports/status?day=${DAY}`), 200).body;
  assert.equal(st.expected, 2, JSON.stringify(st));
  assert.equal(st.filed, 1);
  assert.equal(st.on_time, 1);
  assert.equal(st.rate, 50);
  assert.deepEqual(st.missing.map((m) => m.name), ['乙镇']);
  assert.equal(st.units.find((u) => u.unit_id === A.id).state, 'on_time');
  assert.equal(st.units.find((u) => u.unit_id === B.id).state, 'missing');
  assert.equal(st.deadline, '16:00');
  assert.equal(st.deadline_passed, false);
});

test('bad input is refused naming the field', async () => {
  const p = (b) => officerA.post('/api/v1/reports', b);
  expectError(await p({ day: DAY, zero: true }), 400, 'invalid', 'unit_id');
  expectError(await p({ unit_id: A.id, zero: true }), 400, 'invalid', 'day');
  expectError(await p({ unit_id: A.id, day: '2020-02-30', zero: true }), 400, 'invalid', 'day');
  expectError(await p({ unit_id: A.id, day: DAY, zero: 'yes' }), 400, 'invalid', 'zero');
  expectError(await p({ unit_id: A.id, day: DAY }), 400, 'invalid', 'figures', 'neither figures nor zero');
  expectError(await p({ unit_id: A.id, day: DAY, figures: { persons_found: 3, bogus: 1 } }), 400, 'invalid', 'figures.bogus');
  expectError(await p({ unit_id: A.id, day: DAY, figures: { persons_found: -1 } }), 400, 'invalid', 'figures.persons_found');
  expectError(await p({ unit_id: A.id, day: DAY, figures: { persons_found: 1.5 } }), 400, 'invalid', 'figures.persons_found');
  expectError(await p({ unit_id: A.id, day: DAY, figures: [1, 2] }), 400, 'invalid', 'figures');
  expectError(await p({ unit_id: A.id, day: DAY, zero: true, figures: { persons_found: 2 } }), 400, 'invalid', 'figures', 'a zero report with figures');
  expectError(await p({ unit_id: A.id, day: '2020-02-11', zero: true }), 422, 'rule', 'day', 'a day not yet come');
  expectError(await officerA.post('/api/v1/reports', '{"unit_id":', { type: 'application/json' }), 400, 'invalid');
  expectError(await p({ unit_id: 999999, day: DAY, zero: true }), 400, 'invalid', 'unit_id');
  // another area's unit: refused, nothing stored
  expectError(await p({ unit_id: B.id, day: DAY, zero: true }), 403, 'forbidden', 'unit_id');
  // a community is no reporting unit until marked a key unit
  expectError(await p({ unit_id: A1.id, day: DAY, zero: true }), 422, 'rule', 'unit_id');
  // a day before the unit existed
  expectError(await p({ unit_id: A.id, day: '2020-02-09', zero: true }), 422, 'rule', 'day');
  const n = await sql(srv.db, `SELECT COUNT(*) FROM daily_reports WHERE unit_id = ${B.id}`);
  assert.equal(n.trim(), '0');
});

test('a second report for the same unit and day replaces the first; the history is kept', async () => {
  const text = '今日走访 12 户。\n发现发热 1 人，已转诊。';
  const res = expectStatus(await officerA.post('/api/v1/reports', {
    unit_id: A.id, day: DAY, figures: { visited_households: 12, persons_found: 30, fever_referrals: 1 }, text,
  }), 200, 'replacement');
  assert.equal(res.body.replaced, true);
  assert.equal(res.body.version, 2);
  assert.equal(res.body.zero, false);
  assert.equal(res.body.text, text);
  assert.equal(res.body.figures.visited_households, 12);
  assert.equal(res.body.first_at, zeroReport.first_at, 'the first filing time is kept');
  const one = expectStatus(await officerA.get(`/api/v1/reports/${res.body.id}`), 200).body;
  assert.equal(one.history.length, 2);
  assert.equal(one.history[0].zero, true);
  assert.ok(one.history[0].replaced_at, 'the old version says when it was replaced');
  const list = expectStatus(await admin.get(`/api/v1/reports?day=${DAY}`), 200).body.items;
  assert.equal(list.length, 1, 'the list shows the current report only');
  assert.equal(list[0].id, res.body.id);
  const st = expectStatus(await admin.get(`/api/v1/reports/status?day=${DAY}`), 200).body;
  assert.equal(st.filed, 1, 'a replacement is still one report');
});

test('leaders see the missing reports of the units they are assigned to', async () => {
  const l = expectStatus(await admin.post('/api/v1/leaders', { name: '王副区长', title: '副区长', phone: '13900001111' }), 201).body;
  expectStatus(await admin.post('/api/v1/assignments', { unit_id: B.id, leader_id: l.id }), 201);
  // the leader signs in with the account whose phone is the leader's
  await sql(srv.db, `UPDATE users SET phone = '13900001111' WHERE username = 'lead.b'`);
  const mine = expectStatus(await lead.get(`/api/v1/reports/status?day=${DAY}&mine=1`), 200).body;
  assert.deepEqual(mine.units.map((u) => u.name), ['乙镇']);
  assert.deepEqual(mine.missing.map((u) => u.name), ['乙镇']);
  const byLeader = expectStatus(await admin.get(`/api/v1/reports/status?day=${DAY}&leader_id=${l.id}`), 200).body;
  assert.deepEqual(byLeader.missing.map((u) => u.unit_id), [B.id]);
  // an officer with no leader record sees nothing under mine=1
  const none = expectStatus(await officerA.get(`/api/v1/reports/status?day=${DAY}&mine=1`), 200).body;
  assert.equal(none.expected, 0);
});

test('a late filing is accepted and marked late; timeliness counts it out', async () => {
  // the deadline moves to 10:00, so 15:00 is past it
  expectStatus(await admin.patch('/api/v1/settings', { report_deadline_minutes: 600 }), 200);
  const res = expectStatus(await admin.post('/api/v1/reports', { unit_id: B.id, day: DAY, figures: { arrivals_other: 4 } }), 201);
  assert.equal(res.body.late, true);
  const st = expectStatus(await admin.get(`/api/v1/reports/status?day=${DAY}`), 200).body;
  assert.equal(st.expected, 2);
  assert.equal(st.filed, 2);
  assert.equal(st.on_time, 1);
  assert.equal(st.late, 1);
  assert.equal(st.rate, 100);
  assert.equal(st.timeliness, 50);
  assert.equal(st.deadline_passed, true);
  assert.deepEqual(st.missing, []);
  // A's on-time first filing stays on time when replaced after the deadline
  const again = expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: DAY, zero: true }), 200);
  assert.equal(again.body.late, false);
  const late = expectStatus(await admin.get(`/api/v1/reports?day=${DAY}&late=1`), 200).body.items;
  assert.deepEqual(late.map((r) => r.unit_id), [B.id]);
  expectStatus(await admin.patch('/api/v1/settings', { report_deadline_minutes: 960 }), 200);
});

test('key units report too; a unit is expected from its first day; a period has rate and timeliness', async () => {
  expectStatus(await admin.post('/api/v1/reports/units', { unit_id: A1.id, key_unit: true }), 200);
  expectError(await officerA.post('/api/v1/reports/units', { unit_id: A1.id, key_unit: true }), 403, 'forbidden', undefined, 'an officer may not mark key units');
  const units = expectStatus(await admin.get('/api/v1/reports/units'), 200).body.items;
  assert.deepEqual(units.map((u) => u.name).sort(), ['乙镇', '甲一社区', '甲街道'].sort());
  expectStatus(await officerA.post('/api/v1/reports', { unit_id: A1.id, day: DAY, zero: true }), 201);
  // A reported from 2020-02-08 (its duty moved back): two more days owed, neither filed
  expectStatus(await admin.post('/api/v1/reports/units', { unit_id: A.id, since_day: '2020-02-08' }), 200);
  expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: '2020-02-09', zero: true }), 201);
  const st = expectStatus(await admin.get('/api/v1/reports/status?from=2020-02-01&to=2020-02-10'), 200).body;
  // A: 3 days (1 missing), A1: 1 day, B: 1 day -> expected 5, filed 4, on time 3 (B late, A's 02-09 filed late)
  assert.equal(st.expected, 5, JSON.stringify(st));
  assert.equal(st.filed, 4);
  assert.equal(st.on_time, 2);
  assert.equal(st.rate, 80);
  assert.equal(st.timeliness, 40);
  const a = st.units.find((u) => u.unit_id === A.id);
  assert.equal(a.expected, 3);
  assert.deepEqual(st.missing.map((m) => [m.name, m.days]), [['甲街道', 1]]);
  // Day by day, for the chart: nothing owed before A's duty began, then A alone, then all three.
  assert.equal(st.days.length, 10);
  assert.deepEqual(st.days.map((d) => [d.day, d.expected, d.filed, d.on_time]).slice(6),
    [['2020-02-07', 0, 0, 0], ['2020-02-08', 1, 0, 0], ['2020-02-09', 1, 1, 0], ['2020-02-10', 3, 3, 2]]);
  assert.deepEqual(st.days.map((d) => d.expected).reduce((a, b) => a + b, 0), st.expected);
  const xl = await admin.get('/api/v1/reports/status?from=2020-02-01&to=2020-02-10&by=day&format=csv');
  expectStatus(xl, 200);
  assert.match(xl.text, /日期/);
  assert.match(xl.text, /2020-02-09/);
  expectError(await admin.get('/api/v1/reports/status?day=2020-02-10&by=week'), 400, 'invalid', 'by');
  expectError(await admin.get('/api/v1/reports/status?from=2020-02-10&to=2020-02-01'), 400, 'invalid', 'to');
  expectError(await admin.get('/api/v1/reports/status?day=2020-13-01'), 400, 'invalid', 'day');
});

test('scope: an officer sees only its area; reports out of scope are not found', async () => {
  const st = expectStatus(await officerA.get(`/api/v1/reports/status?day=${DAY}`), 200).body;
  assert.deepEqual(st.units.map((u) => u.name).sort(), ['甲一社区', '甲街道'].sort());
  const bRep = expectStatus(await admin.get(`/api/v1/reports?unit_id=${B.id}`), 200).body.items[0];
  expectError(await officerA.get(`/api/v1/reports/${bRep.id}`), 404, 'not_found');
  const list = expectStatus(await officerA.get('/api/v1/reports'), 200).body.items;
  assert.ok(list.every((r) => r.unit_id !== B.id));
  expectError(await officerA.get(`/api/v1/reports/prefill?unit_id=${B.id}&day=${DAY}`), 404, 'not_found');
});

test('figures are prefilled from records; lists export', async () => {
  const pf = expectStatus(await officerA.get(`/api/v1/reports/prefill?unit_id=${A.id}&day=${DAY}`), 200).body;
  assert.equal(pf.figures.visited_households, 0);
  assert.ok(pf.from_records.includes('persons_found'));
  const csv = await admin.get(`/api/v1/reports/status?day=${DAY}&format=csv`);
  expectStatus(csv, 200);
  assert.match(csv.text, /报告单位/);
  assert.match(csv.text, /乙镇/);
  const xlsx = await admin.get('/api/v1/reports?format=xlsx', { raw: true });
  expectStatus(xlsx, 200);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
});

/** A resident ID number with its ISO 7064 MOD 11-2 check character. */
function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}

test('isolation orders begun and released that day are prefilled for the unit and its parent', async () => {
  const pf = async (u) => expectStatus(await officerA.get(`/api/v1/reports/prefill?unit_id=${u}&day=${DAY}`), 200).body;
  const before0 = (await pf(A.id)).figures;
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: rid('64010619800101771'), name: '隔离甲', unit_id: A1.id }), 201).body;
  const o = expectStatus(await admin.post('/api/v1/isolations', { person_id: p.id, kind: 'home', reason: 'other', last_exposure_day: '2020-02-09' }), 201).body;
  let f = await pf(A.id);
  assert.ok(f.from_records.includes('isolations_new') && f.from_records.includes('releases'));
  assert.equal(f.figures.isolations_new, before0.isolations_new + 1, 'the community\'s order counts for its sub-district');
  assert.equal(f.figures.releases, before0.releases);
  assert.equal((await pf(A1.id)).figures.isolations_new, 1);
  assert.equal((await expectStatus(await admin.get(`/api/v1/reports/prefill?unit_id=${B.id}&day=${DAY}`), 200)).body.figures.isolations_new, 0, 'not the other town');
  expectStatus(await admin.post(`/api/v1/isolations/${o.id}/release`, { outcome: 'lifted', reason: '误报，已排除' }), 200);
  f = await pf(A.id);
  assert.equal(f.figures.releases, before0.releases + 1);
  assert.equal(f.figures.isolations_new, before0.isolations_new + 1, 'a released order still began that day');
});

test('a retried filing with the same client id stores one report', async () => {
  const key = 'rp-retry-1';
  const a = expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: '2020-02-08', zero: true }, { headers: { 'Idempotency-Key': key } }), 201);
  const b = expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: '2020-02-08', zero: true }, { headers: { 'Idempotency-Key': key } }), 201);
  assert.equal(a.body.id, b.body.id);
  const n = await sql(srv.db, `SELECT COUNT(*) FROM daily_reports WHERE unit_id = ${A.id} AND day = '2020-02-08'`);
  assert.equal(n.trim(), '1');
});
