// Checkpoints (卡点): road and rail checkpoints, the 四班三运转 roster, duty
// sign-in and sign-out with missing sign-outs and gaps in cover, road
// screening (plates, every temperature, fevers referred and recorded,
// arrivals from graded areas registered in the population registry), rail
// screening, retries that store nothing twice, the lists, recent plates,
// the bulletin's counts, and scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql, show, localDay,
} from './lib.mjs';

/** A valid resident ID from its first 17 digits (GB 11643 check character). */
function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 300;
/** A new valid resident ID with the given 6-digit address code. */
const newId = (area = '640106') => rid(`${area}19850203${String(seq++).padStart(3, '0')}`);

/** The local day (Asia/Shanghai, the server's default zone) of Unix time t. */
const dayOf = (t) => localDay(t);
const now = () => Math.floor(Date.now() / 1000);
function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** Unix time of local midnight starting `day` in Asia/Shanghai (UTC+8, no DST). */
const midnight = (day) => Date.parse(`${day}T00:00:00+08:00`) / 1000;

let srv;
let admin;
let T; let C1; let K1; let other;
let road; let rail;
let staff;
let cid = 0;
const clientId = () => `cp-test-${process.pid}-${++cid}`;

async function count(statement) {
  return Number((await sql(srv.db, statement)).trim());
}

async function countsToday(c = admin) {
  const day = dayOf(now());
  const res = expectStatus(await c.get(`/api/v1/checkpoints/counts?from=${day}&to=${day}`), 200, 'counts');
  return res.body;
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  T = await mkUnit(admin, admin.root.id, 'town', 'CP-T', '卡点镇');
  C1 = await mkUnit(admin, T.id, 'community', 'CP-C1', '卡点社区');
  K1 = await mkUnit(admin, C1.id, 'compound', 'CP-K1', '卡点小区');
  other = await mkUnit(admin, admin.root.id, 'town', 'CP-O', '别的镇');
  staff = await userClient(srv, admin, { username: 'cp.staff', role: 'checkpoint_staff', scope_unit_id: T.id });
  // Hubei is the most severely hit area.
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-01' }),
    201, 'risk area Hubei');
});

after(async () => {
  await srv?.stop();
});

test('checkpoints: create road and rail, bad input, duplicate code, list, patch', async () => {
  expectError(await admin.post('/api/v1/checkpoints', { code: 'KD-X', name: '坏卡点', kind: 'air', unit_id: T.id }),
    400, 'invalid', 'kind', 'kind must be road or rail');
  expectError(await admin.post('/api/v1/checkpoints', { code: 'KD X', name: '坏卡点', kind: 'road', unit_id: T.id }),
    400, 'invalid', 'code', 'a code with a space');
  expectError(await admin.post('/api/v1/checkpoints', { code: 'KD-X', name: '坏卡点', kind: 'road', unit_id: 999999 }),
    400, 'invalid', 'unit_id', 'no such unit');
  expectError(await admin.post('/api/v1/checkpoints', { code: 'KD-X', kind: 'road', unit_id: T.id }),
    400, 'invalid', 'name', 'no name');
  expectError(await staff.post('/api/v1/checkpoints', { code: 'KD-X', name: '坏卡点', kind: 'road', unit_id: T.id }),
    403, 'forbidden', undefined, 'checkpoint staff cannot set up checkpoints');

  let res = await admin.post('/api/v1/checkpoints',
    { code: 'KD-S103', name: 'S103永宁立交卡点', kind: 'road', unit_id: T.id, location: 'S103与南绕城交汇处' });
  expectStatus(res, 201, 'create road checkpoint');
  road = res.body;
  assert.equal(road.kind, 'road');
  assert.equal(road.unit_id, T.id);
  assert.equal(road.unit_name, '卡点镇');
  assert.equal(road.location, 'S103与南绕城交汇处');
  res = await admin.post('/api/v1/checkpoints', { code: 'KD-RAIL', name: '银川站卡点', kind: 'rail', unit_id: T.id });
  expectStatus(res, 201, 'create rail checkpoint');
  rail = res.body;
  expectError(await admin.post('/api/v1/checkpoints', { code: 'KD-S103', name: '重复', kind: 'road', unit_id: T.id }),
    409, 'conflict', 'code', 'the same code twice');

  res = expectStatus(await staff.get('/api/v1/checkpoints'), 200, 'list');
  assert.deepEqual(res.body.items.map((x) => x.code), ['KD-S103', 'KD-RAIL']);
  res = expectStatus(await staff.get('/api/v1/checkpoints?kind=rail'), 200, 'list rail');
  assert.deepEqual(res.body.items.map((x) => x.id), [rail.id]);

  res = expectStatus(await admin.patch(`/api/v1/checkpoints/${road.id}`, { location: 'S103 K12' }), 200, 'patch');
  assert.equal(res.body.location, 'S103 K12');
  assert.equal(res.body.name, 'S103永宁立交卡点');
  expectError(await admin.patch(`/api/v1/checkpoints/${road.id}`, { kind: 'rail' }), 400, 'invalid', 'kind');
  expectError(await admin.patch(`/api/v1/checkpoints/${road.id}`, { code: 'KD-RAIL' }), 409, 'conflict', 'code');

  res = await admin.get('/api/v1/checkpoints?format=csv', { raw: true });
  expectStatus(res, 200, 'export');
  assert.match(res.body.toString('utf8'), /卡点/);
});

test('roster: 四班三运转 over 2 days is 6 shifts rotating A-D; kept on a repeat, 409 on overlap', async () => {
  const from = addDays(dayOf(now()), -3);
  expectError(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from: '2020-02-30', days: 2 }),
    400, 'invalid', 'from');
  expectError(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from, days: 2, shift_hours: 7 }),
    400, 'invalid', 'shift_hours');
  expectError(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from, days: 2, teams: ['A', 'A'] }),
    400, 'invalid', 'teams[1]');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/roster`, { from, days: 2 }),
    403, 'forbidden', undefined, 'staff cannot lay out rosters');

  let res = await admin.post(`/api/v1/checkpoints/${road.id}/roster`,
    { from, days: 2, teams: ['A', 'B', 'C', 'D'], shift_hours: 8 });
  expectStatus(res, 201, 'roster');
  const shifts = res.body.items;
  assert.equal(shifts.length, 6, show(res));
  assert.deepEqual(shifts.map((s) => s.team), ['A', 'B', 'C', 'D', 'A', 'B']);
  assert.equal(shifts[0].starts_at, midnight(from));
  for (let i = 0; i < 6; i++) {
    assert.equal(shifts[i].ends_at - shifts[i].starts_at, 8 * 3600);
    if (i) assert.equal(shifts[i].starts_at, shifts[i - 1].ends_at);
  }
  assert.deepEqual(shifts.map((s) => s.day), [from, from, from, addDays(from, 1), addDays(from, 1), addDays(from, 1)]);

  // The same roster again keeps what exists; another layout overlapping it is refused.
  res = expectStatus(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from, days: 2 }), 200, 'repeat');
  assert.equal(res.body.created, 0);
  assert.equal(res.body.kept, 6);
  expectError(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from, days: 1, shift_hours: 12 }),
    409, 'conflict', 'from', 'a 12-hour layout over 8-hour shifts');
  assert.equal(await count(`SELECT COUNT(*) FROM shifts WHERE checkpoint_id = ${road.id}`), 6);

  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/shifts?from=${from}&to=${addDays(from, 1)}`), 200);
  assert.deepEqual(res.body.items.map((s) => s.id), shifts.map((s) => s.id));
});

test('roster: an extension continues the 四班三运转 cycle where the last shift left it', async () => {
  // 2020-02-22 and 23: A B C, D A B; extended from the 24th the cycle goes
  // on with C (restarting at A gave A 16 hours straight and D 40 off).
  let res = expectStatus(await admin.post(`/api/v1/checkpoints/${rail.id}/roster`, { from: '2020-02-22', days: 2 }), 201);
  assert.deepEqual(res.body.items.map((s) => s.team), ['A', 'B', 'C', 'D', 'A', 'B']);
  res = expectStatus(await admin.post(`/api/v1/checkpoints/${rail.id}/roster`, { from: '2020-02-24', days: 2 }), 201, 'extension');
  assert.deepEqual(res.body.items.map((s) => s.team), ['C', 'D', 'A', 'B', 'C', 'D']);
  // Every team rests at least 16 hours between its shifts across the join.
  const all = expectStatus(await admin.get(`/api/v1/checkpoints/${rail.id}/shifts?from=2020-02-22&to=2020-02-25`), 200).body.items;
  const last = {};
  for (const sh of all) {
    if (last[sh.team] !== undefined) assert.ok(sh.starts_at - last[sh.team] >= 16 * 3600, `team ${sh.team} rests 16 hours`);
    last[sh.team] = sh.ends_at;
  }
});

test('duty: sign-in, idempotent retry, on duty now, missing sign-out after the shift, gaps in cover, sign-out', async () => {
  const from = addDays(dayOf(now()), -3);
  // Signed in three days ago for team A's night shift and never signed out.
  const past = midnight(from) + 3600;
  let res = await staff.post(`/api/v1/checkpoints/${road.id}/duty`,
    { person_name: '王警官', agency: 'police', at: past, client_id: clientId() });
  expectStatus(res, 201, 'sign in (past)');
  const late = res.body;
  assert.equal(late.team, 'A');
  assert.equal(late.shift_ends_at, midnight(from) + 8 * 3600);
  assert.equal(late.status, 'missing_sign_out');

  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/duty`, { person_name: '李医生', agency: 'doctor' }),
    400, 'invalid', 'agency');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/duty`, { agency: 'health' }),
    400, 'invalid', 'person_name');

  // Signing in now, retried with the same client id: one duty row.
  const key = clientId();
  res = await staff.post(`/api/v1/checkpoints/${road.id}/duty`, { person_name: '李医生', agency: 'health', client_id: key });
  expectStatus(res, 201, 'sign in now');
  const onDuty = res.body;
  assert.equal(onDuty.status, 'on_duty');
  assert.equal(onDuty.signed_out_at, null);
  const again = await staff.post(`/api/v1/checkpoints/${road.id}/duty`, { person_name: '李医生', agency: 'health', client_id: key });
  expectStatus(again, 201, 'retry');
  assert.equal(again.body.id, onDuty.id);
  assert.equal(again.headers.get('idempotent-replay'), 'true');
  assert.equal(await count(`SELECT COUNT(*) FROM duty WHERE person_name = '李医生'`), 1);
  // The same person signing in again without signing out is a slip.
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/duty`, { person_name: '李医生', agency: 'health', client_id: clientId() }),
    409, 'conflict', 'person_name');

  // Shifts laid out from tomorrow for 3 days: cover now is a gap until
  // tomorrow, then cover, then a gap to the end of the 7 days ahead.
  const tomorrow = addDays(dayOf(now()), 1);
  expectStatus(await admin.post(`/api/v1/checkpoints/${road.id}/roster`, { from: tomorrow, days: 3 }), 201, 'roster ahead');

  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}`), 200, 'checkpoint page');
  const cp = res.body;
  assert.deepEqual(cp.on_duty.map((d) => d.id), [onDuty.id], show(res));
  assert.deepEqual(cp.missing_sign_outs.map((d) => d.id), [late.id], show(res));
  assert.equal(cp.missing_sign_outs[0].person_name, '王警官');
  assert.equal(cp.current_shift, null);
  assert.equal(cp.gaps.length, 2, show(res));
  assert.equal(cp.gaps[0].to, midnight(tomorrow));
  assert.equal(cp.gaps[1].from, midnight(addDays(tomorrow, 3)));
  assert.ok(cp.gaps[0].from >= now() - 60 && cp.gaps[0].from <= now());
  assert.ok(cp.gaps[1].to >= now() + 7 * 86400 - 60);
  assert.equal(cp.today.vehicles, 0);

  // Sign-out: once; a second sign-out answers the same.
  res = expectStatus(await staff.post(`/api/v1/duty/${onDuty.id}/sign-out`), 200, 'sign out');
  assert.equal(res.body.status, 'signed_out');
  assert.ok(res.body.signed_out_at >= onDuty.signed_in_at);
  const second = expectStatus(await staff.post(`/api/v1/duty/${onDuty.id}/sign-out`, {}), 200, 'sign out twice');
  assert.equal(second.body.signed_out_at, res.body.signed_out_at);
  expectError(await staff.post('/api/v1/duty/999999/sign-out'), 404, 'not_found');

  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}`), 200);
  assert.deepEqual(res.body.on_duty, []);
  assert.deepEqual(res.body.missing_sign_outs.map((d) => d.id), [late.id]);

  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/duty`), 200, 'register');
  assert.deepEqual(res.body.items.map((d) => d.id), [onDuty.id, late.id]);
  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/duty?day=${from}`), 200, 'register by day');
  assert.deepEqual(res.body.items.map((d) => d.id), [late.id]);
});

test('road screening: a car with a normal and a feverish occupant → pass and referral, a fever recorded', async () => {
  const before = await countsToday();
  const feverId = newId();
  const res = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '宁a·12345',
    direction: 'in',
    origin: '640000',
    destination: '金凤区卡点社区',
    occupants: [
      { name: '张三', phone: '13800138000', temperature: 36.5 },
      { name: '李四', doc_number: feverId, temperature: 38.2 },
    ],
    client_id: clientId(),
  });
  expectStatus(res, 201, 'screen a car');
  const v = res.body;
  assert.equal(v.plate, '宁A12345');
  assert.equal(v.plate_province, '宁夏回族自治区');
  assert.equal(v.occupants.length, 2);
  assert.equal(v.occupants[0].disposition, 'pass');
  assert.equal(v.occupants[0].temperature, 36.5);
  assert.equal(v.occupants[0].phone, '138****8000');
  assert.equal(v.occupants[1].disposition, 'referral');
  assert.equal(v.occupants[1].fever, true);
  assert.match(v.occupants[1].reason, /fever/);
  assert.ok(v.occupants[1].person_id, show(res));
  assert.ok(v.occupants[1].fever_id, show(res));
  assert.equal(v.fevers, 1);
  assert.equal(v.referrals, 1);
  assert.equal(v.registered, 0);
  // The fever is on record for the person (their pass turns red).
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${v.occupants[1].person_id} AND temperature = 382 AND source = 'checkpoint'`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM occupant_checks WHERE vehicle_check_id = ${v.id}`), 2);
  const after = await countsToday();
  assert.equal(after.road.vehicles - before.road.vehicles, 1);
  assert.equal(after.road.person_trips - before.road.person_trips, 2);
  assert.equal(after.road.fevers - before.road.fevers, 1);
  assert.equal(after.road.referrals - before.road.referrals, 1);

  // A fever without a document is referred, with nothing to record it on.
  const anon = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '宁AD12345', direction: 'out', occupants: [{ temperature: 37.3 }], client_id: clientId(),
  });
  expectStatus(anon, 201, 'new-energy car, anonymous fever');
  assert.equal(anon.body.occupants[0].disposition, 'referral');
  assert.equal(anon.body.occupants[0].person_id, null);
  assert.match(anon.body.occupants[0].reason, /no fever record/);
});

test('road screening: a 鄂 plate arriving with no stated origin is flagged for follow-up; with an origin, leaving, or another plate it is not', async () => {
  const screen = async (plate, direction, extra = {}) => expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate, direction, occupants: [{ temperature: 36.5 }], client_id: clientId(), ...extra,
  }), 201, `${plate} ${direction}`).body;
  const flagged = await screen('鄂A7F321', 'in');
  assert.equal(flagged.follow_up, 'hubei_plate_no_origin');
  assert.equal(flagged.occupants[0].disposition, 'pass', 'the car is not held: the flag is for follow-up');
  assert.equal((await screen('鄂A7F322', 'out')).follow_up, null, 'leaving');
  assert.equal((await screen('宁A7F323', 'in')).follow_up, null, 'a local plate');
  assert.equal((await screen('鄂A7F324', 'in', { origin: '640000' })).follow_up, null, 'an origin stated');
  const list = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?plate=${encodeURIComponent('鄂A7F321')}`), 200).body.items;
  assert.equal(list[0].follow_up, 'hubei_plate_no_origin', 'the list shows the flag');
});

test('road screening: an arrival from Hubei with a resident ID is registered at the destination community', async () => {
  const id = newId('420102');
  const car = (child) => ({
    plate: '鄂A1B234',
    direction: 'in',
    origin: '湖北省武汉市',
    destination_unit_id: C1.id,
    occupants: [
      { name: '赵六', doc_number: id, phone: '13912345678', temperature: 36.4 },
      child,
    ],
    client_id: clientId(),
  });
  // From a graded area without a document and without a phone: held until
  // registered (name and phone at least), nothing stored, never passed.
  const before = await count('SELECT COUNT(*) FROM vehicle_checks');
  const held = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ name: '孩子', temperature: 36.6 }));
  expectError(held, 422, 'rule', 'occupants[1].phone', 'a child from Wuhan without a document or phone');
  assert.match(held.body.error.message, /held until registered/);
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ temperature: 36.6 })),
    422, 'rule', 'occupants[1].name', 'no name either');
  assert.equal(await count('SELECT COUNT(*) FROM vehicle_checks'), before, 'a held vehicle is not stored');

  const res = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    car({ name: '孩子', phone: '13912345678', temperature: 36.6 }));
  expectStatus(res, 201, 'car from Wuhan');
  const o = res.body.occupants[0];
  assert.equal(res.body.plate_province, '湖北省');
  assert.equal(o.disposition, 'registered', show(res));
  assert.equal(o.grade, 'severe');
  assert.equal(o.handling, 'centralized');
  assert.equal(o.destination_unit_id, C1.id);
  assert.ok(o.person_id && o.arrival_id, show(res));
  assert.equal(o.person_created, true);
  assert.match(o.doc_number, /\*/, 'masked in the answer');
  // Without a document the child is registered by name and phone and
  // handed to the community with the rest of the car.
  const child = res.body.occupants[1];
  assert.equal(child.disposition, 'registered');
  assert.match(child.reason, /without a document: registered by name and phone/);
  assert.equal(child.destination_unit_id, C1.id);
  assert.equal(child.person_id, null);
  assert.equal(res.body.registered, 2);

  const p = expectStatus(await admin.get(`/api/v1/persons/${o.person_id}`), 200, 'the person in the registry');
  assert.equal(p.body.name, '赵六');
  assert.equal(p.body.unit_id, C1.id);
  assert.equal(p.body.located, false);
  assert.equal(p.body.source, 'checkpoint');
  assert.equal(p.body.arrivals.length, 1, show(p));
  assert.equal(p.body.arrivals[0].id, o.arrival_id);
  assert.equal(p.body.arrivals[0].grade, 'severe');
  assert.equal(p.body.arrivals[0].mode, 'car');
  assert.equal(p.body.arrivals[0].origin_code, o.origin_code);
  assert.equal(p.body.arrivals[0].arrival_date, dayOf(now()));

  // A new person from Hubei needs a name to be registered.
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '鄂A1B235', direction: 'in', origin: '420000',
    occupants: [{ doc_number: newId('420102'), temperature: 36.5 }], client_id: clientId(),
  }), 400, 'invalid', 'occupants[0].name');
  // Registered into a compound: located there.
  const k = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '鄂A1B236', direction: 'in', origin: '420000', destination_unit_id: K1.id,
    occupants: [{ name: '钱七', doc_number: newId('420102'), temperature: 36.5 }], client_id: clientId(),
  });
  expectStatus(k, 201);
  const pk = expectStatus(await admin.get(`/api/v1/persons/${k.body.occupants[0].person_id}`), 200);
  assert.equal(pk.body.unit_id, K1.id);
  assert.equal(pk.body.located, true);
});

test('road screening: bad input is refused before anything is stored', async () => {
  const rows = await count('SELECT COUNT(*) FROM vehicle_checks');
  const car = (extra) => ({ plate: '宁A12345', direction: 'in', occupants: [{ temperature: 36.5 }], client_id: clientId(), ...extra });
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ plate: '宁I12345' })),
    400, 'invalid', 'plate', 'I is not used on plates');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ plate: '宁A1O345' })),
    400, 'invalid', 'plate', 'O is not used on plates');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ plate: 'A12345' })),
    400, 'invalid', 'plate', 'no province character');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ occupants: [{ name: '张三' }] })),
    400, 'invalid', 'occupants[0].temperature', 'every person\'s temperature is taken');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    car({ occupants: [{ temperature: 36.5 }, { temperature: '36.5' }] })),
  400, 'invalid', 'occupants[1].temperature', 'a temperature as text');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ occupants: [{ temperature: 365 }] })),
    400, 'invalid', 'occupants[0].temperature', 'tenths are not °C');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ occupants: [] })),
    400, 'invalid', 'occupants');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ direction: 'up' })),
    400, 'invalid', 'direction');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ origin: '火星' })),
    400, 'invalid', 'origin');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    car({ occupants: [{ temperature: 36.5, doc_number: '640106198502030001' }] })),
  400, 'invalid', 'occupants[0].doc_number', 'a wrong check character');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car({ client_id: undefined })),
    400, 'invalid', 'client_id');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, '{"plate":', { type: 'application/json' }),
    400, 'invalid', 'body');
  expectError(await staff.post(`/api/v1/checkpoints/${rail.id}/vehicles`, car({})),
    422, 'rule', undefined, 'a rail checkpoint screens trains');
  expectError(await staff.post('/api/v1/checkpoints/999999/vehicles', car({})), 404, 'not_found');
  assert.equal(await count('SELECT COUNT(*) FROM vehicle_checks'), rows, 'nothing stored');
});

test('road screening: the same client id twice stores one vehicle and answers the same', async () => {
  const key = clientId();
  const body = {
    plate: '宁B88888', direction: 'in', origin: '420100',
    occupants: [{ name: '孙八', doc_number: newId('420102'), temperature: 36.8 }, { temperature: 39.0 }],
    client_id: key,
  };
  const first = expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, body), 201, 'first');
  const before = await countsToday();
  const second = expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, body), 201, 'retry');
  assert.deepEqual(second.body, first.body);
  // Sent through the Idempotency-Key header instead of the body.
  const { client_id: _, ...noId } = body;
  const third = expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, noId,
    { headers: { 'Idempotency-Key': key } }), 201, 'retry by header');
  assert.deepEqual(third.body, first.body);
  assert.equal(await count("SELECT COUNT(*) FROM vehicle_checks WHERE plate = '宁B88888'"), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM occupant_checks WHERE vehicle_check_id = ${first.body.id}`), 2);
  assert.equal(await count(`SELECT COUNT(*) FROM arrivals WHERE person_id = ${first.body.occupants[0].person_id}`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM field_writes WHERE client_id = '${key}'`), 1);
  assert.deepEqual(await countsToday(), before, 'counters unchanged by the retries');
  // Concurrent copies of one new screening: still one row.
  const key2 = clientId();
  const copies = await Promise.all([1, 2, 3, 4].map(() => staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    { ...body, plate: '宁B88889', client_id: key2 })));
  for (const c of copies) expectStatus(c, 201, 'concurrent copy');
  assert.equal(new Set(copies.map((c) => c.body.id)).size, 1);
  assert.equal(await count("SELECT COUNT(*) FROM vehicle_checks WHERE plate = '宁B88889'"), 1);
  // The id used for another kind of record, or by someone else: refused.
  expectError(await admin.post(`/api/v1/checkpoints/${road.id}/vehicles`, body), 409, 'conflict', 'client_id');
  expectError(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`,
    { train_no: 'K1', arrival_at: now(), persons: 1, client_id: key }), 409, 'conflict', 'client_id');
});

test('rail screening: a train with flagged persons; counts of trains and person trips', async () => {
  const before = await countsToday();
  const hubei = newId('420102');
  const res = await staff.post(`/api/v1/checkpoints/${rail.id}/trains`, {
    train_no: 'k 1234',
    arrival_at: now() - 600,
    persons: 800,
    flagged: [
      { name: '周九', doc_number: newId(), temperature: 37.9 },
      { name: '吴十', doc_number: hubei, temperature: 36.2, origin: '武汉市' },
    ],
    client_id: clientId(),
  });
  expectStatus(res, 201, 'train');
  assert.equal(res.body.train_no, 'K1234');
  assert.equal(res.body.persons, 800);
  assert.deepEqual(res.body.flagged.map((f) => f.disposition), ['referral', 'registered']);
  assert.ok(res.body.flagged[0].fever_id);
  assert.ok(res.body.flagged[1].arrival_id);
  // Handed to the checkpoint's unit when no destination is given.
  assert.equal(res.body.flagged[1].destination_unit_id, T.id);
  const p = expectStatus(await admin.get(`/api/v1/persons/${res.body.flagged[1].person_id}`), 200);
  assert.equal(p.body.arrivals[0].mode, 'train');

  expectError(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`,
    { train_no: 'K1234', arrival_at: now(), persons: 1, flagged: [{ temperature: 36 }, { temperature: 36 }], client_id: clientId() }),
  400, 'invalid', 'persons', 'fewer persons than flagged');
  expectError(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`,
    { train_no: '快车', arrival_at: now(), persons: 1, client_id: clientId() }), 400, 'invalid', 'train_no');
  expectError(await staff.post(`/api/v1/checkpoints/${rail.id}/trains`,
    { train_no: 'K1', arrival_at: now(), persons: 3, flagged: [{ name: 'x' }], client_id: clientId() }),
  400, 'invalid', 'flagged[0].temperature');
  expectError(await staff.post(`/api/v1/checkpoints/${road.id}/trains`,
    { train_no: 'K1', arrival_at: now(), persons: 3, client_id: clientId() }), 422, 'rule');

  const after = await countsToday();
  assert.equal(after.rail.trains - before.rail.trains, 1);
  assert.equal(after.rail.person_trips - before.rail.person_trips, 800);
  assert.equal(after.rail.fevers - before.rail.fevers, 1);
  assert.equal(after.rail.registered - before.rail.registered, 1);
  assert.equal(after.road.vehicles, before.road.vehicles);

  const list = expectStatus(await staff.get(`/api/v1/checkpoints/${rail.id}/trains`), 200);
  assert.equal(list.body.items[0].train_no, 'K1234');
  assert.equal(list.body.items[0].flagged, 2);
});

test('counts per checkpoint and day, totals road and rail; the fever threshold setting', async () => {
  const day = dayOf(now());
  const res = expectStatus(await staff.get(`/api/v1/checkpoints/counts?from=${day}&to=${day}`), 200, 'counts');
  const vehicles = await count(`SELECT COUNT(*) FROM vehicle_checks WHERE checkpoint_id = ${road.id}`);
  const trips = await count(`SELECT COALESCE(SUM(occupants), 0) FROM vehicle_checks WHERE checkpoint_id = ${road.id}`);
  const roadDay = res.body.items.find((x) => x.checkpoint_id === road.id && x.day === day);
  assert.ok(roadDay, show(res));
  assert.equal(roadDay.vehicles, vehicles, 'the counters agree with the records');
  assert.equal(roadDay.person_trips, trips);
  assert.equal(res.body.road.vehicles, vehicles);
  assert.equal(res.body.road.checkpoints, 1);
  assert.equal(res.body.rail.checkpoints, 1);
  assert.equal(res.body.total.person_trips, res.body.road.person_trips + res.body.rail.person_trips);
  assert.equal(res.body.total.trains, res.body.rail.trains);
  const per = res.body.checkpoints.find((x) => x.checkpoint_id === road.id);
  assert.equal(per.vehicles, vehicles);
  // Counts of another day are empty; without dates: everything.
  const y = expectStatus(await staff.get(`/api/v1/checkpoints/counts?from=${addDays(day, -10)}&to=${addDays(day, -9)}`), 200);
  assert.equal(y.body.total.vehicles, 0);
  const all = expectStatus(await staff.get('/api/v1/checkpoints/counts'), 200);
  assert.equal(all.body.road.vehicles, vehicles);
  expectError(await staff.get('/api/v1/checkpoints/counts?from=2020-02-10&to=2020-02-01'), 400, 'invalid', 'to');
  const csv = await staff.get(`/api/v1/checkpoints/counts?format=csv&from=${day}`, { raw: true });
  expectStatus(csv, 200);
  assert.match(csv.body.toString('utf8'), /车辆/);

  // Some units used 37.2 °C.
  expectStatus(await admin.patch('/api/v1/settings', { fever_threshold_tenths: 372 }), 200, 'threshold 37.2');
  let v = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    { plate: '宁C11111', direction: 'in', occupants: [{ temperature: 37.2 }], client_id: clientId() });
  expectStatus(v, 201);
  assert.equal(v.body.occupants[0].disposition, 'referral');
  expectStatus(await admin.patch('/api/v1/settings', { fever_threshold_tenths: 373 }), 200);
  v = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    { plate: '宁C11112', direction: 'in', occupants: [{ temperature: 37.2 }], client_id: clientId() });
  assert.equal(v.body.occupants[0].disposition, 'pass');
  expectError(await admin.patch('/api/v1/settings', { fever_threshold_tenths: 350 }), 400, 'invalid', 'fever_threshold_tenths');
});

test('lists: vehicles newest first, by day and plate, export; recent plates for suggestions', async () => {
  const day = dayOf(now());
  let res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?limit=2`), 200);
  assert.equal(res.body.items.length, 2);
  assert.ok(res.body.items[0].id > res.body.items[1].id, 'newest first');
  assert.equal(res.body.items[0].plate, '宁C11112');
  const next = await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?limit=2&after=${res.body.next}`);
  expectStatus(next, 200);
  assert.ok(next.body.items[0].id < res.body.items[1].id, 'the next page is older');
  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?day=${day}&limit=500`), 200);
  const total = await count(`SELECT COUNT(*) FROM vehicle_checks WHERE checkpoint_id = ${road.id}`);
  assert.equal(res.body.items.length, total);
  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?day=${addDays(day, -1)}`), 200);
  assert.equal(res.body.items.length, 0);
  res = expectStatus(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?plate=${encodeURIComponent('鄂a1b234')}`), 200);
  assert.deepEqual(res.body.items.map((x) => x.plate), ['鄂A1B234']);
  assert.equal(res.body.items[0].origin_name, '武汉市');
  expectError(await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?day=yesterday`), 400, 'invalid', 'day');
  const csv = await staff.get(`/api/v1/checkpoints/${road.id}/vehicles?format=csv`, { raw: true });
  expectStatus(csv, 200);
  assert.match(csv.body.toString('utf8'), /车牌号/);
  assert.match(csv.body.toString('utf8'), /宁B88888/);

  res = expectStatus(await staff.get(`/api/v1/checkpoints/recent-plates?checkpoint_id=${road.id}&prefix=${encodeURIComponent('宁b')}`), 200);
  assert.deepEqual(res.body.items.map((x) => x.plate), ['宁B88889', '宁B88888']);
  res = expectStatus(await staff.get(`/api/v1/checkpoints/recent-plates?checkpoint_id=${road.id}`), 200);
  assert.equal(res.body.items[0].plate, '宁C11112');
  expectError(await staff.get('/api/v1/checkpoints/recent-plates'), 400, 'invalid', 'checkpoint_id');
});

test('scope: checkpoint staff of another town neither sees nor screens here', async () => {
  const stranger = await userClient(srv, admin, { username: 'cp.other', role: 'checkpoint_staff', scope_unit_id: other.id });
  let res = expectStatus(await stranger.get('/api/v1/checkpoints'), 200);
  assert.deepEqual(res.body.items, []);
  expectError(await stranger.get(`/api/v1/checkpoints/${road.id}`), 404, 'not_found');
  expectError(await stranger.get(`/api/v1/checkpoints/${road.id}/vehicles`), 404, 'not_found');
  expectError(await stranger.get(`/api/v1/checkpoints/recent-plates?checkpoint_id=${road.id}`), 404, 'not_found');
  const rows = await count('SELECT COUNT(*) FROM vehicle_checks');
  expectError(await stranger.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    { plate: '宁A54321', direction: 'in', occupants: [{ temperature: 36.5 }], client_id: clientId() }),
  403, 'forbidden');
  assert.equal(await count('SELECT COUNT(*) FROM vehicle_checks'), rows);
  expectError(await stranger.post(`/api/v1/checkpoints/${road.id}/duty`, { person_name: '外人', agency: 'other' }),
    403, 'forbidden');
  res = expectStatus(await stranger.get('/api/v1/checkpoints/counts'), 200);
  assert.equal(res.body.total.vehicles, 0);
  assert.deepEqual(res.body.checkpoints, []);
  expectError(await stranger.get(`/api/v1/checkpoints/counts?checkpoint_id=${road.id}`), 404, 'not_found');
  // A commander elsewhere cannot set up a checkpoint reporting here.
  const cmd = await userClient(srv, admin, { username: 'cp.cmd', role: 'commander', scope_unit_id: other.id });
  expectError(await cmd.post('/api/v1/checkpoints', { code: 'KD-Y', name: '越界', kind: 'road', unit_id: T.id }),
    403, 'forbidden');
  // A device of this town screens like its staff.
  const dev = await admin.post('/api/v1/devices', { name: '卡点平板', role: 'checkpoint_staff', scope_unit_id: T.id });
  expectStatus(dev, 201, 'device');
  const { Client } = await import('./lib.mjs');
  const tablet = new Client(srv.base, { token: dev.body.token });
  res = await tablet.post(`/api/v1/checkpoints/${road.id}/vehicles`,
    { plate: '宁A54321', direction: 'in', occupants: [{ temperature: 36.5 }], client_id: clientId() });
  expectStatus(res, 201, 'tablet');
  assert.equal(res.body.created_by, null);
  assert.ok(res.body.device_id);
});

test('plates: GA 36 special plates are accepted, full-width typing folded, lengths in characters', async () => {
  const car = (plate) => ({ plate, direction: 'in', occupants: [{ temperature: 37.2 }], client_id: clientId() });
  for (const plate of ['宁A1234挂', '宁A1234学', '宁A1234警', '宁A1234领', '宁A1234使', '粤Z1234港', '粤Z1234澳']) {
    const res = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car(plate));
    expectStatus(res, 201, plate);
    assert.equal(res.body.plate, plate);
  }
  const fw = expectStatus(await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car('宁Ａ１２３４５')), 201, 'full-width');
  assert.equal(fw.body.plate, '宁A12345');
  // Tenths come back as one decimal, not 37.200000000000003.
  assert.match(fw.text, /"temperature":37\.2[,}]/);
  const short = await staff.post(`/api/v1/checkpoints/${road.id}/vehicles`, car('宁A1234'));
  expectError(short, 400, 'invalid', 'plate');
  assert.match(short.body.error.message, /not 6$/, 'counted in characters, not bytes');
});
