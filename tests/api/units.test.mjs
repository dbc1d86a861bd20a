// The unit hierarchy and the command structure: ancestors, assignments and
// inherited assignments, command counts, CSV import, paging and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, expectStatus, expectError, show,
} from './lib.mjs';

let srv;
let admin;
let d;
let S;
let C;
let X;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  d = admin.root;
  S = await mkUnit(admin, d.id, 'subdistrict', 'UN-S', '满春街道');
  C = await mkUnit(admin, S.id, 'community', 'UN-C', '满春社区', { property_company: undefined });
  X = await mkUnit(admin, C.id, 'compound', 'UN-X', '满春小区', { property_company: '金凤物业' });
});

after(async () => {
  await srv?.stop();
});

test('init created the root district with the default code and name', async () => {
  assert.equal(d.kind, 'district');
  assert.equal(d.code, '640106');
  assert.equal(d.name, '金凤区');
});

test('a created unit has the UNIT shape', async () => {
  assert.equal(X.parent_id, C.id);
  assert.equal(X.kind, 'compound');
  assert.equal(X.code, 'UN-X');
  assert.equal(X.name, '满春小区');
  assert.equal(X.property_company, '金凤物业');
  assert.equal(X.children, 0);
  assert.equal(C.property_company, null, 'no property company is null');
  const s = await admin.get(`/api/v1/units/${S.id}`);
  assert.equal(s.body.children, 1, 'children counts direct children');
});

test('GET /api/v1/units/{id} lists the ancestors root first', async () => {
  const res = await admin.get(`/api/v1/units/${X.id}`);
  expectStatus(res, 200);
  assert.deepEqual(res.body.ancestors.map((a) => a.id), [d.id, S.id, C.id], show(res));
  assert.deepEqual(res.body.ancestors.map((a) => a.kind), ['district', 'subdistrict', 'community']);
  assert.equal(res.body.ancestors[0].name, '金凤区');
  const root = await admin.get(`/api/v1/units/${d.id}`);
  assert.deepEqual(root.body.ancestors, [], 'the root has no ancestors');
  assert.equal(root.body.parent_id, null);
});

test('moving a subtree updates ancestors of everything under it', async () => {
  const S2 = await mkUnit(admin, d.id, 'subdistrict', 'UN-S2', '新华街道');
  const C2 = await mkUnit(admin, S.id, 'community', 'UN-C2', '待迁社区');
  const X2 = await mkUnit(admin, C2.id, 'compound', 'UN-X2', '待迁小区');
  const mv = await admin.patch(`/api/v1/units/${C2.id}`, { parent_id: S2.id });
  expectStatus(mv, 200, 'move community');
  assert.equal(mv.body.parent_id, S2.id);
  const x2 = await admin.get(`/api/v1/units/${X2.id}`);
  assert.deepEqual(x2.body.ancestors.map((a) => a.id), [d.id, S2.id, C2.id], 'the grandchild moved along');
  const kids = await admin.get(`/api/v1/units?parent=${S2.id}`);
  assert.deepEqual(kids.body.items.map((u) => u.id), [C2.id]);
  // moving to a parent of the wrong kind is refused
  const bad = await admin.patch(`/api/v1/units/${C2.id}`, { parent_id: X.id });
  expectError(bad, [400, 422], undefined, undefined, 'community under a compound');
});

// docs/api.md does not spell out ASSIGNMENT inside a unit; accept the flat
// shape of GET /api/v1/assignments (leader_id, leader_name, org_id, org_name)
// or a nested one (leader:{id,name,title}, org:{id,name}).
function flatAssignments(list) {
  assert.ok(Array.isArray(list), `assignments is not a list: ${JSON.stringify(list)}`);
  return list.map((a) => ({
    ...a,
    leader_id: a.leader_id ?? a.leader?.id ?? null,
    leader_name: a.leader_name ?? a.leader?.name ?? null,
    org_id: a.org_id ?? a.org?.id ?? null,
    org_name: a.org_name ?? a.org?.name ?? null,
  }));
}

let group;
let leader;
let org;
let leaderAsg;
let orgAsg;

test('assignments: a community shows its own and the inherited ones', async () => {
  const g = await admin.post('/api/v1/groups', { code: 'G-SCREEN', name: '排查工作组', duties: '入户排查' });
  expectStatus(g, 201, 'create group');
  group = g.body;
  const l = await admin.post('/api/v1/leaders', { name: '李明', title: '副区长', phone: '13900001111', group_id: group.id });
  expectStatus(l, 201, 'create leader');
  leader = l.body;
  const o = await admin.post('/api/v1/orgs', { name: '区卫健局' });
  expectStatus(o, 201, 'create org');
  org = o.body;

  const a1 = await admin.post('/api/v1/assignments', { unit_id: S.id, leader_id: leader.id, note: '包抓街道' });
  expectStatus(a1, 201, 'assign leader to subdistrict');
  leaderAsg = a1.body;
  const a2 = await admin.post('/api/v1/assignments', { unit_id: C.id, org_id: org.id });
  expectStatus(a2, 201, 'assign org to community');
  orgAsg = a2.body;

  const res = await admin.get(`/api/v1/units/${C.id}`);
  expectStatus(res, 200);
  const asg = flatAssignments(res.body.assignments);
  assert.ok(Array.isArray(asg), show(res));
  const own = asg.find((a) => a.org_id === org.id);
  assert.ok(own, `community lacks its org assignment: ${JSON.stringify(asg)}`);
  assert.ok(!own.inherited, 'its own assignment is not inherited');
  assert.equal(own.org_name, '区卫健局');
  const inh = asg.find((a) => a.leader_id === leader.id);
  assert.ok(inh, `community lacks the inherited leader assignment: ${JSON.stringify(asg)}`);
  assert.equal(inh.inherited, true);
  assert.equal(inh.leader_name, '李明');
  assert.equal(inh.unit_id, S.id, 'the inherited assignment names the unit it is on');

  // the compound below inherits both; the subdistrict has only the leader
  const x = await admin.get(`/api/v1/units/${X.id}`);
  assert.equal(x.body.assignments.length, 2, JSON.stringify(x.body.assignments));
  assert.ok(x.body.assignments.every((a) => a.inherited === true));
  const s = await admin.get(`/api/v1/units/${S.id}`);
  assert.equal(s.body.assignments.length, 1, JSON.stringify(s.body.assignments));

  const groups = await admin.get('/api/v1/groups');
  const gr = groups.body.items.find((x2) => x2.id === group.id);
  assert.equal(gr.members, 1, `group members: ${JSON.stringify(gr)}`);
  const leaders = await admin.get(`/api/v1/leaders?group_id=${group.id}`);
  assert.equal(leaders.body.items.length, 1);
  assert.equal(leaders.body.items[0].group_name, '排查工作组');
  const list = await admin.get(`/api/v1/assignments?unit_id=${C.id}`);
  assert.deepEqual(list.body.items.map((a) => a.id), [orgAsg.id], 'assignments list filtered by unit');
});

test('the same leader or org twice on one unit is 409', async () => {
  expectError(await admin.post('/api/v1/assignments', { unit_id: S.id, leader_id: leader.id }), 409, 'conflict', undefined, 'leader twice');
  expectError(await admin.post('/api/v1/assignments', { unit_id: C.id, org_id: org.id }), 409, 'conflict', undefined, 'org twice');
  expectError(await admin.post('/api/v1/assignments', { unit_id: C.id, leader_id: leader.id, org_id: org.id }),
    400, 'invalid', undefined, 'both a leader and an org');
  expectError(await admin.post('/api/v1/assignments', { unit_id: C.id }), 400, 'invalid', undefined, 'neither a leader nor an org');
  expectError(await admin.post('/api/v1/assignments', { unit_id: C.id, leader_id: 99999 }), [400, 404], undefined, 'leader_id', 'no such leader');
});

test('GET /api/v1/command counts the structure', async () => {
  const res = await admin.get('/api/v1/command');
  expectStatus(res, 200);
  assert.deepEqual(
    {
      groups: res.body.groups, leaders: res.body.leaders, orgs: res.body.orgs,
      leaders_assigned: res.body.leaders_assigned, orgs_assigned: res.body.orgs_assigned,
      units_with_assignments: res.body.units_with_assignments,
    },
    { groups: 1, leaders: 1, orgs: 1, leaders_assigned: 1, orgs_assigned: 1, units_with_assignments: 2 },
    show(res));
});

test('DELETE an assignment', async () => {
  expectStatus(await admin.del(`/api/v1/assignments/${orgAsg.id}`), 204, 'delete assignment');
  const res = await admin.get(`/api/v1/units/${C.id}`);
  assert.ok(!flatAssignments(res.body.assignments).some((a) => a.org_id === org.id), 'the deleted assignment is gone');
  expectError(await admin.del(`/api/v1/assignments/${orgAsg.id}`), 404, 'not_found', undefined, 'delete twice');
  const cmd = await admin.get('/api/v1/command');
  assert.equal(cmd.body.orgs_assigned, 0);
  assert.equal(cmd.body.units_with_assignments, 1);
  // and it can be made again
  expectStatus(await admin.post('/api/v1/assignments', { unit_id: C.id, org_id: org.id }), 201, 're-assign');
});

const BOM = '\uFEFF';
function importCsv(rootCode, suffix = '') {
  const rows = [
    'parent_code,kind,code,name,property_company',
    `${rootCode},subdistrict,IMP-S,导入街道${suffix},`,
    `IMP-S,community,IMP-C,"Comma, Community${suffix}",`,
    `IMP-C,compound,IMP-X,"小区, 一号${suffix}","物业""公司"""`,
    'IMP-C,spaceship,IMP-BAD,坏类型,',
    'NO-SUCH-PARENT,community,IMP-ORPH,孤儿社区,',
  ];
  return BOM + rows.join('\r\n') + '\r\n';
}

test('CSV import: rows in order, a parent from the same file, quotes, CRLF, BOM, rejects with line numbers', async () => {
  const res = await admin.post('/api/v1/imports/units', importCsv(d.code), { type: 'text/csv; charset=utf-8' });
  expectStatus(res, 200, 'import');
  assert.equal(res.body.created, 3, show(res));
  assert.equal(res.body.updated, 0, show(res));
  assert.equal(res.body.rejected, 2, show(res));
  const lines = res.body.rejects.map((r) => r.line).sort((a, b) => a - b);
  assert.deepEqual(lines, [5, 6], `reject line numbers (header is line 1): ${show(res)}`);
  for (const r of res.body.rejects) assert.ok(typeof r.reason === 'string' && r.reason.length > 0, show(res));

  const c = await admin.get('/api/v1/units?q=IMP-C');
  const comm = c.body.items.find((u) => u.code === 'IMP-C');
  assert.ok(comm, show(c));
  assert.equal(comm.name, 'Comma, Community', 'a quoted name keeps its comma');
  assert.equal(comm.kind, 'community');
  const x = await admin.get('/api/v1/units?q=IMP-X');
  const xc = x.body.items.find((u) => u.code === 'IMP-X');
  assert.equal(xc.name, '小区, 一号');
  assert.equal(xc.property_company, '物业"公司"', 'doubled quotes become one');
  assert.equal(xc.parent_id, comm.id);
  const s = (await admin.get('/api/v1/units?q=IMP-S')).body.items.find((u) => u.code === 'IMP-S');
  assert.equal(s.parent_id, d.id, 'the first row hangs under the district');
  assert.ok(!s.code.startsWith(BOM) && !s.name.includes('\r'), 'BOM and CR are not part of the data');
  expectStatus(await admin.get('/api/v1/units?q=IMP-ORPH'), 200);
  assert.equal((await admin.get('/api/v1/units?q=IMP-ORPH')).body.items.length, 0, 'a rejected row is not stored');

  // re-import: updates, no duplicates
  const again = await admin.post('/api/v1/imports/units', importCsv(d.code, '二'), { type: 'text/csv' });
  expectStatus(again, 200, 're-import');
  assert.equal(again.body.created, 0, show(again));
  assert.equal(again.body.updated, 3, show(again));
  assert.equal(again.body.rejected, 2, show(again));
  const all = await admin.get('/api/v1/units?q=IMP-');
  assert.equal(all.body.items.filter((u) => u.code === 'IMP-C').length, 1, 'no duplicate after re-import');
  assert.equal(all.body.items.find((u) => u.code === 'IMP-C').name, 'Comma, Community二', 'the name was updated');
});

test('CSV import with the Chinese header', async () => {
  const csv = `上级代码,类型,代码,名称,物业公司\n${S.code},community,IMP-ZH,中文表头社区,\n`;
  const res = await admin.post('/api/v1/imports/units', csv, { type: 'text/csv' });
  expectStatus(res, 200, 'Chinese header');
  assert.equal(res.body.created, 1, show(res));
});

test('CSV import without a recognisable header is 400 naming the expected columns', async () => {
  const res = await admin.post('/api/v1/imports/units', 'foo,bar,baz\n1,2,3\n', { type: 'text/csv' });
  const e = expectError(res, 400, 'invalid', undefined, 'no header');
  assert.match(e.message, /parent_code|上级代码/, `the message should list the expected columns: ${e.message}`);
  const empty = await admin.post('/api/v1/imports/units', '', { type: 'text/csv' });
  expectError(empty, 400, 'invalid', undefined, 'empty CSV');
});

test('list paging with a cursor has no gaps and no duplicates', async () => {
  const P = await mkUnit(admin, S.id, 'community', 'PG-P', '分页社区');
  const made = [];
  for (let i = 1; i <= 7; i++) made.push((await mkUnit(admin, P.id, 'compound', `PG-${i}`, `分页小区${i}`)).id);
  const p1 = await admin.get(`/api/v1/units?parent=${P.id}&limit=3`);
  expectStatus(p1, 200);
  assert.equal(p1.body.items.length, 3, show(p1));
  assert.equal(typeof p1.body.next, 'string', `page 1 has a next cursor: ${show(p1)}`);
  const seen = [...p1.body.items.map((u) => u.id)];
  let next = p1.body.next;
  let pages = 1;
  while (next) {
    const p = await admin.get(`/api/v1/units?parent=${P.id}&limit=3&after=${encodeURIComponent(next)}`);
    expectStatus(p, 200, `page ${pages + 1}`);
    seen.push(...p.body.items.map((u) => u.id));
    next = p.body.next;
    pages += 1;
    assert.ok(pages <= 4, 'paging does not end');
  }
  assert.equal(pages, 3, 'seven items in pages of three is three pages');
  assert.equal(new Set(seen).size, seen.length, `duplicates across pages: ${seen}`);
  assert.deepEqual([...seen].sort((a, b) => a - b), [...made].sort((a, b) => a - b), 'every child exactly once');
  const whole = await admin.get(`/api/v1/units?parent=${P.id}`);
  assert.equal(whole.body.items.length, 7);
  assert.equal(whole.body.next, null, 'the last page has next: null');
  expectError(await admin.get(`/api/v1/units?parent=${P.id}&after=garbage!`), 400, 'invalid', 'after', 'a bad cursor');
});

test('exports: csv with a header row, xlsx as a zip', async () => {
  const P = (await admin.get('/api/v1/units?q=PG-P')).body.items.find((u) => u.code === 'PG-P');
  const csv = await admin.get(`/api/v1/units?parent=${P.id}&format=csv&limit=2`);
  expectStatus(csv, 200, 'csv');
  assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
  assert.match(csv.headers.get('content-disposition') || '', /attachment/);
  const lines = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length);
  assert.equal(lines.length, 8, `header + 7 rows (export ignores limit): ${csv.text}`);
  assert.ok(!/PG-\d/.test(lines[0]), `the first line is a header: ${lines[0]}`);
  assert.ok(lines.slice(1).every((l) => /PG-\d/.test(l)), csv.text);
  assert.ok(csv.text.includes('分页小区3'), 'Chinese names survive the export');

  const x = await admin.get(`/api/v1/units?parent=${P.id}&format=xlsx`, { raw: true });
  expectStatus(x, 200, 'xlsx');
  assert.match(x.headers.get('content-type') || '', /spreadsheetml/);
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK', 'xlsx is a zip');
  assert.ok(x.body.length > 1000, 'xlsx has content');
});
