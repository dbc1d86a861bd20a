// Scope: a user sees only the subtree of their scope unit. Reading outside it
// is 404 without revealing the record; writing outside it is 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;
let U = {};
let grid;
let officer;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  const d = admin.root;
  U.d = d;
  U.A = await mkUnit(admin, d.id, 'subdistrict', 'SC-A', '甲街道');
  U.A1 = await mkUnit(admin, U.A.id, 'community', 'SC-A1', '甲一社区');
  U.A1a = await mkUnit(admin, U.A1.id, 'compound', 'SC-A1a', '甲一小区');
  U.B = await mkUnit(admin, d.id, 'subdistrict', 'SC-B', '乙街道');
  U.B1 = await mkUnit(admin, U.B.id, 'community', 'SC-B1', '乙一社区');
  U.B1a = await mkUnit(admin, U.B1.id, 'compound', 'SC-B1a', '秘密乙一小区');
  grid = await userClient(srv, admin, { username: 'grid.a1a', role: 'grid_worker', scope_unit_id: U.A1a.id });
  officer = await userClient(srv, admin, { username: 'officer.a', role: 'officer', scope_unit_id: U.A.id });
});

after(async () => {
  await srv?.stop();
});

test('a grid worker reads their own compound', async () => {
  const res = await grid.get(`/api/v1/units/${U.A1a.id}`);
  expectStatus(res, 200, 'own compound');
  assert.equal(res.body.name, '甲一小区');
  assert.equal(res.body.kind, 'compound');
  const me = await grid.get('/api/v1/me');
  assert.equal(me.body.scope_unit.id, U.A1a.id);
  assert.ok(!me.body.user.permissions.includes('units.write'), 'grid_worker must not have units.write');
});

test("a unit outside the grid worker's scope is 404 and its name is not revealed", async () => {
  for (const u of [U.B1a, U.B, U.A1, U.d]) {
    const res = await grid.get(`/api/v1/units/${u.id}`);
    expectError(res, 404, 'not_found', undefined, `GET ${u.code} outside scope`);
    assert.ok(!res.text.includes(u.name), `404 body reveals the name ${u.name}: ${show(res)}`);
    assert.ok(!res.text.includes(u.code), `404 body reveals the code ${u.code}: ${show(res)}`);
  }
  // It looks exactly like a unit that does not exist.
  const missing = await grid.get('/api/v1/units/987654');
  const outside = await grid.get(`/api/v1/units/${U.B1a.id}`);
  assert.deepEqual(outside.body, missing.body, 'a unit outside scope must look like a missing one');
});

test('a grid worker may not write, inside or outside scope', async () => {
  expectError(await grid.patch(`/api/v1/units/${U.B1a.id}`, { name: '改名' }), 403, 'forbidden', undefined, 'PATCH B1a');
  expectError(await grid.patch(`/api/v1/units/${U.A1a.id}`, { name: '改名' }), 403, 'forbidden', undefined, 'PATCH own A1a');
  expectError(await grid.post('/api/v1/units', { parent_id: U.A1a.id, kind: 'building', code: 'SC-GW-1', name: '1号楼' }),
    403, 'forbidden', undefined, 'POST under own compound');
  const still = await admin.get(`/api/v1/units/${U.A1a.id}`);
  assert.equal(still.body.name, '甲一小区', 'a refused PATCH changed the unit');
});

test("a grid worker's list holds only their own subtree", async () => {
  const res = await grid.get('/api/v1/units');
  expectStatus(res, 200);
  const ids = res.body.items.map((u) => u.id);
  assert.deepEqual(ids, [U.A1a.id], `grid worker sees ${show(res)}`);
  const q = await grid.get(`/api/v1/units?q=${encodeURIComponent('乙')}`);
  expectStatus(q, 200);
  assert.equal(q.body.items.length, 0, `search leaks units outside scope: ${show(q)}`);
});

test('an officer writes inside their subdistrict and not outside it', async () => {
  const ok = await officer.patch(`/api/v1/units/${U.A1.id}`, { name: '甲一社区（改）' });
  expectStatus(ok, 200, 'PATCH A1');
  assert.equal(ok.body.name, '甲一社区（改）');
  assert.equal((await admin.get(`/api/v1/units/${U.A1.id}`)).body.name, '甲一社区（改）', 'the change is stored');

  expectError(await officer.patch(`/api/v1/units/${U.B1.id}`, { name: '偷改' }), 403, 'forbidden', undefined, 'PATCH B1');
  assert.equal((await admin.get(`/api/v1/units/${U.B1.id}`)).body.name, '乙一社区', 'B1 unchanged');

  expectError(await officer.post('/api/v1/units', { parent_id: U.B1.id, kind: 'compound', code: 'SC-B1b', name: '越界小区' }),
    403, 'forbidden', undefined, 'POST under B1');
  const created = await officer.post('/api/v1/units', { parent_id: U.A1.id, kind: 'compound', code: 'SC-A1b', name: '甲一二小区' });
  expectStatus(created, 201, 'POST under A1');

  // The officer cannot lift a unit out of scope, nor move one of B's into A.
  expectError(await officer.patch(`/api/v1/units/${U.A1.id}`, { parent_id: U.B.id }), 403, 'forbidden', undefined, 'move A1 under B');
  const notMoved = await admin.get(`/api/v1/units/${U.A1.id}`);
  assert.equal(notMoved.body.parent_id, U.A.id, 'A1 was moved out of the officer scope');
});

test("an officer's search and child lists stay inside subdistrict A", async () => {
  const q = await officer.get('/api/v1/units?q=SC-');
  expectStatus(q, 200);
  const codes = q.body.items.map((u) => u.code).sort();
  assert.ok(codes.length >= 3, `officer search finds too little: ${show(q)}`);
  for (const c of codes) assert.ok(c.startsWith('SC-A'), `officer search shows ${c} outside A: ${codes}`);
  assert.ok(codes.includes('SC-A1a'));

  const kids = await officer.get(`/api/v1/units?parent=${U.d.id}`);
  expectStatus(kids, 200, 'children of the district');
  assert.deepEqual(kids.body.items.map((u) => u.code), ['SC-A'], `officer sees district children ${show(kids)}`);

  const adminKids = await admin.get(`/api/v1/units?parent=${U.d.id}`);
  assert.deepEqual(adminKids.body.items.map((u) => u.code).sort(), ['SC-A', 'SC-B'], 'admin sees both subdistricts');

  const list = await officer.get('/api/v1/units');
  expectStatus(list, 200);
  assert.equal(list.body.items[0].id, U.A.id, 'without parent and q, the scope unit comes first');
  assert.ok(list.body.items.every((u) => u.code.startsWith('SC-A')), `officer list leaks: ${show(list)}`);

  // Export follows scope too.
  const csv = await officer.get('/api/v1/units?format=csv');
  expectStatus(csv, 200, 'csv export');
  assert.ok(!csv.text.includes('乙'), `the officer's CSV export leaks units of B: ${csv.text}`);
});

test('an officer sees nothing under a unit outside scope', async () => {
  const res = await officer.get(`/api/v1/units?parent=${U.B.id}`);
  assert.ok(res.status === 404 || (res.status === 200 && res.body.items.length === 0),
    `children of B are listed for the officer of A: ${show(res)}`);
  assert.ok(!res.text.includes('乙一社区'));
  const kind = await officer.get('/api/v1/units?kind=compound');
  expectStatus(kind, 200);
  assert.ok(kind.body.items.length >= 1 && kind.body.items.every((u) => u.kind === 'compound' && u.code.startsWith('SC-A')),
    `kind filter within scope: ${show(kind)}`);
});

test("a CSV import cannot create or change units outside the importer's scope", async () => {
  const csv = [
    'parent_code,kind,code,name',
    'SC-B1,compound,SC-IMP-B,越界导入小区',   // parent outside scope
    'SC-A1,compound,SC-B1a,借码改名',          // an existing code outside scope, "updated" from inside
    'SC-A1,compound,SC-IMP-A,甲一导入小区',    // fine
  ].join('\n') + '\n';
  const res = await officer.post('/api/v1/imports/units', csv, { type: 'text/csv' });
  expectStatus(res, 200, 'officer import');
  assert.equal(res.body.created, 1, show(res));
  assert.equal(res.body.updated, 0, show(res));
  assert.equal(res.body.rejected, 2, show(res));
  assert.deepEqual(res.body.rejects.map((r) => r.line).sort(), [2, 3], show(res));
  const b1a = await admin.get(`/api/v1/units/${U.B1a.id}`);
  assert.equal(b1a.body.name, '秘密乙一小区', 'an import from A renamed a unit of B');
  assert.equal(b1a.body.parent_id, U.B1.id, 'an import from A moved a unit of B');
  for (const r of res.body.rejects) assert.ok(!r.reason.includes('秘密乙一小区'), `a reject reveals a name outside scope: ${r.reason}`);
  const q = await admin.get('/api/v1/units?q=SC-IMP-B');
  assert.equal(q.body.items.length, 0, 'a unit was created under B by the officer of A');
});
