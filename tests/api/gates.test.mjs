// Compound gates (小区封闭式管理): a gate scan admits a green resident of its
// compound and refuses, in words a guard understands, a forged or tampered
// pass, an expired one (by the record, not only by the token), a revoked
// one, a resident of another compound, couriers, a red or yellow colour and
// a fever (recorded). Every scan is logged once — a retry with the same
// client id answers the first decision and stores nothing twice, also when
// the two copies race — and the first normal temperature of the day marks
// the resident. A typed document number admits a resident without a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql, show, Client, run, unzipEntry,
  localDay, localTime,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 300;
const newId = () => rid(`64010619800101${String(seq++).padStart(3, '0')}`);
const today = () => localDay();

let srv;
let admin;
let S; let C; let K1; let K2; let B1; let G1; let G2;
const P = {};   // persons by nickname
const pass = {}; // passes by nickname
let cid = 0;
const clientId = () => `t-${process.pid}-${++cid}-${Math.random().toString(36).slice(2, 8)}`;

async function mkPerson(nick, name, unit, extra = {}) {
  const doc = newId();
  const res = await admin.post('/api/v1/persons', { doc_number: doc, name, unit_id: unit.id, ...extra });
  expectStatus(res, 201, `person ${name}`);
  P[nick] = { ...res.body, doc };
  return P[nick];
}

async function issue(nick, body = {}) {
  const res = await admin.post('/api/v1/passes', { person_id: P[nick].id, ...body });
  expectStatus(res, 201, `pass for ${nick}`);
  pass[nick] = res.body;
  return res.body;
}

async function scanAt(gate, body, c = admin) {
  return c.post(`/api/v1/gates/${gate.id}/scans`, { direction: 'in', temperature: 36.5, client_id: clientId(), ...body });
}

async function count(statement) {
  return Number((await sql(srv.db, statement)).trim());
}

function decision(res, what) {
  expectStatus(res, 200, what);
  assert.ok(['allow', 'deny'].includes(res.body.decision), `${what}: ${show(res)}`);
  assert.equal(typeof res.body.reason, 'string', `${what}: reason`);
  assert.equal(typeof res.body.reason_code, 'string', `${what}: reason_code`);
  assert.ok(Number.isInteger(res.body.scan_id) && res.body.scan_id > 0, `${what}: scan_id ${show(res)}`);
  return res.body;
}

/** A pass token for these claims signed with a key of our own. */
function forge({ kid, id, person, unit, issued, expires }, key) {
  const payload = Buffer.from(`C1|${kid}|${id}|${person}|${unit}|${issued}|${expires}`);
  const sig = crypto.sign(null, payload, key);
  return `${payload.toString('base64url')}.${sig.toString('base64url')}`;
}
function claims(token) {
  const [kid, id, person, unit, issued, expires] = Buffer.from(token.split('.')[0], 'base64url')
    .toString().split('|').slice(1);
  return { kid, id, person, unit, issued, expires };
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'GT-S', '门岗街道');
  C = await mkUnit(admin, S.id, 'community', 'GT-C', '门岗社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'GT-K1', '幸福小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'GT-K2', '安康小区');
  B1 = await mkUnit(admin, K1.id, 'building', 'GT-K1-B1', '幸福小区1号楼');
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-01' }),
    201, 'risk area');
  let res = await admin.post('/api/v1/gates', { unit_id: K1.id, name: '东门' });
  G1 = expectStatus(res, 201, 'gate G1').body;
  G2 = expectStatus(await admin.post('/api/v1/gates', { unit_id: K2.id, name: '南门' }), 201, 'gate G2').body;

  await mkPerson('alice', '王丽华', K1, { phone: '13800000001' });
  await mkPerson('bob', '李强', K2);
  await mkPerson('carol', '张敏', K1);
  await mkPerson('dave', '刘伟', K1);
  await mkPerson('erin', '陈静', B1);
  await mkPerson('frank', '杨洋', K1);
  await mkPerson('grace', '赵雪', K1);
  await mkPerson('henry', '孙建国', K1); // no phone: types his ID at the gate
  await mkPerson('ivy', '周芳', K1);
  await mkPerson('nomad', '吴刚', C);   // on a list, not located in a compound
  res = await admin.post(`/api/v1/persons/${P.carol.id}/arrivals`, { origin_code: '420100', arrival_date: today(), mode: 'train' });
  expectStatus(res, 201, 'carol arrives from Wuhan');
  for (const n of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'ivy']) await issue(n);
});

after(async () => { await srv?.stop(); });

test('gates belong to compounds', async () => {
  assert.equal(G1.unit_id, K1.id);
  assert.equal(G1.unit_name, '幸福小区');
  expectError(await admin.post('/api/v1/gates', { unit_id: C.id, name: '社区门' }), 422, 'rule', 'unit_id', 'gate on a community');
  expectError(await admin.post('/api/v1/gates', { unit_id: K1.id, name: '东门' }), 409, 'conflict', 'name', 'same name twice');
  expectError(await admin.post('/api/v1/gates', { unit_id: K1.id }), 400, 'invalid', 'name', 'no name');
  expectError(await admin.post('/api/v1/gates', { unit_id: 999999, name: 'x' }), 400, 'invalid', 'unit_id', 'no such unit');
  const list = expectStatus(await admin.get(`/api/v1/gates?unit_id=${K1.id}`), 200, 'gates of K1');
  assert.deepEqual(list.body.items.map((g) => g.id), [G1.id]);
  const one = expectStatus(await admin.get(`/api/v1/gates/${G1.id}`), 200, 'one gate');
  assert.equal(one.body.name, '东门');
  assert.equal(typeof one.body.today.allow, 'number');
});

test('a pass is issued for the compound the person lives in', async () => {
  const p = pass.alice;
  assert.equal(p.person_id, P.alice.id);
  assert.equal(p.unit_id, K1.id);
  assert.equal(p.status, 'active');
  assert.match(p.token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.ok(p.expires_at > Date.now() / 1000 + 29 * 86400, `30 days by default: ${p.expires_at}`);
  // A resident of a building gets the pass of its compound.
  assert.equal(pass.erin.unit_id, K1.id);
  expectError(await admin.post('/api/v1/passes', { person_id: P.nomad.id }), 422, 'rule', 'person_id', 'not located');
  expectError(await admin.post('/api/v1/passes', { person_id: 999999 }), 400, 'invalid', 'person_id', 'no such person');
  expectError(await admin.post('/api/v1/passes', { person_id: P.alice.id, days: 0 }), 400, 'invalid', 'days', 'days 0');
  const short = expectStatus(await admin.post('/api/v1/passes', { person_id: P.ivy.id, days: 1 }), 201, 'a 1-day pass');
  assert.ok(short.body.expires_at - Date.now() / 1000 < 2 * 86400 + 60, `1 day: ${show(short)}`);
  // The list: by person, with no token in it.
  const list = expectStatus(await admin.get(`/api/v1/passes?person_id=${P.ivy.id}`), 200, 'passes of ivy');
  assert.equal(list.body.items.length, 2);
  assert.ok(list.body.items[0].id > list.body.items[1].id, 'newest first');
  assert.ok(!JSON.stringify(list.body).includes(short.body.token), 'lists do not carry tokens');
  const csv = expectStatus(await admin.get(`/api/v1/passes?unit_id=${K1.id}&format=csv`), 200, 'csv');
  assert.match(csv.text, /王丽华/);
  // A grid worker of the other compound neither sees nor issues them.
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K2.id });
  expectError(await gw.post('/api/v1/passes', { person_id: P.alice.id }), 403, 'forbidden', 'person_id', 'outside scope');
  const seen = expectStatus(await gw.get('/api/v1/passes'), 200, 'gw list');
  assert.ok(seen.body.items.every((x) => x.unit_id === K2.id), `only K2 passes: ${show(seen)}`);
  expectError(await gw.get(`/api/v1/passes/${pass.alice.id}/qr.svg`), 404, 'not_found', undefined, 'qr outside scope');
});

test('a green resident is allowed, and marked "temperature normal today" once', async () => {
  const d = decision(await scanAt(G1, { token: pass.alice.token, temperature: 36.4 }), 'alice in');
  assert.equal(d.decision, 'allow', show({ status: 200, body: d }));
  assert.equal(d.reason_code, 'ok');
  assert.equal(d.colour, 'green');
  assert.equal(d.person.name, '王*华', 'the name is masked');
  assert.equal(d.temperature, 36.4);
  const d2 = decision(await scanAt(G1, { token: pass.alice.token, temperature: 36.6, direction: 'out' }), 'alice out');
  assert.equal(d2.decision, 'allow');
  assert.equal(await count(`SELECT COUNT(*) FROM temperature_marks WHERE person_id = ${P.alice.id}`), 1);
  assert.equal((await sql(srv.db, `SELECT day, temperature, gate_id FROM temperature_marks WHERE person_id = ${P.alice.id}`)).trim(),
    `${today()}|364|${G1.id}`);
  const row = (await sql(srv.db, `SELECT gate_id, unit_id, direction, person_id, pass_id, kind, temperature, decision, reason_code, colour FROM gate_scans WHERE id = ${d.scan_id}`)).trim();
  assert.equal(row, `${G1.id}|${K1.id}|in|${P.alice.id}|${pass.alice.id}|resident|364|allow|ok|green`);
  const col = expectStatus(await admin.get(`/api/v1/persons/${P.alice.id}/colour`), 200, 'colour');
  assert.equal(col.body.colour, 'green');
});

test('a forged or tampered pass is refused as forged', async () => {
  const real = claims(pass.alice.token);
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  // Signed by another key under the real key id.
  let d = decision(await scanAt(G1, { token: forge(real, privateKey) }), 'other key');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'forged');
  assert.equal(d.person, null);
  // Signed by another key under an unknown key id.
  d = decision(await scanAt(G1, { token: forge({ ...real, kid: 'kforged1' }, privateKey) }), 'unknown kid');
  assert.equal(d.reason_code, 'forged');
  // The real signature over a changed payload (another person).
  const [, sig] = pass.alice.token.split('.');
  const payload = Buffer.from(`C1|${real.kid}|${real.id}|${P.bob.id}|${real.unit}|${real.issued}|${real.expires}`).toString('base64url');
  d = decision(await scanAt(G1, { token: `${payload}.${sig}` }), 'tampered payload');
  assert.equal(d.reason_code, 'forged');
  // The real payload with a later expiry and the old signature.
  const later = Buffer.from(`C1|${real.kid}|${real.id}|${real.person}|${real.unit}|${real.issued}|${Number(real.expires) + 86400 * 365}`).toString('base64url');
  d = decision(await scanAt(G1, { token: `${later}.${sig}` }), 'extended expiry');
  assert.equal(d.reason_code, 'forged');
  // Garbage.
  d = decision(await scanAt(G1, { token: 'hello.world' }), 'garbage');
  assert.equal(d.reason_code, 'forged');
  assert.match(d.reason, /not a valid pass/i);
});

test('an expired pass is refused by the record even while the token says otherwise', async () => {
  const t = claims(pass.grace.token);
  assert.ok(Number(t.expires) > Date.now() / 1000, 'the token itself has not expired');
  await sql(srv.db, `UPDATE passes SET expires_at = ${Math.floor(Date.now() / 1000) - 60} WHERE id = ${pass.grace.id}`);
  const d = decision(await scanAt(G1, { token: pass.grace.token }), 'expired');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'expired');
  assert.match(d.reason, /expired/i);
  const list = expectStatus(await admin.get(`/api/v1/passes?person_id=${P.grace.id}&status=expired`), 200, 'expired list');
  assert.equal(list.body.items.length, 1);
});

test('a revoked pass is refused', async () => {
  const rv = expectStatus(await admin.post(`/api/v1/passes/${pass.frank.id}/revoke`, { reason: '已搬离' }), 200, 'revoke');
  assert.equal(rv.body.status, 'revoked');
  assert.equal(rv.body.revoked_reason, '已搬离');
  const d = decision(await scanAt(G1, { token: pass.frank.token }), 'revoked');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'revoked');
  assert.match(d.reason, /revoked: 已搬离/);
  // Revoking again keeps the first revocation.
  const again = expectStatus(await admin.post(`/api/v1/passes/${pass.frank.id}/revoke`, { reason: 'x' }), 200, 'revoke again');
  assert.equal(again.body.revoked_reason, '已搬离');
  expectError(await admin.post('/api/v1/passes/999999/revoke', {}), 404, 'not_found', undefined, 'no such pass');
});

test('a resident of another compound is refused here and allowed at home', async () => {
  let d = decision(await scanAt(G1, { token: pass.bob.token }), 'bob at K1');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'not_resident');
  d = decision(await scanAt(G2, { token: pass.bob.token }), 'bob at K2');
  assert.equal(d.decision, 'allow');
});

test('red and yellow colours are refused with the colour', async () => {
  await sql(srv.db, `INSERT INTO fevers(person_id, at, temperature, source) VALUES (${P.dave.id}, ${Math.floor(Date.now() / 1000) - 3600}, 385, 'checkpoint')`);
  let d = decision(await scanAt(G1, { token: pass.dave.token }), 'dave red');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'red');
  assert.equal(d.colour, 'red');
  assert.match(d.reason, /fever/i);
  d = decision(await scanAt(G1, { token: pass.carol.token }), 'carol yellow');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'yellow');
  assert.equal(d.colour, 'yellow');
  assert.match(d.reason, /observation/i);
  const col = expectStatus(await admin.get(`/api/v1/persons/${P.carol.id}/colour`), 200, 'carol colour');
  assert.equal(col.body.colour, 'yellow');
  // The normal reading of a yellow resident still marks the day's check.
  assert.equal(await count(`SELECT COUNT(*) FROM temperature_marks WHERE person_id = ${P.carol.id}`), 1);
});

test('a fever at the gate is refused and recorded, and the person turns red', async () => {
  const before = await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${P.erin.id}`);
  const d = decision(await scanAt(G1, { token: pass.erin.token, temperature: 38.2 }), 'erin fever');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'fever');
  assert.equal(d.colour, 'red');
  assert.match(d.reason, /38\.2/);
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${P.erin.id}`), before + 1);
  assert.equal((await sql(srv.db, `SELECT temperature, source, source_id FROM fevers WHERE person_id = ${P.erin.id}`)).trim(), `382|gate|${G1.id}`);
  assert.equal(await count(`SELECT COUNT(*) FROM temperature_marks WHERE person_id = ${P.erin.id}`), 0, 'a fever is not a normal reading');
  const col = expectStatus(await admin.get(`/api/v1/persons/${P.erin.id}/colour`), 200, 'erin colour');
  assert.equal(col.body.colour, 'red');
  // The threshold is the setting: 37.3 is a fever, 37.2 is not.
  const e2 = decision(await scanAt(G1, { token: pass.ivy.token, temperature: 37.2 }), 'ivy 37.2');
  assert.equal(e2.decision, 'allow');
});

test('couriers, delivery riders and visitors are refused by rule', async () => {
  for (const kind of ['courier', 'delivery', 'visitor']) {
    const d = decision(await scanAt(G1, { kind, temperature: 36.6 }), kind);
    assert.equal(d.decision, 'deny');
    assert.equal(d.reason_code, kind);
    assert.equal(d.person, null);
  }
  // Even a resident's pass does not take a courier in.
  const d = decision(await scanAt(G1, { kind: 'courier', token: pass.alice.token }), 'resident as courier');
  assert.equal(d.reason_code, 'courier');
  assert.equal(await count(`SELECT COUNT(*) FROM gate_scans WHERE gate_id = ${G1.id} AND kind = 'courier'`), 2);
});

test('a typed document number admits a resident without a phone', async () => {
  let d = decision(await scanAt(G1, { doc_number: P.henry.doc.toLowerCase(), temperature: 36.2 }), 'henry by ID');
  assert.equal(d.decision, 'allow', show({ status: 200, body: d }));
  assert.equal(d.person.id, P.henry.id);
  const bad = P.henry.doc.slice(0, 17) + (P.henry.doc[17] === '0' ? '1' : '0');
  d = decision(await scanAt(G1, { doc_number: bad }), 'mistyped ID');
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'unknown_person');
  assert.match(d.reason, /check/i);
  d = decision(await scanAt(G1, { doc_number: P.bob.doc }), 'bob by ID at K1');
  assert.equal(d.reason_code, 'not_resident');
  d = decision(await scanAt(G1, { doc_number: P.frank.doc }), 'frank by ID (pass revoked)');
  assert.equal(d.reason_code, 'revoked');
});

test('a retry with the same client id answers the first decision and stores one row', async () => {
  const id = clientId();
  const body = { token: pass.alice.token, direction: 'in', temperature: 36.5, client_id: id };
  const a = decision(await admin.post(`/api/v1/gates/${G1.id}/scans`, body), 'first');
  const again = await admin.post(`/api/v1/gates/${G1.id}/scans`, { ...body, temperature: 39.0 });
  const b = decision(again, 'retry');
  assert.deepEqual(b, a);
  assert.equal(await count(`SELECT COUNT(*) FROM field_writes WHERE client_id = '${id}'`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM gate_scans WHERE id = ${a.scan_id}`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${P.alice.id}`), 0, 'the retry stored no fever');
  // Two copies racing: one row, one answer.
  const id2 = clientId();
  const n0 = await count(`SELECT COUNT(*) FROM gate_scans WHERE gate_id = ${G1.id}`);
  const copies = await Promise.all([1, 2, 3, 4].map(() =>
    admin.post(`/api/v1/gates/${G1.id}/scans`, { ...body, client_id: id2 })));
  const ids = new Set(copies.map((r) => decision(r, 'copy').scan_id));
  assert.equal(ids.size, 1, `one scan for four copies: ${copies.map(show).join('\n')}`);
  assert.equal(await count(`SELECT COUNT(*) FROM gate_scans WHERE gate_id = ${G1.id}`), n0 + 1);
  // The same client id at another gate is not this scan's retry.
  expectError(await admin.post(`/api/v1/gates/${G2.id}/scans`, { ...body, client_id: id }), 409, 'conflict', 'client_id', 'reused id');
  // The header works as the client id too.
  const hid = clientId();
  const h1 = await admin.post(`/api/v1/gates/${G1.id}/scans`, { token: pass.alice.token, direction: 'out' }, { headers: { 'Idempotency-Key': hid } });
  const h2 = await admin.post(`/api/v1/gates/${G1.id}/scans`, { token: pass.alice.token, direction: 'out' }, { headers: { 'Idempotency-Key': hid } });
  assert.equal(decision(h2, 'header retry').scan_id, decision(h1, 'header first').scan_id);
});

test('a body that cannot be read is 400; a refusal is never an HTTP error', async () => {
  const url = `/api/v1/gates/${G1.id}/scans`;
  expectError(await admin.post(url, '{"token": "abc",', { type: 'application/json' }), 400, 'invalid', 'body', 'malformed');
  expectError(await admin.post(url, '[1,2]', { type: 'application/json' }), 400, 'invalid', 'body', 'not an object');
  expectError(await admin.post(url, { token: pass.alice.token, temperature: 36.5 }), 400, 'invalid', 'direction', 'no direction');
  expectError(await admin.post(url, { token: pass.alice.token, direction: 'up', temperature: 36.5 }), 400, 'invalid', 'direction', 'bad direction');
  expectError(await admin.post(url, { token: pass.alice.token, direction: 'in', temperature: '36.5' }), 400, 'invalid', 'temperature', 'text temperature');
  expectError(await admin.post(url, { token: pass.alice.token, direction: 'in', temperature: 3.65 }), 400, 'invalid', 'temperature', 'not a body temperature');
  expectError(await admin.post(url, { token: pass.alice.token, direction: 'in' }), 400, 'invalid', 'temperature', 'no temperature going in');
  expectError(await admin.post(url, { direction: 'in', temperature: 36.5 }), 400, 'invalid', 'token', 'nothing to scan');
  expectError(await admin.post(url, { token: 5, direction: 'in', temperature: 36.5 }), 400, 'invalid', 'token', 'token a number');
  expectError(await admin.post(url, { token: pass.alice.token, direction: 'in', temperature: 36.5, kind: 'alien' }), 400, 'invalid', 'kind', 'kind');
  expectError(await admin.post('/api/v1/gates/999999/scans', { token: pass.alice.token, direction: 'in', temperature: 36.5 }), 404, 'not_found', undefined, 'no gate');
});

test('scope: a guard scans only at gates in their area; scans are not in the audit log', async () => {
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K2.id });
  expectError(await scanAt(G1, { token: pass.alice.token }, gw), 403, 'forbidden', undefined, 'gate outside scope');
  expectError(await gw.get(`/api/v1/gates/${G1.id}/scans`), 404, 'not_found', undefined, 'scans outside scope');
  // A gate tablet (device token) scans without CSRF.
  const dev = expectStatus(await admin.post('/api/v1/devices', { name: '幸福小区东门', role: 'grid_worker', scope_unit_id: K1.id }), 201, 'device');
  const tablet = new Client(srv.base, { token: dev.body.token });
  const d = decision(await scanAt(G1, { token: pass.alice.token }, tablet), 'tablet scan');
  assert.equal(d.decision, 'allow');
  assert.equal(await count(`SELECT COUNT(*) FROM gate_scans WHERE id = ${d.scan_id} AND device_id = ${dev.body.id}`), 1);
  assert.equal(await count("SELECT COUNT(*) FROM audit_log WHERE route LIKE '%/scans'"), 0);
});

test("a gate's scans, newest first, paged and exported; every scan logged", async () => {
  const all = [];
  let next = null;
  do {
    const res = expectStatus(await admin.get(`/api/v1/gates/${G1.id}/scans?limit=7${next ? `&after=${next}` : ''}`), 200, 'scans page');
    all.push(...res.body.items);
    next = res.body.next;
  } while (next);
  const n = await count(`SELECT COUNT(*) FROM gate_scans WHERE gate_id = ${G1.id}`);
  assert.equal(all.length, n, 'paging sees every scan once');
  assert.equal(new Set(all.map((s) => s.id)).size, n);
  for (let i = 1; i < all.length; i++) {
    assert.ok(all[i - 1].at > all[i].at || (all[i - 1].at === all[i].at && all[i - 1].id > all[i].id), 'newest first');
  }
  const deny = expectStatus(await admin.get(`/api/v1/gates/${G1.id}/scans?decision=deny&day=${today()}&limit=500`), 200, 'denied');
  assert.ok(deny.body.items.length > 5 && deny.body.items.every((s) => s.decision === 'deny'));
  const fever = deny.body.items.find((s) => s.reason_code === 'fever');
  assert.equal(fever.temperature, 38.2);
  assert.equal(fever.person_name, '陈*');
  const csv = expectStatus(await admin.get(`/api/v1/gates/${G1.id}/scans?format=csv`), 200, 'csv');
  assert.match(csv.text, /Couriers may not enter/);
  expectError(await admin.get(`/api/v1/gates/${G1.id}/scans?day=2020-13-01`), 400, 'invalid', 'day');
});

test('the QR code reads back as exactly the token (rsvg-convert + zbarimg)', async () => {
  const res = await admin.get(`/api/v1/passes/${pass.alice.id}/qr.svg`);
  expectStatus(res, 200, 'qr.svg');
  assert.match(res.headers.get('content-type'), /image\/svg\+xml/);
  assert.match(res.text, /^<svg /);
  const dir = await fs.mkdtemp(path.join(srv.dir, 'qr-'));
  await fs.writeFile(path.join(dir, 'p.svg'), res.text);
  const conv = await run('rsvg-convert', ['-o', path.join(dir, 'p.png'), path.join(dir, 'p.svg')]);
  assert.equal(conv.code, 0, `rsvg-convert: ${conv.stderr}`);
  const z = await run('zbarimg', ['--raw', '-q', path.join(dir, 'p.png')]);
  assert.equal(z.code, 0, `zbarimg: ${z.stderr}`);
  assert.equal(z.stdout.replace(/\n$/, ''), pass.alice.token);
  const card = expectStatus(await admin.get(`/api/v1/passes/${pass.alice.id}/card`), 200, 'card');
  assert.match(card.headers.get('content-type'), /text\/html/);
  for (const s of ['王丽华', '幸福小区', '门岗社区', '<svg', pass.alice.valid_until]) assert.ok(card.text.includes(s), `card shows ${s}`);
  assert.ok(!/<img/i.test(card.text), 'no photo');
});

test('rotating the key: new passes use the new key, old ones keep verifying', async () => {
  const oldKid = claims(pass.alice.token).kid;
  const rot = expectStatus(await admin.post('/api/v1/pass-keys/rotate', {}), 201, 'rotate');
  assert.notEqual(rot.body.kid, oldKid);
  assert.ok(rot.body.retired >= 1);
  assert.match(rot.body.kid, /^k\d{8}[0-9a-f]{6}$/);
  const fresh = await issue('ivy');
  assert.equal(claims(fresh.token).kid, rot.body.kid);
  assert.equal(decision(await scanAt(G1, { token: fresh.token }), 'new key').decision, 'allow');
  assert.equal(decision(await scanAt(G1, { token: pass.alice.token }), 'old key').decision, 'allow');
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K1.id });
  expectError(await gw.post('/api/v1/pass-keys/rotate', {}), 403, 'forbidden', undefined, 'only admins rotate');
});

test('the signing keys are listed for admins, newest first, without their secrets', async () => {
  const res = expectStatus(await admin.get('/api/v1/pass-keys'), 200, 'pass-keys');
  const keys = res.body.items;
  assert.ok(keys.length >= 2, `a rotated key and the one before: ${show(res)}`);
  assert.equal(keys.filter((k) => k.signing).length, 1, 'one signing key');
  assert.equal(keys[0].signing, true, 'the newest signs');
  assert.equal(keys[0].retired_at, null);
  assert.equal(keys[0].status, 'signing');
  assert.ok(keys.slice(1).every((k) => k.status === 'retired'), 'the older ones say so');
  assert.ok(keys.slice(1).every((k) => Number.isInteger(k.retired_at)), 'the older ones are retired');
  for (let i = 1; i < keys.length; i++) assert.ok(keys[i - 1].created_at >= keys[i].created_at, 'newest first');
  // Alice's pass was signed with a retired key that still verifies it.
  const old = keys.find((k) => k.kid === claims(pass.alice.token).kid);
  assert.ok(old && !old.signing && old.active_passes >= 1, `alice's key: ${JSON.stringify(old)}`);
  assert.ok(old.last_expires_at >= pass.alice.expires_at);
  assert.ok(old.valid_until >= pass.alice.valid_until, `verifies through ${old.valid_until}`);
  for (const k of keys) {
    assert.deepEqual(Object.keys(k).sort(), ['active_passes', 'created_at', 'kid', 'last_expires_at', 'retired_at', 'signing', 'status', 'valid_until']);
  }
  assert.ok(!/secret|public_key/i.test(res.text), 'no key material');
  // A rotation shows at once.
  const rot = expectStatus(await admin.post('/api/v1/pass-keys/rotate', {}), 201, 'rotate');
  const after = expectStatus(await admin.get('/api/v1/pass-keys'), 200, 'pass-keys after').body.items;
  assert.equal(after[0].kid, rot.body.kid);
  assert.equal(after[0].signing, true);
  assert.equal(after[0].active_passes, 0);
  assert.equal(after[0].valid_until, null);
  assert.equal(after.length, keys.length + 1);
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K1.id });
  expectError(await gw.get('/api/v1/pass-keys'), 403, 'forbidden', undefined, 'only admins see the keys');
});


test('the signing keys export as csv and xlsx, their times in the district\'s local time', async () => {
  // A signing key and a retired one at least (run alone, this test rotates).
  if ((await admin.get('/api/v1/pass-keys')).body.items.length < 2) {
    expectStatus(await admin.post('/api/v1/pass-keys/rotate', {}), 201, 'rotate');
  }
  const keys = expectStatus(await admin.get('/api/v1/pass-keys'), 200, 'pass-keys').body.items;
  const csv = expectStatus(await admin.get('/api/v1/pass-keys?format=csv'), 200, 'csv');
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], '密钥编号,状态,创建时间,停用时间,有效通行证,验证至');
  assert.equal(lines.length, keys.length + 1, csv.text);
  // Newest first, as listed; a time is the local date and time, not Unix seconds.
  const [kid, status, created, retired] = lines[2].split(',');
  assert.equal(kid, keys[1].kid);
  assert.equal(status, 'retired');
  assert.equal(created, localTime(keys[1].created_at));
  assert.equal(retired, localTime(keys[1].retired_at));
  assert.match(lines[1], /^[^,]+,signing,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,,/, 'the signing key has no retirement time');
  assert.ok(!/secret|public_key/i.test(csv.text), 'no key material');
  // In the workbook a time is a date cell (a serial day with a date style), of local wall-clock time.
  const x = await admin.get('/api/v1/pass-keys?format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
  const sheet = unzipEntry(x.body, 'xl/worksheets/sheet1.xml');
  const cell = /<c r="C2" s="(\d+)"[^>]*><v>([^<]+)<\/v><\/c>/.exec(sheet);
  assert.ok(cell, `C2 is a styled number: ${sheet.slice(0, 600)}`);
  const serial = 25569 + (keys[0].created_at + 8 * 3600) / 86400;
  assert.ok(Math.abs(Number(cell[2]) - serial) < 1e-6, `C2 ${cell[2]} is ${serial}`);
  assert.match(unzipEntry(x.body, 'xl/styles.xml'), /formatCode="yyyy-mm-dd hh:mm:ss"/);
  // Wide enough for the date and time, or Excel shows "#####".
  const width = /<col min="3" max="3" width="([\d.]+)"/.exec(sheet);
  assert.ok(width && Number(width[1]) >= 19, `column C width: ${sheet.slice(0, 400)}`);
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K1.id });
  expectError(await gw.get('/api/v1/pass-keys?format=csv'), 403, 'forbidden', undefined, 'only admins export the keys');
  expectError(await admin.get('/api/v1/pass-keys?format=pdf'), 400, 'invalid', 'format');
});

test('a second server on the same database verifies passes the first one signed', async () => {
  const srv2 = await startServer({ sameDbAs: srv });
  try {
    const other = admin.at(srv2.base);
    const d = decision(await scanAt(G1, { token: pass.alice.token }, other), 'second server');
    assert.equal(d.decision, 'allow');
    // A key rotated there signs passes here.
    const rot = expectStatus(await other.post('/api/v1/pass-keys/rotate', {}), 201, 'rotate on 2');
    const p = await issue('alice');
    assert.equal(claims(p.token).kid, rot.body.kid);
    assert.equal(decision(await scanAt(G1, { token: p.token }, other), 'issued on 1, scanned on 2').decision, 'allow');
  } finally {
    await srv2.stop();
  }
});

test('the rules read the settings: pass_days and fever_threshold_tenths', async () => {
  expectStatus(await admin.patch('/api/v1/settings', { pass_days: 7, fever_threshold_tenths: 372 }), 200, 'settings');
  try {
    const p = await issue('ivy');
    const days = (p.expires_at - Date.now() / 1000) / 86400;
    assert.ok(days > 7 && days <= 8, `7 days and the rest of today: ${days}`);
    const d = decision(await scanAt(G1, { token: p.token, temperature: 37.2 }), '37.2 with threshold 37.2');
    assert.equal(d.reason_code, 'fever');
  } finally {
    expectStatus(await admin.patch('/api/v1/settings', { pass_days: 30, fever_threshold_tenths: 373 }), 200, 'settings back');
  }
  const s = expectStatus(await admin.get('/api/v1/settings'), 200, 'settings list');
  for (const key of ['pass_days', 'observation_days']) assert.ok(s.body.items.some((i) => i.key === key), key);
});

test('the gate chooser searches by compound name or code, or the gate name, within scope, paged', async () => {
  const ids = async (c, q, extra = '') => expectStatus(await c.get(`/api/v1/gates?q=${encodeURIComponent(q)}${extra}`), 200, q).body.items.map((g) => g.id);
  assert.deepEqual(await ids(admin, '幸福'), [G1.id], 'by compound name');
  assert.deepEqual(await ids(admin, 'gt-k2'), [G2.id], 'by compound code, any case');
  assert.deepEqual(await ids(admin, '南门'), [G2.id], 'by gate name');
  assert.deepEqual(await ids(admin, '100%_'), [], 'wildcards are text');
  // Paged: one a page, the cursor gives the next.
  const p1 = expectStatus(await admin.get('/api/v1/gates?q=gt-k&limit=1'), 200).body;
  assert.deepEqual(p1.items.map((g) => g.id), [G1.id]);
  assert.ok(p1.next);
  assert.deepEqual(await ids(admin, 'gt-k', `&limit=1&after=${p1.next}`), [G2.id]);
  // A grid worker of K2 finds nothing of K1, whatever the search.
  const gw = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: K2.id });
  assert.deepEqual(await ids(gw, '幸福'), []);
  assert.deepEqual(await ids(gw, '门'), [G2.id]);
  expectError(await admin.get(`/api/v1/gates?q=${'x'.repeat(65)}`), 400, 'invalid', 'q');
});
