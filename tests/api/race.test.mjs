// Concurrent writes: racing creations of one code end in exactly one unit;
// many parallel distinct creations all succeed and none is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, Client, expectStatus, show } from './lib.mjs';

let srv;
let admin;
let S;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'RC-S', '竞争街道');
});

after(async () => {
  await srv?.stop();
});

test('five parallel creations of one code: one 201, four 409', async () => {
  // separate sessions, so the requests really travel on separate connections
  const clients = await Promise.all(Array.from({ length: 5 }, async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
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
