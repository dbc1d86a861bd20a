// Health monitoring of isolated persons (DOMAIN.md §8): checks stored once per
// client id, fever at 37.3 (not 37.2) and symptoms raising alerts a medic in
// scope closes, the pass colour and the gate following the order and the
// open fever alert, the missed-check list of a fixed day, releases due, the
// self-report link (works; forged, revoked, expired and mixed tokens
// refused), carers' lists, service requests and the monitoring figures.
// The server runs on 2020-02-15 08:00 local (--clock): the morning window.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql, Client, show,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 700;
const newId = () => rid(`64010619800101${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `m-${process.pid}-${++cid}`;

let srv; let admin; let S; let K1; let K2; let hotel; let room;
let medic; let medicK2; let grid; let leader;
const P = {};
const O = {};

async function mkPerson(nick, name, unit) {
  P[nick] = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name, unit_id: unit.id }), 201, nick).body;
}
const count = async (q) => Number((await sql(srv.db, q)).trim());

before(async () => {
  srv = await startServer({ clock: '2020-02-15T08:00' });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'MO-S', '监测街道');
  const C = await mkUnit(admin, S.id, 'community', 'MO-C', '监测社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'MO-K1', '阳光小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'MO-K2', '月亮小区');
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-01' }), 201, 'Hubei');
  hotel = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '监测宾馆', kind: 'hotel' }), 201, 'hotel').body;
  room = expectStatus(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '201', floor: 2, beds: 4 }), 201, 'room').body;
  for (const [n, name, unit] of [['a', '周武汉', K1], ['b', '吴上海', K1], ['c', '郑月亮', K2], ['d', '冯期满', K1], ['e', '陈发热', K1]]) {
    await mkPerson(n, name, unit);
  }
  expectStatus(await admin.post(`/api/v1/persons/${P.a.id}/arrivals`, { origin_code: '420100', arrival_date: '2020-02-10', mode: 'train' }), 201, 'a arrives');
  expectStatus(await admin.post(`/api/v1/persons/${P.b.id}/arrivals`, { origin_code: '310100', arrival_date: '2020-02-12', mode: 'train' }), 201, 'b arrives');
  medic = await userClient(srv, admin, { role: 'medic', scope_unit_id: S.id });
  medicK2 = await userClient(srv, admin, { role: 'medic', scope_unit_id: K2.id });
  grid = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K1.id });
  leader = await userClient(srv, admin, { role: 'officer', scope_unit_id: S.id });
  const carers = [leader.account.id, null, medic.account.id, grid.account.id];
  O.a = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.a.id, kind: 'centralized', reason: 'arrival', room_id: room.id, carers }), 201, 'a').body;
  O.b = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.b.id, kind: 'home', reason: 'arrival', carers }), 201, 'b').body;
  O.c = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.c.id, kind: 'centralized', reason: 'close_contact', last_exposure_day: '2020-02-13', room_id: room.id }), 201, 'c').body;
  O.d = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.d.id, kind: 'home', reason: 'general_contact', last_exposure_day: '2020-02-01' }), 201, 'd').body;
  O.e = expectStatus(await admin.post('/api/v1/isolations', { person_id: P.e.id, kind: 'home', reason: 'general_contact', last_exposure_day: '2020-02-01' }), 201, 'e').body;
  // The orders were made two days ago: they owed yesterday's checks.
  await sql(srv.db, `UPDATE isolations SET created_at = created_at - 2 * 86400, start_day = '2020-02-13'`);
});

after(async () => { await srv?.stop(); });

test('a check is stored once per client id; bad temperatures and symptoms name the field', async () => {
  const id = clientId();
  const first = expectStatus(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: 36.6, symptoms: [], client_id: id }), 201, 'check').body;
  assert.equal(first.slot, 'morning');
  assert.equal(first.day, '2020-02-15');
  assert.equal(first.temperature, 36.6);
  assert.equal(first.alert_id, null);
  const again = expectStatus(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: 36.6, symptoms: [], client_id: id }), 201, 'retry').body;
  assert.equal(again.id, first.id);
  assert.equal(again.replayed, true);
  assert.equal(await count(`SELECT COUNT(*) FROM health_checks WHERE client_id = '${id}'`), 1);
  for (const t of [33.9, 43.1, 'hot', null]) {
    expectError(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: t, client_id: clientId() }), 400, 'invalid', 'temperature', `temperature ${t}`);
  }
  expectError(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: 36.5, symptoms: ['sneezing'] }), 400, 'invalid', 'symptoms');
  expectError(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: 36.5, symptoms: 'cough' }), 400, 'invalid', 'symptoms');
  expectError(await grid.post(`/api/v1/isolations/${O.c.id}/checks`, { temperature: 36.5 }), [403, 404], undefined, undefined, 'K2 order from a K1 grid worker');
});

test('37.2 is no fever, 37.3 is: the alert makes the pass red and the gate refuses', async () => {
  const ok = expectStatus(await grid.post(`/api/v1/isolations/${O.b.id}/checks`, { temperature: 37.2, client_id: clientId() }), 201, '37.2').body;
  assert.equal(ok.alert_id, null);
  let colour = expectStatus(await admin.get(`/api/v1/persons/${P.a.id}/colour`), 200, 'colour a').body;
  assert.equal(colour.colour, 'yellow', 'an arrival under observation');
  const fever = expectStatus(await grid.post(`/api/v1/isolations/${O.a.id}/checks`, { temperature: 37.3, symptoms: ['cough'], client_id: clientId() }), 201, '37.3').body;
  assert.ok(fever.alert_id, show({ status: 201, body: fever }));
  O.a.alert = fever.alert_id;
  colour = expectStatus(await admin.get(`/api/v1/persons/${P.a.id}/colour`), 200, 'colour a').body;
  assert.equal(colour.colour, 'red');
  const card = expectStatus(await admin.get(`/api/v1/persons/${P.a.id}`), 200, 'card a').body;
  assert.equal(card.isolation.active.id, O.a.id);
  assert.equal(card.isolation.colour, 'red');
  assert.equal(card.isolation.open_alerts, 1);

  // The gate of a's compound refuses a (red) and c (close contact in K2's gate).
  const gate = expectStatus(await admin.post('/api/v1/gates', { unit_id: K1.id, name: '阳光东门' }), 201, 'gate').body;
  const pass = expectStatus(await admin.post('/api/v1/passes', { person_id: P.a.id }), 201, 'pass').body;
  const scan = expectStatus(await admin.post(`/api/v1/gates/${gate.id}/scans`, { token: pass.token, direction: 'in', temperature: 36.5, client_id: clientId() }), 200, 'scan').body;
  assert.equal(scan.decision, 'deny');
  assert.equal(scan.reason_code, 'red');
  const gate2 = expectStatus(await admin.post('/api/v1/gates', { unit_id: K2.id, name: '月亮门' }), 201, 'gate2').body;
  const pass2 = expectStatus(await admin.post('/api/v1/passes', { person_id: P.c.id }), 201, 'pass c').body;
  const scan2 = expectStatus(await admin.post(`/api/v1/gates/${gate2.id}/scans`, { token: pass2.token, direction: 'in', temperature: 36.5, client_id: clientId() }), 200, 'scan c').body;
  assert.equal(scan2.decision, 'deny', 'an active centralized order');
});

test('a medic in scope sees and closes the alert; then the pass follows the order again', async () => {
  const open = expectStatus(await medic.get('/api/v1/alerts?status=open'), 200, 'alerts').body.items;
  assert.ok(open.some((a) => a.id === O.a.alert && a.kind === 'fever' && a.temperature === 37.3));
  assert.equal(open.find((a) => a.id === O.a.alert).symptoms, 'cough', 'the alert keeps the symptoms reported');
  const other = expectStatus(await medicK2.get('/api/v1/alerts?status=open'), 200, 'K2 alerts').body.items;
  assert.ok(!other.some((a) => a.id === O.a.alert), 'a K2 medic does not see K1');
  expectError(await medicK2.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'normal' }), 403, 'forbidden');
  expectError(await grid.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'normal' }), 403, 'forbidden');
  expectError(await medic.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'fine' }), 400, 'invalid', 'outcome');
  expectError(await medic.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'other' }), 400, 'invalid', 'note');
  const ack = expectStatus(await medic.post(`/api/v1/alerts/${O.a.alert}/acknowledge`, {}), 200, 'ack').body;
  assert.equal(ack.status, 'acknowledged');
  const closed = expectStatus(await medic.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'normal', note: '复测 36.8' }), 200, 'close').body;
  assert.equal(closed.status, 'closed');
  assert.equal(closed.outcome, 'normal');
  expectError(await medic.post(`/api/v1/alerts/${O.a.alert}/close`, { outcome: 'normal' }), 409, 'conflict');
  const colour = expectStatus(await admin.get(`/api/v1/persons/${P.a.id}/colour`), 200, 'colour').body;
  assert.equal(colour.colour, 'yellow');
  const xlsx = await medic.get('/api/v1/alerts?format=xlsx', { raw: true });
  expectStatus(xlsx, 200, 'alerts xlsx');
});

test('an alert closed as transferred by 120 moves the order to hospital', async () => {
  const f = expectStatus(await grid.post(`/api/v1/isolations/${O.b.id}/checks`, { temperature: 38.4, client_id: clientId() }), 201, 'b fever').body;
  expectStatus(await medic.post(`/api/v1/alerts/${f.alert_id}/close`, { outcome: 'transferred_120' }), 200, 'close 120');
  const old = expectStatus(await admin.get(`/api/v1/isolations/${O.b.id}`), 200, 'old b').body;
  assert.equal(old.status, 'transferred');
  const now = expectStatus(await admin.get(`/api/v1/isolations?status=active&kind=hospital`), 200, 'hospital').body.items;
  const nb = now.find((o) => o.person_id === P.b.id);
  assert.ok(nb, 'b has a hospital order');
  O.b = nb;
  const colour = expectStatus(await admin.get(`/api/v1/persons/${P.b.id}/colour`), 200, 'colour b').body;
  assert.equal(colour.colour, 'red');
});

test('the missed-check list of a fixed day, for the unit and for a carer', async () => {
  const y = expectStatus(await admin.get('/api/v1/isolations/missed-checks?day=2020-02-14'), 200, 'yesterday').body.items;
  const ids = y.map((o) => o.id);
  assert.ok(ids.includes(O.a.id) && ids.includes(O.c.id), show({ status: 200, body: y }));
  assert.deepEqual(y.find((o) => o.id === O.a.id).missed, ['morning', 'evening']);
  // Today at 08:00 the morning window is still open: nothing missed yet.
  const t = expectStatus(await admin.get('/api/v1/isolations/missed-checks?day=2020-02-15'), 200, 'today').body.items;
  assert.equal(t.length, 0);
  const mine = expectStatus(await grid.get('/api/v1/isolations/missed-checks?day=2020-02-14&carer=me'), 200, 'mine').body.items;
  // b's first order (transferred today) owed yesterday's checks too.
  assert.deepEqual(mine.map((o) => o.id), [O.a.id, O.a.id + 1]);
  const k2 = expectStatus(await grid.get('/api/v1/isolations/missed-checks?day=2020-02-14'), 200, 'grid').body.items;
  assert.ok(k2.every((o) => o.unit_id === K1.id), 'only the grid worker compound');
  expectError(await admin.get('/api/v1/isolations/missed-checks?day=2020-13-01'), 400, 'invalid', 'day');
  const x = await admin.get('/api/v1/isolations/missed-checks?day=2020-02-14&format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
});

test('releases due: the end has come with no fever or symptom in the last three days', async () => {
  // d and e were exposed on 2020-02-01: their observation ends today.
  expectStatus(await admin.post(`/api/v1/isolations/${O.e.id}/checks`, { temperature: 36.5, symptoms: ['cough'], client_id: clientId() }), 201, 'e coughs');
  const due = expectStatus(await admin.get('/api/v1/isolations/release-due'), 200, 'due').body.items;
  assert.deepEqual(due.map((o) => o.id), [O.d.id]);
  const rel = expectStatus(await admin.post(`/api/v1/isolations/${O.d.id}/release`, { outcome: 'completed' }), 200, 'release d on its end day').body;
  assert.equal(rel.status, 'released');
  const colour = expectStatus(await admin.get(`/api/v1/persons/${P.d.id}/colour`), 200, 'colour d').body;
  assert.equal(colour.colour, 'green', 'nothing else holds the pass');
});

test('the self-report link reaches its own order only; forged, mixed, revoked and expired links are refused', async () => {
  const link = expectStatus(await admin.post(`/api/v1/isolations/${O.a.id}/self-report-link`, {}), 201, 'link').body;
  assert.match(link.url, /^\/self-report\.html#\d+\.[A-Za-z0-9_-]{32}$/);
  assert.equal(link.expires_at, Date.UTC(2020, 1, 24, 16) / 1000, 'the end of 2020-02-24 local');
  const token = link.url.split('#')[1];
  const anon = new Client(srv.base);
  const as = (t) => ({ headers: { 'X-Self-Report-Token': t } });
  const me = expectStatus(await anon.get('/api/v1/self-report', as(token)), 200, 'self get').body;
  assert.equal(me.name, '周*汉');
  assert.equal(me.planned_end_day, '2020-02-24');
  const post = expectStatus(await anon.post('/api/v1/self-report', { temperature: 36.4, symptoms: [], service: 'meals', note: '清真餐', client_id: clientId() }, as(token)), 201, 'self post').body;
  assert.equal(post.check.by_kind, 'self');
  assert.ok(post.request_id);
  expectError(await anon.post('/api/v1/self-report', { temperature: 44 }, as(token)), 400, 'invalid', 'temperature');
  // Forged: one character changed; mixed: another order's id with this secret.
  const secret = token.split('.')[1];
  const forged = `${O.a.id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
  expectError(await anon.get('/api/v1/self-report', as(forged)), 401, 'unauthenticated', 'token', 'forged');
  expectError(await anon.post('/api/v1/self-report', { temperature: 36.5 }, as(`${O.c.id}.${secret}`)), 401, 'unauthenticated', 'token', "another person's order");
  expectError(await anon.get('/api/v1/self-report'), 401, 'unauthenticated', 'token', 'no token');
  // Another person's own link opens that person's form, not this one.
  const linkC = expectStatus(await admin.post(`/api/v1/isolations/${O.c.id}/self-report-link`, {}), 201, 'link c').body;
  const other = expectStatus(await anon.get('/api/v1/self-report', as(linkC.url.split('#')[1])), 200, 'c self').body;
  assert.equal(other.name, '郑*亮');
  // Expired.
  await sql(srv.db, `UPDATE isolations SET link_expires_at = 1000 WHERE id = ${O.c.id}`);
  const exp = expectError(await anon.get('/api/v1/self-report', as(linkC.url.split('#')[1])), 401, 'unauthenticated', 'token', 'expired');
  assert.match(exp.message, /expired/);
  // Revoked.
  expectStatus(await admin.del(`/api/v1/isolations/${O.a.id}/self-report-link`), 204, 'revoke');
  const rev = expectError(await anon.get('/api/v1/self-report', as(token)), 401, 'unauthenticated', 'token', 'revoked');
  assert.match(rev.message, /revoked/);
  expectError(await grid.post(`/api/v1/isolations/${O.a.id}/self-report-link`, {}), 403, 'forbidden', undefined, 'grid workers issue no links');
});

test('carers see their people; service requests are assigned, done and overdue', async () => {
  const mine = expectStatus(await grid.get('/api/v1/my-people'), 200, 'my people').body;
  // a, and b's hospital order, which kept its carers.
  assert.deepEqual(mine.items.map((i) => i.id), [O.a.id, O.b.id], show({ status: 200, body: mine }));
  const a = mine.items[0];
  assert.equal(a.role, 'cadre');
  assert.equal(a.morning_done, true);
  assert.equal(a.open_requests, 1, 'the meal asked for on the self-report page');
  const reqs = expectStatus(await grid.get('/api/v1/service-requests?status=open'), 200, 'requests').body.items;
  const meal = reqs.find((r) => r.kind === 'meals');
  assert.ok(meal && meal.by_self);
  expectError(await grid.post('/api/v1/service-requests', { isolation_id: O.a.id, kind: 'massage' }), 400, 'invalid', 'kind');
  const shop = expectStatus(await grid.post('/api/v1/service-requests', { isolation_id: O.a.id, kind: 'shopping', note: '蔬菜' }), 201, 'shopping').body;
  assert.equal(shop.status, 'open');
  await sql(srv.db, `UPDATE service_requests SET due_at = 1000 WHERE id = ${shop.id}`);
  const over = expectStatus(await admin.get('/api/v1/service-requests?overdue=1'), 200, 'overdue').body.items;
  assert.deepEqual(over.map((r) => r.id), [shop.id]);
  assert.equal(over[0].overdue, true);
  const asg = expectStatus(await grid.post(`/api/v1/service-requests/${shop.id}/assign`, {}), 200, 'assign').body;
  assert.equal(asg.status, 'assigned');
  assert.equal(asg.assigned_to, grid.account.id);
  const done = expectStatus(await grid.post(`/api/v1/service-requests/${shop.id}/done`, {}), 200, 'done').body;
  assert.equal(done.status, 'done');
  assert.equal(done.overdue, false);
  const x = await admin.get('/api/v1/service-requests?format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
});

test('the monitoring figures for a unit', async () => {
  const s = expectStatus(await admin.get(`/api/v1/isolation-summary?unit_id=${S.id}`), 200, 'summary').body;
  assert.equal(s.day, '2020-02-15');
  assert.equal(s.active.total, 4, show({ status: 200, body: s })); // a, b (hospital), c, e
  assert.equal(s.active.hospital, 1);
  assert.equal(s.active.centralized, 2);
  assert.equal(s.occupancy.beds, 4);
  assert.equal(s.occupancy.beds_used, 2);
  assert.equal(s.fevers_today, 2);
  assert.equal(s.open_alerts, 1, 'e coughed');
  assert.equal(s.releases_due, 0);
  assert.equal(s.carers_missing, 4, 'a and b lack a party member; c and e have no carers');
  const g = expectStatus(await grid.get('/api/v1/isolation-summary'), 200, 'grid summary').body;
  assert.equal(g.active.total, 3, 'K1 only');
});
