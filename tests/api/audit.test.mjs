// The audit log: every write, every sign-in and every read of a whole phone
// or ID number leaves a row; only audit.read sees it; nothing can change it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show,
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

async function audit(query = '') {
  const res = await admin.get(`/api/v1/audit${query}`);
  expectStatus(res, 200, `GET /api/v1/audit${query}`);
  assert.ok(Array.isArray(res.body.items), show(res));
  return res.body.items;
}

test('creating a unit writes an audit row naming the route, record and actor', async () => {
  const t0 = Math.floor(Date.now() / 1000) - 2;
  const u = await mkUnit(admin, admin.root.id, 'subdistrict', 'AU-1', '审计街道');
  const rows = await audit();
  const row = rows.find((r) => r.record_type === 'unit' && r.record_id === u.id && r.method === 'POST');
  assert.ok(row, `no audit row for the new unit ${u.id}: ${JSON.stringify(rows.slice(0, 5))}`);
  assert.equal(row.route, '/api/v1/units');
  assert.equal(row.path, '/api/v1/units');
  assert.equal(row.actor, 'admin');
  assert.equal(row.user_id, admin.user.id);
  assert.equal(row.status, 201);
  assert.equal(row.action, 'write');
  assert.equal(row.ip, '127.0.0.1');
  assert.ok(row.at >= t0 && row.at <= t0 + 60, `audit time ${row.at} is not now (${t0})`);

  // a PATCH is logged under its route pattern, and newest comes first
  expectStatus(await admin.patch(`/api/v1/units/${u.id}`, { name: '审计街道（改）' }), 200);
  const after2 = await audit();
  assert.equal(after2[0].method, 'PATCH', `newest first: ${JSON.stringify(after2[0])}`);
  assert.equal(after2[0].route, '/api/v1/units/{id}');
  assert.equal(after2[0].path, `/api/v1/units/${u.id}`);
  assert.equal(after2[0].record_id, u.id);
  for (let i = 1; i < after2.length; i++) assert.ok(after2[i - 1].id > after2[i].id, 'audit rows are newest first');

  // filters
  const byRec = await audit(`?record_type=unit&record_id=${u.id}`);
  assert.equal(byRec.length, 2, `filter by record: ${JSON.stringify(byRec)}`);
  assert.ok(byRec.every((r) => r.record_id === u.id));
});

test('sign-ins appear with action "login"', async () => {
  const rows = await audit('?action=login');
  assert.ok(rows.length >= 1, 'no login rows');
  assert.ok(rows.every((r) => r.action === 'login'), 'action filter');
  const mine = rows.find((r) => r.actor === 'admin' && r.status === 200);
  assert.ok(mine, `no successful admin login row: ${JSON.stringify(rows)}`);
  assert.equal(mine.route, '/api/v1/session');
  assert.equal(mine.method, 'POST');
  // a failed sign-in is audited too
  const bad = await new (admin.constructor)(srv.base).login('admin', 'definitely-wrong');
  expectStatus(bad, 401);
  const rows2 = await audit('?action=login');
  assert.ok(rows2.some((r) => r.status === 401), `failed login not audited: ${JSON.stringify(rows2)}`);
  // the password never lands in the log
  const all = await admin.get('/api/v1/audit?limit=500');
  assert.ok(!all.text.includes('definitely-wrong'), 'a password was written to the audit log');
  assert.ok(!all.text.includes(srv.adminPassword), 'the admin password was written to the audit log');
});

test('audit filters and export', async () => {
  const future = Math.floor(Date.now() / 1000) + 3600;
  assert.equal((await audit(`?since=${future}`)).length, 0, 'since= in the future');
  assert.ok((await audit(`?until=${future}`)).length > 0, 'until= in the future');
  const mine = await audit(`?user_id=${admin.user.id}`);
  assert.ok(mine.length > 0 && mine.every((r) => r.user_id === admin.user.id), 'user_id filter');
  const byActor = await audit('?actor=admin');
  assert.ok(byActor.length > 0 && byActor.every((r) => r.actor === 'admin'), 'actor filter');
  expectError(await admin.get('/api/v1/audit?since=yesterday'), 400, 'invalid', 'since', 'since= not a number');
  const csv = await admin.get('/api/v1/audit?format=csv');
  expectStatus(csv, 200, 'audit csv');
  assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
  assert.match(csv.text, /\/api\/v1\/units/);
  // The time column is the district's local date and time, not Unix seconds.
  assert.match(csv.text.split('\r\n')[1], /^\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,/, 'a local time');
});

test('only audit.read may read the log', async () => {
  const cmd = await userClient(srv, admin, { username: 'cmd.audit', role: 'commander', scope_unit_id: admin.root.id });
  expectError(await cmd.get('/api/v1/audit'), 403, 'forbidden', undefined, 'commander GET /api/v1/audit');
  expectError(await cmd.get('/api/v1/audit?format=csv'), 403, 'forbidden', undefined, 'commander audit export');
});

test('there is no route that changes or deletes audit rows', async () => {
  const rows = await audit();
  const id = rows[rows.length - 1].id;
  for (const [m, body] of [['DELETE', undefined], ['PATCH', { action: 'x' }], ['PUT', { action: 'x' }]]) {
    const res = await admin.req(m, `/api/v1/audit/${id}`, body);
    assert.ok([404, 405].includes(res.status), `${m} /api/v1/audit/${id} → ${show(res)}`);
  }
  const del = await admin.del('/api/v1/audit');
  assert.ok([404, 405].includes(del.status), `DELETE /api/v1/audit → ${show(del)}`);
  const again = await audit(`?limit=500`);
  assert.ok(again.some((r) => r.id === id), 'the oldest audit row disappeared');
});

test('a whole phone is masked in lists and reading it with reveal=1 is audited', async () => {
  const made = await admin.post('/api/v1/leaders', { name: '王卫东', title: '副区长', phone: '13812345678' });
  expectStatus(made, 201, 'create leader');
  const id = made.body.id;

  const before = (await audit('?action=read')).length;
  const list = await admin.get('/api/v1/leaders');
  expectStatus(list, 200);
  const row = list.body.items.find((l) => l.id === id);
  assert.ok(row, show(list));
  assert.equal(row.phone, '138****5678', 'phones are masked in lists');
  assert.ok(!list.text.includes('13812345678'), 'the whole phone leaks in the list');
  const afterMasked = (await audit('?action=read')).length;
  assert.equal(afterMasked, before, 'a masked list should not write a read row');

  const csv = await admin.get('/api/v1/leaders?format=csv');
  expectStatus(csv, 200);
  assert.ok(!csv.text.includes('13812345678'), 'the whole phone leaks in the CSV export');

  const rev = await admin.get('/api/v1/leaders?reveal=1');
  expectStatus(rev, 200);
  assert.equal(rev.body.items.find((l) => l.id === id).phone, '13812345678', 'reveal=1 shows the whole phone');
  const reads = await audit('?action=read');
  assert.equal(reads.length, before + 1, `one read row expected: ${JSON.stringify(reads)}`);
  const r = reads[0];
  assert.equal(r.action, 'read');
  assert.equal(r.actor, 'admin');
  assert.equal(r.method, 'GET');
  assert.equal(r.record_type, 'leader');
  assert.equal(r.record_id, id);

  // a role without id.reveal gets the mask even with reveal=1, and no read row
  const gw = await userClient(srv, admin, { username: 'grid.audit', role: 'grid_worker', scope_unit_id: admin.root.id });
  const gl = await gw.get('/api/v1/leaders?reveal=1');
  if (gl.status === 200) {
    assert.ok(!gl.text.includes('13812345678'), 'grid_worker (no id.reveal) sees a whole phone');
  } else {
    expectError(gl, 403, 'forbidden', undefined, 'grid_worker reveal');
  }
  assert.equal((await audit('?action=read')).length, before + 1, 'a refused reveal wrote a read row');
});
