// Divisions, risk areas and arrivals: the GB/T 2260 search, the list of
// graded areas with its validation and who may change it, arrivals graded
// from the most specific listing on their own date (and re-graded when the
// list changes), the arrivals list with its filters and scope, and arrivals
// by grade per child unit with a total row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, sql,
} from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function rid(area, birth, seq) {
  const s = `${area}${birth}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * W[i];
  return s + '10X98765432'[sum % 11];
}

let srv;
let admin;
let S;
let C;
let K1;
let K2;
let T;
let KT;
let officer; // scope S
let grid; // scope K1
const P = {};

async function person(name, unit, seq) {
  const res = await admin.post('/api/v1/persons', { doc_number: rid('640106', '19800101', seq), name, unit_id: unit.id });
  expectStatus(res, 201, `create ${name}`);
  return res.body;
}

async function arrive(p, origin_code, arrival_date, mode = 'train') {
  const res = await admin.post(`/api/v1/persons/${p.id}/arrivals`, { origin_code, arrival_date, mode });
  expectStatus(res, 201, `arrival of ${p.name} from ${origin_code}`);
  return res.body;
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'AR-S', '甲街道');
  C = await mkUnit(admin, S.id, 'community', 'AR-C', '甲社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'AR-K1', '甲一小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'AR-K2', '甲二小区');
  T = await mkUnit(admin, admin.root.id, 'subdistrict', 'AR-T', '乙街道');
  const TC = await mkUnit(admin, T.id, 'community', 'AR-TC', '乙社区');
  KT = await mkUnit(admin, TC.id, 'compound', 'AR-KT', '乙一小区');
  officer = await userClient(srv, admin, { username: 'ar.officer', role: 'officer', scope_unit_id: S.id });
  grid = await userClient(srv, admin, { username: 'ar.grid', role: 'grid_worker', scope_unit_id: K1.id });
  P.a = await person('甲', K1, 1);
  P.b = await person('乙', K2, 3);
  P.c = await person('丙', KT, 5);
  P.d = await person('丁', K1, 7);
});

after(async () => {
  await srv?.stop();
});

test('divisions: by name, by code, by level, paged', async () => {
  const hb = await officer.get(`/api/v1/divisions?q=${encodeURIComponent('湖北')}`);
  expectStatus(hb, 200);
  assert.deepEqual(hb.body.items.map((d) => d.code), ['420000'], show(hb));
  assert.deepEqual(hb.body.items[0], { code: '420000', name: '湖北省', level: 1, parent_code: null });
  const wh = await officer.get(`/api/v1/divisions?q=${encodeURIComponent('武汉')}&level=2`);
  assert.deepEqual(wh.body.items.map((d) => [d.code, d.parent_code]), [['420100', '420000']]);
  const jf = await officer.get(`/api/v1/divisions?q=${encodeURIComponent('金凤')}`);
  assert.deepEqual(jf.body.items.map((d) => d.code), ['640106']);
  const code = await officer.get('/api/v1/divisions?q=4201&level=3&limit=5');
  assert.equal(code.body.items.length, 5);
  assert.ok(code.body.items.every((d) => d.code.startsWith('4201') && d.level === 3), show(code));
  assert.ok(code.body.next);
  const more = await officer.get(`/api/v1/divisions?q=4201&level=3&limit=5&after=${code.body.next}`);
  assert.ok(more.body.items.length > 0);
  assert.ok(more.body.items[0].code > code.body.items[4].code, 'the next page follows on');
  const provinces = await officer.get('/api/v1/divisions?level=1&limit=500');
  assert.ok(provinces.body.items.length >= 31 && provinces.body.items.length <= 35, `provinces: ${provinces.body.items.length}`);
  expectError(await officer.get('/api/v1/divisions?level=4'), 400, 'invalid', 'level');
});

let hubei;

test('risk areas: validation and who may change the list', async () => {
  const base = { code: '420000', grade: 'severe', valid_from: '2020-01-20' };
  expectError(await admin.post('/api/v1/risk-areas', { ...base, code: '999999' }), 400, 'invalid', 'code', 'not a division');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, code: '4200' }), 400, 'invalid', 'code', 'not 6 digits');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, code: undefined }), 400, 'invalid', 'code');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, grade: 'purple' }), 400, 'invalid', 'grade');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, valid_from: '2020-02-30' }), 400, 'invalid', 'valid_from');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, valid_from: undefined }), 400, 'invalid', 'valid_from');
  expectError(await admin.post('/api/v1/risk-areas', { ...base, valid_to: '2020-01-19' }), 400, 'invalid', 'valid_to', 'ends before it starts');
  expectError(await officer.post('/api/v1/risk-areas', base), 403, 'forbidden', undefined, 'officer without areas.write');
  expectError(await grid.post('/api/v1/risk-areas', base), 403, 'forbidden');
  assert.equal(await sql(srv.db, 'SELECT COUNT(*) FROM risk_areas'), '0\n', 'nothing stored by refused requests');
});

test('an arrival is graded from the risk area on its date: Hubei severe → centralized', async () => {
  const res = await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-20', note: '疫情严重地区' });
  expectStatus(res, 201, 'list Hubei');
  hubei = res.body;
  assert.equal(hubei.name, '湖北省');
  assert.equal(hubei.level, 1);
  assert.equal(hubei.handling, 'centralized');
  assert.equal(hubei.valid_to, null);
  assert.equal(hubei.note, '疫情严重地区');
  expectError(await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'heavy', valid_from: '2020-01-20' }), 409, 'conflict', 'valid_from', 'two listings of one code from one day');

  const a = await arrive(P.a, '420102', '2020-02-01');
  assert.equal(a.grade, 'severe');
  assert.equal(a.handling, 'centralized');
  assert.equal(a.risk_area_id, hubei.id);
  assert.equal(a.origin_name, '江岸区');
  const b = await arrive(P.b, '610102', '2020-02-01');
  assert.equal(b.grade, 'other_province', 'another province, listed nowhere');
  assert.equal(b.handling, 'home');
  assert.equal(b.risk_area_id, null);
  const d = await arrive(P.d, '640104', '2020-02-01', 'car');
  assert.equal(d.grade, 'local', 'inside the district\'s province');
  assert.equal(d.handling, 'monitor');
  const c = await arrive(P.c, '420102', '2020-01-10');
  assert.equal(c.grade, 'other_province', 'before the listing applies');
  const card = (await admin.get(`/api/v1/persons/${P.a.id}`)).body;
  assert.deepEqual(card.arrivals.map((x) => [x.grade, x.handling]), [['severe', 'centralized']], 'shown on the person');
});

test('arrivals by grade: per child unit and a total row', async () => {
  const root = await admin.get('/api/v1/arrivals/by-grade');
  expectStatus(root, 200);
  const row = (res, id) => res.body.items.find((x) => x.unit_id === id && !x.is_total);
  const total = (res) => res.body.items.find((x) => x.is_total);
  assert.deepEqual(
    [row(root, S.id).severe, row(root, S.id).other_province, row(root, S.id).local, row(root, S.id).total], [1, 1, 1, 3], show(root));
  assert.deepEqual([row(root, T.id).other_province, row(root, T.id).total], [1, 1]);
  assert.equal(row(root, T.id).severe, 0);
  assert.equal(total(root).unit_id, admin.root.id);
  assert.deepEqual([total(root).severe, total(root).other_province, total(root).local, total(root).total], [1, 2, 1, 4]);
  assert.deepEqual([total(root).centralized, total(root).home, total(root).monitor], [1, 2, 1]);
  assert.equal(root.body.items[root.body.items.length - 1], total(root), 'the total row comes last');

  const s = await officer.get('/api/v1/arrivals/by-grade');
  assert.deepEqual(s.body.items.filter((x) => !x.is_total).map((x) => [x.unit_id, x.total]), [[C.id, 3]], show(s));
  assert.equal(total(s).unit_id, S.id);
  assert.equal(total(s).total, 3);
  const c = await officer.get(`/api/v1/arrivals/by-grade?unit_id=${C.id}`);
  assert.deepEqual(c.body.items.map((x) => [x.unit_id, x.total]), [[K1.id, 2], [K2.id, 1], [C.id, 3]]);
  const g = await grid.get('/api/v1/arrivals/by-grade');
  assert.deepEqual(g.body.items.map((x) => [x.unit_id, x.severe, x.local, x.total]), [[K1.id, 1, 1, 2]], show(g));
  const since = await admin.get('/api/v1/arrivals/by-grade?since=2020-01-15');
  assert.equal(total(since).total, 3, 'since leaves out the arrival of 01-10');
  expectError(await officer.get(`/api/v1/arrivals/by-grade?unit_id=${T.id}`), 404, 'not_found', undefined, 'a unit outside scope');
  const x = await admin.get('/api/v1/arrivals/by-grade?format=xlsx', { raw: true });
  expectStatus(x, 200);
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK');
});

test('arrivals list: filters, scope, export', async () => {
  const sev = await admin.get('/api/v1/arrivals?grade=severe');
  expectStatus(sev, 200);
  assert.deepEqual(sev.body.items.map((x) => x.person_id), [P.a.id], show(sev));
  assert.equal(sev.body.items[0].person_name, '甲');
  assert.equal(sev.body.items[0].unit_name, '甲一小区');
  const home = await admin.get('/api/v1/arrivals?handling=home');
  assert.deepEqual(home.body.items.map((x) => x.person_id).sort(), [P.b.id, P.c.id].sort());
  const inK1 = await admin.get(`/api/v1/arrivals?unit_id=${K1.id}`);
  assert.deepEqual(inK1.body.items.map((x) => x.person_id).sort(), [P.a.id, P.d.id].sort());
  const early = await admin.get('/api/v1/arrivals?until=2020-01-31');
  assert.deepEqual(early.body.items.map((x) => x.person_id), [P.c.id]);
  const late = await admin.get('/api/v1/arrivals?since=2020-02-01&until=2020-02-01');
  assert.equal(late.body.items.length, 3);
  const mine = await officer.get('/api/v1/arrivals');
  assert.ok(!mine.body.items.some((x) => x.person_id === P.c.id), 'an arrival outside scope is not listed');
  assert.equal(mine.body.items.length, 3);
  expectError(await admin.get('/api/v1/arrivals?grade=bad'), 400, 'invalid', 'grade');
  expectError(await admin.get('/api/v1/arrivals?handling=bad'), 400, 'invalid', 'handling');
  expectError(await admin.get('/api/v1/arrivals?since=2020-13-01'), 400, 'invalid', 'since');
  const csv = await admin.get('/api/v1/arrivals?format=csv');
  expectStatus(csv, 200);
  assert.match(csv.text, /来源地/);
  assert.match(csv.text, /江岸区/);
});

test('changing the list re-grades recorded arrivals; the most specific listing wins', async () => {
  // Wuhan listed as heavy: a prefecture beats its province
  const wh = await admin.post('/api/v1/risk-areas', { code: '420100', grade: 'heavy', valid_from: '2020-01-25' });
  expectStatus(wh, 201);
  assert.equal(wh.body.regraded, 1, show(wh));
  let a = (await admin.get(`/api/v1/arrivals?person_id=${P.a.id}`)).body.items[0];
  assert.deepEqual([a.grade, a.handling, a.risk_area_id], ['heavy', 'centralized', wh.body.id]);
  // a new arrival follows it too
  const e = await person('戊', K2, 9);
  const ea = await arrive(e, '420106', '2020-02-02');
  assert.equal(ea.grade, 'heavy');

  // Hubei from an earlier day: the arrival of 01-10 becomes severe
  const p = await admin.patch(`/api/v1/risk-areas/${hubei.id}`, { valid_from: '2020-01-05' });
  expectStatus(p, 200, 'PATCH risk area');
  assert.equal(p.body.valid_from, '2020-01-05');
  assert.equal(p.body.regraded, 1);
  const c = (await admin.get(`/api/v1/arrivals?person_id=${P.c.id}`)).body.items[0];
  assert.deepEqual([c.grade, c.handling], ['severe', 'centralized']);

  // ?on= lists what applies that day
  const on = await admin.get('/api/v1/risk-areas?on=2020-01-10');
  assert.deepEqual(on.body.items.map((x) => x.code), ['420000'], show(on));
  const on2 = await admin.get('/api/v1/risk-areas?on=2020-02-01');
  assert.deepEqual(on2.body.items.map((x) => x.code).sort(), ['420000', '420100']);
  const all = await grid.get('/api/v1/risk-areas');
  expectStatus(all, 200, 'anyone with people.read reads the list');
  assert.equal(all.body.items.length, 2);
  expectError(await admin.get('/api/v1/risk-areas?on=yesterday'), 400, 'invalid', 'on');

  // an end date: Wuhan's listing ends before the arrival
  const end = await admin.patch(`/api/v1/risk-areas/${wh.body.id}`, { valid_to: '2020-01-31', note: '调整' });
  expectStatus(end, 200);
  assert.equal(end.body.valid_to, '2020-01-31');
  a = (await admin.get(`/api/v1/arrivals?person_id=${P.a.id}`)).body.items[0];
  assert.equal(a.grade, 'severe', 'back to Hubei\'s grade');
  expectError(await admin.patch(`/api/v1/risk-areas/${wh.body.id}`, { valid_to: '2020-01-01' }), 400, 'invalid', 'valid_to');
  expectError(await admin.patch(`/api/v1/risk-areas/${wh.body.id}`, { grade: 'none' }), 400, 'invalid', 'grade');
  expectError(await admin.patch('/api/v1/risk-areas/99999', { grade: 'low' }), 404, 'not_found');
  expectError(await officer.patch(`/api/v1/risk-areas/${wh.body.id}`, { grade: 'low' }), 403, 'forbidden');

  // removing a listing: arrivals graded by it take what the list says without it
  const back = await admin.patch(`/api/v1/risk-areas/${wh.body.id}`, { valid_to: null });
  assert.equal(back.body.valid_to, null);
  assert.equal((await admin.get(`/api/v1/arrivals?person_id=${e.id}`)).body.items[0].grade, 'heavy');
  // Before: a dry run says how many arrivals the delete regrades and
  // changes nothing (the dialog's count); after: the delete says it too.
  const auditBefore = (await admin.get('/api/v1/audit?record_type=risk_area')).body.items.length;
  const dry = expectStatus(await admin.del(`/api/v1/risk-areas/${wh.body.id}?dry_run=1`), 200, 'DELETE dry run').body;
  assert.equal(dry.dry_run, true);
  assert.ok(dry.regraded >= 1, JSON.stringify(dry));
  assert.equal((await admin.get(`/api/v1/arrivals?person_id=${e.id}`)).body.items[0].grade, 'heavy', 'a dry run regrades nothing');
  assert.ok((await admin.get('/api/v1/risk-areas')).body.items.some((x) => x.id === wh.body.id), 'a dry run deletes nothing');
  assert.equal((await admin.get('/api/v1/audit?record_type=risk_area')).body.items.length, auditBefore, 'nor is audited');
  const dryPatch = expectStatus(await admin.patch(`/api/v1/risk-areas/${wh.body.id}?dry_run=1`, { grade: 'low' }), 200, 'PATCH dry run').body;
  assert.ok(dryPatch.dry_run && dryPatch.regraded >= 1, JSON.stringify(dryPatch));
  assert.equal((await admin.get('/api/v1/risk-areas')).body.items.find((x) => x.id === wh.body.id).grade, 'heavy', 'the grade is as it was');
  expectError(await admin.del(`/api/v1/risk-areas/${wh.body.id}?dry_run=2`), 400, 'invalid', 'dry_run');
  const gone = expectStatus(await admin.del(`/api/v1/risk-areas/${wh.body.id}`), 200, 'DELETE').body;
  assert.equal(gone.regraded, dry.regraded, 'the delete regraded what the dry run said');
  assert.equal((await admin.get(`/api/v1/arrivals?person_id=${e.id}`)).body.items[0].grade, 'severe');
  expectError(await admin.del(`/api/v1/risk-areas/${wh.body.id}`), 404, 'not_found', undefined, 'deleted twice');
  expectStatus(await admin.del(`/api/v1/risk-areas/${hubei.id}`), 200, 'the last listing');
  const cc = (await admin.get(`/api/v1/arrivals?person_id=${P.c.id}`)).body.items[0];
  assert.deepEqual([cc.grade, cc.handling, cc.risk_area_id], ['other_province', 'home', null]);
  const audit = await admin.get('/api/v1/audit?record_type=risk_area');
  assert.ok(audit.body.items.length >= 5, show(audit));
});

test('risk levels (from mid-February) grade the same way', async () => {
  const hz = await admin.post('/api/v1/risk-areas', { code: '330100', grade: 'medium', valid_from: '2020-02-21' });
  expectStatus(hz, 201);
  const f = await person('己', K1, 11);
  const a = await arrive(f, '330106', '2020-02-22', 'plane');
  assert.deepEqual([a.grade, a.handling], ['medium', 'home']);
  const b = await arrive(f, '330106', '2020-02-20', 'plane');
  assert.deepEqual([b.grade, b.handling], ['other_province', 'home'], 'the day before it applies');
  const low = await admin.post('/api/v1/risk-areas', { code: '330106', grade: 'low', valid_from: '2020-02-21' });
  assert.equal(low.body.regraded, 1, 'the county listing beats the prefecture for the 02-22 arrival');
  const g = (await admin.get(`/api/v1/arrivals?person_id=${f.id}&since=2020-02-22`)).body.items[0];
  assert.deepEqual([g.grade, g.handling], ['low', 'monitor']);
  // a county code no longer listed (as in old ID numbers) is kept, named after its city, graded by it
  const gone = await arrive(f, '330199', '2020-02-23', 'car');
  assert.deepEqual([gone.origin_code, gone.origin_name, gone.grade], ['330199', '杭州市', 'medium']);
  const x = await admin.get('/api/v1/risk-areas?format=xlsx', { raw: true });
  expectStatus(x, 200);
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK');
});
