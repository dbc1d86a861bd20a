// Data integrity of field writes (issue 9 §1, issue 10 "Data integrity"): a
// visit, a checkpoint screening or a gate scan that meets a registered
// document never changes or reveals a person outside the caller's scope, and
// in scope never renames or moves a located person silently. What the field
// saw goes to the person's own unit as a discrepancy (GET /discrepancies),
// which its officers confirm (applied then) or dismiss.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql, show,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 500;
const newId = () => rid(`64010619780505${String(seq++).padStart(3, '0')}`);
let cid = 0;
const clientId = () => `int-${process.pid}-${++cid}-${Math.random().toString(36).slice(2, 8)}`;

let srv; let admin;
let A; let A1; let A1a; let A1b; let B; let B1; let B1a;
let officerA; let gridA; let officerB; let staffA;
let HA; let HA2; let HA3; let HB;
let round; let road; let gate;
let bob; // a resident of sub-district B
let count;

async function household(unit, address) {
  return expectStatus(await admin.post('/api/v1/households', { unit_id: unit.id, address }), 201, address).body;
}

async function person(name, hh, extra = {}) {
  const doc = newId();
  const res = await admin.post('/api/v1/persons', { doc_number: doc, name, household_id: hh.id, ...extra });
  expectStatus(res, 201, `person ${name}`);
  return { ...res.body, doc };
}

async function card(id) {
  return expectStatus(await admin.get(`/api/v1/persons/${id}`), 200, `person ${id}`).body;
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  count = async (q) => Number((await sql(srv.db, q)).trim());
  const d = admin.root;
  A = await mkUnit(admin, d.id, 'subdistrict', 'IN-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'IN-A1', '甲一社区');
  A1a = await mkUnit(admin, A1.id, 'compound', 'IN-A1a', '甲一小区');
  A1b = await mkUnit(admin, A1.id, 'compound', 'IN-A1b', '甲二小区');
  B = await mkUnit(admin, d.id, 'subdistrict', 'IN-B', '乙街道');
  B1 = await mkUnit(admin, B.id, 'community', 'IN-B1', '乙一社区');
  B1a = await mkUnit(admin, B1.id, 'compound', 'IN-B1a', '乙一小区');
  officerA = await userClient(srv, admin, { username: 'officer.a', name: '甲街道民警', role: 'officer', scope_unit_id: A.id });
  gridA = await userClient(srv, admin, { username: 'grid.a1a', role: 'grid_worker', scope_unit_id: A1a.id });
  officerB = await userClient(srv, admin, { username: 'officer.b', role: 'officer', scope_unit_id: B.id });
  staffA = await userClient(srv, admin, { username: 'staff.a', role: 'checkpoint_staff', scope_unit_id: A.id });
  HA = await household(A1a, '1号楼1单元101');
  HA2 = await household(A1a, '1号楼1单元102');
  HA3 = await household(A1b, '2号楼1单元101');
  HB = await household(B1a, '3号楼2单元301');
  bob = await person('钱伯', HB, { phone: '13912340000' });
  round = expectStatus(await admin.post('/api/v1/rounds', { name: '核查轮', unit_id: d.id, start_date: '2020-02-01' }),
    201, 'round').body;
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2019-12-01' }),
    201, 'risk area');
  road = expectStatus(await admin.post('/api/v1/checkpoints', { code: 'IN-CP', name: '甲卡点', kind: 'road', unit_id: A.id }),
    201, 'checkpoint').body;
  gate = expectStatus(await admin.post('/api/v1/gates', { unit_id: A1a.id, name: '东门' }), 201, 'gate').body;
});

after(async () => {
  await srv?.stop();
});

async function bobUnchanged(what) {
  const p = await card(bob.id);
  assert.equal(p.name, '钱伯', `${what}: renamed`);
  assert.equal(p.unit_id, B1a.id, `${what}: moved`);
  assert.equal(p.household_id, HB.id, `${what}: household changed`);
  assert.equal(await count(`SELECT members FROM households WHERE id = ${HB.id}`), 1, `${what}: left the household`);
  return p;
}

test("a visit naming another sub-district's resident changes and reveals nothing; B's officers see what was seen", async () => {
  for (const [who, c] of [['officer', officerA], ['grid worker', gridA]]) {
    const res = await c.post('/api/v1/visits', {
      round_id: round.id, household_id: HA.id, method: 'door', result: 'visited', client_id: clientId(),
      persons: [{ doc_number: bob.doc, name: '冒名', phone: '13700000000' }],
    });
    expectStatus(res, 201, `${who}: visit`);
    assert.ok(!res.text.includes('钱伯'), `${who}: the visit answer names the person: ${show(res)}`);
    assert.equal(res.body.persons.length, 0, `${who}: the out-of-scope person is linked to the visit: ${show(res)}`);
    assert.equal(res.body.discrepancies.length, 1, show(res));
    const dsc = res.body.discrepancies[0];
    assert.equal(dsc.kind, 'out_of_scope');
    assert.equal(dsc.seen_name, '冒名');
    assert.equal(dsc.person_id, null);
    assert.equal(dsc.registered_name, null);
    const p = await bobUnchanged(who);
    assert.equal(p.phone, '139****0000', `${who}: phone changed`);
    expectError(await c.get(`/api/v1/persons/${bob.id}?reveal=1`), 404, 'not_found', undefined, `${who}: reads the person`);
  }
  assert.equal(await count(`SELECT members FROM households WHERE id = ${HA.id}`), 0, 'the household gained a member');
  assert.equal(await count(`SELECT COUNT(*) FROM person_facts WHERE person_id = ${bob.id}`), 0, 'facts written on the person');

  // The person's own unit sees who saw what, where and when.
  const list = expectStatus(await officerB.get('/api/v1/discrepancies'), 200, 'B lists');
  const mine = list.body.items.filter((x) => x.person_id === bob.id);
  assert.equal(mine.length, 2, show(list));
  assert.equal(mine[0].kind, 'out_of_scope');
  assert.equal(mine[0].seen_name, '冒名');
  assert.equal(mine[0].seen_household_address, '1号楼1单元101');
  assert.equal(mine[0].seen_unit_name, '甲一小区');
  assert.equal(mine[0].source, 'visit');
  assert.equal(mine[0].seen_by_name, '甲街道民警');
  assert.equal(mine[0].person_name, '钱伯');
  assert.equal(mine[0].status, 'open');
  // A's officer does not see B's list, and cannot resolve it.
  const la = expectStatus(await officerA.get('/api/v1/discrepancies'), 200);
  assert.ok(!la.body.items.some((x) => x.person_id === bob.id), show(la));
  expectError(await officerA.post(`/api/v1/discrepancies/${mine[0].id}/confirm`, {}), 403, 'forbidden');
  expectError(await officerA.post(`/api/v1/discrepancies/${mine[0].id}/dismiss`, {}), 403, 'forbidden');
  // B dismisses both: nothing changes.
  for (const x of mine) {
    const r = expectStatus(await officerB.post(`/api/v1/discrepancies/${x.id}/dismiss`, { note: '冒用证件' }), 200);
    assert.equal(r.body.status, 'dismissed');
  }
  expectError(await officerB.post(`/api/v1/discrepancies/${mine[0].id}/confirm`, {}), 422, 'rule', 'status', 'twice');
  await bobUnchanged('after dismissing');
  const open = expectStatus(await officerB.get('/api/v1/discrepancies'), 200);
  assert.ok(!open.body.items.some((x) => x.person_id === bob.id), 'dismissed ones leave the open list');
  expectError(await officerB.get('/api/v1/discrepancies?status=maybe'), 400, 'invalid', 'status');
});

test("a checkpoint screening of another sub-district's resident records the fever at the checkpoint and hands it to their unit", async () => {
  const before = await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${bob.id}`);
  const res = await staffA.post(`/api/v1/checkpoints/${road.id}/vehicles`, {
    plate: '鄂A1B2C3', direction: 'in', origin: '湖北省武汉市', destination_unit_id: A1b.id, client_id: clientId(),
    occupants: [{ name: '别名', doc_number: bob.doc, temperature: 38.2 }],
  });
  expectStatus(res, 201, 'vehicle');
  const o = res.body.occupants[0];
  assert.ok(!res.text.includes('钱伯'), show(res));
  assert.equal(o.person_id, null, show(res));
  assert.equal(o.held, true);
  assert.equal(o.discrepancy_kind, 'out_of_scope', 'the answer says what became of it (the page shows it)');
  assert.ok(o.discrepancy_id > 0, show(res));
  assert.equal(o.disposition, 'referral', 'the fever is still referred at the checkpoint');
  assert.equal(o.arrival_id, null);
  assert.equal(o.fever_id, null);
  assert.match(o.reason, /another area/);
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${bob.id}`), before, 'a fever written on the person');
  assert.equal(await count(`SELECT COUNT(*) FROM arrivals WHERE person_id = ${bob.id}`), 0, 'an arrival written on the person');
  assert.equal(await count(`SELECT COUNT(*) FROM occupant_checks WHERE vehicle_check_id = ${res.body.id} AND temperature = 382`), 1,
    'the reading is kept at the checkpoint');
  await bobUnchanged('checkpoint');

  const list = expectStatus(await officerB.get(`/api/v1/discrepancies?person_id=${bob.id}`), 200);
  assert.equal(list.body.items.length, 1, show(list));
  const d = list.body.items[0];
  assert.equal(d.source, 'checkpoint');
  assert.equal(d.temperature, 38.2);
  assert.equal(d.fever, true);
  assert.equal(d.origin_code, '420100');
  // Confirmed by B: the fever and the arrival are on record, the person stays where they live.
  expectStatus(await officerB.post(`/api/v1/discrepancies/${d.id}/confirm`, {}), 200, 'confirm');
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${bob.id} AND temperature = 382`), before + 1);
  assert.equal(await count(`SELECT COUNT(*) FROM arrivals WHERE person_id = ${bob.id} AND grade = 'severe'`), 1);
  assert.equal((await card(bob.id)).name, '别名', 'the confirmed name');
  assert.equal((await card(bob.id)).household_id, HB.id, 'a destination does not move anyone');
});

test('a gate scan by document of someone who does not live in the compound answers not_resident and names nobody', async () => {
  const carol = await person('孙凯', HA3); // in A's scope, but lives in the other compound
  const fevers = await count(`SELECT COUNT(*) FROM fevers`);
  for (const [who, doc] of [['another sub-district', bob.doc], ['another compound', carol.doc]]) {
    const res = await officerA.post(`/api/v1/gates/${gate.id}/scans`, {
      doc_number: doc, direction: 'in', temperature: 38.0, client_id: clientId(),
    });
    expectStatus(res, 200, who);
    assert.equal(res.body.decision, 'deny');
    assert.equal(res.body.reason_code, 'not_resident', show(res));
    assert.equal(res.body.person, null, `${who}: names the person ${show(res)}`);
    assert.equal(res.body.colour, null, `${who}: tells the colour ${show(res)}`);
    assert.equal(res.body.held, true, `${who}: the guard is told the fever went to their unit ${show(res)}`);
    assert.ok(!/钱|孙/.test(res.text), show(res));
    const out = await officerA.post(`/api/v1/gates/${gate.id}/scans`, { doc_number: doc, direction: 'out', temperature: 36.5, client_id: clientId() });
    assert.equal(out.body.person, null, show(out));
  }
  assert.equal(await count('SELECT COUNT(*) FROM fevers'), fevers, 'a fever written on a non-resident\'s record');
  assert.equal(await count(`SELECT COUNT(*) FROM fevers WHERE person_id = ${bob.id} AND source = 'gate'`), 0,
    'a fever written on a record the guard may not touch');
  const list = expectStatus(await officerB.get(`/api/v1/discrepancies?person_id=${bob.id}`), 200);
  assert.ok(list.body.items.some((x) => x.kind === 'fever' && x.source === 'gate' && x.temperature === 38), show(list));
  const mine = expectStatus(await officerA.get(`/api/v1/discrepancies?person_id=${carol.id}`), 200);
  assert.equal(mine.body.items.length, 1, show(mine));
  assert.equal(mine.body.items[0].seen_unit_name, '甲一小区');
  assert.equal(await count(`SELECT COUNT(*) FROM gate_scans WHERE person_id = ${bob.id}`), 0, 'the scan log names the person');
});

test('in scope: another name or household for a known document is a discrepancy the visitor or the unit confirms, not a silent change', async () => {
  const first = await gridA.post('/api/v1/visits', {
    round_id: round.id, household_id: HA.id, method: 'door', result: 'visited', client_id: clientId(),
    persons: [{ doc_number: (bob.ownDoc = newId()), name: '李明' }],
  });
  expectStatus(first, 201, 'first visit');
  const pid = first.body.persons[0].id;
  // The same document, another name, another household of the compound.
  const second = await gridA.post('/api/v1/visits', {
    round_id: round.id, household_id: HA2.id, method: 'door', result: 'visited', client_id: clientId(),
    persons: [{ doc_number: bob.ownDoc, name: '李敏' }],
  });
  expectStatus(second, 201, 'second visit');
  assert.equal(second.body.discrepancies.length, 1, show(second));
  const d = second.body.discrepancies[0];
  assert.equal(d.kind, 'name');
  assert.equal(d.person_id, pid);
  assert.equal(d.registered_name, '李明');
  let p = await card(pid);
  assert.equal(p.name, '李明', 'renamed silently');
  assert.equal(p.household_id, HA.id, 'moved silently');
  assert.equal(await count(`SELECT members FROM households WHERE id = ${HA.id}`), 1);
  // The same name in another household: not moved either.
  const third = await gridA.post('/api/v1/visits', {
    round_id: round.id, household_id: HA2.id, method: 'door', result: 'visited', client_id: clientId(),
    persons: [{ doc_number: bob.ownDoc, name: '李明' }],
  });
  expectStatus(third, 201);
  assert.equal(third.body.discrepancies[0].kind, 'household', show(third));
  assert.equal((await card(pid)).household_id, HA.id);

  // The visitor confirms the name on the spot; the unit's officer the move.
  const ok = expectStatus(await gridA.post(`/api/v1/discrepancies/${d.id}/confirm`, {}), 200, 'visitor confirms');
  assert.equal(ok.body.status, 'confirmed');
  p = await card(pid);
  assert.equal(p.name, '李敏');
  assert.ok(p.facts.some((f) => f.field === 'name' && f.value === '李敏' && f.source === 'visit'), show({ body: p }));
  expectStatus(await officerA.post(`/api/v1/discrepancies/${third.body.discrepancies[0].id}/confirm`, {}), 200);
  p = await card(pid);
  assert.equal(p.household_id, HA2.id);
  assert.equal(await count(`SELECT members FROM households WHERE id = ${HA.id}`), 0);
  assert.equal(await count(`SELECT members FROM households WHERE id = ${HA2.id}`), 1);
  expectError(await officerA.post('/api/v1/discrepancies/999999/confirm', {}), 404, 'not_found');
});

test('a person only guessed (on a list, no compound) is placed by a visitor whose scope holds them; else their unit confirms', async () => {
  const doc = newId();
  const res = await officerA.post('/api/v1/persons', { doc_number: doc, name: '周平', unit_id: A1.id });
  expectStatus(res, 201);
  // The compound's grid worker does not hold the community's records: handed over.
  const g = await gridA.post('/api/v1/visits', {
    round_id: round.id, household_id: HA.id, method: 'door', result: 'visited', client_id: clientId(),
    persons: [{ doc_number: doc, name: '周平' }],
  });
  expectStatus(g, 201);
  assert.equal(g.body.discrepancies[0].kind, 'out_of_scope', show(g));
  assert.equal((await card(res.body.id)).located, false);
  expectStatus(await officerA.post(`/api/v1/discrepancies/${g.body.discrepancies[0].id}/confirm`, {}), 200);
  let p = await card(res.body.id);
  assert.equal(p.household_id, HA.id);
  assert.equal(p.unit_id, A1a.id);
  assert.equal(p.located, true);
  // The sub-district's officer places such a person at once.
  const doc2 = newId();
  const r2 = await officerA.post('/api/v1/persons', { doc_number: doc2, name: '吴平', unit_id: A1.id });
  const v = await officerA.post('/api/v1/visits', {
    round_id: round.id, household_id: HA2.id, method: 'door', result: 'visited', client_id: clientId(),
    persons: [{ doc_number: doc2, name: '吴平' }],
  });
  expectStatus(v, 201);
  assert.deepEqual(v.body.discrepancies, [], show(v));
  p = await card(r2.body.id);
  assert.equal(p.household_id, HA2.id);
  assert.equal(p.located, true);
});
