// Door-to-door screening (走访摸排): a round over a sub-district, 一托三 teams
// given compounds, visits that register the persons found (with their
// arrivals), live coverage counters per compound, community and
// sub-district, the re-check queue of empty homes, retries of a visit from a
// phone that must not be stored twice, and scope: a grid worker records
// visits only in its own compound.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, sql, show,
} from './lib.mjs';

/** A valid resident ID from its first 17 digits (GB 11643 check character). */
function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 100;
/** A new valid Jinfeng resident ID. */
const newId = () => rid(`64010619850203${String(seq++).padStart(3, '0')}`);
/** A resident ID with a wrong check character. */
function badId() {
  const good = newId();
  const last = good[17] === '0' ? '1' : '0';
  return good.slice(0, 17) + last;
}

let srv;
let admin;
let S; let C1; let C2; let K1; let K2; let K3; let T; let TC; let TK;
const H = {};
let round;
let team;
let grid;
let officer;

async function mkHousehold(unit, address) {
  const res = await admin.post('/api/v1/households', { unit_id: unit.id, address });
  expectStatus(res, 201, `create household ${address}`);
  return res.body;
}

async function count(statement) {
  return Number((await sql(srv.db, statement)).trim());
}

/** The coverage row of unit u in round `round` as seen by client c from unit `of`. */
async function coverageOf(c, u, of) {
  const res = expectStatus(await c.get(`/api/v1/rounds/${round.id}/coverage?unit_id=${of.id}`), 200, 'coverage');
  const row = res.body.unit.unit_id === u.id ? res.body.unit : res.body.items.find((x) => x.unit_id === u.id);
  assert.ok(row, `no coverage row for ${u.name} in ${show(res)}`);
  return row;
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'SC-S', '摸排街道');
  C1 = await mkUnit(admin, S.id, 'community', 'SC-C1', '一社区');
  C2 = await mkUnit(admin, S.id, 'community', 'SC-C2', '二社区');
  K1 = await mkUnit(admin, C1.id, 'compound', 'SC-K1', '甲小区');
  K2 = await mkUnit(admin, C1.id, 'compound', 'SC-K2', '乙小区');
  K3 = await mkUnit(admin, C2.id, 'compound', 'SC-K3', '丙小区');
  T = await mkUnit(admin, admin.root.id, 'subdistrict', 'SC-T', '别的街道');
  TC = await mkUnit(admin, T.id, 'community', 'SC-TC', '别的社区');
  TK = await mkUnit(admin, TC.id, 'compound', 'SC-TK', '别的小区');
  H.a = await mkHousehold(K1, '1号楼1单元101');
  H.b = await mkHousehold(K1, '1号楼1单元102');
  H.c = await mkHousehold(K2, '2号楼2单元201');
  H.d = await mkHousehold(K3, '3号楼1单元301');
  H.e = await mkHousehold(K3, '3号楼1单元302');
  H.t = await mkHousehold(TK, '9号楼901');
  grid = await userClient(srv, admin, { username: 'grid.k1', role: 'grid_worker', scope_unit_id: K1.id });
  officer = await userClient(srv, admin, { username: 'officer.s', role: 'officer', scope_unit_id: S.id });
  // Wuhan's province is the most severely hit area.
  expectStatus(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-01' }),
    201, 'risk area');
});

after(async () => {
  await srv?.stop();
});

test('rounds: create over a sub-district, bad input, duplicate, scope', async () => {
  expectError(await officer.post('/api/v1/rounds', { unit_id: S.id, start_date: '2020-02-10' }),
    400, 'invalid', 'name', 'round without a name');
  expectError(await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: S.id, start_date: '2020-02-30' }),
    400, 'invalid', 'start_date', 'not a real day');
  expectError(await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: S.id, start_date: '2020-02-10', end_date: '2020-02-01' }),
    400, 'invalid', 'end_date', 'ends before it starts');
  expectError(await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: K1.id, start_date: '2020-02-10' }),
    400, 'invalid', 'unit_id', 'a round over one compound');
  expectError(await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: T.id, start_date: '2020-02-10' }),
    403, 'forbidden', undefined, 'a round outside the officer\'s scope');
  expectError(await grid.post('/api/v1/rounds', { name: '第二轮', unit_id: S.id, start_date: '2020-02-10' }),
    403, 'forbidden', undefined, 'a grid worker cannot start a round over the sub-district');

  const res = await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: S.id, start_date: '2020-02-10', end_date: '2020-02-20' });
  expectStatus(res, 201, 'create round');
  round = res.body;
  assert.equal(round.unit_id, S.id);
  assert.equal(round.unit_name, '摸排街道');
  assert.equal(round.start_date, '2020-02-10');
  assert.equal(round.households, 5, 'the round starts with its households and none visited');
  assert.equal(round.households_visited, 0);
  assert.equal(round.persons, 0);
  assert.equal(round.empties_pending, 0);
  expectError(await officer.post('/api/v1/rounds', { name: '第二轮', unit_id: S.id, start_date: '2020-02-11' }),
    409, 'conflict', 'name', 'the same round twice');

  // The grid worker sees the sub-district's round (it works in it) and its
  // own compound's totals; another sub-district's officer does not see it.
  const seen = expectStatus(await grid.get('/api/v1/rounds'), 200);
  const mine = seen.body.items.find((x) => x.id === round.id);
  assert.ok(mine, show(seen));
  assert.equal(mine.totals_unit_id, K1.id);
  assert.equal(mine.households, 2);
  const other = await userClient(srv, admin, { username: 'officer.t', role: 'officer', scope_unit_id: T.id });
  const none = expectStatus(await other.get('/api/v1/rounds'), 200);
  assert.ok(!none.body.items.some((x) => x.id === round.id), show(none));
  expectError(await other.get(`/api/v1/rounds/${round.id}`), 404, 'not_found');
});

test('teams (一托三): all four members required, compounds under the team\'s community', async () => {
  const base = {
    unit_id: C1.id, name: '一社区一组', police_name: '王警官', legal_name: '李法官', cadre_name: '张主任',
    grid_name: '赵网格', compound_ids: [K1.id, K2.id],
  };
  for (const f of ['police_name', 'legal_name', 'cadre_name', 'grid_name']) {
    const body = { ...base };
    delete body[f];
    expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, body), 400, 'invalid', f, `team without ${f}`);
  }
  expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, compound_ids: [K1.id, K3.id] }),
    422, 'rule', 'compound_ids[1]', 'a compound of another community');
  expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, compound_ids: [C1.id] }),
    400, 'invalid', 'compound_ids[0]', 'a community is not a compound');
  expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, compound_ids: [] }),
    400, 'invalid', 'compound_ids', 'no compounds');
  expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, unit_id: K1.id }),
    400, 'invalid', 'unit_id', 'a team of a compound');
  expectError(await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, unit_id: TC.id, compound_ids: [TK.id] }),
    403, 'forbidden', undefined, 'a team outside the scope');
  expectError(await officer.post('/api/v1/rounds/99999/teams', base), 404, 'not_found');

  const res = await officer.post(`/api/v1/rounds/${round.id}/teams`, { ...base, grid_user_id: grid.account.id });
  expectStatus(res, 201, 'create team');
  team = res.body;
  assert.deepEqual(team.compound_ids, [K1.id, K2.id]);
  assert.equal(team.police_name, '王警官');
  assert.equal(team.grid_user_id, grid.account.id);
  const list = expectStatus(await grid.get(`/api/v1/rounds/${round.id}/teams`), 200);
  assert.deepEqual(list.body.items.map((x) => x.id), [team.id], show(list));
  assert.deepEqual(list.body.items[0].compound_ids, [K1.id, K2.id]);
});

let p1; let p2; let firstVisit;

test('a visit registers two persons at the household, one with an arrival from Wuhan', async () => {
  p1 = newId();
  p2 = newId();
  const res = await grid.post('/api/v1/visits', {
    round_id: round.id, household_id: H.a.id, team_id: team.id, method: 'door', result: 'visited',
    note: '户主在家', client_id: 'grid-k1-0001',
    persons: [
      { doc_type: 'resident_id', doc_number: p1, name: '刘一', phone: '+86 138 0000 1111' },
      { doc_number: p2.toLowerCase(), name: '刘二', origin_code: '420100', arrival_date: '2020-01-22', mode: 'train' },
    ],
  });
  expectStatus(res, 201, 'visit');
  firstVisit = res.body;
  assert.equal(firstVisit.household_id, H.a.id);
  assert.equal(firstVisit.unit_id, K1.id);
  assert.equal(firstVisit.result, 'visited');
  assert.equal(firstVisit.persons_found, 2);
  assert.equal(firstVisit.persons.length, 2);
  assert.ok(firstVisit.persons.every((p) => p.created), show(res));
  const wuhan = firstVisit.persons.find((p) => p.name === '刘二');
  assert.equal(wuhan.grade, 'severe');
  assert.equal(wuhan.handling, 'centralized');
  assert.match(wuhan.doc_number, /^640106\*{8}/, 'numbers are masked in the answer');

  const rows = (await sql(srv.db, `SELECT name, unit_id, household_id, located, source, source_id FROM persons WHERE doc_number IN ('${p1}', '${p2}') ORDER BY name`)).trim().split('\n');
  assert.deepEqual(rows, [
    `刘一|${K1.id}|${H.a.id}|1|visit|${firstVisit.id}`,
    `刘二|${K1.id}|${H.a.id}|1|visit|${firstVisit.id}`,
  ]);
  assert.equal(await count(`SELECT COUNT(*) FROM arrivals a JOIN persons p ON p.id = a.person_id WHERE p.doc_number = '${p2}' AND a.origin_code = '420100' AND a.grade = 'severe'`), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM visit_persons WHERE visit_id = ${firstVisit.id}`), 2);
  assert.equal(await count(`SELECT members FROM households WHERE id = ${H.a.id}`), 2);
  assert.equal((await sql(srv.db, `SELECT status FROM households WHERE id = ${H.a.id}`)).trim(), 'occupied');
});

test('coverage counters: compound, community, sub-district and the round\'s totals', async () => {
  for (const [u, of] of [[K1, C1], [C1, S], [S, S]]) {
    const row = await coverageOf(officer, u, of);
    assert.equal(row.households_visited, 1, `${u.name}: ${JSON.stringify(row)}`);
    assert.equal(row.persons, 2, `${u.name}: ${JSON.stringify(row)}`);
    assert.equal(row.empties_pending, 0);
  }
  const k1 = await coverageOf(officer, K1, C1);
  assert.equal(k1.households, 2);
  assert.equal(k1.rate, 0.5);
  assert.equal(k1.kind, 'compound');
  const k2 = await coverageOf(officer, K2, C1);
  assert.equal(k2.households_visited, 0);
  assert.equal(k2.rate, 0);
  const c2 = await coverageOf(officer, C2, S);
  assert.equal(c2.households, 2);
  assert.equal(c2.households_visited, 0);

  // The default unit: the round's (the officer's scope contains it).
  const def = expectStatus(await officer.get(`/api/v1/rounds/${round.id}/coverage`), 200);
  assert.equal(def.body.unit.unit_id, S.id);
  assert.deepEqual(def.body.items.map((x) => x.unit_id), [C1.id, C2.id]);
  // A grid worker's default is its own compound.
  const g = expectStatus(await grid.get(`/api/v1/rounds/${round.id}/coverage`), 200);
  assert.equal(g.body.unit.unit_id, K1.id);
  assert.equal(g.body.unit.households_visited, 1);
  expectError(await grid.get(`/api/v1/rounds/${round.id}/coverage?unit_id=${S.id}`), 404, 'not_found',
    undefined, 'coverage of a unit above the grid worker\'s scope');

  const r = expectStatus(await officer.get(`/api/v1/rounds/${round.id}`), 200);
  assert.equal(r.body.households_visited, 1);
  assert.equal(r.body.households, 5);
  assert.equal(r.body.persons, 2);
  assert.equal(r.body.empties_pending, 0);
  assert.equal(r.body.teams, 1);
});

test('a second visit to the same household counts neither the household nor a person twice', async () => {
  const p3 = newId();
  const res = await grid.post('/api/v1/visits', {
    round_id: round.id, household_id: H.a.id, method: 'phone', result: 'visited',
    persons: [{ doc_number: p1, name: '刘一' }, { doc_number: p3, name: '刘三' }],
  });
  expectStatus(res, 201, 'second visit');
  const byName = Object.fromEntries(res.body.persons.map((p) => [p.name, p]));
  assert.equal(byName['刘一'].created, false);
  assert.equal(byName['刘三'].created, true);
  const s = await coverageOf(officer, S, S);
  assert.equal(s.households_visited, 1);
  assert.equal(s.persons, 3, 'only the new person adds');
  assert.equal(await count(`SELECT COUNT(*) FROM persons WHERE doc_number = '${p1}'`), 1);
  assert.equal(await count(`SELECT visits FROM round_households WHERE round_id = ${round.id} AND household_id = ${H.a.id}`), 2);
  // Once more with only a known person: nothing moves.
  expectStatus(await grid.post('/api/v1/visits', {
    round_id: round.id, household_id: H.a.id, method: 'app', result: 'visited', persons: [{ doc_number: p2, name: '刘二' }],
  }), 201);
  const again = await coverageOf(officer, S, S);
  assert.equal(again.households_visited, 1);
  assert.equal(again.persons, 3);
  assert.equal(await count(`SELECT members FROM households WHERE id = ${H.a.id}`), 3);
});

test('an empty home waits for a re-check until it is confirmed empty', async () => {
  expectStatus(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.d.id, method: 'door', result: 'empty', note: '敲门无人',
  }), 201, 'empty visit');
  const q = expectStatus(await officer.get(`/api/v1/rounds/${round.id}/rechecks`), 200);
  assert.deepEqual(q.body.items.map((x) => x.household_id), [H.d.id], show(q));
  assert.equal(q.body.items[0].address, '3号楼1单元301');
  assert.equal((await coverageOf(officer, K3, C2)).empties_pending, 1);
  assert.equal((await coverageOf(officer, S, S)).empties_pending, 1);
  assert.equal((await coverageOf(officer, S, S)).households_visited, 1, 'an empty home is not counted as visited');
  // The grid worker of K1 does not see K3's queue.
  const g = expectStatus(await grid.get(`/api/v1/rounds/${round.id}/rechecks`), 200);
  assert.equal(g.body.items.length, 0);
  // The round's lists refuse an unknown round and a bad filter.
  for (const list of ['rechecks', 'teams']) {
    expectError(await officer.get(`/api/v1/rounds/99999/${list}`), 404, 'not_found', undefined, `${list} of no round`);
    expectError(await officer.get(`/api/v1/rounds/${round.id}/${list}?unit_id=x`), 400, 'invalid', 'unit_id', `${list} ?unit_id=x`);
    expectError(await officer.get(`/api/v1/rounds/${round.id}/${list}?format=pdf`), 400, 'invalid', 'format', `${list} ?format=pdf`);
  }
  expectStatus(await officer.get(`/api/v1/rounds/${round.id}/rechecks?unit_id=${K3.id}&format=csv`), 200, 'rechecks csv');
  expectError(await grid.post(`/api/v1/households/${H.d.id}/confirm-empty`, { round_id: round.id }),
    403, 'forbidden', undefined, 'confirming outside the scope');

  const c = await officer.post(`/api/v1/households/${H.d.id}/confirm-empty`, { round_id: round.id });
  expectStatus(c, 200, 'confirm empty');
  assert.equal(c.body.empty_confirmed, true);
  assert.equal(c.body.status, 'empty');
  assert.equal(c.body.pending_empty, false);
  const after1 = expectStatus(await officer.get(`/api/v1/rounds/${round.id}/rechecks`), 200);
  assert.equal(after1.body.items.length, 0);
  assert.equal((await coverageOf(officer, S, S)).empties_pending, 0);
  assert.equal((await coverageOf(officer, K3, C2)).empties_pending, 0);
  // A confirmed-empty home found empty again does not queue again.
  expectStatus(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.d.id, method: 'door', result: 'empty',
  }), 201);
  assert.equal((await coverageOf(officer, S, S)).empties_pending, 0);
  expectError(await officer.post(`/api/v1/households/${H.c.id}/confirm-empty`, { round_id: round.id }),
    422, 'rule', 'round_id', 'confirming a household never found empty');
});

test('a visit that finds someone after an empty one clears the re-check', async () => {
  expectStatus(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.e.id, method: 'door', result: 'empty',
  }), 201);
  assert.equal((await coverageOf(officer, C2, S)).empties_pending, 1);
  const before = await coverageOf(officer, S, S);
  expectStatus(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.e.id, method: 'door', result: 'visited',
    persons: [{ doc_number: newId(), name: '陈四' }],
  }), 201);
  const c2 = await coverageOf(officer, C2, S);
  assert.equal(c2.empties_pending, 0);
  assert.equal(c2.households_visited, 1, 'found someone: now counted');
  const s = await coverageOf(officer, S, S);
  assert.equal(s.households_visited, before.households_visited + 1);
  // Found again later: counted once.
  expectStatus(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.e.id, method: 'phone', result: 'visited',
  }), 201);
  assert.equal((await coverageOf(officer, S, S)).households_visited, s.households_visited);
  assert.equal(s.persons, before.persons + 1);
  const q = expectStatus(await officer.get(`/api/v1/rounds/${round.id}/rechecks`), 200);
  assert.equal(q.body.items.length, 0);
  assert.equal((await sql(srv.db, `SELECT status FROM households WHERE id = ${H.e.id}`)).trim(), 'occupied');
});

test('a retried visit (same client_id) is stored once and answered the same', async () => {
  const body = {
    round_id: round.id, household_id: H.b.id, method: 'door', result: 'visited', client_id: 'grid-k1-0002',
    persons: [{ doc_number: newId(), name: '孙五', origin_code: '湖北省武汉市', arrival_date: '2020-01-20' }],
  };
  const first = expectStatus(await grid.post('/api/v1/visits', body), 201, 'first copy');
  const cov = await coverageOf(officer, S, S);
  const again = expectStatus(await grid.post('/api/v1/visits', body), 201, 'retry');
  assert.equal(again.headers.get('idempotent-replay'), 'true');
  assert.deepEqual(again.body, first.body);
  assert.equal(await count("SELECT COUNT(*) FROM visits WHERE client_id = 'grid-k1-0002'"), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM visits WHERE household_id = ${H.b.id}`), 1);
  assert.deepEqual(await coverageOf(officer, S, S), cov, 'counters unchanged by the retry');
  // The same key in the header works too.
  const headers = { 'Idempotency-Key': 'grid-k1-0003' };
  const h1 = expectStatus(await grid.post('/api/v1/visits', { ...body, client_id: undefined, result: 'refused', persons: [] }, { headers }), 201);
  const h2 = expectStatus(await grid.post('/api/v1/visits', { ...body, client_id: undefined, result: 'refused', persons: [] }, { headers }), 201);
  assert.equal(h2.body.id, h1.body.id);
  assert.equal(await count(`SELECT COUNT(*) FROM visits WHERE household_id = ${H.b.id}`), 2);
});

test('scope and teams: a grid worker records only in its compound, a team only in its compounds', async () => {
  expectError(await grid.post('/api/v1/visits', {
    round_id: round.id, household_id: H.c.id, method: 'door', result: 'visited',
  }), 403, 'forbidden', undefined, 'a household of another compound');
  expectError(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.t.id, method: 'door', result: 'visited',
  }), 403, 'forbidden', undefined, 'a household of another sub-district');
  expectError(await officer.post('/api/v1/visits', {
    round_id: round.id, household_id: H.d.id, team_id: team.id, method: 'door', result: 'visited',
  }), 422, 'rule', 'household_id', 'a household outside the team\'s compounds');
  expectError(await admin.post('/api/v1/visits', {
    round_id: round.id, household_id: H.t.id, method: 'door', result: 'visited',
  }), 422, 'rule', 'household_id', 'a household outside the round\'s area');
  assert.equal(await count(`SELECT COUNT(*) FROM visits WHERE household_id IN (${H.c.id}, ${H.t.id})`), 0);

  const mine = expectStatus(await grid.get(`/api/v1/visits?round_id=${round.id}`), 200);
  assert.ok(mine.body.items.length >= 3);
  assert.ok(mine.body.items.every((v) => v.unit_id === K1.id), show(mine));
  const one = expectStatus(await officer.get(`/api/v1/visits?household_id=${H.d.id}`), 200);
  assert.equal(one.body.items.length, 2);
  assert.ok(one.body.items.every((v) => v.result === 'empty' && v.household_address === '3号楼1单元301'));
  const byUnit = expectStatus(await officer.get(`/api/v1/visits?unit_id=${C2.id}&limit=1`), 200);
  assert.equal(byUnit.body.items.length, 1);
  assert.ok(byUnit.body.next, 'a next cursor');
  const csv = expectStatus(await officer.get(`/api/v1/visits?round_id=${round.id}&format=csv`), 200);
  assert.match(csv.text, /住户地址/);
});

test('bad input: a bad person inside persons[] is named and nothing is stored', async () => {
  const good = newId();
  const visits = await count('SELECT COUNT(*) FROM visits');
  const persons = await count('SELECT COUNT(*) FROM persons');
  const base = { round_id: round.id, household_id: H.b.id, method: 'door', result: 'visited' };
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: badId(), name: '错号' }, { doc_number: good, name: '好号' }] }),
    400, 'invalid', 'persons[0].doc_number', 'a bad check character first');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good, name: '好号' }, { doc_number: badId(), name: '错号' }] }),
    400, 'invalid', 'persons[1].doc_number', 'a bad check character second');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good }] }),
    400, 'invalid', 'persons[0].name', 'no name');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good, name: '好号', phone: '12345' }] }),
    400, 'invalid', 'persons[0].phone', 'a bad phone');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good, name: '好号', origin_code: '420100' }] }),
    400, 'invalid', 'persons[0].arrival_date', 'an origin without a date');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good, name: '好号', origin_code: '火星', arrival_date: '2020-01-20' }] }),
    400, 'invalid', 'persons[0].origin_code', 'an unknown place');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: [{ doc_number: good, name: '好号' }, { doc_number: good.toLowerCase(), name: '又一个' }] }),
    400, 'invalid', 'persons[1].doc_number', 'the same document twice');
  expectError(await grid.post('/api/v1/visits', { ...base, persons: ['x'] }), 400, 'invalid', 'persons[0]');
  expectError(await grid.post('/api/v1/visits', { ...base, result: 'empty', persons: [{ doc_number: good, name: '好号' }] }),
    422, 'rule', 'persons', 'persons on an empty home');
  expectError(await grid.post('/api/v1/visits', { ...base, method: 'fax' }), 400, 'invalid', 'method');
  expectError(await grid.post('/api/v1/visits', { ...base, result: 'gone' }), 400, 'invalid', 'result');
  expectError(await grid.post('/api/v1/visits', { ...base, round_id: undefined }), 400, 'invalid', 'round_id');
  expectError(await grid.post('/api/v1/visits', { ...base, round_id: 99999 }), 400, 'invalid', 'round_id');
  expectError(await grid.post('/api/v1/visits', { ...base, household_id: 99999 }), 400, 'invalid', 'household_id');
  expectError(await grid.post('/api/v1/visits', { ...base, at: 4102444800 }), 400, 'invalid', 'at', 'a visit in 2100');
  expectError(await grid.post('/api/v1/visits', { ...base, team_id: 99999 }), 400, 'invalid', 'team_id');
  expectError(await grid.post('/api/v1/visits', '{"round_id":'), 400, 'invalid', 'body', 'malformed JSON');
  assert.equal(await count('SELECT COUNT(*) FROM visits'), visits, 'no visit stored');
  assert.equal(await count('SELECT COUNT(*) FROM persons'), persons, 'no person stored');
  assert.equal(await count(`SELECT COUNT(*) FROM persons WHERE doc_number = '${good}'`), 0);
});

test('racing visits: one client_id stores one visit; concurrent visits count a household once', async () => {
  const hr = await mkHousehold(K2, '5号楼5单元505');
  const body = {
    round_id: round.id, household_id: hr.id, method: 'door', result: 'visited', client_id: 'race-visit-1',
    persons: [{ doc_number: newId(), name: '周六' }],
  };
  const copies = await Promise.all(Array.from({ length: 10 }, () => officer.post('/api/v1/visits', body)));
  for (const a of copies) expectStatus(a, 201, 'a racing copy');
  assert.equal(new Set(copies.map((a) => a.body.id)).size, 1);
  assert.equal(await count("SELECT COUNT(*) FROM visits WHERE client_id = 'race-visit-1'"), 1);
  assert.equal(await count(`SELECT COUNT(*) FROM persons WHERE doc_number = '${body.persons[0].doc_number}'`), 1);

  const before = await coverageOf(officer, K2, C1);
  const all = await Promise.all(Array.from({ length: 8 }, (_, i) => officer.post('/api/v1/visits', {
    round_id: round.id, household_id: hr.id, method: 'door', result: i % 2 ? 'empty' : 'visited',
    client_id: `race-visit-2-${i}`,
    persons: i % 2 ? [] : [{ doc_number: newId(), name: `吴${i}` }],
  })));
  for (const a of all) expectStatus(a, 201, 'a concurrent visit');
  const k2 = await coverageOf(officer, K2, C1);
  assert.equal(k2.households_visited, before.households_visited, 'already counted');
  assert.equal(k2.persons, before.persons + 4);
  assert.equal(await count(`SELECT visits FROM round_households WHERE round_id = ${round.id} AND household_id = ${hr.id}`), 9);
  const pending = await count(`SELECT COUNT(*) FROM round_households WHERE round_id = ${round.id} AND unit_id = ${K2.id} AND pending_empty = 1`);
  assert.equal(k2.empties_pending, pending, 'the queue count agrees with the queue');
});

test('the counters agree with the visit records', async () => {
  // What the bulletin reports must be what the visits say.
  const visited = await count(`SELECT COUNT(DISTINCT household_id) FROM visits WHERE round_id = ${round.id} AND result = 'visited'`);
  const persons = await count(`SELECT COUNT(DISTINCT vp.person_id) FROM visit_persons vp JOIN visits v ON v.id = vp.visit_id WHERE v.round_id = ${round.id}`);
  const pending = await count(`SELECT COUNT(*) FROM round_households WHERE round_id = ${round.id} AND pending_empty = 1`);
  const r = expectStatus(await officer.get(`/api/v1/rounds/${round.id}`), 200);
  assert.equal(r.body.households_visited, visited);
  assert.equal(r.body.persons, persons);
  assert.equal(r.body.empties_pending, pending);
  const xlsx = await officer.get(`/api/v1/rounds/${round.id}/coverage?format=xlsx`, { raw: true });
  expectStatus(xlsx, 200, 'coverage as xlsx');
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
});

test('coverage of a compound lists no building that holds no household (its rows said 0 beside the compound\'s count)', async () => {
  const empty = await mkUnit(admin, K3.id, 'building', 'SC-K3-B1', '丙小区1号楼');
  const full = await mkUnit(admin, K3.id, 'building', 'SC-K3-B2', '丙小区2号楼');
  await mkHousehold(full, '2号楼1单元101');
  const res = expectStatus(await officer.get(`/api/v1/rounds/${round.id}/coverage?unit_id=${K3.id}`), 200, 'compound coverage').body;
  const ids = res.items.map((x) => x.unit_id);
  assert.ok(!ids.includes(empty.id), `an empty building is not listed: ${JSON.stringify(res.items)}`);
  assert.deepEqual(ids, [full.id], 'a building with households is');
  assert.equal(res.items[0].households, 1);
});
