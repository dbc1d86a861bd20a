// Users: an admin creates accounts of every role inside their own scope;
// bad input names its field; disabling an account ends its sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, mkUser, userClient, Client, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;
let A;
let B;

const ROLES = ['admin', 'commander', 'group_lead', 'officer', 'grid_worker', 'checkpoint_staff',
  'medic', 'warehouse', 'inspector', 'enterprise'];

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'US-A', '用户街道');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'US-B', '另一街道');
});

after(async () => {
  await srv?.stop();
});

const good = (over = {}) => ({ username: 'new.user', name: '新用户', role: 'officer', scope_unit_id: A.id, password: 'long-enough-1', ...over });

test('an admin creates users of every role, and each can sign in', async () => {
  const roles = await admin.get('/api/v1/roles');
  expectStatus(roles, 200, 'GET /api/v1/roles');
  assert.deepEqual(roles.body.items.map((r) => r.name).sort(), [...ROLES].sort(), show(roles));
  // An enterprise account belongs to an enterprise, whose unit is its scope.
  const ent = expectStatus(await admin.post('/api/v1/enterprises', {
    unit_id: A.id, name: '用户测试企业', credit_code: '91350100M000100Y43', sector: 'manufacturing', headcount: 10,
  }), 201, 'enterprise').body;
  for (const role of ROLES) {
    const u = await mkUser(admin, {
      username: `r.${role}`, name: `角色 ${role}`, role, scope_unit_id: A.id, password: `pw-${role}-12345`,
      ...(role === 'enterprise' ? { enterprise_id: ent.id } : {}),
    });
    assert.equal(u.role, role);
    assert.equal(u.username, `r.${role}`);
    assert.equal(u.scope_unit_id, A.id);
    assert.equal(u.disabled, false);
    assert.equal(u.pw_hash, undefined, 'the password hash is never shown');
    assert.equal(u.password_hash, undefined, 'the password hash is never shown');
    const c = new Client(srv.base);
    const login = await c.login(`r.${role}`, `pw-${role}-12345`);
    expectStatus(login, 200, `login as ${role}`);
    assert.equal(login.body.user.role, role);
    const want = roles.body.items.find((r) => r.name === role).permissions;
    assert.deepEqual([...login.body.user.permissions].sort(), [...want].sort(), `permissions of ${role}`);
  }
  const list = await admin.get('/api/v1/users?role=medic');
  expectStatus(list, 200);
  assert.deepEqual(list.body.items.map((u) => u.username), ['r.medic'], show(list));
  assert.equal(list.body.items[0].scope_unit_name, '用户街道');
  assert.ok(!list.text.includes('$argon2'), 'password hashes leak into the user list');
  const one = await admin.get(`/api/v1/users/${list.body.items[0].id}`);
  expectStatus(one, 200);
  assert.equal(one.body.username, 'r.medic');
});

test('bad input names its field', async () => {
  for (const username of ['Bad User!', 'ab', 'x'.repeat(33), 'UPPER', '用户']) {
    expectError(await admin.post('/api/v1/users', good({ username })), 400, 'invalid', 'username', `username ${JSON.stringify(username)}`);
  }
  expectError(await admin.post('/api/v1/users', good({ username: 'short.pw', password: 'short' })), 400, 'invalid', 'password', 'short password');
  expectError(await admin.post('/api/v1/users', good({ username: 'long.pw', password: 'x'.repeat(129) })), 400, 'invalid', 'password', '129-character password');
  expectError(await admin.post('/api/v1/users', good({ username: 'bad.role', role: 'emperor' })), 400, 'invalid', 'role', 'unknown role');
  expectError(await admin.post('/api/v1/users', good({ username: 'no.name', name: undefined })), 400, 'invalid', 'name', 'no name');
  const scope = await admin.post('/api/v1/users', good({ username: 'bad.scope', scope_unit_id: 987654 }));
  expectError(scope, [400, 404], undefined, 'scope_unit_id', 'nonexistent scope unit');
  expectError(await admin.post('/api/v1/users', good({ username: 'str.scope', scope_unit_id: 'A' })), 400, 'invalid', 'scope_unit_id', 'scope of the wrong type');
  const list = await admin.get('/api/v1/users?q=bad');
  assert.equal(list.body.items.length, 0, `refused users were stored: ${show(list)}`);
});

test('a duplicate username is 409', async () => {
  expectStatus(await admin.post('/api/v1/users', good({ username: 'dup.user' })), 201);
  expectError(await admin.post('/api/v1/users', good({ username: 'dup.user', name: '另一个' })), 409, 'conflict', undefined, 'duplicate username');
});

test('only users.admin may manage users, and only inside their scope', async () => {
  const cmd = await userClient(srv, admin, { username: 'cmd.user', role: 'commander', scope_unit_id: admin.root.id });
  expectError(await cmd.post('/api/v1/users', good({ username: 'by.commander' })), 403, 'forbidden', undefined, 'commander creates a user');
  expectError(await cmd.get('/api/v1/users'), 403, 'forbidden', undefined, 'commander lists users');

  // an admin scoped to A cannot create a user scoped to B (outside their own scope)
  const subAdmin = await userClient(srv, admin, { username: 'admin.a', role: 'admin', scope_unit_id: A.id });
  const outside = await subAdmin.post('/api/v1/users', good({ username: 'outside.b', scope_unit_id: B.id }));
  expectError(outside, [400, 403, 404], undefined, undefined, 'scope outside the admin’s own');
  assert.notEqual(outside.status, 201);
  expectStatus(await subAdmin.post('/api/v1/users', good({ username: 'inside.a', scope_unit_id: A.id })), 201, 'scope inside');
  const seen = await subAdmin.get('/api/v1/users?q=cmd.user');
  assert.equal(seen.body.items.length, 0, 'an admin of A sees users scoped above A');
});

test('disabling a user ends their session and refuses their login', async () => {
  const u = await mkUser(admin, { username: 'to.disable', role: 'grid_worker', scope_unit_id: A.id, password: 'disable-me-123' });
  const c = new Client(srv.base);
  await c.signIn(u.username, 'disable-me-123');
  expectStatus(await c.get('/api/v1/me'), 200);
  const p = await admin.patch(`/api/v1/users/${u.id}`, { disabled: true });
  expectStatus(p, 200, 'disable');
  assert.equal(p.body.disabled, true);
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated', undefined, '/me of a disabled user');
  const again = await new Client(srv.base).login(u.username, 'disable-me-123');
  assert.ok([401, 403].includes(again.status), `a disabled user signs in: ${show(again)}`);
  assert.ok(!again.setCookie.some((s) => /^cordon_session=[^;]+/.test(s)), 'a disabled user got a session cookie');

  // re-enabled, they can sign in again
  expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { disabled: false }), 200);
  expectStatus(await new Client(srv.base).login(u.username, 'disable-me-123'), 200, 're-enabled login');
});

test('an admin resetting a password ends the user’s sessions', async () => {
  const u = await mkUser(admin, { username: 'to.reset', role: 'inspector', scope_unit_id: A.id, password: 'before-reset-1' });
  const c = new Client(srv.base);
  await c.signIn(u.username, 'before-reset-1');
  expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { password: 'after-reset-22' }), 200, 'reset');
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'old session after reset');
  expectStatus(await new Client(srv.base).login(u.username, 'after-reset-22'), 200);
  expectError(await admin.patch(`/api/v1/users/${u.id}`, { password: 'tiny' }), 400, 'invalid', 'password', 'reset to a short password');
  expectError(await admin.patch(`/api/v1/users/${u.id}`, { role: 'emperor' }), 400, 'invalid', 'role', 'PATCH an unknown role');
});

test('a role or scope change takes effect on the next request', async () => {
  const u = await mkUser(admin, { username: 'promoted', role: 'grid_worker', scope_unit_id: A.id, password: 'promote-me-123' });
  const c = new Client(srv.base);
  await c.signIn(u.username, 'promote-me-123');
  expectError(await c.patch(`/api/v1/units/${A.id}`, { name: '改名前' }), 403, 'forbidden', undefined, 'grid worker writes');
  const p = await admin.patch(`/api/v1/users/${u.id}`, { role: 'officer' });
  expectStatus(p, 200, 'promote');
  assert.equal(p.body.role, 'officer');
  const me = await c.get('/api/v1/me');
  assert.equal(me.body.user.role, 'officer', 'the new role shows at once');
  expectStatus(await c.patch(`/api/v1/units/${A.id}`, { name: '用户街道' }), 200, 'officer writes');
  expectStatus(await admin.patch(`/api/v1/users/${u.id}`, { scope_unit_id: B.id }), 200, 'move scope');
  expectError(await c.get(`/api/v1/units/${A.id}`), 404, 'not_found', undefined, 'the old scope after a scope change');
  expectStatus(await c.get(`/api/v1/units/${B.id}`), 200, 'the new scope');
});
