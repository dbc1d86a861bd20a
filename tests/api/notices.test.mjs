// Public notices, venue closures and supervision: drafts are numbered when
// published and appear on the public page without sign-in (drafts never);
// closed venues are counted by kind on any day; inspections record findings
// with deadlines and overdue rectifications are listed; scope and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError,
} from './lib.mjs';

let srv;
let admin;
let A;
let A1;
let B;
let officerA;
let leadA;
let inspector;

before(async () => {
  srv = await startServer({ clock: '2020-02-15T10:00' });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'NT-A', '甲街道');
  A1 = await mkUnit(admin, A.id, 'community', 'NT-A1', '甲一社区');
  B = await mkUnit(admin, admin.root.id, 'town', 'NT-B', '乙镇');
  officerA = await userClient(srv, admin, { username: 'nt.off', role: 'officer', scope_unit_id: A.id });
  leadA = await userClient(srv, admin, { username: 'nt.lead', role: 'group_lead', scope_unit_id: A.id });
  inspector = await userClient(srv, admin, { username: 'nt.insp', role: 'inspector', scope_unit_id: admin.root.id });
});

after(async () => {
  await srv?.stop();
});

let n1;
let n2;

test('notices: a draft is numbered when published; the public page shows published ones without sign-in', async () => {
  n1 = expectStatus(await admin.post('/api/v1/notices', { title: '关于对外地车辆进行登记的通告', body: '一、所有外地车辆……\n二、……' }), 201).body;
  assert.equal(n1.status, 'draft');
  assert.equal(n1.number, null);
  n2 = expectStatus(await admin.post('/api/v1/notices', { title: '关于关闭酒店式公寓的通告', body: '即日起关闭。' }), 201).body;
  const draft = expectStatus(await admin.post('/api/v1/notices', { title: '草稿<script>', body: '尚未发布的草稿' }), 201).body;
  const p1 = expectStatus(await admin.post(`/api/v1/notices/${n1.id}/publish`, { day: '2020-01-26' }), 200).body;
  assert.equal(p1.number, 1);
  assert.equal(p1.day, '2020-01-26');
  const p2 = expectStatus(await admin.post(`/api/v1/notices/${n2.id}/publish`), 200).body;
  assert.equal(p2.number, 2);
  assert.equal(p2.day, '2020-02-15');
  expectError(await admin.post(`/api/v1/notices/${n1.id}/publish`), 409, 'conflict', undefined, 'published twice');
  expectError(await admin.patch(`/api/v1/notices/${n1.id}`, { title: '改' }), 422, 'rule', undefined, 'published notices are not changed');
  expectStatus(await admin.patch(`/api/v1/notices/${draft.id}`, { body: '改过的草稿' }), 200);
  expectError(await admin.post(`/api/v1/notices/${draft.id}/publish`, { day: '2020-02-16' }), 422, 'rule', 'day');

  // no cookie, no token: the public page
  const res = await fetch(`${srv.base}/public/notices`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  const html = await res.text();
  assert.match(html, /第2号 关于关闭酒店式公寓的通告/);
  assert.match(html, /第1号 关于对外地车辆进行登记的通告/);
  assert.ok(html.indexOf('第2号') < html.indexOf('第1号'), 'newest first');
  assert.ok(!html.includes('草稿'), 'a draft is never on the public page');
  assert.match(html, /一、所有外地车辆……\n二、……/);

  const pub = expectStatus(await officerA.get('/api/v1/notices?status=published'), 200).body.items;
  assert.deepEqual(pub.map((n) => n.number), [1, 2]);
  const officerAll = expectStatus(await officerA.get('/api/v1/notices'), 200).body.items;
  assert.equal(officerAll.length, 2, 'an officer (no notices.write) sees no drafts');
  expectError(await officerA.get(`/api/v1/notices/${draft.id}`), 404, 'not_found');
  const all = expectStatus(await admin.get('/api/v1/notices'), 200).body.items;
  assert.equal(all.length, 3);
  // a sub-district's lead sees the district's notices but cannot change them
  expectStatus(await leadA.get(`/api/v1/notices/${n1.id}`), 200);
  expectError(await leadA.patch(`/api/v1/notices/${draft.id}`, { title: 'x' }), 403, 'forbidden');
  expectError(await officerA.post('/api/v1/notices', { title: 't', body: 'b' }), 403, 'forbidden');
  expectError(await admin.post('/api/v1/notices', { body: 'b' }), 400, 'invalid', 'title');
  expectError(await admin.post('/api/v1/notices', { title: 't', body: '  ' }), 400, 'invalid', 'body');
  expectError(await admin.get('/api/v1/notices?status=old'), 400, 'invalid', 'status');
  const x = await admin.get('/api/v1/notices?format=xlsx', { raw: true });
  expectStatus(x, 200);
});

test('venue closures: counts of closed venues by kind on any day; linked to the notice', async () => {
  const mk = async (unit_id, name, kind) => expectStatus(await admin.post('/api/v1/venues', { unit_id, name, kind }), 201).body;
  const mall = await mk(A1.id, '新华百货', 'mall');
  const mall2 = await mk(B.id, '万达广场', 'mall');
  const cafe = await mk(A1.id, '星空网吧', 'internet_cafe');
  const apt = await mk(A1.id, '悦海公寓', 'serviced_apartment');
  expectError(await admin.post('/api/v1/venues', { unit_id: A1.id, name: '新华百货', kind: 'mall' }), 409, 'conflict', 'name');
  expectError(await admin.post('/api/v1/venues', { unit_id: A1.id, name: '影院', kind: 'cinema' }), 400, 'invalid', 'kind');
  expectError(await leadA.post('/api/v1/venues', { unit_id: B.id, name: '乙镇市场', kind: 'market' }), 403, 'forbidden', 'unit_id');

  expectStatus(await admin.post(`/api/v1/venues/${mall.id}/close`, { day: '2020-01-27', notice_id: n1.id }), 200);
  expectStatus(await admin.post(`/api/v1/venues/${mall2.id}/close`, { day: '2020-01-28' }), 200);
  expectStatus(await admin.post(`/api/v1/venues/${cafe.id}/close`, { day: '2020-01-27' }), 200);
  expectStatus(await admin.post(`/api/v1/venues/${apt.id}/close`, { day: '2020-02-15', notice_id: n2.id }), 200);
  expectError(await admin.post(`/api/v1/venues/${cafe.id}/close`, { day: '2020-01-29' }), 409, 'conflict', undefined, 'closed twice');
  expectError(await admin.post(`/api/v1/venues/${cafe.id}/reopen`, { day: '2020-01-27' }), 422, 'rule', 'day', 'reopened the day it closed');
  const re = expectStatus(await admin.post(`/api/v1/venues/${cafe.id}/reopen`, { day: '2020-02-10' }), 200).body;
  assert.equal(re.status, 'reopened');
  expectError(await admin.post(`/api/v1/venues/${cafe.id}/reopen`, { day: '2020-02-11' }), 409, 'conflict');
  expectError(await leadA.post(`/api/v1/venues/${mall2.id}/close`, {}), 404, 'not_found', undefined, 'out of scope is not revealed');

  const c1 = expectStatus(await admin.get('/api/v1/venues/counts?day=2020-01-27'), 200).body;
  assert.equal(c1.closed, 2);
  assert.equal(c1.closed_by_kind.mall, 1);
  assert.equal(c1.closed_by_kind.internet_cafe, 1);
  const c2 = expectStatus(await admin.get('/api/v1/venues/counts?day=2020-02-15'), 200).body;
  assert.equal(c2.closed, 3);
  assert.deepEqual([c2.closed_by_kind.mall, c2.closed_by_kind.internet_cafe, c2.closed_by_kind.serviced_apartment], [2, 0, 1]);
  const c0 = expectStatus(await admin.get('/api/v1/venues/counts?day=2020-01-20'), 200).body;
  assert.equal(c0.closed, 0);
  const cA = expectStatus(await leadA.get('/api/v1/venues/counts?day=2020-02-15'), 200).body;
  assert.equal(cA.closed, 2, 'a sub-district counts its own venues');
  const closed = expectStatus(await admin.get('/api/v1/venues?status=closed&day=2020-02-01'), 200).body.items;
  assert.deepEqual(closed.map((v) => v.name).sort(), ['万达广场', '新华百货', '星空网吧'].sort());
  const one = expectStatus(await admin.get(`/api/v1/notices/${n1.id}`), 200).body;
  assert.deepEqual(one.closed_venues.map((v) => v.name), ['新华百货']);
  expectError(await admin.get('/api/v1/venues/counts?day=2020-02-31'), 400, 'invalid', 'day');
  const csv = await admin.get('/api/v1/venues?format=csv');
  assert.match(csv.text, /场所/);
});

test('supervision: groups, an inspection with findings, overdue rectifications, scope', async () => {
  const g = expectStatus(await inspector.post('/api/v1/supervision/groups', {
    name: '第一督查组', kind: 'inspection', since_day: '2020-01-28',
    members: [{ name: '赵督查', title: '纪委副书记', is_lead: true }, { name: '钱干部' }],
  }), 201).body;
  assert.equal(g.members, 2);
  assert.equal(g.lead, '赵督查');
  expectStatus(await inspector.post('/api/v1/supervision/groups', { name: '综合保障组', kind: 'support', since_day: '2020-01-28' }), 201);
  expectError(await inspector.post('/api/v1/supervision/groups', { name: '第一督查组', kind: 'inspection' }), 409, 'conflict', 'name');
  expectError(await inspector.post('/api/v1/supervision/groups', { name: 'x', kind: 'audit' }), 400, 'invalid', 'kind');
  expectError(await officerA.post('/api/v1/supervision/groups', { name: 'y', kind: 'inspection' }), 403, 'forbidden');
  const sum = expectStatus(await admin.get('/api/v1/supervision?day=2020-02-15'), 200).body;
  assert.equal(sum.inspection_groups, 1);
  assert.equal(sum.support_groups, 1);
  const before = expectStatus(await admin.get('/api/v1/supervision?day=2020-01-27'), 200).body;
  assert.equal(before.inspection_groups, 0, 'a group counts from the day it was formed');

  const wg = expectStatus(await admin.post('/api/v1/groups', { code: 'G-SC', name: '摸排筛查组' }), 201).body;
  const ins = expectStatus(await inspector.post('/api/v1/supervision/inspections', {
    group_id: g.id, day: '2020-02-10', target: 'unit', unit_id: A1.id, summary: '检查小区封闭管理',
    findings: [
      { text: '门岗登记不全', deadline_day: '2020-02-12', owner: '甲一社区书记' },
      { text: '消杀记录缺失', deadline_day: '2020-02-20', owner: '物业公司' },
    ],
  }), 201).body;
  assert.equal(ins.findings, 2);
  assert.equal(ins.unit_name, '甲一社区');
  expectStatus(await inspector.post('/api/v1/supervision/inspections', { group_id: g.id, day: '2020-02-11', target: 'group', target_group_id: wg.id }), 201);
  expectError(await inspector.post('/api/v1/supervision/inspections', { group_id: g.id, target: 'unit', unit_id: A1.id, findings: [{ text: 'x', deadline_day: '2020-02-01', owner: 'y' }] }), 422, 'rule', 'deadline_day');
  expectError(await inspector.post('/api/v1/supervision/inspections', { group_id: g.id, target: 'unit' }), 400, 'invalid', 'unit_id');
  expectError(await inspector.post('/api/v1/supervision/inspections', { group_id: g.id, target: 'leader', unit_id: A1.id }), 400, 'invalid', 'target');
  expectError(await inspector.post('/api/v1/supervision/inspections', { group_id: 99999, target: 'unit', unit_id: A1.id }), 400, 'invalid', 'group_id');

  const overdue = expectStatus(await admin.get('/api/v1/supervision/findings?overdue=1'), 200).body.items;
  assert.deepEqual(overdue.map((f) => f.text), ['门岗登记不全']);
  assert.equal(overdue[0].overdue, true);
  // the officer of the sub-district sees its findings, another area's user does not
  const offB = await userClient(srv, admin, { username: 'nt.offb', role: 'officer', scope_unit_id: B.id });
  const fa = expectStatus(await officerA.get('/api/v1/supervision/findings'), 200).body; assert.equal(fa.items.length, 2, JSON.stringify(fa));
  assert.equal(expectStatus(await offB.get('/api/v1/supervision/findings'), 200).body.items.length, 0);
  const fix = expectStatus(await inspector.post(`/api/v1/supervision/findings/${overdue[0].id}/rectify`, { resolution: '已补齐登记', day: '2020-02-14' }), 200).body;
  assert.equal(fix.status, 'rectified');
  assert.equal(fix.overdue, false);
  expectError(await inspector.post(`/api/v1/supervision/findings/${overdue[0].id}/rectify`, { resolution: '再次' }), 409, 'conflict');
  expectError(await inspector.post(`/api/v1/supervision/findings/${overdue[0].id}/rectify`, {}), 400, 'invalid', 'resolution');
  assert.equal(expectStatus(await admin.get('/api/v1/supervision/findings?overdue=1'), 200).body.items.length, 0);
  const added = expectStatus(await inspector.post('/api/v1/supervision/findings', { inspection_id: ins.id, text: '测温点无人', deadline_day: '2020-02-11', owner: '社区' }), 201).body;
  assert.equal(added.overdue, true);
  const s2 = expectStatus(await admin.get('/api/v1/supervision?day=2020-02-15'), 200).body;
  assert.equal(s2.findings_overdue, 1);
  assert.equal(s2.findings_rectified, 1);
  const ix = expectStatus(await admin.get('/api/v1/supervision/inspections?day=2020-02-10'), 200).body.items;
  assert.equal(ix.length, 1);
  const days = (res) => expectStatus(res, 200).body.items.map((i) => i.day);
  assert.deepEqual(days(await admin.get('/api/v1/supervision/inspections')), ['2020-02-10', '2020-02-11']);
  assert.deepEqual(days(await admin.get('/api/v1/supervision/inspections?order=desc')), ['2020-02-11', '2020-02-10'],
    'newest first');
  assert.deepEqual(days(await admin.get(`/api/v1/supervision/inspections?order=desc&group_id=${g.id}&to=2020-02-10`)),
    ['2020-02-10'], 'newest first keeps the filters');
  const gd = expectStatus(await admin.get(`/api/v1/supervision/groups/${g.id}`), 200).body;
  assert.equal(gd.member_list[0].name, '赵督查');
  const xl = await admin.get('/api/v1/supervision/findings?format=xlsx', { raw: true });
  expectStatus(xl, 200);
});
