// Trajectories and close contacts: a case's stays proposed from its own gate
// scans and checkpoint screenings; contact candidates found in the household,
// at the same gate within ±30 minutes (30 in, 31 out), in the same vehicle
// and at a typed place, from 2 days before onset — each person once with all
// its reasons; an officer's decision (close: red at once and isolated;
// general: yellow), one decision when two officers decide at once, scope
// (an out-of-scope candidate is masked and cannot be decided), and the
// network of cases and contacts. Fixed clock: 2020-02-15 09:00 (UTC+8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 600;
const newId = () => rid(`64010619820304${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `ct-${process.pid}-${++cid}`;

const T0 = 1581728400; // 2020-02-15 09:00 in Yinchuan
const at = (s) => Math.floor(new Date(s + '+08:00').getTime() / 1000);

let srv; let admin; let officer; let officer2; let S; let K; let K2; let KO; let G; let G2; let GO; let road; let X; let caseX;
const P = {};
async function person(nick, name, unit, extra = {}) {
  const doc = newId();
  const res = await admin.post('/api/v1/persons', { doc_number: doc, name, unit_id: unit.id, ...extra });
  P[nick] = { ...expectStatus(res, 201, `person ${nick}`).body, doc };
  return P[nick];
}
async function scanRow(gate, unit, p, when) {
  await sql(srv.db, `INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id, kind, decision, reason)
    VALUES (${gate.id}, ${unit.id}, ${when}, '${new Date((when + 8 * 3600) * 1000).toISOString().slice(0, 10)}', 'in', ${p.id}, 'resident', 'allow', 'test')`);
}

before(async () => {
  srv = await startServer({ clock: '2020-02-15T09:00' });
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'CT-S', '接触街道');
  const O = await mkUnit(admin, admin.root.id, 'subdistrict', 'CT-O', '外街道');
  const C = await mkUnit(admin, S.id, 'community', 'CT-C', '接触社区');
  const CO = await mkUnit(admin, O.id, 'community', 'CT-CO', '外社区');
  K = await mkUnit(admin, C.id, 'compound', 'CT-K', '接触小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'CT-K2', '超市小区');
  KO = await mkUnit(admin, CO.id, 'compound', 'CT-KO', '外小区');
  G = expectStatus(await admin.post('/api/v1/gates', { unit_id: K.id, name: '东门' }), 201, 'gate').body;
  G2 = expectStatus(await admin.post('/api/v1/gates', { unit_id: K2.id, name: '北门' }), 201, 'gate2').body;
  GO = expectStatus(await admin.post('/api/v1/gates', { unit_id: KO.id, name: '西门' }), 201, 'gateO').body;
  road = expectStatus(await admin.post('/api/v1/checkpoints', { code: 'CT-R', name: 'S103卡点', kind: 'road', unit_id: admin.root.id }), 201, 'checkpoint').body;
  const hh = expectStatus(await admin.post('/api/v1/households', { unit_id: K.id, address: '3号楼2单元301' }), 201, 'household').body;
  X = await person('x', '马建军', K, { household_id: hh.id });
  await person('spouse', '马丽', K, { household_id: hh.id });
  for (const [n, name, u] of [['g1', '韩梅', K], ['g2', '吴涛', K], ['g3', '苏明', K], ['g4', '何芳', K], ['v1', '丁宁', K2], ['p1', '罗平', K2], ['out', '欧阳明月', KO]]) {
    await person(n, name, u);
  }
  const hotel = expectStatus(await admin.post('/api/v1/isolation-sites', { unit_id: S.id, name: '接触隔离酒店', kind: 'hotel' }), 201, 'hotel').body;
  expectStatus(await admin.post(`/api/v1/isolation-sites/${hotel.id}/rooms`, { number: '101', floor: 1, beds: 1 }), 201, 'room');
  officer = await userClient(srv, admin, { role: 'officer', scope_unit_id: S.id });
  officer2 = await userClient(srv, admin, { role: 'officer', scope_unit_id: S.id });

  // X and g4 pass the gate now (through the scan API), others at chosen times.
  for (const n of ['x', 'g4']) {
    const pass = expectStatus(await admin.post('/api/v1/passes', { person_id: P[n].id }), 201, `pass ${n}`).body;
    const res = await admin.post(`/api/v1/gates/${G.id}/scans`, { token: pass.token, direction: 'in', temperature: 36.5, client_id: clientId() });
    assert.equal(expectStatus(res, 200, `scan ${n}`).body.decision, 'allow');
  }
  await scanRow(G, K, X, T0 - 7200);               // 07:00
  await scanRow(G, K, P.g1, T0 - 7200 + 30 * 60);  // exactly 30 minutes later: in
  await scanRow(G, K, P.g2, T0 - 7200 + 31 * 60);  // 31 minutes: out
  await scanRow(G, K, X, at('2020-02-11T23:59:59')); // the second before the window
  await scanRow(G, K, P.g3, at('2020-02-11T23:59:59'));
  await scanRow(G, K, P.out, T0 - 7200 - 10 * 60); // another district's resident passing by
  await scanRow(G2, K2, P.p1, at('2020-02-14T10:20')); // at the supermarket while X was there
  await scanRow(G2, K2, P.v1, at('2020-02-14T12:30')); // after X left (and 90 min > window)
  // X, g1 and v1 in one car through the S103 checkpoint.
  const car = await admin.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '宁A8M123', direction: 'in', client_id: clientId(),
    occupants: [{ doc_number: X.doc, temperature: 36.6 }, { doc_number: P.g1.doc, temperature: 36.4 }, { doc_number: P.v1.doc, temperature: 36.5 }],
  });
  const v = expectStatus(car, 201, 'car').body;
  assert.equal(v.occupants.length, 3);
  caseX = expectStatus(await officer.post('/api/v1/cases', { person_id: X.id, status: 'confirmed', onset_day: '2020-02-14', report_day: '2020-02-15' }), 201, 'case X').body;
});
after(async () => { await srv?.stop(); });

test('the trajectory proposes the case\'s own log rows; one is taken as a stay, once', async () => {
  let t = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/trajectory`), 200, 'trajectory').body;
  assert.equal(t.items.length, 0);
  const gates = t.proposed.filter((p) => p.source === 'gate_log');
  assert.equal(gates.length, 2, 'the 07:00 scan and the scan now; not the one before the window');
  assert.ok(gates.every((p) => p.place.includes('东门')));
  const cps = t.proposed.filter((p) => p.source === 'checkpoint_log');
  assert.equal(cps.length, 1);
  assert.equal(cps[0].place_kind, 'vehicle');
  assert.match(cps[0].place, /宁A8M123/);
  const s = expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'gate_log', source_id: gates[0].source_id }), 201, 'take a proposed stay').body;
  assert.equal(s.source, 'gate_log');
  assert.equal(s.gate_id, G.id);
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'gate_log', source_id: gates[0].source_id }), 409, 'conflict', 'source_id');
  const other = Number((await sql(srv.db, `SELECT id FROM gate_scans WHERE person_id = ${P.g1.id}`)).trim());
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'gate_log', source_id: other }), 400, 'invalid', 'source_id', 'another person\'s scan');
  // a typed stay: the supermarket compound, from the interview
  const typed = expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/stays`, {
    source: 'interview', place_kind: 'unit', place_unit_id: K2.id, from: '2020-02-14T10:00', to: '2020-02-14T11:00',
  }), 201, 'typed stay').body;
  assert.equal(typed.place, '超市小区');
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'interview', place_kind: 'unit', from: '2020-02-14T10:00', to: '2020-02-14T11:00' }), 400, 'invalid', 'place_unit_id');
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'interview', place_kind: 'venue', place: '超市', from: '2020-02-14T12:00', to: '2020-02-14T11:00' }), 400, 'invalid', 'to');
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/stays`, { source: 'gossip', place_kind: 'venue' }), 400, 'invalid', 'source');
  t = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/trajectory`), 200, 'trajectory again').body;
  assert.equal(t.items.length, 2);
  assert.equal(t.proposed.filter((p) => p.source === 'gate_log').length, 1, 'the taken scan is no longer proposed');
});

test('candidates: household, gate (30 in, 31 out), vehicle and place, each person once', async () => {
  const res = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/contact-candidates`), 200, 'candidates').body;
  const by = Object.fromEntries(res.items.map((c) => [c.person_id, c]));
  const kinds = (n) => (by[P[n].id] ? by[P[n].id].reasons.map((r) => r.kind).sort() : null);
  assert.deepEqual(kinds('spouse'), ['household']);
  assert.equal(by[P.spouse.id].reasons[0].place, '3号楼2单元301');
  assert.deepEqual(kinds('g1'), ['gate', 'vehicle'], 'one entry with both reasons');
  assert.equal(kinds('g2'), null, '31 minutes apart is out');
  assert.equal(kinds('g3'), null, 'before 2 days before onset is out');
  assert.deepEqual(kinds('g4'), ['gate']);
  assert.deepEqual(kinds('v1'), ['vehicle'], 'v1 was in the car; its supermarket scan was outside the window');
  assert.deepEqual(kinds('p1'), ['place']);
  assert.equal(by[P.p1.id].reasons[0].place, '超市小区');
  assert.equal(res.items.filter((c) => c.person_id === P.g1.id).length, 1);
  assert.ok(!by[X.id], 'the case is not its own contact');
  const g = by[P.g1.id].reasons.find((r) => r.kind === 'gate');
  assert.equal(g.from, T0 - 7200);
  assert.equal(g.to, T0 - 7200 + 30 * 60);
  // outside the officer's scope: shown masked, not decidable
  const o = by[P.out.id];
  assert.equal(o.in_scope, false);
  assert.equal(o.name, '欧**月');
  expectError(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.out.id, decision: 'general', last_exposure_day: '2020-02-15' }), 403, 'forbidden');
  assert.equal(expectStatus(await admin.get(`/api/v1/cases/${caseX.id}/contact-candidates`), 200).body.items.find((c) => c.person_id === P.out.id).name, '欧阳明月');
  assert.ok(by[P.g1.id].decision === null);
  assert.equal(res.window_minutes, 30);
});

test('a close contact is red at once (and refused at the gate); a general contact is yellow', async () => {
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${P.g1.id}/colour`), 200).body.colour, 'green');
  const res = await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.g1.id, decision: 'close', last_exposure_day: '2020-02-15' });
  const d = expectStatus(res, 201, 'close').body;
  assert.equal(d.decision, 'close');
  assert.equal(d.observation_end_day, '2020-02-29');
  assert.ok(d.isolation_id > 0, 'the isolation order made in the same action');
  const order = expectStatus(await admin.get(`/api/v1/isolations/${d.isolation_id}`), 200, 'the order').body;
  assert.equal(order.person_id, P.g1.id);
  assert.equal(order.reason, 'close_contact');
  assert.equal(order.kind, 'centralized', 'a close contact goes to the designated hotel');
  assert.equal(order.last_exposure_day, '2020-02-15');
  assert.equal(order.planned_end_day, '2020-02-29');
  const col = expectStatus(await admin.get(`/api/v1/persons/${P.g1.id}/colour`), 200).body;
  assert.equal(col.colour, 'red');
  assert.match(col.reason, /close contact/);
  const pass = expectStatus(await admin.post('/api/v1/passes', { person_id: P.g1.id }), 201).body;
  const scan = expectStatus(await admin.post(`/api/v1/gates/${G.id}/scans`, { token: pass.token, direction: 'in', temperature: 36.5, client_id: clientId() }), 200).body;
  assert.equal(scan.decision, 'deny');
  assert.equal(scan.reason_code, 'red');
  expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.spouse.id, decision: 'general', last_exposure_day: '2020-02-15' }), 201, 'general');
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${P.spouse.id}/colour`), 200).body.colour, 'yellow');
  expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.p1.id, decision: 'none' }), 201, 'not a contact');
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${P.p1.id}/colour`), 200).body.colour, 'green');
  // the case itself is red
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${X.id}/colour`), 200).body.colour, 'red');
  const cands = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/contact-candidates`), 200).body.items;
  const g1 = cands.find((c) => c.person_id === P.g1.id);
  assert.equal(g1.decision.decision, 'close');
  assert.equal(g1.decision.last_exposure_day, '2020-02-15');
  assert.ok(g1.decision.decided_by_name);
});

test('two officers deciding the same candidate at once store one decision', async () => {
  const body = { person_id: P.g4.id, decision: 'close', last_exposure_day: '2020-02-15' };
  const [a, b] = await Promise.all([
    officer.post(`/api/v1/cases/${caseX.id}/contacts`, body),
    officer2.post(`/api/v1/cases/${caseX.id}/contacts`, { ...body, decision: 'general' }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [201, 409]);
  const loser = a.status === 409 ? a : b;
  assert.equal(loser.body.error.field, 'person_id');
  const n = Number((await sql(srv.db, `SELECT COUNT(*) FROM contacts WHERE person_id = ${P.g4.id}`)).trim());
  assert.equal(n, 1);
  const orders = Number((await sql(srv.db, `SELECT COUNT(*) FROM isolations WHERE person_id = ${P.g4.id}`)).trim());
  const won = (a.status === 201 ? a : b).body;
  assert.equal(orders, won.decision === 'close' ? 1 : 0, 'one order at most');
  if (won.decision === 'close') {
    const o = expectStatus(await admin.get(`/api/v1/isolations/${won.isolation_id}`), 200).body;
    assert.equal(o.kind, 'home', 'the hotel\'s one bed is taken: home, where no place exists');
  }
});

test('bad decisions name the field', async () => {
  const url = `/api/v1/cases/${caseX.id}/contacts`;
  expectError(await officer.post(url, { person_id: P.v1.id, decision: 'maybe', last_exposure_day: '2020-02-15' }), 400, 'invalid', 'decision');
  expectError(await officer.post(url, { person_id: P.v1.id, decision: 'close' }), 400, 'invalid', 'last_exposure_day');
  expectError(await officer.post(url, { person_id: P.v1.id, decision: 'close', last_exposure_day: '2020-02-16' }), 400, 'invalid', 'last_exposure_day');
  expectError(await officer.post(url, { person_id: P.v1.id, decision: 'close', last_exposure_day: '15.2.2020' }), 400, 'invalid', 'last_exposure_day');
  expectError(await officer.post(url, { person_id: X.id, decision: 'close', last_exposure_day: '2020-02-15' }), 400, 'invalid', 'person_id');
  expectError(await officer.post(url, { person_id: 999999, decision: 'close', last_exposure_day: '2020-02-15' }), 400, 'invalid', 'person_id');
  expectError(await officer.post('/api/v1/cases/999999/contacts', { person_id: P.v1.id, decision: 'close', last_exposure_day: '2020-02-15' }), 404, 'not_found');
});

test('the contact list exports; the network shows who became a case', async () => {
  const list = expectStatus(await officer.get('/api/v1/contacts?decision=close'), 200).body;
  assert.ok(list.items.some((c) => c.person_name === '韩梅'));
  assert.ok(list.items.every((c) => c.decision === 'close'));
  const all = expectStatus(await officer.get(`/api/v1/contacts?case_id=${caseX.id}`), 200).body;
  assert.equal(all.items.filter((c) => c.person_name === '何芳').length, 1, 'the raced decision once');
  assert.equal(all.items.length, 4);
  const x = await officer.get('/api/v1/contacts?format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
  // g1 falls ill: a case of its own, linked to X
  expectStatus(await officer.post('/api/v1/cases', { person_id: P.g1.id, status: 'confirmed', onset_day: '2020-02-15', report_day: '2020-02-15' }), 201, 'g1 a case');
  const net = expectStatus(await officer.get('/api/v1/cases/network'), 200).body;
  const node = (pid) => net.nodes.filter((n) => n.person_id === pid);
  assert.equal(node(X.id)[0].kind, 'case');
  assert.equal(node(P.g1.id).length, 1, 'one node for a contact who became a case');
  assert.equal(node(P.g1.id)[0].kind, 'case');
  assert.equal(node(P.spouse.id)[0].kind, 'contact');
  assert.equal(node(P.p1.id).length, 0, '"not a contact" is no link');
  const l = net.links.find((k) => k.target === `p${P.g1.id}`);
  assert.equal(l.source, `p${X.id}`);
  assert.equal(l.became_case, true);
  for (const k of net.links) assert.ok(net.nodes.some((n) => n.id === k.target) && net.nodes.some((n) => n.id === k.source), 'every link has its nodes');
});

test('a contact is observed through the end day inclusive (exposure + 14), green the day after', async () => {
  // Exposed 2020-02-01: observed through 02-15 (today), so still yellow today.
  const last = await person('lastday', '田静', K);
  const d = expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: last.id, decision: 'general', last_exposure_day: '2020-02-01' }), 201, 'general, end today').body;
  assert.equal(d.observation_end_day, '2020-02-15');
  const col = expectStatus(await admin.get(`/api/v1/persons/${last.id}/colour`), 200).body;
  assert.equal(col.colour, 'yellow', 'the end day is still a day of observation');
  assert.match(col.reason, /contact/);
  // Exposed 2020-01-31: observation ended yesterday (02-14).
  const done = await person('ended', '石磊', K);
  expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: done.id, decision: 'general', last_exposure_day: '2020-01-31' }), 201, 'general, ended');
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${done.id}/colour`), 200).body.colour, 'green');
});
