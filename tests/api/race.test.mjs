// Concurrent writes, on both backends (SQLite: one writer at a time;
// PostgreSQL: READ COMMITTED with unique constraints and row locks, see
// src/db/db_pg.c): racing creations of one code end in exactly one unit;
// many parallel distinct creations all succeed and none is lost; one leader
// assigned twice at once to one unit is stored once; one username created
// twice at once exists once; parallel sign-ins of one user each get their own
// session; parallel wrong passwords all count towards the lock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, mkUser, Client, expectStatus, expectError, show, sql,
} from './lib.mjs';

let srv;
let admin;
let S;
let admins; // separate admin sessions, so racing requests travel on separate connections

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'RC-S', '竞争街道');
  admins = await Promise.all(Array.from({ length: 6 }, async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
});

after(async () => {
  await srv?.stop();
});

test('five parallel creations of one code: one 201, four 409', async () => {
  const clients = admins.slice(0, 5);
  const results = await Promise.all(clients.map((c, i) =>
    c.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'RC-SAME', name: `同码社区${i}` })));
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409, 409], results.map(show).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'conflict', show(r));
  const list = await admin.get('/api/v1/units?q=RC-SAME');
  assert.equal(list.body.items.length, 1, show(list));
  const winner = results.find((r) => r.status === 201).body;
  assert.equal(list.body.items[0].id, winner.id);
  assert.equal(list.body.items[0].name, winner.name);
});

test('twenty parallel creations with distinct codes all succeed', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    admin.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: `RC-${i}`, name: `并发社区${i}` })));
  const bad = results.filter((r) => r.status !== 201);
  assert.equal(bad.length, 0, bad.map(show).join('\n'));
  const ids = new Set(results.map((r) => r.body.id));
  assert.equal(ids.size, 20, 'each creation got its own id');
  const kids = await admin.get(`/api/v1/units?parent=${S.id}&limit=100`);
  expectStatus(kids, 200);
  const codes = kids.body.items.map((u) => u.code);
  for (let i = 0; i < 20; i++) assert.ok(codes.includes(`RC-${i}`), `RC-${i} lost`);
  const s = await admin.get(`/api/v1/units/${S.id}`);
  assert.equal(s.body.children, 21, 'children count after the race');
  // the closure table stayed whole: each new unit knows its ancestors
  const one = await admin.get(`/api/v1/units/${results[7].body.id}`);
  assert.deepEqual(one.body.ancestors.map((a) => a.id), [admin.root.id, S.id]);
});

test('parallel reads and writes together keep answering', async () => {
  const work = [];
  for (let i = 0; i < 10; i++) {
    work.push(admin.get(`/api/v1/units?parent=${S.id}`));
    work.push(admin.patch(`/api/v1/units/${S.id}`, { name: `竞争街道${i}` }));
  }
  const results = await Promise.all(work);
  const bad = results.filter((r) => r.status !== 200);
  assert.equal(bad.length, 0, bad.map(show).join('\n'));
  const s = await admin.get(`/api/v1/units/${S.id}`);
  assert.match(s.body.name, /^竞争街道\d$/);
});

/** Statuses of racing answers, sorted, for one assertion that shows them all. */
const statuses = (results) => results.map((r) => r.status).sort((a, b) => a - b);

test('one leader assigned to one unit by six requests at once: one 201, five 409, one row', async () => {
  const leader = expectStatus(await admin.post('/api/v1/leaders', { name: '竞争领导', title: '副区长' }), 201, 'leader').body;
  const C = await mkUnit(admin, S.id, 'community', 'RC-ASG', '包联社区');
  const results = await Promise.all(admins.map((c, i) =>
    c.post('/api/v1/assignments', { unit_id: C.id, leader_id: leader.id, note: `第${i}次` })));
  assert.deepEqual(statuses(results), [201, 409, 409, 409, 409, 409], results.map(show).join('\n'));
  for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, 'conflict', undefined, 'the losers');
  const list = expectStatus(await admin.get(`/api/v1/assignments?unit_id=${C.id}`), 200);
  assert.equal(list.body.items.length, 1, `assignments stored: ${show(list)}`);
  assert.equal(list.body.items[0].id, results.find((r) => r.status === 201).body.id);
  const n = await sql(srv.db, `SELECT count(*) FROM assignments WHERE unit_id = ${Number(C.id)}`);
  assert.equal(n.trim(), '1', 'assignment rows in the database');
  // the same race for a responsible unit (org)
  const org = expectStatus(await admin.post('/api/v1/orgs', { name: '竞争责任单位' }), 201, 'org').body;
  const orgRes = await Promise.all(admins.map((c) => c.post('/api/v1/assignments', { unit_id: C.id, org_id: org.id })));
  assert.deepEqual(statuses(orgRes), [201, 409, 409, 409, 409, 409], orgRes.map(show).join('\n'));
});

test('one username created by six requests at once: one 201, five 409, one user', async () => {
  const results = await Promise.all(admins.map((c, i) => c.post('/api/v1/users', {
    username: 'race.user', name: `竞争用户${i}`, role: 'officer', scope_unit_id: S.id, password: `race-password-${i}`,
  })));
  assert.deepEqual(statuses(results), [201, 409, 409, 409, 409, 409], results.map(show).join('\n'));
  const list = expectStatus(await admin.get('/api/v1/users?q=race.user'), 200);
  assert.equal(list.body.items.filter((u) => u.username === 'race.user').length, 1, show(list));
  // the winner's password is the one that works
  const i = results.findIndex((r) => r.status === 201);
  expectStatus(await new Client(srv.base).login('race.user', `race-password-${i}`), 200, "the winner's password");
});

test('eight parallel sign-ins of one user all succeed, each with its own session and CSRF token', async () => {
  const u = await mkUser(admin, { username: 'race.login', role: 'officer', scope_unit_id: S.id });
  const clients = Array.from({ length: 8 }, () => new Client(srv.base));
  const results = await Promise.all(clients.map((c) => c.login(u.username, u.password)));
  assert.deepEqual(statuses(results), Array(8).fill(200), results.map(show).join('\n'));
  assert.equal(new Set(clients.map((c) => c.cookie)).size, 8, 'two sign-ins got the same session cookie');
  assert.equal(new Set(clients.map((c) => c.csrf)).size, 8, 'two sign-ins got the same CSRF token');
  // every session works, with its own CSRF token and not another's
  const mes = await Promise.all(clients.map((c) => c.get('/api/v1/me')));
  mes.forEach((me, i) => {
    expectStatus(me, 200, `session ${i}`);
    assert.equal(me.body.csrf_token, clients[i].csrf, `session ${i} answers another session's CSRF token`);
  });
  const writes = await Promise.all(clients.map((c, i) => c.patch('/api/v1/me', { lang: i % 2 ? 'en' : 'zh-CN' })));
  writes.forEach((w, i) => expectStatus(w, 200, `a write with session ${i}`));
  const n = await sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${Number(u.id)}`);
  assert.equal(n.trim(), '8', 'session rows of the user');
  // signing one out leaves the other seven
  expectStatus(await clients[0].del('/api/v1/session'), 204);
  expectError(await clients[0].get('/api/v1/me'), 401, 'unauthenticated');
  for (const c of clients.slice(1)) expectStatus(await c.get('/api/v1/me'), 200, 'another session after one signed out');
});

test('wrong passwords sent at once all count: as many as the limit lock the username', async () => {
  // Twenty guesses at once, with the limit at twenty: a failure counter that
  // loses a concurrent update lets the right password in afterwards (a lock
  // bypassed by guessing in parallel). The address limit is raised meanwhile
  // so that only the username lock is tested.
  const N = 20;
  const u = await mkUser(admin, { username: 'race.guess', role: 'officer', scope_unit_id: S.id });
  const before = expectStatus(await admin.get('/api/v1/settings'), 200).body.items;
  const old = Object.fromEntries(before.filter((x) => x.key.startsWith('login_max_failures')).map((x) => [x.key, x.value]));
  expectStatus(await admin.patch('/api/v1/settings', { login_max_failures: N, login_max_failures_address: 1000 }), 200);
  try {
    const results = await Promise.all(Array.from({ length: N }, (_, i) =>
      new Client(srv.base).login(u.username, `wrong-guess-${i}`)));
    for (const r of results) expectError(r, 401, 'unauthenticated', 'password', 'a wrong password');
    const stored = await sql(srv.db, "SELECT failures FROM login_failures WHERE key = 'u:race.guess'");
    const right = await new Client(srv.base).login(u.username, u.password);
    expectError(right, 429, 'throttled', undefined,
      `the right password after ${N} parallel wrong ones, limit ${N} (failures counted: ${stored.trim() || 'no row'})`);
  } finally {
    expectStatus(await admin.patch('/api/v1/settings', old), 200, 'restoring the limits');
    await sql(srv.db, "DELETE FROM login_failures WHERE key LIKE 'a:%'");
  }
});
