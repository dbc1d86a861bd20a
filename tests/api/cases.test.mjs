// Cases (病例): reported with a status, moved through dated transitions
// (illegal ones are 422 naming both states), listed and exported within
// scope, and the bulletin's figures for any day computed from the history:
// before the first case, on the day of a new one, after a cure and a death,
// and the run of days without a new confirmed case. The server runs on a
// fixed clock (2020-02-15), so "today" is the bulletin's day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, unzipEntry,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 500;
const newId = () => rid(`64010619750203${String(seq++).padStart(3, '0')}`);

let srv; let admin; let A; let B; let KA; let KB; let officerB;
const P = {};
async function person(nick, name, unit) {
  const res = await admin.post('/api/v1/persons', { doc_number: newId(), name, unit_id: unit.id });
  P[nick] = expectStatus(res, 201, `person ${nick}`).body;
  return P[nick];
}

before(async () => {
  srv = await startServer({ clock: '2020-02-15T09:00' });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'CS-A', '病例甲街道');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'CS-B', '病例乙街道');
  const CA = await mkUnit(admin, A.id, 'community', 'CS-CA', '甲社区');
  const CB = await mkUnit(admin, B.id, 'community', 'CS-CB', '乙社区');
  KA = await mkUnit(admin, CA.id, 'compound', 'CS-KA', '甲小区');
  KB = await mkUnit(admin, CB.id, 'compound', 'CS-KB', '乙小区');
  for (const [n, name, u] of [['a', '王一', KA], ['b', '李二', KA], ['c', '张三', KB], ['d', '赵四', KA], ['e', '钱五', KB]]) {
    await person(n, name, u);
  }
  officerB = await userClient(srv, admin, { role: 'officer', scope_unit_id: B.id });
});
after(async () => { await srv?.stop(); });

test('figures before the first case count since the start of records', async () => {
  const f = expectStatus(await admin.get('/api/v1/cases/figures?day=2020-02-15'), 200, 'figures').body;
  assert.equal(f.confirmed_total, 0);
  assert.equal(f.since_records_start, true);
  assert.equal(f.last_confirmed_day, null);
});

test('a case is reported with a status, once per person', async () => {
  const res = await admin.post('/api/v1/cases', {
    person_id: P.a.id, status: 'confirmed', onset_day: '2020-01-20', report_day: '2020-01-23', severity: 'mild',
    hospital: '自治区第四人民医院', found_by: 'fever_clinic',
  });
  const k = expectStatus(res, 201, 'case a').body;
  assert.ok(k.id > 0);
  assert.equal(k.status, 'confirmed');
  assert.equal(k.confirmed_day, '2020-01-23');
  assert.equal(k.person_name, '王一');
  assert.equal(k.unit_id, KA.id);
  assert.match(k.doc_number, /\*/, 'ID number masked');
  assert.equal(k.history.length, 1);
  assert.equal(k.history[0].status, 'confirmed');
  assert.equal(k.history[0].day, '2020-01-23');
  assert.equal(k.history[0].by_name !== null, true, 'who reported it');
  P.a.case = k;
  expectError(await admin.post('/api/v1/cases', { person_id: P.a.id, status: 'suspected', report_day: '2020-01-25' }),
    409, 'conflict', 'person_id', 'second case for a person');
});

test('bad input names the field', async () => {
  const base = { person_id: P.b.id, status: 'suspected', report_day: '2020-01-25' };
  expectError(await admin.post('/api/v1/cases', { ...base, status: 'sick' }), 400, 'invalid', 'status');
  expectError(await admin.post('/api/v1/cases', { ...base, status: 'cured' }), 422, 'rule', 'status', 'reported cured');
  expectError(await admin.post('/api/v1/cases', { ...base, report_day: '2020-02-30' }), 400, 'invalid', 'report_day');
  expectError(await admin.post('/api/v1/cases', { ...base, report_day: '2020-02-16' }), 400, 'invalid', 'report_day', 'after today');
  expectError(await admin.post('/api/v1/cases', { ...base, onset_day: '2020-01-26' }), 400, 'invalid', 'onset_day', 'onset after report');
  expectError(await admin.post('/api/v1/cases', { ...base, severity: 'grave' }), 400, 'invalid', 'severity');
  expectError(await admin.post('/api/v1/cases', { ...base, person_id: 999999 }), 400, 'invalid', 'person_id');
  expectError(await admin.post('/api/v1/cases', { ...base, person_id: 'x' }), 400, 'invalid', 'person_id');
  expectError(await admin.post('/api/v1/cases', { ...base, medical_worker: 'yes' }), 400, 'invalid', 'medical_worker');
  expectError(await admin.post('/api/v1/cases', '{"person_id":', { type: 'application/json' }), 400, 'invalid');
});

test('transitions are dated; illegal ones are 422 naming both states', async () => {
  let res = await admin.post('/api/v1/cases', { person_id: P.b.id, status: 'suspected', onset_day: '2020-01-24', report_day: '2020-01-25', medical_worker: true });
  const b = expectStatus(res, 201, 'case b').body;
  let e = expectError(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'cured', day: '2020-01-26' }), 422, 'rule', 'status', 'cured before confirmed');
  assert.match(e.message, /suspected/);
  assert.match(e.message, /cured/);
  expectStatus(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'confirmed', day: '2020-01-27', severity: 'severe' }), 201, 'confirmed');
  expectError(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'died', day: '2020-01-26' }), 422, 'rule', 'day', 'before the last change');
  expectError(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'confirmed', day: '2020-01-28' }), 422, 'rule', 'status', 'same status, no change');
  res = await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'confirmed', severity: 'critical', day: '2020-01-30' });
  assert.equal(expectStatus(res, 201, 'critical').body.severity, 'critical');
  res = await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'died', day: '2020-02-03' });
  const dead = expectStatus(res, 201, 'died').body;
  assert.deepEqual(dead.history.map((h) => h.status), ['suspected', 'confirmed', 'confirmed', 'died']);
  e = expectError(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'cured', day: '2020-02-05' }), 422, 'rule', 'status', 'after died');
  assert.match(e.message, /died/);
  assert.match(e.message, /cured/);
  expectError(await admin.post(`/api/v1/cases/${b.id}/transitions`, { status: 'cured', day: '2020-02-16' }), 400, 'invalid', 'day');
  expectError(await admin.post('/api/v1/cases/999999/transitions', { status: 'cured', day: '2020-02-05' }), 404, 'not_found');

  const d = expectStatus(await admin.post('/api/v1/cases', { person_id: P.d.id, status: 'suspected', report_day: '2020-02-05' }), 201, 'd').body;
  expectStatus(await admin.post(`/api/v1/cases/${d.id}/transitions`, { status: 'excluded', day: '2020-02-06' }), 201, 'excluded');
  e = expectError(await admin.post(`/api/v1/cases/${d.id}/transitions`, { status: 'cured', day: '2020-02-07' }), 422, 'rule', 'status', 'excluded → cured');
  assert.match(e.message, /excluded/);

  expectStatus(await admin.post(`/api/v1/cases/${P.a.case.id}/transitions`, { status: 'cured', day: '2020-02-08' }), 201, 'a cured');
  const c = expectStatus(await admin.post('/api/v1/cases', { person_id: P.c.id, status: 'confirmed', onset_day: '2020-01-29', report_day: '2020-02-01', severity: 'severe' }), 201, 'c').body;
  P.c.case = c;
});

test('figures for any day come from the history', async () => {
  const at = async (day) => expectStatus(await admin.get(`/api/v1/cases/figures?day=${day}`), 200, day).body;
  let f = await at('2020-01-23');
  assert.equal(f.confirmed_total, 1);
  assert.equal(f.new_confirmed, 1);
  assert.equal(f.days_without_new_confirmed, 0);
  f = await at('2020-01-30');
  assert.equal(f.confirmed_total, 2);
  assert.equal(f.critical_now, 1);
  assert.equal(f.medical_workers_infected, 1);
  f = await at('2020-02-03');
  assert.equal(f.deaths_total, 1);
  assert.equal(f.critical_now, 0);
  f = await at('2020-02-15');
  assert.deepEqual({ ...f, day: undefined, last_confirmed_day: undefined, since_records_start: undefined }, {
    day: undefined, last_confirmed_day: undefined, since_records_start: undefined,
    confirmed_total: 3, cured_total: 1, deaths_total: 1, critical_now: 0, medical_workers_infected: 1,
    new_confirmed: 0, days_without_new_confirmed: 14,
  });
  // today by default (the fixed clock)
  assert.equal((await admin.get('/api/v1/cases/figures')).body.day, '2020-02-15');
  expectError(await admin.get('/api/v1/cases/figures?day=15/02/2020'), 400, 'invalid', 'day');
  // a scope sees its own cases only
  f = expectStatus(await officerB.get('/api/v1/cases/figures?day=2020-02-15'), 200, 'B figures').body;
  assert.equal(f.confirmed_total, 1);
  assert.equal(f.deaths_total, 0);
});

test('the epidemic curve by report day and by onset day', async () => {
  const res = expectStatus(await admin.get('/api/v1/cases/curve?to=2020-02-15'), 200, 'curve').body;
  assert.equal(res.from, '2020-01-20'); // the first onset
  const byDay = Object.fromEntries(res.days.map((d) => [d.day, d]));
  assert.equal(byDay['2020-01-23'].by_report, 1);
  assert.equal(byDay['2020-01-20'].by_onset, 1);
  assert.equal(byDay['2020-01-27'].by_report, 1);
  assert.equal(byDay['2020-01-24'].by_onset, 1);
  assert.equal(res.days.reduce((s, d) => s + d.by_report, 0), 3);
  expectError(await admin.get('/api/v1/cases/curve?from=2020-03-01&to=2020-02-15'), 400, 'invalid', 'from');
});

test('the list filters, exports and keeps to scope', async () => {
  let res = expectStatus(await admin.get('/api/v1/cases?status=confirmed'), 200, 'confirmed').body;
  assert.deepEqual(res.items.map((k) => k.person_name), ['张三']);
  res = expectStatus(await admin.get('/api/v1/cases'), 200, 'all').body;
  assert.equal(res.items.length, 4);
  res = expectStatus(await officerB.get('/api/v1/cases'), 200, 'B list').body;
  assert.deepEqual(res.items.map((k) => k.person_name), ['张三']);
  expectError(await officerB.get(`/api/v1/cases/${P.a.case.id}`), 404, 'not_found', undefined, 'out of scope read');
  expectError(await officerB.post(`/api/v1/cases/${P.a.case.id}/transitions`, { status: 'died', day: '2020-02-10' }), 403, 'forbidden');
  expectError(await officerB.post('/api/v1/cases', { person_id: P.d.id, status: 'suspected', report_day: '2020-02-10' }), 403, 'forbidden');
  expectError(await admin.get('/api/v1/cases?status=zzz'), 400, 'invalid', 'status');
  const x = await admin.get('/api/v1/cases?format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
  const sheet = String(unzipEntry(x.body, 'xl/worksheets/sheet1.xml'));
  assert.match(sheet, /王一/);
  assert.match(sheet, /报告日期/);
  const one = expectStatus(await officerB.patch(`/api/v1/cases/${P.c.case.id}`, { hospital: '银川市第一人民医院', isolated_at: '2020-02-01T18:00' }), 200, 'patch').body;
  assert.equal(one.hospital, '银川市第一人民医院');
  assert.ok(one.isolated_at > 0);
  expectError(await officerB.patch(`/api/v1/cases/${P.c.case.id}`, { isolated_at: 'soon' }), 400, 'invalid', 'isolated_at');
});
