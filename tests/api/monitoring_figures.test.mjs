// The monitoring page's figures (GET /isolation-summary) are read from counts
// the writes keep (023_isolation_counts.sql), not from the orders: after each
// write that moves them — a new order, carers assigned and removed, a
// release, a transfer, an extension, checks in the morning and the evening,
// a fever — every figure must equal the list behind it, for a sub-district
// and for each compound below it. The server runs on 2020-02-15 from 11:00
// (the morning window), then a second one on the same database from 20:00.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, mkUser, expectStatus, sql, show } from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 300;
const newId = () => rid(`64010619850505${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `mf-${process.pid}-${++cid}`;
const DAY = '2020-02-15';

let srv; let admin; let S; let K1; let K2; let room; let hospital;
const U = [];
const O = {};

async function all(c, url) {
  let items = [];
  let after = 0;
  for (;;) {
    const r = expectStatus(await c.get(`${url}&limit=100${after ? `&after=${after}` : ''}`), 200, url).body;
    items = items.concat(r.items);
    if (!r.next) return items;
    after = r.next;
  }
}

// Every figure of unit's summary against the list behind it.
async function agree(c, unit, step) {
  const s = expectStatus(await c.get(`/api/v1/isolation-summary?unit_id=${unit.id}`), 200, step).body;
  const units = unit.id === S.id ? [S.id, K1.id, K2.id] : [unit.id];
  const mine = (rows) => rows.filter((o) => units.includes(o.unit_id));
  const active = await all(c, `/api/v1/isolations?status=active&unit_id=${unit.id}`);
  const by = (k) => active.filter((o) => o.kind === k).length;
  const want = {
    active: { centralized: by('centralized'), home: by('home'), hospital: by('hospital'), total: active.length },
    carers_missing: (await all(c, `/api/v1/isolations?status=active&carers_missing=1&unit_id=${unit.id}`)).length,
    missed_checks: (await all(c, `/api/v1/isolations/missed-checks?day=${DAY}&unit_id=${unit.id}`)).length,
    releases_due: mine(await all(c, '/api/v1/isolations/release-due?x=1')).length,
    open_alerts: mine(await all(c, '/api/v1/alerts?status=open')).length,
    open_fever_alerts: mine(await all(c, '/api/v1/alerts?status=open&kind=fever')).length,
    fevers_today: mine(await all(c, `/api/v1/alerts?kind=fever&day=${DAY}`)).length,
  };
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, s[k]]));
  assert.deepEqual(got, want, `${step}, unit ${unit.code}: ${show({ status: 200, body: s })}`);
  assert.equal(s.day, DAY);
  return s;
}
async function agreeAll(c, step) {
  const s = await agree(c, S, step);
  await agree(c, K1, step);
  await agree(c, K2, step);
  return s;
}

async function order(c, nick, unit, body) {
  const p = expectStatus(await c.post('/api/v1/persons', { doc_number: newId(), name: `图表${nick}`, unit_id: unit.id }), 201, nick).body;
  O[nick] = expectStatus(await c.post('/api/v1/isolations', { person_id: p.id, reason: 'general_contact', kind: 'home', last_exposure_day: '2020-02-10', ...body }), 201, `order ${nick}`).body;
}
const check = async (c, nick, temperature) => expectStatus(
  await c.post(`/api/v1/isolations/${O[nick].id}/checks`, { temperature, symptoms: [], client_id: clientId() }), 201, `check ${nick}`).body;

before(async () => {
  srv = await startServer({ clock: `${DAY}T11:00` });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'MF-S', '图表街道');
  const C = await mkUnit(admin, S.id, 'community', 'MF-C', '图表社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'MF-K1', '图表一区');
  K2 = await mkUnit(admin, C.id, 'compound', 'MF-K2', '图表二区');
  const hotel = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '图表宾馆', kind: 'hotel' }), 201, 'hotel').body;
  room = expectStatus(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '301', floor: 3, beds: 2 }), 201, 'room').body;
  hospital = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '图表医院', kind: 'hospital' }), 201, 'hospital').body;
  for (const role of ['officer', 'officer', 'medic', 'grid_worker']) U.push((await mkUser(admin, { role, scope_unit_id: S.id })).id);
  await order(admin, 'a', K1, { carers: U });
  await order(admin, 'b', K1, {});
  await order(admin, 'c', K2, { carers: [U[0], U[1], U[2], null] });
  await order(admin, 'd', K2, { kind: 'centralized', reason: 'close_contact', last_exposure_day: '2020-02-12', room_id: room.id, carers: U });
  await order(admin, 'e', K1, { last_exposure_day: '2020-02-01' }); // ends today: due
  await order(admin, 'g', K1, { last_exposure_day: '2020-02-01', carers: U }); // due, then extended
  // Made two days ago: they owe today's checks (no count keys on when).
  await sql(srv.db, `UPDATE isolations SET created_at = created_at - 2 * 86400, start_day = '2020-02-13'`);
});

after(async () => { await srv?.stop(); });

test('the figures equal their lists after each write that moves them', async () => {
  let s = await agreeAll(admin, 'orders made');
  assert.equal(s.active.total, 6);
  assert.equal(s.releases_due, 2);
  assert.equal(s.missed_checks, 0, 'the morning window is still open');

  // Morning checks; a fever on d.
  await check(admin, 'a', 36.5);
  await check(admin, 'c', 36.7);
  assert.ok((await check(admin, 'd', 38.5)).alert_id, 'a fever raises an alert');
  await agreeAll(admin, 'morning checks');

  // The morning window now closes at 11: b, e and g missed theirs.
  expectStatus(await admin.patch('/api/v1/settings', { check_morning_until: 11 }), 200, 'morning until 11');
  s = await agreeAll(admin, 'morning window closed');
  assert.equal(s.missed_checks, 3, show({ status: 200, body: s }));

  // A new order made now owes nothing yet today; it has no carers.
  await order(admin, 'f', K2, {});
  s = await agreeAll(admin, 'new order');
  assert.equal(s.active.total, 7);
  assert.equal(s.missed_checks, 3);

  // Carers assigned to b, one removed from a.
  expectStatus(await admin.post(`/api/v1/isolations/${O.b.id}/carers`, { carers: U }), 200, 'b carers');
  expectStatus(await admin.post(`/api/v1/isolations/${O.a.id}/carers`, { carers: [U[0], U[1], U[2], null] }), 200, 'a carer removed');
  await agreeAll(admin, 'carers');

  // Released: a (checked this morning, before its end, with a reason) and e (due, missed).
  expectStatus(await admin.post(`/api/v1/isolations/${O.a.id}/release`, { outcome: 'completed', reason: '提前解除' }), 200, 'release a');
  expectStatus(await admin.post(`/api/v1/isolations/${O.e.id}/release`, { outcome: 'completed' }), 200, 'release e');
  s = await agreeAll(admin, 'released');
  assert.equal(s.missed_checks, 2);

  // c goes to hospital: a new order made now, with c's carers (one missing).
  O.h = expectStatus(await admin.post(`/api/v1/isolations/${O.c.id}/transfer`, { site_id: hospital.id }), 201, 'transfer c').body;
  s = await agreeAll(admin, 'transferred');
  assert.equal(s.active.hospital, 1);

  // A new exposure moves g's end: no longer due.
  expectStatus(await admin.post(`/api/v1/isolations/${O.g.id}/extend`, { last_exposure_day: '2020-02-14', reason: '再次接触' }), 200, 'extend g');
  s = await agreeAll(admin, 'extended');
  assert.equal(s.releases_due, 0);

  // A fever on b outside the windows: an alert, b still missed its morning.
  assert.ok((await check(admin, 'b', 38.9)).alert_id);
  s = await agreeAll(admin, 'fever');
  assert.equal(s.fevers_today, 2);
});

test('in the evening, with both windows closed, the figures still equal their lists', async () => {
  const srv2 = await startServer({ sameDbAs: srv, clock: `${DAY}T20:00` });
  try {
    const admin2 = await adminClient(srv2);
    // Evening checks: b (missed its morning), d, f and the hospital order h.
    for (const n of ['b', 'd', 'f', 'h']) await check(admin2, n, 36.6);
    await agreeAll(admin2, 'evening checks');
    expectStatus(await admin2.patch('/api/v1/settings', { check_evening_until: 20 }), 200, 'evening until 20');
    // Owing: b (no morning), g (neither); d did both; f and h (made at 11) owe the evening only, done.
    const s = await agreeAll(admin2, 'evening window closed');
    assert.equal(s.missed_checks, 2, show({ status: 200, body: s }));
    expectStatus(await admin2.post(`/api/v1/isolations/${O.d.id}/release`, { outcome: 'completed', reason: '提前解除' }), 200, 'release d');
    await agreeAll(admin2, 'released in the evening');
  } finally {
    await srv2.stop();
  }
});
