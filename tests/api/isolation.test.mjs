// Isolation orders and their places (DOMAIN.md §8): designated hotels with
// rooms whose beds are never overfilled, one active order per person, the
// planned end from the last exposure (an arrival's own day when not typed),
// placement advice that an order may differ from only with a reason, early
// release only with a reason, extension and transfer with their history,
// and scope: a grid worker sees its own compound's orders only. The server
// runs on 2020-02-15 09:00 local (--clock).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, unzipEntry,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 500;
const newId = (birth = '19800101') => rid(`640106${birth}${String(seq++).padStart(3, '0')}`);

let srv;
let admin;
let S; let C; let K1; let K2;
let hotel; let hospital; let room1; let room2;
const P = {};

async function mkPerson(nick, name, unit, extra = {}) {
  const res = await admin.post('/api/v1/persons', { doc_number: newId(extra.birth), name, unit_id: unit.id, ...extra, birth: undefined });
  expectStatus(res, 201, `person ${name}`);
  P[nick] = res.body;
  return res.body;
}

async function arrive(nick, origin_code, arrival_date) {
  expectStatus(await admin.post(`/api/v1/persons/${P[nick].id}/arrivals`, { origin_code, arrival_date, mode: 'train' }),
    201, `${nick} arrives`);
}

before(async () => {
  srv = await startServer({ clock: '2020-02-15T09:00' });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'IS-S', '隔离街道');
  C = await mkUnit(admin, S.id, 'community', 'IS-C', '隔离社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'IS-K1', '和平小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'IS-K2', '康宁小区');
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-01' }),
    201, 'Hubei is the worst-hit area');
  await mkPerson('wang', '王武汉', K1);
  await arrive('wang', '420100', '2020-02-10');
  await mkPerson('li', '李上海', K1);
  await arrive('li', '310100', '2020-02-12');
  await mkPerson('zhang', '张密接', K1);
  await mkPerson('zhao', '赵一', K2);
  await arrive('zhao', '420100', '2020-02-11');
  await mkPerson('baby', '钱宝宝', K1, { doc_number: newId('20190601') });
  await arrive('baby', '420100', '2020-02-13');
  await mkPerson('sun', '孙二', K1);
  await arrive('sun', '420100', '2020-02-14');
});

after(async () => { await srv?.stop(); });

test('designated hotels have rooms with beds; bad input names the field', async () => {
  hotel = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '金凤宾馆', kind: 'hotel' }),
    201, 'hotel').body;
  assert.equal(hotel.kind, 'hotel');
  assert.equal(hotel.rooms, 0);
  hospital = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: admin.root.id, name: '第一人民医院', kind: 'hospital' }),
    201, 'hospital').body;
  expectError(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '金凤宾馆', kind: 'hotel' }),
    409, 'conflict', 'name', 'same name twice');
  expectError(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: 'x', kind: 'tent' }),
    400, 'invalid', 'kind');
  room1 = expectStatus(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '101', floor: 1, beds: 1 }),
    201, 'room 101').body;
  room2 = expectStatus(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '102', floor: 1, beds: 2 }),
    201, 'room 102').body;
  expectError(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '101', floor: 1, beds: 1 }),
    409, 'conflict', 'number', 'room twice');
  expectError(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '103', floor: 1, beds: 0 }),
    400, 'invalid', 'beds');
  expectError(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '103', floor: 'one', beds: 1 }),
    400, 'invalid', 'floor');
  const one = expectStatus(await admin.get(`/api/v1/isolation-sites/${hotel.id}`), 200, 'hotel').body;
  assert.equal(one.rooms, 2);
  assert.equal(one.beds, 3);
  assert.equal(one.free, 3);
  assert.deepEqual(one.room_list.map((r) => r.number), ['101', '102']);
});

test('advice: worst-hit arrival centralized, other province home, infant home with a note', async () => {
  let a = expectStatus(await admin.get(`/api/v1/persons/${P.wang.id}/isolation-advice`), 200, 'advice wang').body;
  assert.equal(a.kind, 'centralized');
  assert.equal(a.why, 'worst_hit');
  assert.equal(a.last_exposure_day, '2020-02-10');
  assert.equal(a.planned_end_day, '2020-02-24');
  a = expectStatus(await admin.get(`/api/v1/persons/${P.li.id}/isolation-advice`), 200, 'advice li').body;
  assert.equal(a.kind, 'home');
  assert.equal(a.why, 'other_province');
  a = expectStatus(await admin.get(`/api/v1/persons/${P.baby.id}/isolation-advice`), 200, 'advice baby').body;
  assert.equal(a.kind, 'home');
  assert.equal(a.note, 'infant');
  a = expectStatus(await admin.get(`/api/v1/persons/${P.zhang.id}/isolation-advice?reason=close_contact`), 200, 'contact').body;
  assert.equal(a.kind, 'centralized');
  a = expectStatus(await admin.get(`/api/v1/persons/${P.zhang.id}/isolation-advice?reason=fever`), 200, 'fever').body;
  assert.equal(a.kind, 'hospital');
  expectError(await admin.get(`/api/v1/persons/${P.zhang.id}/isolation-advice?reason=bored`), 400, 'invalid', 'reason');
});

test('an arrival is placed in a hotel room from its arrival day; a full room is refused', async () => {
  const res = await admin.post('/api/v1/isolations', {
    person_id: P.wang.id, kind: 'centralized', reason: 'arrival', site_id: hotel.id, room_id: room1.id,
  });
  const o = expectStatus(res, 201, 'order wang').body;
  assert.equal(o.status, 'active');
  assert.equal(o.last_exposure_day, '2020-02-10');
  assert.equal(o.planned_end_day, '2020-02-24');
  assert.equal(o.start_day, '2020-02-15');
  assert.equal(o.room_number, '101');
  assert.equal(o.history[0].action, 'created');
  assert.deepEqual(o.carer_gaps, ['leader', 'party_member', 'medic', 'cadre']);
  // Room 101 has one bed: the next person is refused, naming the room.
  const full = expectError(await admin.post('/api/v1/isolations', {
    person_id: P.sun.id, kind: 'centralized', reason: 'arrival', room_id: room1.id,
  }), 422, 'rule', 'room_id', 'full room');
  assert.match(full.message, /101/);
  const site = expectStatus(await admin.get(`/api/v1/isolation-sites/${hotel.id}`), 200, 'hotel').body;
  assert.equal(site.occupied, 1);
  assert.equal(site.room_list.find((r) => r.number === '101').free, 0);
  // A second active order for wang: 409 naming the first.
  const dup = expectError(await admin.post('/api/v1/isolations', {
    person_id: P.wang.id, kind: 'centralized', reason: 'arrival', room_id: room2.id,
  }), 409, 'conflict', 'person_id', 'second active order');
  assert.match(dup.message, new RegExp(`\\(${o.id}\\)`));
  P.wang.order = o;
});

test('choosing otherwise than the advice needs a reason, kept on the order', async () => {
  expectError(await admin.post('/api/v1/isolations', { person_id: P.sun.id, kind: 'home', reason: 'arrival' }),
    422, 'rule', 'override_reason', 'home against the advice');
  const o = expectStatus(await admin.post('/api/v1/isolations', {
    person_id: P.sun.id, kind: 'home', reason: 'arrival', override_reason: '酒店已满，居家隔离',
  }), 201, 'home with a reason').body;
  assert.equal(o.advised_kind, 'centralized');
  assert.equal(o.override_reason, '酒店已满，居家隔离');
  assert.equal(o.kind, 'home');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.li.id, kind: 'home', reason: 'arrival', room_id: room2.id }),
    400, 'invalid', 'room_id', 'home with a room');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.li.id, kind: 'sofa', reason: 'arrival' }),
    400, 'invalid', 'kind');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.li.id, kind: 'home', reason: 'arrival', last_exposure_day: '2020-02-30' }),
    400, 'invalid', 'last_exposure_day');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.zhang.id, kind: 'centralized', reason: 'close_contact', room_id: room2.id }),
    400, 'invalid', 'last_exposure_day', 'a contact has no arrival day');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.zhang.id, kind: 'centralized', reason: 'close_contact', last_exposure_day: '2020-02-16', room_id: room2.id }),
    400, 'invalid', 'last_exposure_day', 'exposure tomorrow');
  expectError(await admin.post('/api/v1/isolations', { person_id: P.li.id, kind: 'home', reason: 'arrival', carers: [1, 1] }),
    400, 'invalid', 'carers', 'one carer twice');
  expectError(await admin.post('/api/v1/isolations', { person_id: 999999, kind: 'home', reason: 'other', last_exposure_day: '2020-02-14' }),
    400, 'invalid', 'person_id');
});

test('release before the planned end needs a reason; release frees the bed', async () => {
  const o = P.wang.order;
  expectError(await admin.post(`/api/v1/isolations/${o.id}/release`, { outcome: 'completed' }),
    422, 'rule', 'reason', 'early release');
  expectError(await admin.post(`/api/v1/isolations/${o.id}/release`, { outcome: 'whatever', reason: 'x' }),
    400, 'invalid', 'outcome');
  const rel = expectStatus(await admin.post(`/api/v1/isolations/${o.id}/release`, { outcome: 'lifted', reason: '核酸阴性，专家组会商解除' }),
    200, 'release with a reason').body;
  assert.equal(rel.status, 'released');
  assert.equal(rel.end_day, '2020-02-15');
  assert.equal(rel.history.at(-1).action, 'released');
  assert.equal(rel.history.at(-1).reason, '核酸阴性，专家组会商解除');
  expectError(await admin.post(`/api/v1/isolations/${o.id}/release`, { outcome: 'lifted', reason: 'again' }),
    409, 'conflict', undefined, 'released twice');
  const site = expectStatus(await admin.get(`/api/v1/isolation-sites/${hotel.id}`), 200, 'hotel').body;
  assert.equal(site.occupied, 0, 'the bed is free again');
  // Now sun's neighbour can have room 101.
  expectStatus(await admin.post('/api/v1/isolations', { person_id: P.wang.id, kind: 'centralized', reason: 'arrival', room_id: room1.id }),
    201, 'wang again after release');
});

test('a new exposure extends the planned end, and the history says why', async () => {
  const o = expectStatus(await admin.post('/api/v1/isolations', {
    person_id: P.zhang.id, kind: 'centralized', reason: 'close_contact', last_exposure_day: '2020-02-08', room_id: room2.id,
  }), 201, 'contact').body;
  assert.equal(o.planned_end_day, '2020-02-22');
  expectError(await admin.post(`/api/v1/isolations/${o.id}/extend`, { last_exposure_day: '2020-02-07', reason: 'x' }),
    422, 'rule', 'last_exposure_day', 'an earlier exposure does not extend');
  expectError(await admin.post(`/api/v1/isolations/${o.id}/extend`, { last_exposure_day: '2020-02-12' }),
    400, 'invalid', 'reason');
  const ext = expectStatus(await admin.post(`/api/v1/isolations/${o.id}/extend`, { last_exposure_day: '2020-02-12', reason: '同住家人 2 月 12 日确诊' }),
    200, 'extend').body;
  assert.equal(ext.planned_end_day, '2020-02-26');
  assert.equal(ext.last_exposure_day, '2020-02-12');
  const h = ext.history.at(-1);
  assert.equal(h.action, 'extended');
  assert.match(h.detail, /2020-02-22 -> 2020-02-26/);
  assert.equal(h.reason, '同住家人 2 月 12 日确诊');
  P.zhang.order = ext;
});

test('transfer closes the order, frees the bed and opens a hospital order', async () => {
  const o = P.zhang.order;
  const t = expectStatus(await admin.post(`/api/v1/isolations/${o.id}/transfer`, { site_id: hospital.id, reason: '发热 38.2，120 转运' }),
    201, 'transfer').body;
  assert.equal(t.kind, 'hospital');
  assert.equal(t.site_name, '第一人民医院');
  assert.equal(t.source, 'transfer');
  const old = expectStatus(await admin.get(`/api/v1/isolations/${o.id}`), 200, 'old order').body;
  assert.equal(old.status, 'transferred');
  const room = expectStatus(await admin.get(`/api/v1/isolation-sites/${hotel.id}`), 200, 'hotel').body
    .room_list.find((r) => r.number === '102');
  assert.equal(room.occupied, 0);
});

test('lists filter by status and kind, export to xlsx, and keep to scope', async () => {
  const all = expectStatus(await admin.get('/api/v1/isolations?status=active'), 200, 'active').body.items;
  assert.ok(all.length >= 3, show({ status: 200, body: all }));
  assert.ok(all.every((o) => o.status === 'active'));
  const homes = expectStatus(await admin.get('/api/v1/isolations?kind=home'), 200, 'home').body.items;
  assert.ok(homes.every((o) => o.kind === 'home') && homes.length >= 1);
  expectError(await admin.get('/api/v1/isolations?status=asleep'), 400, 'invalid', 'status');
  const x = await admin.get('/api/v1/isolations?status=active&format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
  assert.match(unzipEntry(x.body, 'xl/worksheets/sheet1.xml'), /计划解除日期/);

  // zhao lives in K2: a grid worker of K1 does not see that order.
  const oz = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.zhao.id, kind: 'centralized', reason: 'arrival', room_id: room2.id }),
    201, 'zhao').body;
  const grid = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K1.id });
  const mine = expectStatus(await grid.get('/api/v1/isolations'), 200, 'grid list').body.items;
  assert.ok(mine.length >= 1);
  assert.ok(mine.every((o) => o.unit_id === K1.id), 'only K1');
  expectError(await grid.get(`/api/v1/isolations/${oz.id}`), 404, 'not_found', undefined, 'out of scope');
  expectError(await grid.post('/api/v1/isolations', { person_id: P.li.id, kind: 'home', reason: 'arrival' }),
    403, 'forbidden', undefined, 'grid workers do not order isolation');
  const officer = await userClient(srv, admin, { role: 'officer', scope_unit_id: K2.id });
  expectError(await officer.post('/api/v1/isolations', { person_id: P.li.id, kind: 'home', reason: 'arrival' }),
    403, 'forbidden', 'person_id', 'person outside the officer scope');
  expectError(await officer.post(`/api/v1/isolations/${P.wang.order.id}/release`, { outcome: 'completed', reason: 'x' }),
    [403, 404], undefined, undefined, 'release outside scope');
  // The hotel belongs to the sub-district above the officer: usable and listed.
  const sites = expectStatus(await officer.get('/api/v1/isolation-sites'), 200, 'sites').body.items;
  assert.ok(sites.some((s) => s.id === hotel.id));
});
