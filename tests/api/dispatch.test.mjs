// The evening dispatch (日调度) and volunteers: a meeting each evening with
// the working groups' progress; problems raised with an owner and a due day
// stay on later meetings until closed and are flagged overdue; the record
// prints on one page; volunteers register, are posted, serve shifts, their
// hours are summed per volunteer and per unit, and one becomes a user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, Client, sql,
} from './lib.mjs';

let srv;
let admin;
let A;
let A1;
let C1;
let B;
let leadA;
let offB;
let group;

before(async () => {
  srv = await startServer({ clock: '2020-02-10T20:00' });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'DP-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'DP-A1', '甲一社区');
  C1 = await mkUnit(admin, A1.id, 'compound', 'DP-C1', '阅海小区');
  B = await mkUnit(admin, admin.root.id, 'town', 'DP-B', '乙镇');
  leadA = await userClient(srv, admin, { username: 'dp.lead', role: 'group_lead', scope_unit_id: A.id });
  offB = await userClient(srv, admin, { username: 'dp.offb', role: 'officer', scope_unit_id: B.id });
  group = expectStatus(await admin.post('/api/v1/groups', { code: 'G-DP', name: '社会稳定组' }), 201).body;
});

after(async () => {
  await srv?.stop();
});

test('meetings: progress, problems carried over until closed, overdue flagged, one-page record', async () => {
  const m1 = expectStatus(await admin.post('/api/v1/dispatch/meetings', { day: '2020-02-08', chair: '李书记' }), 201).body;
  expectError(await admin.post('/api/v1/dispatch/meetings', { day: '2020-02-08' }), 409, 'conflict', 'day');
  expectError(await admin.post('/api/v1/dispatch/meetings', { day: '2020-02-11' }), 422, 'rule', 'day');
  expectStatus(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/progress`, { group_id: group.id, progress: '完成重点人员排查。' }), 200);
  const p1 = expectStatus(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, {
    title: '部分小区出入登记不规范', group_id: group.id, owner_user_id: leadA.account.id, due_day: '2020-02-09',
  }), 201).body;
  const orgs = expectStatus(await admin.post('/api/v1/orgs', { name: '区市场监管局' }), 201).body;
  const p2 = expectStatus(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, {
    title: '口罩供应紧张', owner_org_id: orgs.id, due_day: '2020-02-12',
  }), 201).body;
  expectError(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, { title: 'x', due_day: '2020-02-09' }), 400, 'invalid', 'owner_user_id');
  expectError(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, { title: 'x', owner_org_id: orgs.id, due_day: '2020-02-07' }), 422, 'rule', 'due_day');
  expectError(await admin.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, { title: 'x', owner_user_id: offB.account.id, owner_org_id: orgs.id, due_day: '2020-02-09' }), 400, 'invalid', 'owner_org_id');

  // the next evening both are on the agenda, carried over
  const m2 = expectStatus(await admin.post('/api/v1/dispatch/meetings', { day: '2020-02-09' }), 201).body;
  assert.deepEqual(m2.problems.map((p) => [p.title, p.carried_over]), [['部分小区出入登记不规范', true], ['口罩供应紧张', true]]);
  assert.equal(m2.problems[0].overdue, false, 'due that day: not yet overdue');
  expectStatus(await admin.post(`/api/v1/dispatch/problems/${p2.id}/close`, { resolution: '已调拨 5 万只', day: '2020-02-09' }), 200);
  expectError(await admin.post(`/api/v1/dispatch/problems/${p2.id}/close`, { resolution: '再次' }), 409, 'conflict');
  expectError(await admin.post(`/api/v1/dispatch/problems/${p1.id}/close`, { resolution: 'x', day: '2020-02-01' }), 422, 'rule', 'day');

  // the third evening: the closed one is gone, the open one is overdue
  const m3 = expectStatus(await admin.post('/api/v1/dispatch/meetings', { day: '2020-02-10', notes: '明日继续督办。' }), 201).body;
  assert.deepEqual(m3.problems.map((p) => p.title), ['部分小区出入登记不规范']);
  assert.equal(m3.problems[0].overdue, true);
  // the meeting of the 9th still shows the problem closed that day
  const again = expectStatus(await admin.get(`/api/v1/dispatch/meetings/${m2.id}`), 200).body;
  assert.equal(again.problems.length, 2);
  assert.equal(again.problems_closed, 1);
  const overdue = expectStatus(await admin.get('/api/v1/dispatch/problems?overdue=1'), 200).body.items;
  assert.deepEqual(overdue.map((p) => p.id), [p1.id]);
  assert.equal(overdue[0].owner, leadA.account.name);

  const print = await admin.get(`/api/v1/dispatch/meetings/${m1.id}/print`);
  expectStatus(print, 200);
  assert.match(print.headers.get('content-type'), /text\/html/);
  assert.match(print.text, /size:A4/);
  assert.match(print.text, /完成重点人员排查/);
  assert.match(print.text, /口罩供应紧张/);
  const list = expectStatus(await admin.get('/api/v1/dispatch/meetings'), 200).body.items;
  assert.deepEqual(list.map((m) => m.day), ['2020-02-08', '2020-02-09', '2020-02-10']);
  // newest first, paged: the page shows the latest evening first and the
  // cursor walks back in time; the file is in the same order
  const newest = expectStatus(await admin.get('/api/v1/dispatch/meetings?order=desc&limit=2'), 200).body;
  assert.deepEqual(newest.items.map((m) => m.day), ['2020-02-10', '2020-02-09']);
  const older = expectStatus(await admin.get(`/api/v1/dispatch/meetings?order=desc&limit=2&after=${newest.next}`), 200).body;
  assert.deepEqual(older.items.map((m) => m.day), ['2020-02-08']);
  assert.equal(older.next, null);
  const file = await admin.get('/api/v1/dispatch/meetings?order=desc&format=csv');
  assert.ok(file.text.indexOf('2020-02-10') < file.text.indexOf('2020-02-08'), 'csv newest first');
  expectError(await admin.get('/api/v1/dispatch/meetings?order=latest'), 400, 'invalid', 'order');
  assert.equal(expectStatus(await offB.get('/api/v1/dispatch/meetings?order=desc'), 200).body.items.length, 0,
    'newest first keeps the scope');
  // scope: another area's officer sees none of the district's meetings
  assert.equal(expectStatus(await offB.get('/api/v1/dispatch/meetings'), 200).body.items.length, 0);
  expectError(await offB.get(`/api/v1/dispatch/meetings/${m1.id}`), 404, 'not_found');
  expectError(await leadA.post(`/api/v1/dispatch/meetings/${m1.id}/problems`, { title: 'x', owner_org_id: orgs.id, due_day: '2020-02-12' }), 404, 'not_found');
  const csv = await admin.get('/api/v1/dispatch/problems?format=csv');
  assert.match(csv.text, /问题/);
});

test('volunteers: register, post, shifts, hours per volunteer and unit, made a user', async () => {
  const v = expectStatus(await admin.post('/api/v1/volunteers', { unit_id: A1.id, name: '张志愿', phone: '+86 139 0000 2222', skills: '医护', party_member: true }), 201).body;
  assert.equal(v.phone, '139****2222');
  assert.equal(v.party_member, true);
  expectError(await admin.post('/api/v1/volunteers', { unit_id: A1.id, name: '重复', phone: '13900002222' }), 409, 'conflict', 'phone');
  expectError(await admin.post('/api/v1/volunteers', { unit_id: A1.id, name: '坏号', phone: '1234' }), 400, 'invalid', 'phone');
  expectError(await offB.post('/api/v1/volunteers', { unit_id: A1.id, name: '越界', phone: '13900003333' }), 403, 'forbidden', 'unit_id');
  const w = expectStatus(await admin.post('/api/v1/volunteers', { unit_id: A1.id, name: '王志愿', phone: '13900004444' }), 201).body;

  const posted = expectStatus(await admin.post(`/api/v1/volunteers/${v.id}/posts`, { kind: 'gate', unit_id: C1.id, label: '南门', from_day: '2020-02-01' }), 201).body;
  const post = posted.post_list[0];
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/posts`, { kind: 'gate', unit_id: A1.id }), 422, 'rule', 'unit_id');
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/posts`, { kind: 'cooking', unit_id: C1.id }), 400, 'invalid', 'kind');
  expectStatus(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: '2020-02-08T08:00', end_at: '2020-02-08T12:00', post_id: post.id }), 201);
  expectStatus(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: '2020-02-09T08:00', end_at: '2020-02-09T10:30', post_id: post.id }), 201);
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: '2020-02-09T10:00', end_at: '2020-02-09T11:00' }), 409, 'conflict', 'start_at');
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: '2020-02-09T12:00', end_at: '2020-02-09T11:00' }), 400, 'invalid', 'end_at');
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: '2020-02-11T08:00', end_at: '2020-02-11T09:00' }), 422, 'rule', 'end_at');
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/shifts`, { start_at: 'yesterday', end_at: '2020-02-09T11:00' }), 400, 'invalid', 'start_at');
  expectStatus(await admin.post(`/api/v1/volunteers/${w.id}/shifts`, { start_at: '2020-02-09T14:00', end_at: '2020-02-09T16:00' }), 201);

  const one = expectStatus(await admin.get(`/api/v1/volunteers/${v.id}`), 200).body;
  assert.equal(one.hours, 6.5);
  assert.equal(one.shift_list.length, 2);
  const byVol = expectStatus(await admin.get('/api/v1/volunteers/hours?by=volunteer&from=2020-02-01&to=2020-02-10'), 200).body;
  assert.equal(byVol.hours, 8.5);
  assert.deepEqual(byVol.items.map((i) => [i.name, i.hours]), [['张志愿', 6.5], ['王志愿', 2]]);
  const byUnit = expectStatus(await admin.get('/api/v1/volunteers/hours?from=2020-02-09&to=2020-02-09'), 200).body;
  assert.deepEqual(byUnit.items.map((i) => [i.name, i.hours]).sort(), [['甲一社区', 2], ['阅海小区', 2.5]].sort());
  assert.equal(expectStatus(await offB.get('/api/v1/volunteers'), 200).body.items.length, 0);
  expectError(await offB.get(`/api/v1/volunteers/${v.id}`), 404, 'not_found');
  const whole = expectStatus(await admin.get('/api/v1/volunteers?reveal=1'), 200).body.items;
  assert.equal(whole[0].phone, '13900002222');

  expectError(await leadA.post(`/api/v1/volunteers/${v.id}/user`, { username: 'vol.zhang', password: 'volunteer-pass-1' }), 403, 'forbidden');
  const made = expectStatus(await admin.post(`/api/v1/volunteers/${v.id}/user`, { username: 'vol.zhang', password: 'volunteer-pass-1' }), 201).body;
  assert.ok(made.user_id);
  expectError(await admin.post(`/api/v1/volunteers/${v.id}/user`, { username: 'vol.zhang2', password: 'volunteer-pass-1' }), 409, 'conflict');
  expectError(await admin.post(`/api/v1/volunteers/${w.id}/user`, { username: 'vol.zhang', password: 'volunteer-pass-1' }), 409, 'conflict', 'username');
  const c = new Client(srv.base);
  await c.signIn('vol.zhang', 'volunteer-pass-1');
  const me = expectStatus(await c.get('/api/v1/me'), 200).body;
  assert.equal(me.user.role, 'grid_worker');
  assert.equal(me.scope_unit.id, A1.id);
  const n = await sql(srv.db, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'volunteer' AND record_id = ${v.id}`);
  assert.ok(Number(n.trim()) >= 4, 'writes are audited');
});
