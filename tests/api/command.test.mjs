// The command structure (指挥部): working groups, leaders and responsible
// units — creating and changing them, bad input, duplicates, and scope: a
// group lead of one sub-district neither sees nor changes another's records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;
let A;
let A1;
let B;
let B1;
let leadA;
let leadB;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'CM-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'CM-A1', '甲一社区');
  B = await mkUnit(admin, admin.root.id, 'subdistrict', 'CM-B', '乙街道');
  B1 = await mkUnit(admin, B.id, 'community', 'CM-B1', '乙一社区');
  leadA = await userClient(srv, admin, { username: 'lead.a', role: 'group_lead', scope_unit_id: A.id });
  leadB = await userClient(srv, admin, { username: 'lead.b', role: 'group_lead', scope_unit_id: B.id });
});

after(async () => {
  await srv?.stop();
});

let group;
let leader;

test('working groups: create, duplicate code, bad input, set a leader', async () => {
  const g = await admin.post('/api/v1/groups', { code: 'G-PUB', name: '宣传组', duties: '发布公告' });
  expectStatus(g, 201, 'create group');
  group = g.body;
  assert.equal(group.name, '宣传组');
  assert.equal(group.duties, '发布公告');
  expectError(await admin.post('/api/v1/groups', { code: 'G-PUB', name: '另一个组' }), 409, 'conflict', undefined, 'duplicate group code');
  expectError(await admin.post('/api/v1/groups', { code: 'G-X' }), 400, 'invalid', 'name', 'group without a name');
  expectError(await admin.post('/api/v1/groups', { name: '无代码组' }), 400, 'invalid', 'code', 'group without a code');
  expectError(await admin.post('/api/v1/groups', { code: 'G-Y', name: 'y', leader_id: 99999 }), [400, 404], undefined, 'leader_id', 'no such leader');

  const l = await admin.post('/api/v1/leaders', { name: '张建国', title: '区委副书记', group_id: group.id });
  expectStatus(l, 201, 'create leader');
  leader = l.body;
  const p = await admin.patch(`/api/v1/groups/${group.id}`, { leader_id: leader.id, duties: '宣传与舆情' });
  expectStatus(p, 200, 'PATCH group');
  const list = await admin.get('/api/v1/groups');
  const row = list.body.items.find((x) => x.id === group.id);
  assert.equal(row.leader_id, leader.id, JSON.stringify(row));
  assert.equal(row.leader_name, '张建国');
  assert.equal(row.duties, '宣传与舆情');
  assert.equal(row.members, 1);
});

test('leaders: create, change, search, bad input', async () => {
  expectError(await admin.post('/api/v1/leaders', { title: '局长' }), 400, 'invalid', 'name', 'leader without a name');
  expectError(await admin.post('/api/v1/leaders', { name: '无职务' }), 400, 'invalid', 'title', 'leader without a title');
  expectError(await admin.post('/api/v1/leaders', { name: 'x', title: 'y', group_id: 99999 }), [400, 404], undefined, 'group_id', 'no such group');
  expectError(await admin.post('/api/v1/leaders', { name: 'x', title: 'y', group_id: 'one' }), 400, 'invalid', 'group_id', 'group_id of the wrong type');

  const p = await admin.patch(`/api/v1/leaders/${leader.id}`, { title: '区委书记' });
  expectStatus(p, 200, 'PATCH leader');
  const found = await admin.get(`/api/v1/leaders?q=${encodeURIComponent('张建')}`);
  expectStatus(found, 200);
  assert.deepEqual(found.body.items.map((x) => x.id), [leader.id], show(found));
  assert.equal(found.body.items[0].title, '区委书记');
  assert.equal(found.body.items[0].group_name, '宣传组');
  const none = await admin.get(`/api/v1/leaders?q=${encodeURIComponent('不存在的人')}`);
  assert.equal(none.body.items.length, 0);
  expectError(await admin.patch('/api/v1/leaders/99999', { title: 'x' }), 404, 'not_found', undefined, 'PATCH a missing leader');
});

test('responsible units: create, duplicate name', async () => {
  const o = await admin.post('/api/v1/orgs', { name: '区公安分局' });
  expectStatus(o, 201, 'create org');
  expectError(await admin.post('/api/v1/orgs', { name: '区公安分局' }), 409, 'conflict', undefined, 'duplicate org');
  expectError(await admin.post('/api/v1/orgs', {}), 400, 'invalid', 'name', 'org without a name');
  const list = await admin.get('/api/v1/orgs');
  assert.ok(list.body.items.some((x) => x.name === '区公安分局' && x.assignments === 0), show(list));
});

test('roles without command.write cannot change the command structure', async () => {
  const officer = await userClient(srv, admin, { username: 'officer.cm', role: 'officer', scope_unit_id: A.id });
  expectError(await officer.post('/api/v1/groups', { code: 'G-OF', name: 'x' }), 403, 'forbidden', undefined, 'officer creates a group');
  expectError(await officer.post('/api/v1/leaders', { name: 'x', title: 'y' }), 403, 'forbidden', undefined, 'officer creates a leader');
  expectError(await officer.post('/api/v1/assignments', { unit_id: A1.id, leader_id: leader.id }), 403, 'forbidden', undefined, 'officer assigns');
  expectStatus(await officer.get('/api/v1/command'), 200, 'officer reads the command figures');
});

test('a group lead works only inside their own sub-district', async () => {
  const l = await leadA.post('/api/v1/leaders', { name: '甲街道书记', title: '街道党工委书记', phone: '13700001234' });
  expectStatus(l, 201, 'lead A creates a leader');
  const mine = l.body;
  const a = await leadA.post('/api/v1/assignments', { unit_id: A1.id, leader_id: mine.id });
  expectStatus(a, 201, 'lead A assigns inside A');
  expectError(await leadA.post('/api/v1/assignments', { unit_id: B1.id, leader_id: mine.id }), 403, 'forbidden', undefined, 'lead A assigns in B');

  // lead B does not see A's leader, cannot change it, and cannot delete A's assignment
  const seen = await leadB.get('/api/v1/leaders');
  expectStatus(seen, 200);
  assert.ok(!seen.body.items.some((x) => x.id === mine.id), `lead B sees A's leader: ${show(seen)}`);
  assert.ok(!seen.text.includes('甲街道书记'));
  const patch = await leadB.patch(`/api/v1/leaders/${mine.id}`, { title: '被改了' });
  assert.ok([403, 404].includes(patch.status), `lead B changes A's leader: ${show(patch)}`);
  const del = await leadB.del(`/api/v1/assignments/${a.body.id}`);
  assert.ok([403, 404].includes(del.status), `lead B deletes A's assignment: ${show(del)}`);
  const asgB = await leadB.get(`/api/v1/assignments?unit_id=${A1.id}`);
  assert.ok(asgB.status === 200 ? asgB.body.items.length === 0 : [403, 404].includes(asgB.status),
    `lead B lists assignments in A: ${show(asgB)}`);

  const cmdB = await leadB.get('/api/v1/command');
  const cmdA = await leadA.get('/api/v1/command');
  expectStatus(cmdA, 200);
  assert.equal(cmdA.body.leaders_assigned, 1, `lead A's figures: ${show(cmdA)}`);
  assert.equal(cmdB.body.leaders_assigned, 0, `lead B's figures count A's records: ${show(cmdB)}`);

  // the admin above both sees it unchanged
  const all = await admin.get(`/api/v1/leaders?q=${encodeURIComponent('甲街道书记')}`);
  assert.equal(all.body.items.length, 1);
  assert.equal(all.body.items[0].title, '街道党工委书记');
  assert.equal(all.body.items[0].phone, '137****1234');
});

test('command lists export as csv and xlsx', async () => {
  for (const p of ['/api/v1/groups', '/api/v1/leaders', '/api/v1/orgs', '/api/v1/assignments']) {
    const csv = await admin.get(`${p}?format=csv`);
    expectStatus(csv, 200, `${p} csv`);
    assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
    const x = await admin.get(`${p}?format=xlsx`, { raw: true });
    expectStatus(x, 200, `${p} xlsx`);
    assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK', `${p} xlsx is a zip`);
  }
});
