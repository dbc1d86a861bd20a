// District-wide powers and one rule for writes outside the scope (issue 9
// §7, §8). An admin scoped to a sub-district reads the audit log of their
// own area only and may not change district-wide settings or rotate the pass
// keys; a write to a record outside the caller's scope is 403 whether the
// record is seen from below or not seen at all (a missing one is 404).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError,
} from './lib.mjs';

let srv; let admin; let A; let B; let B1; let subAdmin; let officerA; let officerB;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'DW-A', '甲街道');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'DW-B', '乙街道');
  B1 = await mkUnit(admin, B.id, 'community', 'DW-B1', '乙一社区');
  subAdmin = await userClient(srv, admin, { username: 'admin.a', role: 'admin', scope_unit_id: A.id });
  officerA = await userClient(srv, admin, { username: 'officer.a', role: 'commander', scope_unit_id: A.id });
  officerB = await userClient(srv, admin, { username: 'officer.b', role: 'commander', scope_unit_id: B.id });
  // Writes in both sub-districts, so both have audit rows.
  expectStatus(await officerA.post('/api/v1/units', { parent_id: A.id, kind: 'community', code: 'DW-A1', name: '甲一社区' }), 201);
  expectStatus(await officerB.post('/api/v1/units', { parent_id: B.id, kind: 'community', code: 'DW-B2', name: '乙二社区' }), 201);
});
after(async () => { await srv?.stop(); });

test("an admin scoped to a sub-district reads only their area's audit rows", async () => {
  const own = expectStatus(await subAdmin.get('/api/v1/audit?limit=500'), 200);
  const actors = new Set(own.body.items.map((x) => x.actor));
  assert.ok(actors.has('officer.a'), JSON.stringify([...actors]));
  assert.ok(!actors.has('officer.b') && !actors.has('admin') && !actors.has('-'), `rows of another area: ${[...actors]}`);
  const csv = expectStatus(await subAdmin.get('/api/v1/audit?format=csv'), 200);
  assert.ok(!csv.text.includes('officer.b'), 'the export leaks another area');
  // The district's admin reads them all.
  const all = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200);
  assert.ok(all.body.items.some((x) => x.actor === 'officer.b'));
});

test('district-wide settings and pass keys need a district-scoped admin', async () => {
  expectError(await subAdmin.patch('/api/v1/settings', { pass_days: 7 }), 403, 'forbidden');
  expectError(await subAdmin.post('/api/v1/pass-keys/rotate', {}), 403, 'forbidden');
  const s = expectStatus(await admin.get('/api/v1/settings'), 200);
  assert.equal(s.body.items.find((x) => x.key === 'pass_days').value, 30, 'changed by the sub-district admin');
  expectStatus(await admin.patch('/api/v1/settings', { pass_days: 30 }), 200);
  expectStatus(await admin.post('/api/v1/pass-keys/rotate', {}), 201);
});

test('a write outside the scope is 403 whether or not the record is visible; a missing one 404', async () => {
  const g = expectStatus(await officerB.post('/api/v1/groups', { code: 'DW-G', name: '乙组' }), 201).body;
  const l = expectStatus(await officerB.post('/api/v1/leaders', { name: '乙领导', title: '主任' }), 201).body;
  const as = expectStatus(await officerB.post('/api/v1/assignments', { unit_id: B1.id, leader_id: l.id }), 201).body;
  const round = expectStatus(await officerB.post('/api/v1/rounds', { name: '乙轮', unit_id: B.id, start_date: '2020-02-01' }), 201).body;
  expectError(await officerA.patch(`/api/v1/groups/${g.id}`, { name: '改' }), 403, 'forbidden', undefined, 'group');
  expectError(await officerA.patch(`/api/v1/leaders/${l.id}`, { name: '改' }), 403, 'forbidden', undefined, 'leader');
  expectError(await officerA.del(`/api/v1/assignments/${as.id}`), 403, 'forbidden', undefined, 'assignment');
  expectError(await officerA.post(`/api/v1/rounds/${round.id}/teams`, {
    unit_id: B1.id, police_name: '甲', legal_name: '乙', cadre_name: '丙', grid_name: '丁', compound_ids: [B1.id],
  }), 403, 'forbidden', undefined, 'team');
  for (const [m, p] of [['patch', '/api/v1/groups/999999'], ['patch', '/api/v1/leaders/999999'], ['del', '/api/v1/assignments/999999']]) {
    expectError(await officerA[m](p, m === 'del' ? undefined : { name: 'x' }), 404, 'not_found', undefined, p);
  }
  expectError(await officerA.post('/api/v1/rounds/999999/teams', {
    unit_id: A.id, police_name: '甲', legal_name: '乙', cadre_name: '丙', grid_name: '丁', compound_ids: [A.id],
  }), 404, 'not_found');
  // Nothing changed.
  assert.equal((await officerB.get('/api/v1/groups')).body.items.find((x) => x.id === g.id).name, '乙组');
});
