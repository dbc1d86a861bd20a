// The daily bulletin (GET /api/v1/bulletin?day=): every key of issue 17,
// a bad day refused naming `day`, each section's figure moved by a record
// written through the API (and only from the day of that record on), and
// scope: a sub-district's officer gets the sub-district's bulletin. The
// server's clock is set to 2020-02-15 09:00, so "today" is the demo day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, unzipEntry, sql,
} from './lib.mjs';

const TODAY = '2020-02-15';
const YESTERDAY = '2020-02-14';

let srv;
let admin;
let A; let A1; let KA; let B; let B1;
let officerA;
let officerB;
let staff;

/** A valid resident ID from its first 17 digits (GB 11643 check character). */
function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 300;
const newId = () => rid(`64010619900101${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `bulletin-test-${process.pid}-${++cid}`;
/** Unix seconds of a local (Beijing) time '2020-02-12T10:00'. */
const at = (local) => Math.floor(Date.parse(`${local}:00+08:00`) / 1000);

async function bulletin(c, day = TODAY) {
  return expectStatus(await c.get(`/api/v1/bulletin?day=${day}`), 200, `bulletin ${day}`).body;
}

before(async () => {
  srv = await startServer({ clock: `${TODAY}T09:00` });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'BL-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'BL-A1', '甲一社区');
  KA = await mkUnit(admin, A1.id, 'compound', 'BL-KA', '甲一小区');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'BL-B', '乙街道');
  B1 = await mkUnit(admin, B.id, 'community', 'BL-B1', '乙一社区');
  officerA = await userClient(srv, admin, { username: 'bl.officer.a', role: 'officer', scope_unit_id: A.id });
  officerB = await userClient(srv, admin, { username: 'bl.officer.b', role: 'officer', scope_unit_id: B.id });
  staff = await userClient(srv, admin, { username: 'bl.staff', role: 'checkpoint_staff', scope_unit_id: admin.root.id });
});

after(async () => {
  await srv?.stop();
});

const SHAPE = {
  cases: ['confirmed_total', 'cured_total', 'deaths_total', 'critical_now', 'medical_workers_infected', 'days_without_new_confirmed'],
  epidemic_points: ['total', 'lifted'],
  command: ['working_groups', 'leaders', 'responsible_units'],
  checkpoints: ['road', 'rail', 'road_vehicles', 'road_person_trips', 'rail_trains', 'rail_person_trips'],
  isolation: ['centralized_active', 'home_active', 'released_total'],
  funds: ['allocated_fen', 'donations_fen'],
  enterprises: ['above_scale', 'resumed', 'seasonal', 'resumption_rate'],
  supervision: ['inspection_groups', 'support_groups'],
  reporting: ['expected', 'filed', 'on_time'],
};

test('every key of the bulletin, all zero on a day before any record', async () => {
  const b = await bulletin(admin, '2019-12-01');
  assert.equal(b.day, '2019-12-01');
  for (const [section, keys] of Object.entries(SHAPE)) {
    assert.equal(typeof b[section], 'object', `${section} in ${JSON.stringify(b)}`);
    for (const k of keys) assert.equal(b[section][k], 0, `${section}.${k} on a day before any record`);
  }
  assert.equal(b.notices, 0);
  assert.deepEqual(b.screening, []);
  assert.ok(Array.isArray(b.supplies), 'supplies is a list');
  // no day: today, by the server's clock
  const today = expectStatus(await admin.get('/api/v1/bulletin'), 200, 'bulletin of today').body;
  assert.equal(today.day, TODAY);
});

test('a bad day is 400 naming day; a bad format names format', async () => {
  for (const day of ['2020-02-30', 'yesterday', '2020-2-15', '2020-02-15T00:00', '20200215']) {
    expectError(await admin.get(`/api/v1/bulletin?day=${encodeURIComponent(day)}`), 400, 'invalid', 'day', `day=${day}`);
  }
  expectError(await admin.get(`/api/v1/bulletin?day=${TODAY}&format=pdf`), 400, 'invalid', 'format', 'format=pdf');
  const anon = await fetch(`${srv.base}/api/v1/bulletin?day=${TODAY}`);
  assert.equal(anon.status, 401, 'the bulletin needs a sign-in');
});

test('command: a working group, a leader and a responsible unit assigned in A move A\'s and the district\'s figures from today', async () => {
  const [d0, a0, b0, y0] = [await bulletin(admin), await bulletin(officerA), await bulletin(officerB), await bulletin(admin, YESTERDAY)];
  expectStatus(await admin.post('/api/v1/groups', { code: 'BL-G1', name: '宣传组' }), 201, 'group');
  const leader = expectStatus(await admin.post('/api/v1/leaders', { name: '包抓领导', title: '副区长' }), 201, 'leader').body;
  const org = expectStatus(await admin.post('/api/v1/orgs', { name: '区卫健局' }), 201, 'org').body;
  expectStatus(await admin.post('/api/v1/assignments', { unit_id: A1.id, leader_id: leader.id }), 201, 'assign leader');
  expectStatus(await admin.post('/api/v1/assignments', { unit_id: A1.id, org_id: org.id }), 201, 'assign org');
  const [d1, a1, b1, y1] = [await bulletin(admin), await bulletin(officerA), await bulletin(officerB), await bulletin(admin, YESTERDAY)];
  assert.deepEqual(d1.command, {
    working_groups: d0.command.working_groups + 1, leaders: d0.command.leaders + 1,
    responsible_units: d0.command.responsible_units + 1,
  }, 'district');
  // A works under the district's groups and has the leader and unit assigned to it
  assert.deepEqual(a1.command, {
    working_groups: a0.command.working_groups + 1, leaders: a0.command.leaders + 1,
    responsible_units: a0.command.responsible_units + 1,
  }, 'sub-district A');
  // B sees the group (the district's) but no leader or unit assigned to it
  assert.deepEqual(b1.command, {
    working_groups: b0.command.working_groups + 1, leaders: b0.command.leaders,
    responsible_units: b0.command.responsible_units,
  }, 'sub-district B');
  assert.deepEqual(y1.command, y0.command, 'yesterday\'s bulletin is as it was');
});

test('checkpoints: a checkpoint in A and what it screens count for A and the district, not B, from today', async () => {
  const [d0, a0, b0, y0] = [await bulletin(admin), await bulletin(officerA), await bulletin(officerB), await bulletin(admin, YESTERDAY)];
  const road = expectStatus(await admin.post('/api/v1/checkpoints',
    { code: 'BL-ROAD', name: '甲路卡点', kind: 'road', unit_id: A.id }), 201, 'road checkpoint').body;
  const rail = expectStatus(await admin.post('/api/v1/checkpoints',
    { code: 'BL-RAIL', name: '甲站卡点', kind: 'rail', unit_id: A.id }), 201, 'rail checkpoint').body;
  expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '宁A12345', direction: 'in', origin: '640000',
    occupants: [{ name: '张三', temperature: 36.5 }, { name: '李四', doc_number: newId(), temperature: 36.6 }, { name: '王五', temperature: 36.4 }],
    client_id: clientId(),
  }), 201, 'screen a car');
  expectStatus(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`, {
    train_no: 'K1234', arrival_at: at(`${TODAY}T08:30`), persons: 420, flagged: [], client_id: clientId(),
  }), 201, 'screen a train');
  const [d1, a1, b1, y1] = [await bulletin(admin), await bulletin(officerA), await bulletin(officerB), await bulletin(admin, YESTERDAY)];
  const moved = (x) => ({
    road: x.road + 1, rail: x.rail + 1, road_vehicles: x.road_vehicles + 1,
    road_person_trips: x.road_person_trips + 3, rail_trains: x.rail_trains + 1, rail_person_trips: x.rail_person_trips + 420,
  });
  assert.deepEqual(d1.checkpoints, moved(d0.checkpoints), 'district');
  assert.deepEqual(a1.checkpoints, moved(a0.checkpoints), 'sub-district A');
  assert.deepEqual(b1.checkpoints, b0.checkpoints, 'sub-district B');
  assert.deepEqual(y1.checkpoints, y0.checkpoints, 'yesterday');
  // Checks sent late by an offline device: a car screened yesterday, and a
  // train that arrived before midnight and was checked after it (kept on
  // its arrival day, counted by its check).
  expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '宁A54321', direction: 'out', at: at(`${YESTERDAY}T15:00`),
    occupants: [{ name: '赵六', temperature: 36.5 }, { name: '钱七', temperature: 36.6 }],
    client_id: clientId(),
  }), 201, 'a car screened yesterday');
  expectStatus(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`, {
    train_no: 'T205', arrival_at: at('2020-02-13T23:50'), at: at(`${YESTERDAY}T00:10`),
    persons: 77, flagged: [], client_id: clientId(),
  }), 201, 'a train checked after midnight');
  // The figures come from the day counters (less the trains checked after
  // the day): they are what the checks themselves give, for every day.
  const n = async (q) => Number((await sql(srv.db, q)).trim());
  for (const day of ['2020-02-12', '2020-02-13', YESTERDAY, TODAY, '2020-02-16']) {
    const end = at(`${day}T00:00`) + 86400;
    const b = (await bulletin(admin, day)).checkpoints;
    assert.deepEqual([b.road_vehicles, b.road_person_trips, b.rail_trains, b.rail_person_trips], [
      await n(`SELECT COUNT(*) FROM vehicle_checks WHERE at < ${end}`),
      await n(`SELECT COALESCE(SUM(occupants), 0) FROM vehicle_checks WHERE at < ${end}`),
      await n(`SELECT COUNT(*) FROM train_checks WHERE at < ${end}`),
      await n(`SELECT COALESCE(SUM(persons), 0) FROM train_checks WHERE at < ${end}`),
    ], `${day}: the checks counted directly`);
  }
});

test('screening: a round\'s visits count households and persons on the day of the visit, for A and the district, not B', async () => {
  const round = expectStatus(await admin.post('/api/v1/rounds',
    { name: '甲街道摸排', unit_id: A.id, start_date: '2020-02-10', end_date: '2020-02-20' }), 201, 'round').body;
  const h1 = expectStatus(await admin.post('/api/v1/households', { unit_id: KA.id, address: '1号楼101' }), 201, 'household').body;
  const h2 = expectStatus(await admin.post('/api/v1/households', { unit_id: KA.id, address: '1号楼102' }), 201, 'household').body;
  const h3 = expectStatus(await admin.post('/api/v1/households', { unit_id: KA.id, address: '1号楼103' }), 201, 'household').body;
  const mine = (b) => b.screening.find((r) => r.round_id === round.id);
  assert.equal(mine(await bulletin(admin, '2020-02-09')), undefined, 'the round has not started on 2020-02-09');
  assert.deepEqual(mine(await bulletin(admin, '2020-02-10')), { round: 1, round_id: round.id, name: '甲街道摸排', households: 0, persons: 0 });

  const [p1, p2, p3] = [newId(), newId(), newId()];
  const visit = async (body) => expectStatus(await admin.post('/api/v1/visits', { round_id: round.id, method: 'door', ...body }), 201, 'visit');
  await visit({ household_id: h1.id, result: 'visited', at: at('2020-02-12T10:00'),
    persons: [{ doc_number: p1, name: '赵一' }, { doc_number: p2, name: '赵二' }] });
  // nobody home on the 11th; found on the 13th
  await visit({ household_id: h2.id, result: 'empty', at: at('2020-02-11T10:00') });
  await visit({ household_id: h2.id, result: 'visited', at: at('2020-02-13T10:00'), persons: [{ doc_number: p3, name: '钱三' }] });
  // h1 again on the 14th: counted once
  await visit({ household_id: h1.id, result: 'visited', at: at('2020-02-14T10:00'),
    persons: [{ doc_number: p1, name: '赵一' }, { doc_number: p2, name: '赵二' }] });
  // an offline phone sends h3's visit of the 12th after the others
  await visit({ household_id: h3.id, result: 'visited', at: at('2020-02-14T11:00'), persons: [{ doc_number: newId(), name: '孙四' }] });
  await visit({ household_id: h3.id, result: 'refused', at: at('2020-02-12T11:00') });

  const fig = async (c, day) => { const r = mine(await bulletin(c, day)); return r && [r.households, r.persons]; };
  assert.deepEqual(await fig(admin, '2020-02-11'), [0, 0], '11th: the empty home does not count');
  assert.deepEqual(await fig(admin, '2020-02-12'), [1, 2], '12th');
  assert.deepEqual(await fig(admin, '2020-02-13'), [2, 3], '13th');
  assert.deepEqual(await fig(admin, '2020-02-14'), [3, 4], '14th: h1 once, h3 found');
  assert.deepEqual(await fig(officerA, '2020-02-14'), [3, 4], 'A sees its round');
  assert.equal(await fig(officerB, '2020-02-14'), undefined, 'B does not see A\'s round');

  // Today a visit finds one person under two records, which are then
  // merged: counted once. The figures come from the round's counters less
  // what was found after the day; day by day they are what the rows give.
  const doc = newId();
  await visit({ household_id: h2.id, result: 'visited', at: at(`${TODAY}T08:00`),
    persons: [{ doc_number: doc, name: '钱五' }, { doc_type: 'passport', doc_number: 'P6543210', name: '钱五' }] });
  assert.deepEqual(await fig(admin, TODAY), [3, 6], 'today: two records found');
  const one = (await admin.get(`/api/v1/persons?q=${doc}`)).body.items[0];
  const two = (await admin.get('/api/v1/persons?q=P6543210')).body.items[0];
  expectStatus(await admin.post(`/api/v1/persons/${one.id}/merge`, { other_id: two.id }), 200, 'merge');
  assert.deepEqual(await fig(admin, TODAY), [3, 5], 'today: the merged person once');
  assert.deepEqual(await fig(officerA, TODAY), [3, 5], 'A today');
  const rows = async (day) => {
    const end = at(`${day}T00:00`) + 86400;
    const n = async (q) => Number((await sql(srv.db, q)).trim());
    return [
      await n(`SELECT COUNT(*) FROM round_households WHERE round_id = ${round.id} AND visited_at < ${end}`),
      await n(`SELECT COUNT(*) FROM round_persons WHERE round_id = ${round.id} AND found_at < ${end}`),
    ];
  };
  const DAYS = ['2020-02-10', '2020-02-11', '2020-02-12', '2020-02-13', '2020-02-14', TODAY, '2020-02-16'];
  for (const day of DAYS) {
    assert.deepEqual(await fig(admin, day), await rows(day), `${day}: the rows counted directly`);
  }

  // Late visits from an offline phone: h1 was in fact found on the 11th
  // (it and 赵一 move from the 12th to the 11th), h2 earlier on the 13th
  // (the same day: nothing moves), h3 refused earlier (not a finding).
  await visit({ household_id: h1.id, result: 'visited', at: at('2020-02-11T16:00'), persons: [{ doc_number: p1, name: '赵一' }] });
  await visit({ household_id: h2.id, result: 'visited', at: at('2020-02-13T08:00'), persons: [{ doc_number: p3, name: '钱三' }] });
  await visit({ household_id: h3.id, result: 'refused', at: at('2020-02-10T11:00') });
  assert.deepEqual(await fig(admin, '2020-02-11'), [1, 1], '11th: h1 and 赵一 found that day after all');
  assert.deepEqual(await fig(admin, '2020-02-12'), [1, 2], '12th: as before');
  // The rows by scope, for the district, A and B (each through the unit tree).
  const inScope = async (unitId, day) => {
    const end = at(`${day}T00:00`) + 86400;
    const n = async (q) => Number((await sql(srv.db, q)).trim());
    const under = `unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = ${unitId})`;
    return [
      await n(`SELECT COUNT(*) FROM round_households WHERE round_id = ${round.id} AND visited_at < ${end} AND ${under}`),
      await n(`SELECT COUNT(*) FROM round_persons WHERE round_id = ${round.id} AND found_at < ${end} AND ${under}`),
    ];
  };
  const allDays = async (what) => {
    for (const day of DAYS) {
      assert.deepEqual(await fig(admin, day), await inScope(admin.root.id, day), `${what}, ${day}: district`);
      assert.deepEqual(await fig(officerA, day), await inScope(A.id, day), `${what}, ${day}: A`);
    }
  };
  await allDays('after the late visits');
  // The compound moves to B's community and back: its households and
  // persons leave A's figures for every day, and come back.
  expectStatus(await admin.patch(`/api/v1/units/${KA.id}`, { parent_id: B1.id }), 200, 'move the compound to B');
  assert.deepEqual(await fig(officerA, '2020-02-14'), [0, 0], 'A without the compound');
  assert.deepEqual(await fig(admin, '2020-02-14'), [3, 4], 'the district still has it');
  await allDays('moved to B');
  expectStatus(await admin.patch(`/api/v1/units/${KA.id}`, { parent_id: A1.id }), 200, 'move it back');
  assert.deepEqual(await fig(officerA, '2020-02-14'), [3, 4], 'A with the compound again');
  await allDays('moved back');
});

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid unified social credit code (GB 32100) of organisation number n. */
function creditCode(n) {
  const org8 = `MA77${String(n).padStart(4, '0')}`;
  const v = (ch) => (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 8; i++) s += v(org8[i]) * w[i];
  const c9 = 11 - (s % 11);
  const org = org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const first17 = `91640106${org}`;
  let sum = 0;
  let wt = 1;
  for (let i = 0; i < 17; i++) { sum += CHARS.indexOf(first17[i]) * wt; wt = (wt * 3) % 31; }
  return first17 + CHARS[(31 - (sum % 31)) % 31];
}

/** The bulletins of today for the district, A and B, and yesterday's for the district. */
const four = async () => [await bulletin(admin), await bulletin(officerA), await bulletin(officerB), await bulletin(admin, YESTERDAY)];

test('cases: a confirmed case in A moves A\'s and the district\'s cases from its day, not B\'s', async () => {
  const [d0, a0, b0, y0] = await four();
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name: '病例一', unit_id: KA.id }), 201, 'person').body;
  expectStatus(await admin.post('/api/v1/cases', { person_id: p.id, status: 'confirmed', report_day: TODAY, severity: 'mild', medical_worker: true }), 201, 'case');
  const [d1, a1, b1, y1] = await four();
  for (const [x0, x1, what] of [[d0, d1, 'district'], [a0, a1, 'A']]) {
    assert.equal(x1.cases.confirmed_total, x0.cases.confirmed_total + 1, what);
    assert.equal(x1.cases.medical_workers_infected, x0.cases.medical_workers_infected + 1, what);
    assert.equal(x1.cases.days_without_new_confirmed, 0, `${what}: a case confirmed today`);
  }
  assert.equal(b1.cases.confirmed_total, b0.cases.confirmed_total, 'B');
  assert.deepEqual(y1.cases, y0.cases, 'yesterday');
});

test('isolation: an order in A counts as active for A and the district', async () => {
  const [d0, a0, b0] = await four();
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name: '隔离一', unit_id: KA.id }), 201, 'person').body;
  expectStatus(await admin.post('/api/v1/isolations', {
    person_id: p.id, kind: 'home', reason: 'general_contact', last_exposure_day: YESTERDAY,
    override_reason: '一般接触者，居家隔离',
  }), 201, 'isolation order');
  const [d1, a1, b1] = await four();
  const active = (x) => x.isolation.centralized_active + x.isolation.home_active;
  assert.equal(active(d1), active(d0) + 1, `district ${JSON.stringify(d1.isolation)}`);
  assert.equal(active(a1), active(a0) + 1, 'A');
  assert.equal(active(b1), active(b0), 'B');
});

test('notices, supervision, reporting: a published notice, a group and A\'s zero report move their figures', async () => {
  const [d0, a0, b0, y0] = await four();
  const n = expectStatus(await admin.post('/api/v1/notices', { title: '关于外地车辆登记的通告', body: '一、……' }), 201, 'notice').body;
  expectStatus(await admin.post(`/api/v1/notices/${n.id}/publish`, { day: TODAY }), 200, 'publish');
  expectStatus(await admin.post('/api/v1/supervision/groups', { name: '第一督查组', kind: 'inspection', since_day: TODAY }), 201, 'inspection group');
  expectStatus(await admin.post('/api/v1/supervision/groups', { name: '综合保障组', kind: 'support', since_day: TODAY }), 201, 'support group');
  expectStatus(await officerA.post('/api/v1/reports', { unit_id: A.id, day: TODAY, zero: true }), 201, 'A\'s zero report');
  const [d1, a1, b1, y1] = await four();
  assert.equal(d1.notices, d0.notices + 1, 'district notices');
  assert.equal(a1.notices, a0.notices + 1, 'the district\'s notice is A\'s too');
  assert.equal(y1.notices, y0.notices, 'yesterday');
  assert.deepEqual(d1.supervision, { inspection_groups: d0.supervision.inspection_groups + 1, support_groups: d0.supervision.support_groups + 1 });
  assert.equal(d1.reporting.filed, d0.reporting.filed + 1, `district ${JSON.stringify(d1.reporting)}`);
  assert.equal(a1.reporting.filed, a0.reporting.filed + 1, 'A');
  assert.equal(b1.reporting.filed, b0.reporting.filed, 'B');
  assert.ok(d1.reporting.expected >= 2 && d1.reporting.on_time <= d1.reporting.filed, JSON.stringify(d1.reporting));
});

test('funds and supplies: an allocation and a donation move the funds', async () => {
  const [d0, , , y0] = await four();
  const fund = expectStatus(await admin.post('/api/v1/funds', { name: '疫情防控专项资金' }), 201, 'fund').body;
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 455000000, purpose: '区财政拨付' }), 201, 'allocation');
  const [d1, , , y1] = await four();
  assert.equal(d1.funds.allocated_fen, d0.funds.allocated_fen + 455000000, JSON.stringify(d1.funds));
  assert.deepEqual(y1.funds, y0.funds, 'yesterday');
  assert.ok(Array.isArray(d1.supplies) && Array.isArray(d1.supplies_on_hand));
});

test('enterprises: an above-size enterprise and a seasonal one move the base', async (t) => {
  const [d0, a0, b0] = await four();
  const probe = await admin.get('/api/v1/enterprises');
  if (probe.status === 404) { t.skip('the enterprise routes are not served yet'); return; }
  expectStatus(await admin.post('/api/v1/enterprises', { unit_id: A.id, name: '甲机械厂', credit_code: creditCode(1), sector: 'manufacturing', above_scale: true, headcount: 50 }), 201, 'enterprise');
  expectStatus(await admin.post('/api/v1/enterprises', { unit_id: A.id, name: '甲混凝土公司', credit_code: creditCode(2), sector: 'ready_mix_concrete', above_scale: true, seasonal_idle_since: '2019-12-01', headcount: 20 }), 201, 'seasonal enterprise');
  const [d1, a1, b1] = await four();
  assert.equal(d1.enterprises.above_scale, d0.enterprises.above_scale + 2, JSON.stringify(d1.enterprises));
  assert.equal(d1.enterprises.seasonal, d0.enterprises.seasonal + 1);
  assert.equal(a1.enterprises.above_scale, a0.enterprises.above_scale + 2, 'A');
  assert.deepEqual(b1.enterprises, b0.enterprises, 'B');
});

test('html and xlsx: the same bulletin, printable and as a workbook', async () => {
  const b = await bulletin(admin);
  const res = expectStatus(await admin.get(`/api/v1/bulletin?day=${TODAY}&format=html`), 200, 'html');
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.text, /<title>金凤区疫情防控工作日报 2020-02-15<\/title>/);
  assert.match(res.text, /2020年2月15日/);
  assert.ok(res.text.includes(`公路${b.checkpoints.road}个、铁路${b.checkpoints.rail}个`), 'the checkpoints in a sentence');
  const x = expectStatus(await admin.req('GET', `/api/v1/bulletin?day=${TODAY}&format=xlsx`, undefined, { raw: true }), 200, 'xlsx');
  const sheet = unzipEntry(x.body, 'xl/worksheets/sheet1.xml').toString('utf8');
  const strings = unzipEntry(x.body, 'xl/sharedStrings.xml').toString('utf8');
  assert.match(strings, /checkpoints\.road_person_trips/, 'the figure paths are in the sheet');
  assert.ok(sheet.includes(`<v>${b.checkpoints.road_person_trips}</v>`), 'the number itself is a number cell');
});
