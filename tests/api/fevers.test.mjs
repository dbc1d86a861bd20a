// Fevers and the colour they give (DOMAIN.md Rules: fever, medical
// observation, pass colour): a fever at a gate keeps the resident red, a
// normal reading the same day does not clear it, and a medic following it
// up closes it (re-measured normal at rest, or ruled out at the clinic) —
// then the gate admits them. Observation after an arrival lasts through
// arrival day + 14, and the colour's reason always says what decided it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, localDay,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 500;
const newId = () => rid(`64010619800101${String(seq++).padStart(3, '0')}`);
const now = () => Math.floor(Date.now() / 1000);
const daysAgo = (n) => localDay(now() - n * 86400);
let cid = 0;
const clientId = () => `f-${process.pid}-${++cid}`;

let srv; let admin; let medic; let farMedic; let grid;
let K1; let K2; let G1;
const P = {};
const token = {};

async function person(nick, unit) {
  const res = await admin.post('/api/v1/persons', { doc_number: newId(), name: `人${nick}`, unit_id: unit.id });
  P[nick] = expectStatus(res, 201, `person ${nick}`).body;
  if (unit === K1) {
    const pass = await admin.post('/api/v1/passes', { person_id: P[nick].id });
    token[nick] = expectStatus(pass, 201, `pass ${nick}`).body.token;
  }
}
const scan = (nick, temperature) => admin.post(`/api/v1/gates/${G1.id}/scans`,
  { direction: 'in', token: token[nick], temperature, client_id: clientId() });
const colour = async (nick) => expectStatus(await admin.get(`/api/v1/persons/${P[nick].id}/colour`), 200, `${nick} colour`).body;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  const S = await mkUnit(admin, admin.root.id, 'subdistrict', 'FV-S', '发热街道');
  const C = await mkUnit(admin, S.id, 'community', 'FV-C', '发热社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'FV-K1', '康宁小区');
  K2 = await mkUnit(admin, admin.root.id, 'subdistrict', 'FV-S2', '别的街道');
  G1 = expectStatus(await admin.post('/api/v1/gates', { unit_id: K1.id, name: '北门' }), 201, 'gate').body;
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2019-12-01' }), 201, 'risk area');
  medic = await userClient(srv, admin, { role: 'medic', scope_unit_id: S.id });
  farMedic = await userClient(srv, admin, { role: 'medic', scope_unit_id: K2.id });
  grid = await userClient(srv, admin, { role: 'grid_worker', scope_unit_id: S.id });
  for (const n of ['hot', 'ruled', 'edge', 'over', 'none']) await person(n, K1);
});

after(async () => { await srv?.stop(); });

test('a fever at the gate stays red after a normal reading, until a medic closes it', async () => {
  let d = expectStatus(await scan('hot', 37.3), 200, 'fever scan').body;
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'fever');
  // The same day, a normal reading: still red, and the reason names the
  // fever's reading and day and who must act.
  d = expectStatus(await scan('hot', 36.5), 200, 'normal scan after the fever').body;
  assert.equal(d.decision, 'deny');
  assert.equal(d.colour, 'red');
  assert.match(d.reason, /fever 37\.3 °C on \d{4}-\d{2}-\d{2}, not yet closed by a medic/);

  const open = expectStatus(await medic.get(`/api/v1/fevers?status=open&person_id=${P.hot.id}`), 200, 'open fevers');
  assert.equal(open.body.items.length, 1, show(open));
  const f = open.body.items[0];
  assert.equal(f.temperature, 37.3);
  assert.equal(f.status, 'open');
  assert.equal(f.source, 'gate');

  // Who may close it, and how.
  expectError(await grid.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'ruled_out' }), 403, 'forbidden', undefined, 'a grid worker is not a medic');
  expectError(await farMedic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'ruled_out' }), 403, 'forbidden', undefined, 'a medic of another area');
  expectError(await farMedic.get(`/api/v1/fevers/${f.id}`), 404, 'not_found', undefined, 'out of scope is not revealed');
  expectError(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'better' }), 400, 'invalid', 'outcome');
  expectError(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'remeasured_normal' }), 400, 'invalid', 'temperature', 'a re-measure needs its reading');
  expectError(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'remeasured_normal', temperature: 37.4 }), 422, 'rule', 'temperature', 'still a fever');
  expectError(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'remeasured_normal', temperature: 'warm' }), 400, 'invalid', 'temperature');
  expectError(await medic.post('/api/v1/fevers/999999/close', { outcome: 'ruled_out' }), 404, 'not_found');
  assert.equal((await colour('hot')).colour, 'red', 'nothing closed by the refusals');

  const closed = expectStatus(await medic.post(`/api/v1/fevers/${f.id}/close`,
    { outcome: 'remeasured_normal', temperature: 36.6, note: '静息复测' }), 200, 'closed');
  assert.equal(closed.body.status, 'closed');
  assert.equal(closed.body.outcome, 'remeasured_normal');
  assert.equal(closed.body.closing_temperature, 36.6);
  assert.equal(closed.body.closed_by, medic.account.id);
  expectError(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'ruled_out' }), 409, 'conflict', undefined, 'closed twice');

  const c = await colour('hot');
  assert.equal(c.colour, 'green');
  assert.equal(c.reason, 'fever followed up and closed by a medic');
  d = expectStatus(await scan('hot', 36.5), 200, 'scan after the fever is closed').body;
  assert.equal(d.decision, 'allow', show({ status: 200, body: d }));
});

test('a referral ruled out at the clinic closes the fever; the list and export show it', async () => {
  expectStatus(await scan('ruled', 38.4), 200, 'fever');
  const f = expectStatus(await medic.get(`/api/v1/fevers?person_id=${P.ruled.id}`), 200).body.items[0];
  expectStatus(await medic.post(`/api/v1/fevers/${f.id}/close`, { outcome: 'ruled_out', note: '发热门诊排除' }), 200, 'ruled out');
  assert.equal((await colour('ruled')).colour, 'green');
  const closed = expectStatus(await medic.get('/api/v1/fevers?status=closed'), 200).body.items;
  assert.ok(closed.some((x) => x.id === f.id && x.outcome === 'ruled_out' && x.note === '发热门诊排除'));
  assert.ok(!expectStatus(await medic.get('/api/v1/fevers?status=open'), 200).body.items.some((x) => x.id === f.id));
  expectError(await medic.get('/api/v1/fevers?status=maybe'), 400, 'invalid', 'status');
  const far = expectStatus(await farMedic.get('/api/v1/fevers'), 200).body.items;
  assert.equal(far.length, 0, 'another area sees none of these');
  const x = await medic.get('/api/v1/fevers?format=xlsx', { raw: true });
  expectStatus(x, 200, 'xlsx');
  assert.equal(x.body.subarray(0, 2).toString(), 'PK');
});

test('observation lasts through arrival day + 14, and a green after it says it ended', async () => {
  expectStatus(await admin.post(`/api/v1/persons/${P.edge.id}/arrivals`,
    { origin_code: '420100', arrival_date: daysAgo(14), mode: 'train' }), 201, 'arrival 14 days ago');
  expectStatus(await admin.post(`/api/v1/persons/${P.over.id}/arrivals`,
    { origin_code: '420100', arrival_date: daysAgo(15), mode: 'train' }), 201, 'arrival 15 days ago');
  const edge = await colour('edge');
  assert.equal(edge.colour, 'yellow', 'the end day itself is still under observation');
  assert.match(edge.reason, new RegExp(`until ${localDay()}`));
  const over = await colour('over');
  assert.equal(over.colour, 'green');
  assert.equal(over.reason, `observation after travel ended on ${daysAgo(1)}`);
  assert.equal((await colour('none')).reason, 'no record against this person');
  const d = expectStatus(await scan('edge', 36.5), 200).body;
  assert.equal(d.decision, 'deny');
  assert.equal(d.reason_code, 'yellow');
});

test('temperatures come back with one decimal', async () => {
  const res = await scan('none', 37.2);
  expectStatus(res, 200);
  assert.match(res.text, /"temperature":37\.2[,}]/, res.text);
  assert.doesNotMatch(res.text, /37\.2000/);
});
