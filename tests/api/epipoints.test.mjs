// Epidemic points (疫点): opened for a compound with its cases, the 9-step
// procedure with the next step shown, three work groups on a 四班三运转
// roster; the compound's gate refuses a resident while the point is open
// (its staff pass); lifting is refused with the blockers (14 days since the
// last linked case, every linked contact's observation ended) and allowed
// as days pass (a second server on the same database with a later clock),
// which reopens the gate. Scope: out-of-scope points are 404/403. The
// 9-step list is a setting an admin replaces; new points copy it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, Client,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 700;
const newId = () => rid(`64010619880506${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `ep-${process.pid}-${++cid}`;

let srv; let admin; let S; let K; let G; let KO; let outsider; let kase; let point;
const P = {};
const pass = {};
async function person(nick, name, unit) {
  const res = await admin.post('/api/v1/persons', { doc_number: newId(), name, unit_id: unit.id });
  P[nick] = expectStatus(res, 201, `person ${nick}`).body;
}
async function scan(c, nick) {
  const res = await c.post(`/api/v1/gates/${G.id}/scans`, { token: pass[nick].token, direction: 'in', temperature: 36.4, client_id: clientId() });
  return expectStatus(res, 200, `scan ${nick}`).body;
}

before(async () => {
  srv = await startServer({ clock: '2020-02-01T10:00' });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'EP-S', '疫点街道');
  const O = await mkUnit(admin, admin.root.id, 'subdistrict', 'EP-O', '他街道');
  const C = await mkUnit(admin, S.id, 'community', 'EP-C', '疫点社区');
  const CO = await mkUnit(admin, O.id, 'community', 'EP-CO', '他社区');
  K = await mkUnit(admin, C.id, 'compound', 'EP-K', '阅海万家');
  KO = await mkUnit(admin, CO.id, 'compound', 'EP-KO', '他小区');
  G = expectStatus(await admin.post('/api/v1/gates', { unit_id: K.id, name: '南门' }), 201).body;
  for (const [n, name] of [['case', '周强'], ['res', '郑红'], ['staff', '冯军'], ['contact', '陈刚']]) await person(n, name, K);
  for (const n of ['res', 'staff']) pass[n] = expectStatus(await admin.post('/api/v1/passes', { person_id: P[n].id }), 201).body;
  outsider = await userClient(srv, admin, { role: 'officer', scope_unit_id: O.id });
  kase = expectStatus(await admin.post('/api/v1/cases', { person_id: P.case.id, status: 'confirmed', onset_day: '2020-01-26', report_day: '2020-01-28' }), 201).body;
  const d = expectStatus(await admin.post(`/api/v1/cases/${kase.id}/contacts`, { person_id: P.contact.id, decision: 'close', last_exposure_day: '2020-01-30' }), 201).body;
  assert.equal(d.observation_end_day, '2020-02-13');
  assert.equal((await scan(admin, 'res')).decision, 'allow', 'the gate is open before the point');
});
after(async () => { await srv?.stop(); });

test('a point is opened with its cases and the 9 steps; bad input names the field', async () => {
  expectError(await admin.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [], opened_day: '2020-01-28' }), 400, 'invalid', 'case_ids');
  expectError(await admin.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [999999], opened_day: '2020-01-28' }), 400, 'invalid', 'case_ids');
  expectError(await admin.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [kase.id], opened_day: '2020-02-02' }), 400, 'invalid', 'opened_day');
  expectError(await admin.post('/api/v1/epidemic-points', { unit_id: 999999, case_ids: [kase.id], opened_day: '2020-01-28' }), 400, 'invalid', 'unit_id');
  expectError(await outsider.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [kase.id], opened_day: '2020-01-28' }), 403, 'forbidden');
  point = expectStatus(await admin.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [kase.id], opened_day: '2020-01-28' }), 201, 'open').body;
  assert.equal(point.name, '阅海万家');
  assert.equal(point.status, 'open');
  assert.equal(point.steps.length, 9);
  assert.equal(point.steps[0].name, '封控疫点');
  assert.equal(point.next_step.pos, 1);
  assert.deepEqual(point.case_list.map((k) => k.id), [kase.id]);
  expectError(await admin.post('/api/v1/epidemic-points', { unit_id: K.id, case_ids: [kase.id], opened_day: '2020-01-28' }), 409, 'conflict', 'unit_id', 'one open point a place');
  expectError(await outsider.get(`/api/v1/epidemic-points/${point.id}`), 404, 'not_found');
});

test('steps, work groups and the roster; the sealed gate lets only the staff through', async () => {
  let p = expectStatus(await admin.post(`/api/v1/epidemic-points/${point.id}/steps/1`, { note: '已封控' }), 201, 'step 1').body;
  assert.ok(p.steps[0].done_at > 0);
  assert.ok(p.steps[0].done_by_name);
  assert.equal(p.next_step.pos, 2);
  expectError(await admin.post(`/api/v1/epidemic-points/${point.id}/steps/1`, {}), 409, 'conflict');
  expectError(await admin.post(`/api/v1/epidemic-points/${point.id}/steps/10`, {}), 404, 'not_found');
  expectError(await admin.post(`/api/v1/epidemic-points/${point.id}/members`, { work_group: 'party', name: 'x', team: 0 }), 400, 'invalid', 'work_group');
  expectError(await admin.post(`/api/v1/epidemic-points/${point.id}/members`, { work_group: 'health', name: 'x', team: 4 }), 400, 'invalid', 'team');
  expectStatus(await admin.post(`/api/v1/epidemic-points/${point.id}/members`, { work_group: 'incident', name: '冯军', person_id: P.staff.id, team: 0 }), 201, 'staff');
  for (let t = 0; t < 4; t++) expectStatus(await admin.post(`/api/v1/epidemic-points/${point.id}/members`, { work_group: 'supply', name: `保障${t}`, team: t }), 201);
  p = expectStatus(await admin.post(`/api/v1/epidemic-points/${point.id}/roster`, { from: '2020-02-01', days: 14 }), 201, 'roster').body;
  assert.ok(p.roster.length > 0);
  assert.equal(p.member_list.length, 5);
  const sum = expectStatus(await admin.get('/api/v1/epidemic-points/summary'), 200).body;
  assert.equal(sum.open, 1);
  assert.equal(sum.staff, 5);
  assert.equal(sum.on_duty_now, 1, 'the 08:00-16:00 shift of the first day is team B: its one supply member');

  const res = await scan(admin, 'res');
  assert.equal(res.decision, 'deny');
  assert.equal(res.reason_code, 'sealed');
  assert.equal((await scan(admin, 'staff')).decision, 'allow', 'the point\'s staff pass');
});

test('the 9-step list is a setting: an admin replaces it, new points copy it, open points keep theirs', async () => {
  const before = expectStatus(await admin.get('/api/v1/epidemic-points/procedure'), 200).body.items;
  assert.deepEqual(before.map((s) => s.pos), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(before[8].name_en, 'Assessment for lifting');
  // Read by anyone who reads points; changed only by settings.admin, district-wide.
  const reader = await userClient(srv, admin, { role: 'officer', scope_unit_id: S.id });
  expectStatus(await reader.get('/api/v1/epidemic-points/procedure'), 200);
  expectError(await reader.req('PUT', '/api/v1/epidemic-points/procedure', { items: [{ name: '一', name_en: 'one' }] }), 403, 'forbidden');
  expectError(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: [] }), 400, 'invalid', 'items');
  expectError(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: [{ name: '封控', name_en: 'Seal' }, { name: '告知' }] }), 400, 'invalid', 'items');
  expectError(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: ['封控'] }), 400, 'invalid', 'items');
  expectError(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: Array.from({ length: 21 }, (_, i) => ({ name: `第${i}步`, name_en: `Step ${i}` })) }), 400, 'invalid', 'items');
  assert.equal(expectStatus(await admin.get('/api/v1/epidemic-points/procedure'), 200).body.items.length, 9, 'nothing written by a refused change');
  const ten = [...before.map(({ name, name_en }) => ({ name, name_en })), { name: '解封后回访', name_en: 'Follow-up after lifting' }];
  const saved = expectStatus(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: ten }), 200).body.items;
  assert.equal(saved.length, 10);
  assert.equal(saved[9].pos, 10);
  // The open point keeps the 9 steps it copied; a point opened now has 10.
  assert.equal(expectStatus(await admin.get(`/api/v1/epidemic-points/${point.id}`), 200).body.steps.length, 9);
  const K2 = await mkUnit(admin, S.id, 'community', 'EP-C2', '新社区');
  const K3 = await mkUnit(admin, K2.id, 'compound', 'EP-K3', '新小区');
  await person('case2', '秦川', K3);
  const k2 = expectStatus(await admin.post('/api/v1/cases', { person_id: P.case2.id, status: 'confirmed', report_day: '2020-01-29' }), 201).body;
  const p2 = expectStatus(await admin.post('/api/v1/epidemic-points', { unit_id: K3.id, case_ids: [k2.id], opened_day: '2020-01-29' }), 201).body;
  assert.equal(p2.steps.length, 10);
  assert.equal(p2.steps[9].name, '解封后回访');
  expectStatus(await admin.req('PUT', '/api/v1/epidemic-points/procedure', { items: before.map(({ name, name_en }) => ({ name, name_en })) }), 200);
});

test('lifting is refused with the blockers, then allowed as days pass', async () => {
  let p = expectStatus(await admin.get(`/api/v1/epidemic-points/${point.id}`), 200).body;
  assert.equal(p.lift.eligible, false);
  const kinds = p.lift.blockers.map((b) => b.kind).sort();
  assert.deepEqual(kinds, ['observation', 'quiet_days']);
  assert.equal(p.lift.blockers.find((b) => b.kind === 'quiet_days').until, '2020-02-11');
  // Observed through 02-13 inclusive: the point may be lifted from 02-14.
  assert.equal(p.lift.blockers.find((b) => b.kind === 'observation').until, '2020-02-14');
  assert.equal(p.lift.blockers.find((b) => b.kind === 'observation').observation_end_day, '2020-02-13');
  assert.equal(p.lift.blockers.find((b) => b.kind === 'observation').person_name, '陈刚');
  const e = await admin.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-01' });
  expectError(e, 422, 'rule', 'day');
  assert.equal(e.body.error.blockers.length, 2);
  expectError(await admin.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-14' }), 400, 'invalid', 'day', 'after today');

  // Twelve days on: the quiet days are over, the contact is still observed.
  const later = await startServer({ sameDbAs: srv, clock: '2020-02-12T10:00' });
  try {
    const a = new Client(later.base);
    await a.signIn('admin', srv.adminPassword);
    p = expectStatus(await a.get(`/api/v1/epidemic-points/${point.id}`), 200).body;
    assert.deepEqual(p.lift.blockers.map((b) => b.kind), ['observation']);
    expectError(await a.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-12' }), 422, 'rule', 'day');
  } finally { await later.stop(); }
  // On the contact's last day of observation the point is not yet lifted.
  const last = await startServer({ sameDbAs: srv, clock: '2020-02-13T20:00' });
  try {
    const a = new Client(last.base);
    await a.signIn('admin', srv.adminPassword);
    p = expectStatus(await a.get(`/api/v1/epidemic-points/${point.id}`), 200).body;
    assert.deepEqual(p.lift.blockers.map((b) => b.kind), ['observation']);
    expectError(await a.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-13' }), 422, 'rule', 'day');
  } finally { await last.stop(); }
  const end = await startServer({ sameDbAs: srv, clock: '2020-02-14T10:00' });
  try {
    const a = new Client(end.base);
    await a.signIn('admin', srv.adminPassword);
    p = expectStatus(await a.get(`/api/v1/epidemic-points/${point.id}`), 200).body;
    assert.equal(p.lift.eligible, true);
    assert.deepEqual(p.lift.blockers, []);
    p = expectStatus(await a.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-14' }), 200, 'lift').body;
    assert.equal(p.status, 'lifted');
    assert.equal(p.lifted_day, '2020-02-14');
    assert.ok(p.lifted_by_name);
    expectError(await a.post(`/api/v1/epidemic-points/${point.id}/lift`, { day: '2020-02-14' }), 409, 'conflict');
    const r = await a.post(`/api/v1/gates/${G.id}/scans`, { token: pass.res.token, direction: 'in', temperature: 36.4, client_id: clientId() });
    assert.equal(expectStatus(r, 200).body.decision, 'allow', 'the gate reopens');
    const f = expectStatus(await a.get('/api/v1/epidemic-points?status=lifted'), 200).body;
    assert.deepEqual(f.items.map((x) => x.id), [point.id]);
  } finally { await end.stop(); }
});
