// Enterprise resumption (DOMAIN.md §11, issue 15) through the API: the
// register with its credit-code check, the portal account that sees only
// its own enterprise, an application with the 2-day rule, the seven musts
// and an employee who must still isolate, the review, the day resumed and
// the rate it moves, and operating inspections with an overdue finding.
// The server runs on 2020-02-10 (a second one on the same database on
// 2020-02-15).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, Client, expectStatus, expectError, sql,
} from './lib.mjs';

let srv;
let later;
let admin;
let A;
let B;
const ent = {};
let portal;

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid unified social credit code for a 6-digit org serial n (GB 32100, GB 11714). */
export function creditCode(n) {
  const org8 = `MA76${String(n).padStart(4, '0')}`;
  const v = (ch) => (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 8; i++) s += v(org8[i]) * w[i];
  const c9 = 11 - (s % 11);
  const org = org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const first17 = `91640106${org}`;
  let sum = 0;
  let wt = 1;
  for (let i = 0; i < 17; i++) { sum += CHARS.indexOf(first17[i]) * wt; wt = (wt * 3) % 31; }
  return first17 + CHARS[(31 - (sum % 31)) % 31];
}

/** A resident ID number with its ISO 7064 MOD 11-2 check character. */
function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}

const MUSTS = ['responsible_plan', 'staff_registration', 'gate_temperature', 'disinfection',
  'protective_supplies', 'isolation_room', 'staggered_meals'];
const checklist = (skip = '') => MUSTS.filter((m) => m !== skip).map((item) => ({ item, evidence: `已落实：${item}` }));

async function mkEnt(c, body) {
  return expectStatus(await c.post('/api/v1/enterprises', body), 201, `enterprise ${body.name}`).body;
}

before(async () => {
  srv = await startServer({ clock: '2020-02-10T10:00' });
  admin = await adminClient(srv);
  A = await mkUnit(admin, admin.root.id, 'subdistrict', 'EN-A', '企业街道');
  B = await mkUnit(admin, admin.root.id, 'town', 'EN-B', '企业镇');
  ent.one = await mkEnt(admin, { unit_id: A.id, name: '金凤机械厂', credit_code: creditCode(1), sector: 'manufacturing', above_scale: true, headcount: 120, contact_name: '王经理', contact_phone: '13912345678' });
  ent.two = await mkEnt(admin, { unit_id: B.id, name: '良田食品厂', credit_code: creditCode(2), sector: 'food', above_scale: true, headcount: 80 });
  ent.concrete = await mkEnt(admin, { unit_id: A.id, name: '宁混凝土公司', credit_code: creditCode(3), sector: 'ready_mix_concrete', above_scale: true, seasonal_idle_since: '2019-12-01', headcount: 40 });
  ent.small = await mkEnt(admin, { unit_id: A.id, name: '小餐馆', credit_code: creditCode(4), sector: 'catering', headcount: 6 });
  portal = await userClient(srv, admin, { username: 'portal.one', role: 'enterprise', enterprise_id: ent.one.id });
});

after(async () => {
  await later?.stop();
  await srv?.stop();
});

test('the portal keeps its own address, contact and headcount; what the rate counts is the department\'s', async () => {
  const url = `/api/v1/enterprises/${ent.one.id}`;
  const mine = expectStatus(await portal.patch(url, { address: '金凤区工业园 8 号', contact_name: '李主任', contact_phone: '13812345678', headcount: 125 }), 200).body;
  assert.equal(mine.address, '金凤区工业园 8 号');
  assert.equal(mine.contact_name, '李主任');
  assert.equal(mine.contact_phone, '13812345678', 'its own phone in full');
  assert.equal(mine.headcount, 125);
  expectError(await portal.patch(url, { contact_phone: '123' }), 400, 'invalid', 'contact_phone');
  expectError(await portal.patch(url, { headcount: -1 }), 400, 'invalid', 'headcount');
  for (const [k, v] of [['above_scale', false], ['seasonal_idle_since', '2020-01-01'], ['sector', 'food'], ['name', '别名']])
    expectError(await portal.patch(url, { [k]: v }), 403, 'forbidden', k, k);
  const after = expectStatus(await admin.get(url), 200).body;
  assert.deepEqual([after.above_scale, after.sector, after.name, after.headcount], [true, 'manufacturing', '金凤机械厂', 125]);
  // Another enterprise, even in the same unit, is 404 to it.
  expectError(await portal.patch(`/api/v1/enterprises/${ent.concrete.id}`, { headcount: 1 }), 404, 'not_found');
  // A reader without enterprises.write changes nothing; an officer outside the unit is refused.
  const insp = await userClient(srv, admin, { role: 'inspector', scope_unit_id: A.id });
  expectStatus(await insp.patch(url, { headcount: 1 }), 403);
  const bOfficer = await userClient(srv, admin, { role: 'officer', scope_unit_id: B.id });
  expectStatus(await bOfficer.patch(url, { headcount: 1 }), [403, 404]);
  // The department may change the size; the headcount goes back for the later tests.
  const dept = expectStatus(await admin.patch(url, { headcount: 120, sector: 'manufacturing', contact_name: '王经理', contact_phone: '13912345678' }), 200).body;
  assert.equal(dept.headcount, 120);
});

test('a credit code is checked by GB 32100: a bad one is 400 saying which rule failed', async () => {
  const base = { unit_id: A.id, name: '坏代码', sector: 'food', headcount: 1 };
  const good = creditCode(9);
  const cases = [
    [good.slice(0, 17), /18 characters.*not 17/],
    [good.slice(0, 10) + 'O' + good.slice(11), /character 11 is not allowed/],
    ['B' + good.slice(1), /registration authority/],
    [good.slice(0, 16) + (good[16] === '1' ? '2' : '1') + good[17], /organization code's check character/],
    [good.slice(0, 17) + (good[17] === '1' ? '2' : '1'), /^check character should be/],
  ];
  for (const [code, says] of cases) {
    const e = expectError(await admin.post('/api/v1/enterprises', { ...base, credit_code: code }), 400, 'invalid', 'credit_code', code);
    assert.match(e.message, says, code);
  }
  const zh = new Client(srv.base);
  zh.cookie = admin.cookie; zh.csrf = admin.csrf; zh.lang = 'zh-CN';
  const e = expectError(await zh.post('/api/v1/enterprises', { ...base, credit_code: good.slice(0, 17) }), 400, 'invalid', 'credit_code');
  assert.match(e.message, /18 位/);
  expectError(await admin.post('/api/v1/enterprises', { ...base, credit_code: creditCode(1) }), 409, 'conflict', 'credit_code');
  expectError(await admin.post('/api/v1/enterprises', { ...base, credit_code: good, sector: 'Food Stuff' }), 400, 'invalid', 'sector');
  expectError(await admin.post('/api/v1/enterprises', { ...base, credit_code: good, headcount: -1 }), 400, 'invalid', 'headcount');
  expectError(await admin.post('/api/v1/enterprises', { ...base, credit_code: good, seasonal_idle_since: '2020-02-30' }), 400, 'invalid', 'seasonal_idle_since');
  expectError(await admin.post('/api/v1/enterprises', 'not json'), 400, 'invalid');
});

test('an enterprise account needs its enterprise, and is scoped to its unit', async () => {
  expectError(await admin.post('/api/v1/users', { username: 'portal.none', name: '无企业', role: 'enterprise', password: 'long-enough-1' }), 400, 'invalid', 'enterprise_id');
  expectError(await admin.post('/api/v1/users', { username: 'portal.bad', name: '坏企业', role: 'enterprise', enterprise_id: 99999, password: 'long-enough-1' }), 400, 'invalid', 'enterprise_id');
  expectError(await admin.post('/api/v1/users', { username: 'officer.ent', name: '干部', role: 'officer', scope_unit_id: A.id, enterprise_id: ent.one.id, password: 'long-enough-1' }), 400, 'invalid', 'enterprise_id');
  assert.equal(portal.account.scope_unit_id, A.id);
  assert.equal(portal.account.enterprise_id, ent.one.id);
  // An admin of town B cannot make an account for an enterprise of A.
  const bAdmin = await userClient(srv, admin, { role: 'admin', scope_unit_id: B.id });
  expectError(await bAdmin.post('/api/v1/users', { username: 'portal.x', name: 'x', role: 'enterprise', enterprise_id: ent.one.id, password: 'long-enough-1' }), 403, 'forbidden', 'enterprise_id');
});

test('the portal sees only its own enterprise: any other id is 404, even in its unit', async () => {
  const list = expectStatus(await portal.get('/api/v1/enterprises'), 200).body;
  assert.deepEqual(list.items.map((e) => e.id), [ent.one.id]);
  assert.equal(list.items[0].contact_phone, '139****5678', 'lists mask the phone');
  const mine = expectStatus(await portal.get(`/api/v1/enterprises/${ent.one.id}`), 200).body;
  assert.equal(mine.name, '金凤机械厂');
  assert.equal(mine.status, 'none');
  for (const other of [ent.two, ent.concrete, ent.small]) {
    expectError(await portal.get(`/api/v1/enterprises/${other.id}`), 404, 'not_found', undefined, other.name);
    expectError(await portal.post(`/api/v1/enterprises/${other.id}/applications`, { planned_start_day: '2020-02-20', plan: 'x', checklist: checklist() }), 404, 'not_found');
    expectError(await portal.post(`/api/v1/enterprises/${other.id}/resumed`, { day: '2020-02-10', staff_at_work: 1 }), 404, 'not_found');
  }
  // The portal registers no enterprise and reviews nothing.
  expectStatus(await portal.post('/api/v1/enterprises', { unit_id: A.id, name: 'x', credit_code: creditCode(7), sector: 'food', headcount: 1 }), 403);
  expectStatus(await portal.get('/api/v1/units'), 403);
  // An officer of the other town does not see the enterprise either.
  const bOfficer = await userClient(srv, admin, { role: 'officer', scope_unit_id: B.id });
  expectError(await bOfficer.get(`/api/v1/enterprises/${ent.one.id}`), 404, 'not_found');
  const bl = expectStatus(await bOfficer.get('/api/v1/enterprises'), 200).body;
  assert.deepEqual(bl.items.map((e) => e.id), [ent.two.id]);
});

let app;

test('an application: the 2-day rule, the seven musts, employees who must still isolate', async () => {
  const url = `/api/v1/enterprises/${ent.one.id}/applications`;
  // Filed on 2020-02-10: the 11th is too early, the 12th is allowed.
  const early = expectError(await portal.post(url, { planned_start_day: '2020-02-11', plan: '防控方案', checklist: checklist() }), 422, 'rule', 'planned_start_day');
  assert.match(early.message, /2020-02-12/);
  expectError(await portal.post(url, { planned_start_day: '2020-02-32', plan: 'p', checklist: checklist() }), 400, 'invalid', 'planned_start_day');
  const missing = expectError(await portal.post(url, { planned_start_day: '2020-02-12', plan: 'p', checklist: checklist('isolation_room') }), 400, 'invalid', 'checklist');
  assert.match(missing.message, /isolation_room/);
  expectError(await portal.post(url, { planned_start_day: '2020-02-12', plan: 'p', checklist: [...checklist(), { item: 'nonsense', evidence: 'x' }] }), 400, 'invalid', 'checklist[7].item');
  expectError(await portal.post(url, { planned_start_day: '2020-02-12', plan: 'p', checklist: checklist().map((c, i) => (i === 2 ? { ...c, evidence: '  ' } : c)) }), 400, 'invalid', 'checklist[2].evidence');
  expectError(await portal.post(url, { planned_start_day: '2020-02-12', checklist: checklist() }), 400, 'invalid', 'plan');
  const bad = expectError(await portal.post(url, { planned_start_day: '2020-02-12', plan: 'p', checklist: checklist(), employees: [{ name: '张三', doc_number: '640106199001011235' }] }), 400, 'invalid', 'employees[0].doc_number');
  assert.match(bad.message, /check character/);
  const res = await portal.post(url, {
    planned_start_day: '2020-02-12',
    plan: '一、成立防控小组\n二、每日两次测温',
    checklist: checklist(),
    employees: [
      { name: '李武汉', doc_number: rid('42010619900101123'), origin: '湖北省武汉市', arrival_date: '2020-02-05', phone: '13800001111' },
      { name: '马本地', doc_number: rid('64010619850505123'), origin: '640100', arrival_date: '2020-02-01' },
      { name: '杨未离', doc_number: rid('64010619770707001') },
    ],
  });
  app = expectStatus(res, 201, 'file').body;
  assert.equal(app.status, 'pending');
  assert.equal(app.filed_day, '2020-02-10');
  assert.equal(app.plan, '一、成立防控小组\n二、每日两次测温');
  assert.equal(app.checklist.length, 7);
  assert.equal(app.employees, 3);
  assert.equal(app.must_isolate, 1);
  assert.equal(app.may_start, 2);
  const emps = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees`), 200).body.items;
  const wuhan = emps.find((e) => e.name === '李武汉');
  assert.equal(wuhan.grade, 'other_province');
  assert.equal(wuhan.isolate_until, '2020-02-19');
  assert.equal(wuhan.must_isolate, true);
  assert.equal(wuhan.doc_number, '420106********1231', 'ID numbers are masked');
  assert.equal(emps.find((e) => e.name === '马本地').must_isolate, false);
  assert.equal(emps.find((e) => e.name === '杨未离').grade, null);
  const flagged = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees?must_isolate=1`), 200).body.items;
  assert.deepEqual(flagged.map((e) => e.name), ['李武汉']);
  // The employee's arrival is in the population registry, graded.
  const rows = await sql(srv.db, `SELECT a.origin_code, a.grade, a.handling, a.source FROM arrivals a
    JOIN enterprise_employees m ON m.arrival_id = a.id WHERE m.id = ${wuhan.id}`);
  assert.equal(rows.trim(), '420100|other_province|home|enterprise');
  // One application at a time.
  expectError(await portal.post(url, { planned_start_day: '2020-02-20', plan: 'p', checklist: checklist() }), 409, 'conflict');
});

test('an employee under an isolation order is flagged until the order ends, and counted', async () => {
  const yang = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees`), 200).body.items
    .find((e) => e.name === '杨未离');
  assert.equal(yang.must_isolate, false, 'no arrival, no order yet');
  // An order placed after the employee was entered flags the employee.
  const order = expectStatus(await admin.post('/api/v1/isolations', {
    person_id: yang.person_id, kind: 'home', reason: 'other', last_exposure_day: '2020-02-08',
  }), 201, 'order for an employee').body;
  assert.equal(order.planned_end_day, '2020-02-22');
  const seen = expectStatus(await portal.get(`/api/v1/applications/${app.id}`), 200).body;
  assert.equal(seen.must_isolate, 2);
  assert.equal(seen.may_start, 1);
  const flagged = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees?must_isolate=1`), 200).body.items;
  assert.deepEqual(flagged.map((e) => e.name).sort(), ['李武汉', '杨未离'].sort());
  const y = flagged.find((e) => e.name === '杨未离');
  assert.equal(y.must_isolate, true);
  assert.equal(y.isolate_until, '2020-02-22', 'the order\'s end is the day the employee may start');
  assert.equal(y.isolation_end_day, '2020-02-22');
  assert.equal(typeof y.isolation_id, 'number');
  // The enterprise's list says nothing of the order's kind or reason.
  assert.equal(y.reason, undefined);
  // Released early: the employee may start on the planned day again.
  expectStatus(await admin.post(`/api/v1/isolations/${order.id}/release`, { outcome: 'lifted', reason: '排除密接' }), 200);
  const after = expectStatus(await portal.get(`/api/v1/applications/${app.id}`), 200).body;
  assert.deepEqual([after.must_isolate, after.may_start], [1, 2]);
  const again = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees?must_isolate=1`), 200).body.items;
  assert.deepEqual(again.map((e) => e.name), ['李武汉']);
});

test('employees: one by one and from a CSV with line-numbered rejects', async () => {
  const one = await portal.post(`/api/v1/applications/${app.id}/employees`, { name: '周新', doc_number: rid('64010619920303123') });
  if (one.status === 400) assert.fail(show(one));
  expectStatus(one, 201);
  expectError(await portal.post(`/api/v1/applications/${app.id}/employees`, { name: '周新', doc_number: rid('64010619920303123') }), 409, 'conflict', 'doc_number');
  expectError(await portal.post(`/api/v1/applications/${app.id}/employees`, { name: '无日期', doc_number: rid('64010619920303124'), origin: '湖北省' }), 400, 'invalid', 'arrival_date');
  expectError(await portal.post(`/api/v1/applications/${app.id}/employees`, { name: '未来', doc_number: rid('64010619920303124'), origin: '湖北省', arrival_date: '2020-02-11' }), 400, 'invalid', 'arrival_date');
  const csv = 'name,doc_number,origin,arrival_date\n'
    + `陈一,${rid('64010619910404123')},湖北省,2020-02-03\n`
    + `坏号,${rid('64010619910404124').slice(0, 17)}${rid('64010619910404124')[17] === '1' ? '2' : '1'},,\n`
    + `陈二,${rid('64010619910505123')},火星,2020-02-03\n`
    + `"陈三",${rid('64010619910606123')},,\n`;
  const imp = expectStatus(await portal.post(`/api/v1/applications/${app.id}/employees/import`, csv, { type: 'text/csv' }), 200, 'import').body;
  const okNames = ['陈一', '陈三'];
  assert.equal(imp.added, 2, JSON.stringify(imp));
  assert.deepEqual(imp.rejects.map((x) => x.line), [3, 4]);
  assert.ok(imp.rejects.some((x) => x.line === 3 && x.field === 'doc_number'), JSON.stringify(imp));
  assert.ok(imp.rejects.some((x) => x.line === 4 && x.field === 'origin'), JSON.stringify(imp));
  const all = expectStatus(await portal.get(`/api/v1/applications/${app.id}/employees?limit=100`), 200).body.items.map((e) => e.name);
  for (const n of okNames) assert.ok(all.includes(n), `${n} in ${all}`);
  expectError(await portal.post(`/api/v1/applications/${app.id}/employees/import`, 'foo,bar\n1,2\n', { type: 'text/csv' }), 400, 'invalid', 'file');
  const xlsx = await portal.get(`/api/v1/applications/${app.id}/employees?format=xlsx`, { raw: true });
  expectStatus(xlsx, 200, 'employees xlsx');
});

test('review: reject and return need a reason, the portal sees it at once, refile, approve', async () => {
  const reviewer = await userClient(srv, admin, { role: 'officer', scope_unit_id: A.id });
  const url = `/api/v1/applications/${app.id}/review`;
  expectStatus(await portal.post(url, { decision: 'approve' }), 403);
  expectError(await reviewer.post(url, { decision: 'maybe' }), 400, 'invalid', 'decision');
  expectError(await reviewer.post(url, { decision: 'return' }), 400, 'invalid', 'reason');
  const bOfficer = await userClient(srv, admin, { role: 'officer', scope_unit_id: B.id });
  expectStatus(await bOfficer.post(url, { decision: 'approve' }), [403, 404]);
  const ret = expectStatus(await reviewer.post(url, { decision: 'return', reason: '请补充隔离室照片' }), 200).body;
  assert.equal(ret.status, 'returned');
  const seen = expectStatus(await portal.get(`/api/v1/applications/${app.id}`), 200).body;
  assert.equal(seen.status, 'returned');
  assert.equal(seen.reason, '请补充隔离室照片');
  assert.equal((await portal.get(`/api/v1/enterprises/${ent.one.id}`)).body.status, 'returned');
  expectError(await reviewer.post(url, { decision: 'approve' }), 409, 'conflict');
  // Refiled on the 10th: the 12th still meets the rule.
  const re = expectStatus(await portal.patch(`/api/v1/applications/${app.id}`, { checklist: checklist().map((c) => (c.item === 'isolation_room' ? { ...c, evidence: '隔离室已设，照片见附件' } : c)) }), 200).body;
  assert.equal(re.status, 'pending');
  assert.match(re.checklist.find((c) => c.item === 'isolation_room').evidence, /照片/);
  expectStatus(await reviewer.post(url, { decision: 'approve' }), 200);
  expectError(await reviewer.post(url, { decision: 'reject', reason: 'x' }), 409, 'conflict');
  expectError(await portal.patch(`/api/v1/applications/${app.id}`, { plan: 'x' }), 409, 'conflict');
  const mine = expectStatus(await portal.get('/api/v1/applications'), 200).body.items;
  assert.deepEqual(mine.map((a) => [a.id, a.status]), [[app.id, 'approved']]);
  // Resuming before the planned start, or in the future, is refused.
  expectError(await portal.post(`/api/v1/enterprises/${ent.one.id}/resumed`, { day: '2020-02-11', staff_at_work: 90 }), 422, 'rule', 'day');
  expectError(await portal.post(`/api/v1/enterprises/${ent.one.id}/resumed`, { day: '2020-02-12', staff_at_work: 90 }), 422, 'rule', 'day');
  expectError(await admin.post(`/api/v1/enterprises/${ent.two.id}/resumed`, { day: '2020-02-10', staff_at_work: 9 }), 422, 'rule');
});

test('the rate: resumed / (above size - idle for the season), moving when the enterprise resumes', async () => {
  const before = expectStatus(await admin.get('/api/v1/enterprises/resumption?day=2020-02-15'), 200).body;
  assert.deepEqual([before.above_scale, before.resumed, before.seasonal, before.resumption_rate], [3, 0, 1, 0]);
  later = await startServer({ sameDbAs: srv, clock: '2020-02-15T09:00' });
  const p2 = new Client(later.base);
  await p2.signIn('portal.one', portal.account.password);
  expectError(await p2.post(`/api/v1/enterprises/${ent.one.id}/resumed`, { day: '2020-02-12', staff_at_work: 500 }), 400, 'invalid', 'staff_at_work');
  expectStatus(await p2.post(`/api/v1/enterprises/${ent.one.id}/resumed`, { day: '2020-02-12', staff_at_work: 90 }), 200);
  expectStatus(await p2.post(`/api/v1/enterprises/${ent.one.id}/resumed`, { day: '2020-02-14', staff_at_work: 108 }), 200);
  const a2 = new Client(later.base);
  await a2.signIn('admin', srv.adminPassword);
  const r = expectStatus(await a2.get('/api/v1/enterprises/resumption?day=2020-02-15'), 200).body;
  assert.equal(r.above_scale, 3);
  assert.equal(r.seasonal, 1);
  assert.equal(r.resumed, 1);
  assert.equal(r.resumption_rate, 0.5);
  assert.equal(r.staff_at_work, 108);
  assert.equal(r.staff_return_rate, 0.9);
  assert.deepEqual(r.by_unit.map((u) => [u.unit_name, u.resumed, u.resumption_rate]).sort(), [['企业街道', 1, 1], ['企业镇', 0, 0]]);
  assert.ok(r.by_sector.some((s) => s.sector === 'ready_mix_concrete' && s.seasonal === 1 && s.resumption_rate === null), JSON.stringify(r.by_sector));
  // Before the enterprise resumed, and an earlier staff count.
  const d13 = expectStatus(await a2.get('/api/v1/enterprises/resumption?day=2020-02-13'), 200).body;
  assert.equal(d13.staff_at_work, 90);
  const d11 = expectStatus(await a2.get('/api/v1/enterprises/resumption?day=2020-02-11'), 200).body;
  assert.equal(d11.resumption_rate, 0);
  expectError(await a2.get('/api/v1/enterprises/resumption?day=2020-13-01'), 400, 'invalid', 'day');
  const xlsx = await a2.get('/api/v1/enterprises/resumption?day=2020-02-15&format=xlsx', { raw: true });
  expectStatus(xlsx, 200, 'rate xlsx');
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
  // The town's officer sees its own town only.
  const bOfficer = await userClient(later, a2, { role: 'officer', scope_unit_id: B.id });
  const rb = expectStatus(await bOfficer.get('/api/v1/enterprises/resumption?day=2020-02-15'), 200).body;
  assert.deepEqual([rb.above_scale, rb.resumed, rb.seasonal], [1, 0, 0]);
  const e1 = expectStatus(await p2.get(`/api/v1/enterprises/${ent.one.id}`), 200).body;
  assert.equal(e1.resumed_day, '2020-02-12');
  assert.equal(e1.staff_at_work, 108);
});

test('inspections of operating enterprises against the eight prohibitions; an overdue finding is listed', async () => {
  const a2 = new Client(later.base);
  await a2.signIn('admin', srv.adminPassword);
  const inspector = await userClient(later, a2, { role: 'inspector', scope_unit_id: admin.root.id });
  const lists = expectStatus(await inspector.get('/api/v1/enterprises/checklists'), 200).body;
  assert.equal(lists.musts.length, 7);
  assert.equal(lists.prohibitions.length, 8);
  expectError(await inspector.post(`/api/v1/enterprises/${ent.two.id}/inspections`, { day: '2020-02-14', findings: [] }), 422, 'rule', 'day');
  const url = `/api/v1/enterprises/${ent.one.id}/inspections`;
  expectError(await inspector.post(url, { day: '2020-02-13', findings: [{ item: 'no_such', note: 'x', deadline: '2020-02-14' }] }), 400, 'invalid', 'findings[0].item');
  expectError(await inspector.post(url, { day: '2020-02-13', findings: [{ item: 'fingerprint', note: 'x', deadline: '2020-02-12' }] }), 400, 'invalid', 'findings[0].deadline');
  expectError(await inspector.post(url, { day: '2020-02-11', findings: [] }), 422, 'rule', 'day');
  const insp = expectStatus(await inspector.post(url, {
    day: '2020-02-13', inspector: '督查一组',
    findings: [
      { item: 'fingerprint', note: '仍使用指纹打卡', deadline: '2020-02-14' },
      { item: 'crowded_dorms', note: '宿舍 8 人一间', deadline: '2020-02-20' },
    ],
  }), 201).body;
  assert.equal(insp.findings, 2);
  assert.equal(insp.overdue, 1);
  const overdue = expectStatus(await inspector.get('/api/v1/enterprises/findings?status=overdue'), 200).body.items;
  assert.deepEqual(overdue.map((f) => f.item), ['fingerprint']);
  assert.equal(overdue[0].status, 'overdue');
  const fixed = expectStatus(await inspector.post(`/api/v1/enterprises/findings/${overdue[0].id}/follow-up`, { note: '已改为人脸识别', fixed_day: '2020-02-15' }), 200).body;
  assert.equal(fixed.status, 'fixed');
  assert.equal((await inspector.get('/api/v1/enterprises/findings?status=overdue')).body.items.length, 0);
  expectError(await inspector.post('/api/v1/enterprises/findings/99999/follow-up', { note: 'x' }), 404, 'not_found');
  // The portal sees its own inspection; another enterprise's account sees none.
  const p2 = new Client(later.base);
  await p2.signIn('portal.one', portal.account.password);
  assert.equal(expectStatus(await p2.get('/api/v1/enterprises/inspections'), 200).body.items.length, 1);
  assert.equal(expectStatus(await p2.get('/api/v1/enterprises/findings'), 200).body.items.length, 2);
  expectStatus(await p2.post(url, { day: '2020-02-14' }), 403);
  const other = await userClient(later, a2, { role: 'enterprise', enterprise_id: ent.two.id });
  assert.equal(expectStatus(await other.get('/api/v1/enterprises/inspections'), 200).body.items.length, 0);
  assert.equal(expectStatus(await other.get('/api/v1/enterprises/findings'), 200).body.items.length, 0);
  assert.equal(expectStatus(await other.get('/api/v1/applications'), 200).body.items.length, 0);
  expectError(await other.get(`/api/v1/applications/${app.id}`), 404, 'not_found');
  expectError(await other.get(`/api/v1/applications/${app.id}/employees`), 404, 'not_found');
  const x = await inspector.get('/api/v1/enterprises/inspections?format=xlsx', { raw: true });
  expectStatus(x, 200, 'inspections xlsx');
});
