// Rule settings: listed with defaults and ranges, changed by an admin within
// range, every change audited, and the change takes effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUser, userClient, Client, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
});

after(async () => {
  await srv?.stop();
});

const value = (list, key) => list.items.find((s) => s.key === key)?.value;

test('settings are listed with value, default, range and description', async () => {
  const res = await admin.get('/api/v1/settings');
  expectStatus(res, 200);
  assert.ok(Array.isArray(res.body.items) && res.body.items.length > 0, show(res));
  for (const s of res.body.items) {
    for (const k of ['key', 'value', 'default', 'min', 'max', 'description']) {
      assert.ok(s[k] !== undefined, `setting ${s.key} lacks ${k}: ${JSON.stringify(s)}`);
    }
    assert.ok(s.min <= s.default && s.default <= s.max, `default outside range: ${JSON.stringify(s)}`);
    assert.equal(s.value, s.default, `a fresh database uses the default: ${JSON.stringify(s)}`);
  }
  assert.ok(res.body.items.some((s) => s.key === 'login_max_failures'), 'login_max_failures is a setting');
});

test('values outside the range, of the wrong type, or unknown keys are refused naming the key', async () => {
  const res = await admin.get('/api/v1/settings');
  const s = res.body.items.find((x) => x.key === 'login_max_failures');
  expectError(await admin.patch('/api/v1/settings', { login_max_failures: s.max + 1 }), 400, 'invalid', 'login_max_failures', 'above max');
  expectError(await admin.patch('/api/v1/settings', { login_max_failures: s.min - 1 }), 400, 'invalid', 'login_max_failures', 'below min');
  expectError(await admin.patch('/api/v1/settings', { login_max_failures: '4' }), 400, 'invalid', 'login_max_failures', 'a string');
  expectError(await admin.patch('/api/v1/settings', { login_max_failures: 4.5 }), 400, 'invalid', 'login_max_failures', 'a fraction');
  expectError(await admin.patch('/api/v1/settings', { no_such_setting: 4 }), 400, 'invalid', 'no_such_setting', 'unknown key');
  // all or nothing: one bad key stores none of the others
  expectError(await admin.patch('/api/v1/settings', { login_max_failures: s.min, no_such_setting: 4 }), 400, 'invalid', 'no_such_setting', 'mixed');
  const after2 = await admin.get('/api/v1/settings');
  assert.equal(value(after2.body, 'login_max_failures'), s.default, 'a refused PATCH changed a setting');
});

test('only settings.admin reads or changes settings', async () => {
  const cmd = await userClient(srv, admin, { username: 'cmd.settings', role: 'commander', scope_unit_id: admin.root.id });
  expectError(await cmd.get('/api/v1/settings'), 403, 'forbidden', undefined, 'commander reads settings');
  expectError(await cmd.patch('/api/v1/settings', { login_max_failures: 3 }), 403, 'forbidden', undefined, 'commander changes settings');
});

test('a change is stored, audited and takes effect', async () => {
  const res = await admin.patch('/api/v1/settings', { login_max_failures: 3 });
  expectStatus(res, 200, 'PATCH settings');
  assert.equal(value(res.body, 'login_max_failures'), 3, show(res));
  assert.equal(value((await admin.get('/api/v1/settings')).body, 'login_max_failures'), 3);

  const audit = await admin.get('/api/v1/audit?action=write');
  const row = audit.body.items.find((r) => r.route === '/api/v1/settings' && r.method === 'PATCH' && r.status === 200);
  assert.ok(row, `the settings change is not audited: ${JSON.stringify(audit.body.items.slice(0, 3))}`);
  assert.equal(row.actor, 'admin');

  // three failures now slow the next attempt
  const u = await mkUser(admin, { username: 'three.strikes', role: 'inspector', scope_unit_id: admin.root.id });
  const c = new Client(srv.base);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await c.login(u.username, `wrong-${i}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 429], 'with login_max_failures 3, the fourth attempt is throttled');
});
