// Device tokens for checkpoint and gate tablets: created by an admin, shown
// once, used as a Bearer token without CSRF, limited by role and scope, and
// refused once revoked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, Client, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;
let A;
let A1;
let B;
let device;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'DV-A', '设备街道');
  A1 = await mkUnit(admin, A.id, 'community', 'DV-A1', '设备社区');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'DV-B', '别的街道');
});

after(async () => {
  await srv?.stop();
});

test('an admin creates a device token, shown once', async () => {
  const res = await admin.post('/api/v1/devices', { name: 'S103 卡点平板', role: 'checkpoint_staff', scope_unit_id: A.id });
  expectStatus(res, 201, 'create device');
  assert.equal(typeof res.body.token, 'string');
  assert.ok(res.body.token.length >= 20, `token too short: ${res.body.token}`);
  assert.ok(res.body.id, show(res));
  device = res.body;

  const list = await admin.get('/api/v1/devices');
  expectStatus(list, 200);
  const row = list.body.items.find((d) => d.id === device.id);
  assert.ok(row, `device not in the list: ${show(list)}`);
  assert.equal(row.name, 'S103 卡点平板');
  assert.equal(row.role, 'checkpoint_staff');
  assert.equal(row.scope_unit_id, A.id);
  assert.equal(row.revoked_at, null);
  assert.ok(!JSON.stringify(list.body).includes(device.token), 'the list must not show the token again');
  assert.ok(typeof row.token_hint === 'string' && row.token_hint.length > 0 && row.token_hint.length < device.token.length,
    `token_hint should be a short hint: ${JSON.stringify(row)}`);
});

test('the Bearer token identifies the device', async () => {
  const d = new Client(srv.base, { token: device.token });
  const me = await d.get('/api/v1/me');
  expectStatus(me, 200, 'device /me');
  assert.equal(me.body.user.device, true, `device /me should say device:true: ${show(me)}`);
  assert.equal(me.body.user.id, device.id);
  assert.equal(me.body.user.role, 'checkpoint_staff');
  assert.equal(me.body.user.scope_unit_id, A.id);
  assert.equal(me.body.scope_unit.id, A.id);
});

test('a device reads within its scope, and a POST is refused for permission, not for CSRF', async () => {
  const d = new Client(srv.base, { token: device.token });
  const own = await d.get(`/api/v1/units/${A1.id}`);
  expectStatus(own, 200, 'device GET in scope');
  assert.equal(own.body.name, '设备社区');
  expectError(await d.get(`/api/v1/units/${B.id}`), 404, 'not_found', undefined, 'device GET outside scope');

  const res = await d.post('/api/v1/units', { parent_id: A1.id, kind: 'compound', code: 'DV-X', name: '设备建的小区' });
  const e = expectError(res, 403, 'forbidden', undefined, 'device POST without units.write');
  assert.notEqual(e.field, 'X-CSRF-Token', 'a Bearer request must not need a CSRF token');

  // A device with a role that may write can write without a CSRF header.
  const w = await admin.post('/api/v1/devices', { name: '街道办平板', role: 'officer', scope_unit_id: A.id });
  expectStatus(w, 201);
  const od = new Client(srv.base, { token: w.body.token });
  const made = await od.post('/api/v1/units', { parent_id: A1.id, kind: 'compound', code: 'DV-OK', name: '设备建的小区' });
  expectStatus(made, 201, 'officer device POST without CSRF');
  expectError(await od.post('/api/v1/units', { parent_id: B.id, kind: 'community', code: 'DV-NO', name: '越界' }),
    403, 'forbidden', undefined, 'officer device writing outside scope');
});

test('a device cannot use the user-only routes', async () => {
  const d = new Client(srv.base, { token: device.token });
  expectError(await d.post('/api/v1/me/password', { current_password: 'x', new_password: 'yyyyyyyyyy' }),
    [403, 404, 405], undefined, undefined, 'device password change');
  expectError(await d.get('/api/v1/devices'), 403, 'forbidden', undefined, 'device listing devices');
});

test('a forged or malformed token is 401', async () => {
  const forged = new Client(srv.base, { token: device.token.slice(0, -4) + (device.token.endsWith('AAAA') ? 'BBBB' : 'AAAA') });
  expectError(await forged.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'forged token');
  const junk = new Client(srv.base, { token: 'not-a-token' });
  expectError(await junk.get(`/api/v1/units/${A.id}`), 401, 'unauthenticated', undefined, 'junk token');
  const empty = await new Client(srv.base).get('/api/v1/me', { headers: { Authorization: 'Bearer ' } });
  expectError(empty, 401, 'unauthenticated', undefined, 'empty Bearer');
});

test('a revoked token is refused from then on', async () => {
  const d = new Client(srv.base, { token: device.token });
  expectStatus(await d.get('/api/v1/me'), 200, 'before revoke');
  const rv = await admin.post(`/api/v1/devices/${device.id}/revoke`, {});
  expectStatus(rv, 200, 'revoke');
  expectError(await d.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'after revoke');
  expectError(await d.get(`/api/v1/units/${A1.id}`), 401, 'unauthenticated', undefined, 'units after revoke');
  const list = await admin.get('/api/v1/devices');
  const row = list.body.items.find((x) => x.id === device.id);
  assert.equal(typeof row.revoked_at, 'number', `revoked_at should be set: ${JSON.stringify(row)}`);
  assert.equal(typeof row.last_used_at, 'number', `last_used_at should be set after use: ${JSON.stringify(row)}`);
});

test('device roles are limited to those a device may carry', async () => {
  expectError(await admin.post('/api/v1/devices', { name: '管理员平板', role: 'admin', scope_unit_id: A.id }),
    400, 'invalid', 'role', 'role admin for a device');
  expectError(await admin.post('/api/v1/devices', { name: '指挥平板', role: 'commander', scope_unit_id: A.id }),
    400, 'invalid', 'role', 'role commander for a device');
  expectError(await admin.post('/api/v1/devices', { name: '怪平板', role: 'wizard', scope_unit_id: A.id }),
    400, 'invalid', 'role', 'unknown role');
  expectError(await admin.post('/api/v1/devices', { role: 'medic', scope_unit_id: A.id }),
    400, 'invalid', 'name', 'no name');
  for (const role of ['officer', 'grid_worker', 'checkpoint_staff', 'medic', 'warehouse']) {
    expectStatus(await admin.post('/api/v1/devices', { name: `${role} 平板`, role, scope_unit_id: A.id }), 201, `device role ${role}`);
  }
});

test('only users.admin may create or revoke devices', async () => {
  const cmd = await userClient(srv, admin, { username: 'cmd.dev', role: 'commander', scope_unit_id: admin.root.id });
  expectError(await cmd.post('/api/v1/devices', { name: 'x', role: 'medic', scope_unit_id: A.id }), 403, 'forbidden', undefined, 'commander creates device');
  expectError(await cmd.post(`/api/v1/devices/${device.id}/revoke`, {}), 403, 'forbidden', undefined, 'commander revokes device');
});
