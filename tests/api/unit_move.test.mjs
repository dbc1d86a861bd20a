// Moving a unit under another parent (PATCH /api/v1/units/{id} parent_id)
// takes its subtree's kept counters along: households and persons per unit
// (unit_households, the coverage denominator) and each round's coverage
// (round_coverage) leave the old ancestors and join the new ones, so a
// round's coverage page says what the households and visits say, before
// and after the move and after moving back. Before this, the old
// sub-district kept counting the moved community's homes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, expectStatus, sql, show, residentId } from './lib.mjs';

let seq = 300;
const newId = () => residentId(`64010619900305${String(seq++).padStart(3, '0')}`);

let srv;
let admin;
const U = {};
const H = {};
let round;

async function household(unit, address) {
  const res = await admin.post('/api/v1/households', { unit_id: unit.id, address });
  expectStatus(res, 201, `household ${address}`);
  return res.body;
}

async function visit(h, result, persons, client_id) {
  const res = await admin.post('/api/v1/visits', {
    round_id: round.id, household_id: h.id, method: 'door', result, client_id, persons,
  });
  expectStatus(res, 201, `visit ${client_id}`);
}

/** Kept counters equal a recount from the records, for every unit. */
async function check(what) {
  const keptH = await sql(srv.db, 'SELECT unit_id, households, persons FROM unit_households'
    + ' WHERE households <> 0 OR persons <> 0 ORDER BY unit_id');
  const recountH = await sql(srv.db, 'SELECT t.ancestor_id, SUM(x.h), SUM(x.p) FROM ('
    + ' SELECT unit_id AS u, 1 AS h, 0 AS p FROM households'
    + ' UNION ALL SELECT unit_id, 0, 1 FROM persons WHERE merged_into IS NULL) x'
    + ' JOIN unit_tree t ON t.unit_id = x.u GROUP BY t.ancestor_id'
    + ' HAVING SUM(x.h) <> 0 OR SUM(x.p) <> 0 ORDER BY t.ancestor_id');
  assert.equal(keptH, recountH, `${what}: households and persons per unit = recount`);

  const keptC = await sql(srv.db, 'SELECT round_id, unit_id, households_visited, persons, empties_pending'
    + ' FROM round_coverage WHERE households_visited <> 0 OR persons <> 0 OR empties_pending <> 0'
    + ' ORDER BY round_id, unit_id');
  const recountC = await sql(srv.db, 'SELECT x.r, t.ancestor_id, SUM(x.h), SUM(x.p), SUM(x.e) FROM ('
    + ' SELECT round_id AS r, unit_id AS u, CASE WHEN EXISTS (SELECT 1 FROM visits v'
    + " WHERE v.round_id = rh.round_id AND v.household_id = rh.household_id AND v.result = 'visited')"
    + ' THEN 1 ELSE 0 END AS h, 0 AS p, pending_empty AS e FROM round_households rh'
    + ' UNION ALL SELECT round_id, unit_id, 0, 1, 0 FROM round_persons) x'
    + ' JOIN unit_tree t ON t.unit_id = x.u GROUP BY x.r, t.ancestor_id'
    + ' ORDER BY x.r, t.ancestor_id');
  assert.equal(keptC, recountC, `${what}: each round's coverage per unit = recount`);
  assert.equal((await sql(srv.db, 'SELECT COUNT(*) FROM round_coverage WHERE households_visited < 0'
    + ' OR persons < 0 OR empties_pending < 0')).trim(), '0', `${what}: no negative counter`);
}

/** The round's coverage page row for unit u, asked at `of`. */
async function coverage(u, of) {
  const res = expectStatus(await admin.get(`/api/v1/rounds/${round.id}/coverage?unit_id=${of.id}`), 200, 'coverage');
  const row = res.body.unit.unit_id === u.id ? res.body.unit : res.body.items.find((x) => x.unit_id === u.id);
  assert.ok(row, `no coverage row for ${u.name}: ${show(res)}`);
  return row;
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  U.T = admin.root;
  U.S1 = await mkUnit(admin, U.T.id, 'subdistrict', 'MV-S1', '迁出街道');
  U.S2 = await mkUnit(admin, U.T.id, 'subdistrict', 'MV-S2', '迁入街道');
  U.C1 = await mkUnit(admin, U.S1.id, 'community', 'MV-C1', '迁移社区');
  U.C2 = await mkUnit(admin, U.S1.id, 'community', 'MV-C2', '留下社区');
  U.C3 = await mkUnit(admin, U.S2.id, 'community', 'MV-C3', '原有社区');
  U.K1 = await mkUnit(admin, U.C1.id, 'compound', 'MV-K1', '迁移小区');
  U.K2 = await mkUnit(admin, U.C2.id, 'compound', 'MV-K2', '留下小区');
  U.K3 = await mkUnit(admin, U.C3.id, 'compound', 'MV-K3', '原有小区');
  H.a = await household(U.K1, '1号楼101');
  H.b = await household(U.K1, '1号楼102');
  H.c = await household(U.K2, '2号楼201');
  H.d = await household(U.K3, '3号楼301');
  const res = await admin.post('/api/v1/rounds', { name: '迁移轮', unit_id: U.T.id, start_date: '2020-02-10' });
  expectStatus(res, 201, 'round over the district');
  round = res.body;
  await visit(H.a, 'visited', [{ doc_number: newId(), name: '迁一' }, { doc_number: newId(), name: '迁二' }], 'mv-1');
  await visit(H.b, 'empty', [], 'mv-2');
  await visit(H.c, 'visited', [{ doc_number: newId(), name: '留一' }], 'mv-3');
  await visit(H.d, 'visited', [{ doc_number: newId(), name: '原一' }], 'mv-4');
});

after(async () => { await srv?.stop(); });

test('before the move the counters agree with the records', async () => {
  await check('before');
  const s1 = await coverage(U.S1, U.T);
  assert.equal(s1.households, 3, JSON.stringify(s1));
  assert.equal(s1.households_visited, 2, 'the empty home is not visited');
});

test('a community moved to another sub-district takes its homes, persons and coverage along', async () => {
  expectStatus(await admin.patch(`/api/v1/units/${U.C1.id}`, { parent_id: U.S2.id }), 200, 'move C1 under S2');
  await check('after the move');
  const s1 = await coverage(U.S1, U.T);
  assert.deepEqual([s1.households, s1.households_visited, s1.persons, s1.empties_pending], [1, 1, 1, 0],
    `the old sub-district keeps only its own community: ${JSON.stringify(s1)}`);
  const s2 = await coverage(U.S2, U.T);
  assert.deepEqual([s2.households, s2.households_visited, s2.persons, s2.empties_pending], [3, 2, 3, 1],
    `the new sub-district counts the moved homes, persons and the empty home: ${JSON.stringify(s2)}`);
  const t = await coverage(U.T, U.T);
  assert.deepEqual([t.households, t.households_visited, t.persons], [4, 3, 4], `the district is unchanged: ${JSON.stringify(t)}`);
});

test('moving it back restores the figures; a visit after the move counts under the new parent', async () => {
  expectStatus(await admin.patch(`/api/v1/units/${U.C1.id}`, { parent_id: U.S1.id }), 200, 'move back');
  await check('after moving back');
  expectStatus(await admin.patch(`/api/v1/units/${U.K1.id}`, { parent_id: U.C3.id }), 200, 'move the compound under C3');
  await check('after a compound moved across sub-districts');
  await visit(H.b, 'visited', [{ doc_number: newId(), name: '迁三' }], 'mv-5');
  await check('after a visit in the moved compound');
  const s2 = await coverage(U.S2, U.T);
  assert.deepEqual([s2.households, s2.households_visited, s2.persons, s2.empties_pending], [3, 3, 4, 0], JSON.stringify(s2));
});
