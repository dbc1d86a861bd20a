// The population registry: households and persons — creating with ID
// validation (check character, lower-case x, 15-digit upgrade), phones,
// duplicates naming the existing record, search by name / whole ID / last 4
// / phone, masking in lists and exports, reveal with an audit row only for a
// role allowed to, scope (a grid worker sees its own compound only), editing
// and merging two records of one person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  unzipEntry,
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, sql,
} from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';
/** The GB 11643 check character of 17 digits. */
function idCheck(s17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s17[i]) * W[i];
  return CHECKS[sum % 11];
}
/** A valid resident ID: area code, birth YYYYMMDD, 3-digit sequence. */
function rid(area, birth, seq) {
  const s = `${area}${birth}${String(seq).padStart(3, '0')}`;
  return s + idCheck(s);
}
/** A valid ID whose check character is X. */
function ridX(area, birth) {
  for (let seq = 1; seq < 1000; seq++) {
    const n = rid(area, birth, seq);
    if (n.endsWith('X')) return n;
  }
  throw new Error('no X');
}

let srv;
let admin;
let S; // 甲街道
let C; // 甲社区
let K1; // 甲一小区 (the grid worker's)
let K2; // 甲二小区
let T; // 乙街道 .. its compound KT
let KT;
let grid;
let officer;
let hh1;
let hh2;
let hhT;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  S = await mkUnit(admin, admin.root.id, 'subdistrict', 'PP-S', '甲街道');
  C = await mkUnit(admin, S.id, 'community', 'PP-C', '甲社区');
  K1 = await mkUnit(admin, C.id, 'compound', 'PP-K1', '甲一小区');
  K2 = await mkUnit(admin, C.id, 'compound', 'PP-K2', '甲二小区');
  T = await mkUnit(admin, admin.root.id, 'subdistrict', 'PP-T', '乙街道');
  const TC = await mkUnit(admin, T.id, 'community', 'PP-TC', '乙社区');
  KT = await mkUnit(admin, TC.id, 'compound', 'PP-KT', '乙一小区');
  grid = await userClient(srv, admin, { username: 'pp.grid', role: 'grid_worker', scope_unit_id: K1.id });
  officer = await userClient(srv, admin, { username: 'pp.officer', role: 'officer', scope_unit_id: S.id });
});

after(async () => {
  await srv?.stop();
});

test('households: create in a compound, duplicate address, bad input, wrong kind of unit', async () => {
  const r1 = await admin.post('/api/v1/households', { unit_id: K1.id, address: '1号楼1单元101' });
  expectStatus(r1, 201, 'create household');
  hh1 = r1.body;
  assert.equal(hh1.unit_id, K1.id);
  assert.equal(hh1.unit_name, '甲一小区');
  assert.equal(hh1.status, 'unknown');
  assert.equal(hh1.members, 0);
  assert.equal(hh1.empty_confirmed, false);
  hh2 = (await admin.post('/api/v1/households', { unit_id: K2.id, address: '2号楼3单元502', status: 'occupied' })).body;
  assert.equal(hh2.status, 'occupied');
  hhT = (await admin.post('/api/v1/households', { unit_id: KT.id, address: '5号楼101' })).body;
  assert.ok(hhT.id);

  const dup = expectError(await admin.post('/api/v1/households', { unit_id: K1.id, address: '1号楼1单元101' }), 409, 'conflict', 'address', 'same address in one compound');
  assert.match(dup.message, new RegExp(String(hh1.id)));
  // the same address in another compound is another household
  expectStatus(await admin.post('/api/v1/households', { unit_id: K2.id, address: '1号楼1单元101' }), 201);
  expectError(await admin.post('/api/v1/households', { unit_id: K1.id }), 400, 'invalid', 'address');
  expectError(await admin.post('/api/v1/households', { address: 'x' }), 400, 'invalid', 'unit_id');
  expectError(await admin.post('/api/v1/households', { unit_id: K1.id, address: 'y', status: 'gone' }), 400, 'invalid', 'status');
  expectError(await admin.post('/api/v1/households', { unit_id: 99999, address: 'y' }), 400, 'invalid', 'unit_id');
  expectError(await admin.post('/api/v1/households', { unit_id: C.id, address: 'y' }), 422, 'rule', 'unit_id', 'a household in a community');
  expectError(await admin.post('/api/v1/households', { unit_id: 'K1', address: 'y' }), 400, 'invalid', 'unit_id');
});

test('households: list by compound, status, address; get; change', async () => {
  const l = await admin.get(`/api/v1/households?unit_id=${K1.id}`);
  expectStatus(l, 200);
  assert.deepEqual(l.body.items.map((x) => x.id), [hh1.id], show(l));
  const byC = await admin.get(`/api/v1/households?unit_id=${C.id}`);
  assert.equal(byC.body.items.length, 3, 'a community lists its compounds\' households');
  const occ = await admin.get(`/api/v1/households?status=occupied&unit_id=${C.id}`);
  assert.deepEqual(occ.body.items.map((x) => x.id), [hh2.id]);
  const q = await admin.get(`/api/v1/households?q=${encodeURIComponent('3单元')}`);
  assert.deepEqual(q.body.items.map((x) => x.id), [hh2.id]);
  expectError(await admin.get('/api/v1/households?status=nope'), 400, 'invalid', 'status');

  const p = await admin.patch(`/api/v1/households/${hh2.id}`, { status: 'empty', address: '2号楼3单元503' });
  expectStatus(p, 200, 'PATCH household');
  assert.equal(p.body.status, 'empty');
  assert.equal(p.body.address, '2号楼3单元503');
  expectError(await admin.patch(`/api/v1/households/${hh2.id}`, { status: 'x' }), 400, 'invalid', 'status');
  expectError(await admin.patch(`/api/v1/households/${hh2.id}`, { address: '1号楼1单元101' }), 409, 'conflict', 'address', 'rename onto another household of the compound');
  expectError(await admin.patch('/api/v1/households/99999', { status: 'empty' }), 404, 'not_found');
  const g = await admin.get(`/api/v1/households/${hh1.id}`);
  expectStatus(g, 200);
  assert.deepEqual(g.body.persons, []);
  assert.deepEqual(g.body.visits, []);
});

let zhang; // a person with a household
const ZHANG_ID = rid('640106', '19800101', 1);

test('create a person: 201 with the whole numbers, sex and birth date from the ID, source manual', async () => {
  const res = await admin.post('/api/v1/persons', {
    doc_type: 'resident_id', doc_number: ZHANG_ID, name: '张伟', phone: '+86 138 0013 8000', household_id: hh1.id,
  });
  expectStatus(res, 201, 'create person');
  zhang = res.body;
  assert.ok(zhang.id);
  assert.equal(zhang.doc_number, ZHANG_ID);
  assert.equal(zhang.phone, '13800138000', 'phone normalised');
  assert.equal(zhang.sex, 'M');
  assert.equal(zhang.birth_date, '1980-01-01');
  assert.equal(zhang.unit_id, K1.id, 'placed in the household\'s compound');
  assert.equal(zhang.household_id, hh1.id);
  assert.equal(zhang.household_address, '1号楼1单元101');
  assert.equal(zhang.located, true);
  assert.equal(zhang.source, 'manual');
  const h = await admin.get(`/api/v1/households/${hh1.id}`);
  assert.equal(h.body.members, 1);
  assert.equal(h.body.status, 'occupied', 'a household with members is occupied');
  assert.deepEqual(h.body.persons.map((p) => p.id), [zhang.id]);
  assert.equal(h.body.persons[0].doc_number, `640106********${ZHANG_ID.slice(14)}`, 'masked in the household card');
});

test('a bad check character is 400 naming doc_number and the right character', async () => {
  const good = rid('640106', '19900315', 22);
  const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const e = expectError(await admin.post('/api/v1/persons', { doc_type: 'resident_id', doc_number: bad, name: '李四', unit_id: K1.id }), 400, 'invalid', 'doc_number');
  assert.match(e.message, new RegExp(`check character should be ${good[17]}`), e.message);
  expectError(await admin.post('/api/v1/persons', { doc_number: '6401061990031', name: '李四', unit_id: K1.id }), 400, 'invalid', 'doc_number', 'too short');
  expectError(await admin.post('/api/v1/persons', { doc_number: rid('640106', '19900230', 1), name: '李四', unit_id: K1.id }), 400, 'invalid', 'doc_number', '30 February');
  expectError(await admin.post('/api/v1/persons', { doc_number: rid('640106', '20300101', 1), name: '李四', unit_id: K1.id }), 400, 'invalid', 'doc_number', 'born in the future');
  expectError(await admin.post('/api/v1/persons', { doc_type: 'visa', doc_number: 'E1234567', name: '李四', unit_id: K1.id }), 400, 'invalid', 'doc_type');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, unit_id: K1.id }), 400, 'invalid', 'name');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, name: '李四' }), 400, 'invalid', 'unit_id');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, name: '李四', unit_id: K1.id, sex: 'M' }), 400, 'invalid', 'sex', 'sex disagreeing with the ID (022 is even: F)');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, name: '李四', unit_id: K1.id, birth_date: '1990-03-16' }), 400, 'invalid', 'birth_date', 'birth date disagreeing with the ID');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, name: '李四', unit_id: K1.id, household_id: hh2.id }), 400, 'invalid', 'unit_id', 'a household in another compound');
  expectError(await admin.post('/api/v1/persons', { doc_number: good, name: '李四', household_id: 99999 }), 400, 'invalid', 'household_id');
  expectError(await admin.post('/api/v1/persons', '{"doc_number":', { type: 'application/json' }), 400, 'invalid', 'body');
});

test('a lower-case x is stored as X; a 15-digit number is upgraded to 18', async () => {
  const x = ridX('640106', '19751224');
  const res = await admin.post('/api/v1/persons', { doc_type: 'resident_id', doc_number: x.toLowerCase(), name: '王芳', unit_id: K1.id });
  expectStatus(res, 201, 'lower-case x');
  assert.equal(res.body.doc_number, x);
  assert.equal(await sql(srv.db, `SELECT doc_number FROM persons WHERE id = ${res.body.id}`), `${x}\n`);

  const old15 = '640106750102031';
  const want = '64010619750102031' + idCheck('64010619750102031');
  const up = await admin.post('/api/v1/persons', { doc_number: old15, name: '赵敏', unit_id: K2.id });
  expectStatus(up, 201, '15 digits');
  assert.equal(up.body.doc_number, want);
  assert.equal(up.body.birth_date, '1975-01-02');
  assert.equal(up.body.sex, 'M', 'sequence 031 is odd');
  // the 18-digit form is then a duplicate
  expectError(await admin.post('/api/v1/persons', { doc_number: want, name: '赵敏', unit_id: K2.id }), 409, 'conflict', 'doc_number');
});

test('a bad phone is 400 naming phone', async () => {
  const n = rid('640106', '19880808', 41);
  for (const phone of ['12800138000', '1380013800', '138001380001', '+1 415 555 0100', 'abc']) {
    expectError(await admin.post('/api/v1/persons', { doc_number: n, name: '孙丽', unit_id: K1.id, phone }), 400, 'invalid', 'phone', `phone ${phone}`);
  }
});

test('a duplicate document is 409 naming the existing record; outside scope it is not named', async () => {
  const e = expectError(await admin.post('/api/v1/persons', { doc_number: ZHANG_ID, name: '张伟', unit_id: K2.id }), 409, 'conflict', 'doc_number');
  assert.equal(e.existing_id, zhang.id, show({ status: 409, body: { error: e } }));
  // a lower-case or spaced form is the same document
  const e2 = expectError(await admin.post('/api/v1/persons', { doc_number: ZHANG_ID.replace(/(\d{6})/, '$1 '), name: '张伟', unit_id: K2.id }), 409, 'conflict', 'doc_number');
  assert.equal(e2.existing_id, zhang.id);
  // an officer of 乙街道 cannot learn where the person is registered
  const tOfficer = await userClient(srv, admin, { username: 'pp.officer.t', role: 'officer', scope_unit_id: T.id });
  const e3 = expectError(await tOfficer.post('/api/v1/persons', { doc_number: ZHANG_ID, name: '张伟', unit_id: KT.id }), 409, 'conflict', 'doc_number');
  assert.equal(e3.existing_id, undefined, `existing_id outside scope: ${JSON.stringify(e3)}`);
  assert.doesNotMatch(e3.message, new RegExp(String(zhang.id)));
  // nothing was stored by the refused requests
  assert.equal(await sql(srv.db, `SELECT COUNT(*) FROM persons WHERE doc_number = '${ZHANG_ID}'`), '1\n');
});

let li; // passport holder
let other; // in 乙街道

test('other documents are kept as typed (upper-cased), with their type', async () => {
  const res = await admin.post('/api/v1/persons', {
    doc_type: 'passport', doc_number: 'e12345678', name: 'John Smith', unit_id: K2.id, sex: 'M', birth_date: '1970-05-06', phone: '13912345678',
  });
  expectStatus(res, 201);
  li = res.body;
  assert.equal(li.doc_number, 'E12345678');
  assert.equal(li.doc_type, 'passport');
  assert.equal(li.sex, 'M');
  assert.equal(li.birth_date, '1970-05-06');
  other = (await admin.post('/api/v1/persons', { doc_number: rid('640106', '19660606', 66), name: '钱乙', unit_id: KT.id, phone: '13700001111' })).body;
  assert.ok(other.id);
});

test('search by name, whole ID, last 4, phone; numbers masked in lists', async () => {
  const byName = await admin.get(`/api/v1/persons?q=${encodeURIComponent('张')}`);
  expectStatus(byName, 200);
  assert.deepEqual(byName.body.items.map((p) => p.id), [zhang.id], show(byName));
  const it = byName.body.items[0];
  assert.equal(it.doc_number, `640106********${ZHANG_ID.slice(14)}`, 'ID masked');
  assert.equal(it.phone, '138****8000', 'phone masked');
  assert.ok(!byName.text.includes(ZHANG_ID) && !byName.text.includes('13800138000'), 'no whole number in a list');

  const byId = await admin.get(`/api/v1/persons?q=${ZHANG_ID}`);
  assert.deepEqual(byId.body.items.map((p) => p.id), [zhang.id], show(byId));
  const byLast4 = await admin.get(`/api/v1/persons?q=${ZHANG_ID.slice(14)}`);
  assert.ok(byLast4.body.items.some((p) => p.id === zhang.id), show(byLast4));
  assert.ok(byLast4.body.items.every((p) => p.doc_number.endsWith(ZHANG_ID.slice(14))));
  const byPhone = await admin.get(`/api/v1/persons?q=${encodeURIComponent('138 0013 8000')}`);
  assert.deepEqual(byPhone.body.items.map((p) => p.id), [zhang.id], show(byPhone));
  const byPassport = await admin.get('/api/v1/persons?q=e12345678');
  assert.deepEqual(byPassport.body.items.map((p) => p.id), [li.id], show(byPassport));
  assert.equal(byPassport.body.items[0].doc_number, 'E1*****78');
  const byEnglish = await admin.get('/api/v1/persons?q=smith');
  assert.deepEqual(byEnglish.body.items.map((p) => p.id), [li.id], 'a name matches without case');
  const none = await admin.get(`/api/v1/persons?q=${encodeURIComponent('不存在')}`);
  assert.deepEqual(none.body.items, []);
  const wild = await admin.get(`/api/v1/persons?q=${encodeURIComponent('%')}`);
  assert.deepEqual(wild.body.items, [], 'a % is a character, not a wildcard');

  // filters and paging
  const inK2 = await admin.get(`/api/v1/persons?unit_id=${K2.id}`);
  assert.ok(inK2.body.items.every((p) => p.unit_id === K2.id) && inK2.body.items.length === 2, show(inK2));
  const inHh = await admin.get(`/api/v1/persons?household_id=${hh1.id}`);
  assert.deepEqual(inHh.body.items.map((p) => p.id), [zhang.id]);
  const p1 = await admin.get('/api/v1/persons?limit=2');
  assert.equal(p1.body.items.length, 2);
  assert.ok(p1.body.next);
  const p2 = await admin.get(`/api/v1/persons?limit=2&after=${p1.body.next}`);
  assert.ok(p2.body.items.length >= 1);
  assert.ok(p2.body.items[0].id > p1.body.items[1].id);
  expectError(await admin.get('/api/v1/persons?located=2'), 400, 'invalid', 'located');
  expectError(await admin.get('/api/v1/persons?limit=0'), 400, 'invalid', 'limit');
});

/** Every page of a person list, by the cursor: the ids in order. */
async function allPages(c, query, limit = 2) {
  const ids = [];
  let after = '';
  for (let i = 0; i < 50; i++) {
    const res = expectStatus(await c.get(`/api/v1/persons?${query}&limit=${limit}${after ? `&after=${after}` : ''}`), 200, query);
    assert.ok(res.body.items.length <= limit);
    ids.push(...res.body.items.map((p) => p.id));
    if (!res.body.next) return ids;
    after = res.body.next;
  }
  throw new Error(`${query}: more than 50 pages`);
}

test('a surname search pages through every match once, in the caller\'s scope, and skips merged records', async () => {
  // Seven 欧阳 in a compound of the officer's sub-district, two outside it.
  const mk = async (i, unit) => expectStatus(await admin.post('/api/v1/persons', {
    doc_number: rid('640106', '19770707', 600 + i), name: `欧阳${'一二三四五六七八九'[i]}`, unit_id: unit.id,
  }), 201, `欧阳 ${i}`).body;
  const mine = [];
  for (let i = 0; i < 7; i++) mine.push(await mk(i, K1));
  const theirs = [await mk(7, KT), await mk(8, KT)];
  // Two records turn out to be one person each: merged away, no longer listed.
  expectStatus(await admin.post(`/api/v1/persons/${mine[0].id}/merge`, { other_id: mine[1].id }), 200, 'merge 1');
  expectStatus(await admin.post(`/api/v1/persons/${mine[2].id}/merge`, { other_id: mine[3].id }), 200, 'merge 2');
  const live = mine.filter((_, i) => i !== 1 && i !== 3).map((p) => p.id);
  const q = `q=${encodeURIComponent('欧阳')}`;
  const theirIds = theirs.map((p) => p.id);
  const check = async (adm, off, how) => {
    // In pages of two, and of one: each match once, in id order, merged ones skipped.
    assert.deepEqual(await allPages(adm, q), [...live, ...theirIds], how);
    assert.deepEqual(await allPages(adm, q, 1), [...live, ...theirIds], how);
    assert.deepEqual(await allPages(off, q), live, `${how}: the officer sees its sub-district only`);
    assert.deepEqual(await allPages(adm, `${q}&unit_id=${KT.id}`), theirIds, how);
    // With a filter, which the name index alone cannot answer.
    assert.deepEqual(await allPages(off, `${q}&located=1`), live, how);
    assert.deepEqual(await allPages(off, `${q}&located=0`), [], `${how}: all of them are placed in a compound`);
    // A full name, a merged one, and a name nobody has.
    assert.deepEqual(await allPages(off, `q=${encodeURIComponent('欧阳三')}`), [mine[2].id], how);
    assert.deepEqual(await allPages(adm, `q=${encodeURIComponent('欧阳二')}`), [], how);
    assert.deepEqual(await allPages(adm, `q=${encodeURIComponent('欧阳十')}`), [], how);
    const csv = expectStatus(await off.get(`/api/v1/persons?${q}&format=csv`), 200, 'csv');
    assert.equal(csv.text.trim().split('\r\n').length, 1 + live.length, `${how}: the export holds the same persons`);
  };
  await check(admin, officer, 'as the counts choose');
  // Every way the search can read the table, each forced on a server of its own.
  for (const plan of ['index', 'rows', 'walk', 'scope']) {
    const other = await startServer({ sameDbAs: srv, env: { CORDON_NAME_SEARCH: plan } });
    try {
      await check(admin.at(other.base), officer.at(other.base), `CORDON_NAME_SEARCH=${plan}`);
    } finally {
      await other.stop();
    }
  }
});

test('persons export as csv and xlsx with numbers masked', async () => {
  const csv = await admin.get(`/api/v1/persons?format=csv&unit_id=${K1.id}`);
  expectStatus(csv, 200, 'csv');
  assert.match(csv.headers.get('content-type'), /csv/);
  assert.match(csv.text, /姓名/);
  assert.match(csv.text, /证件号码/);
  assert.ok(csv.text.includes(`640106********${ZHANG_ID.slice(14)}`), csv.text);
  assert.ok(csv.text.includes('138****8000'));
  assert.ok(!csv.text.includes(ZHANG_ID) && !csv.text.includes('13800138000'), 'no whole number in the csv');
  const x = await admin.get(`/api/v1/persons?format=xlsx&unit_id=${K1.id}`, { raw: true });
  expectStatus(x, 200, 'xlsx');
  assert.equal(x.body.subarray(0, 2).toString('latin1'), 'PK');
  const strings = unzipEntry(x.body, 'xl/sharedStrings.xml') || unzipEntry(x.body, 'xl/worksheets/sheet1.xml');
  assert.ok(strings && strings.includes('张伟'), 'the xlsx holds the rows');
  assert.ok(strings.includes(`640106********${ZHANG_ID.slice(14)}`), 'masked ID in the xlsx');
  assert.ok(!strings.includes(ZHANG_ID) && !strings.includes('13800138000'), 'no whole number in the xlsx');
});

async function readAudits(personId) {
  const res = await admin.get(`/api/v1/audit?record_type=person&record_id=${personId}&action=read`);
  expectStatus(res, 200, 'audit');
  return res.body.items;
}

test('reveal: whole numbers and an audit row for a role allowed; masks and no row for one that is not', async () => {
  const plain = await admin.get(`/api/v1/persons/${zhang.id}`);
  expectStatus(plain, 200);
  assert.equal(plain.body.doc_number, `640106********${ZHANG_ID.slice(14)}`, 'masked without reveal');
  assert.equal((await readAudits(zhang.id)).length, 0, 'no audit row without reveal');

  const whole = await officer.get(`/api/v1/persons/${zhang.id}?reveal=1`);
  expectStatus(whole, 200);
  assert.equal(whole.body.doc_number, ZHANG_ID);
  assert.equal(whole.body.phone, '13800138000');
  const rows = await readAudits(zhang.id);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.equal(rows[0].action, 'read');
  assert.equal(rows[0].actor, 'pp.officer');
  assert.match(rows[0].detail, /doc_number/);

  const g = await grid.get(`/api/v1/persons/${zhang.id}?reveal=1`);
  expectStatus(g, 200, 'grid worker reveal');
  assert.equal(g.body.doc_number, `640106********${ZHANG_ID.slice(14)}`, 'masked for a role without id.reveal');
  assert.equal(g.body.phone, '138****8000');
  assert.ok(!g.text.includes('13800138000'), 'no whole phone anywhere (facts too)');
  assert.equal((await readAudits(zhang.id)).length, 1, 'no audit row for a masked answer');
  expectError(await admin.get(`/api/v1/persons/${zhang.id}?reveal=yes`), 400, 'invalid', 'reveal');
});

test('a person\'s card: facts with their source', async () => {
  const res = await admin.get(`/api/v1/persons/${zhang.id}`);
  assert.deepEqual(res.body.arrivals, []);
  assert.deepEqual(res.body.visits, []);
  const fields = res.body.facts.map((f) => f.field).sort();
  assert.deepEqual(fields, ['household_id', 'name', 'phone'], show(res));
  assert.ok(res.body.facts.every((f) => f.source === 'manual' && typeof f.at === 'number'));
  assert.equal(res.body.facts.find((f) => f.field === 'phone').value, '138****8000', 'facts masked too');
  expectError(await admin.get('/api/v1/persons/99999'), 404, 'not_found');
  expectError(await admin.get('/api/v1/persons/abc'), 404, 'not_found');
});

test('scope: a grid worker sees only its compound\'s households and persons', async () => {
  const hs = await grid.get('/api/v1/households');
  expectStatus(hs, 200);
  assert.deepEqual(hs.body.items.map((x) => x.unit_id).filter((u) => u !== K1.id), [], show(hs));
  assert.ok(hs.body.items.some((x) => x.id === hh1.id));
  const ps = await grid.get('/api/v1/persons');
  assert.ok(ps.body.items.length >= 1);
  assert.ok(ps.body.items.every((p) => p.unit_id === K1.id), show(ps));
  const search = await grid.get(`/api/v1/persons?q=${encodeURIComponent('John')}`);
  assert.deepEqual(search.body.items, [], 'a person elsewhere is not found');
  expectError(await grid.get(`/api/v1/persons/${li.id}`), 404, 'not_found', undefined, 'a person in another compound');
  expectError(await grid.get(`/api/v1/households/${hh2.id}`), 404, 'not_found', undefined, 'a household in another compound');
  expectError(await grid.get(`/api/v1/persons/${other.id}`), 404, 'not_found');
  // creating or changing outside is 403
  expectError(await grid.post('/api/v1/persons', { doc_number: rid('640106', '19920202', 12), name: '周六', unit_id: K2.id }), 403, 'forbidden', undefined, 'create outside');
  expectError(await grid.post('/api/v1/persons', { doc_number: rid('640106', '19920202', 12), name: '周六', household_id: hh2.id }), 403, 'forbidden');
  expectError(await grid.post('/api/v1/households', { unit_id: K2.id, address: '9号楼' }), 403, 'forbidden');
  expectError(await grid.patch(`/api/v1/persons/${li.id}`, { name: 'x' }), 403, 'forbidden');
  expectError(await grid.patch(`/api/v1/households/${hh2.id}`, { status: 'empty' }), 403, 'forbidden');
  // inside it may
  const mine = await grid.post('/api/v1/persons', { doc_number: rid('640106', '19920202', 12), name: '周六', household_id: hh1.id });
  expectStatus(mine, 201, 'grid worker registers someone in its compound');
  // the officer of 甲街道 sees both compounds but not 乙街道
  const outside = await officer.get(`/api/v1/persons?unit_id=${KT.id}`);
  expectStatus(outside, 200);
  assert.deepEqual(outside.body.items, [], 'a unit filter outside scope lists nothing');
  assert.deepEqual((await officer.get(`/api/v1/households?unit_id=${KT.id}`)).body.items, []);
  const os = await officer.get('/api/v1/persons');
  assert.ok(os.body.items.some((p) => p.id === li.id) && !os.body.items.some((p) => p.id === other.id), show(os));
  // a role without people.read
  const wh = await userClient(srv, admin, { username: 'pp.wh', role: 'warehouse', scope_unit_id: S.id });
  expectError(await wh.get('/api/v1/persons'), 403, 'forbidden');
  const medic = await userClient(srv, admin, { username: 'pp.medic', role: 'medic', scope_unit_id: S.id });
  expectError(await medic.post('/api/v1/persons', { doc_number: rid('640106', '19920203', 12), name: 'x', unit_id: K1.id }), 403, 'forbidden', undefined, 'medic without people.write');
});

test('change a person: name, phone, move to another household, bad input', async () => {
  const p = await admin.patch(`/api/v1/persons/${zhang.id}`, { name: '张伟伟', phone: '13900001111' });
  expectStatus(p, 200, 'PATCH person');
  assert.equal(p.body.name, '张伟伟');
  assert.equal(p.body.phone, '139****1111');
  const mv = await admin.patch(`/api/v1/persons/${zhang.id}`, { household_id: hh2.id });
  expectStatus(mv, 200);
  assert.equal(mv.body.household_id, hh2.id);
  assert.equal(mv.body.unit_id, K2.id, 'moved with the household');
  assert.equal((await admin.get(`/api/v1/households/${hh1.id}`)).body.members, 1, 'left the old household (周六 remains)');
  assert.equal((await admin.get(`/api/v1/households/${hh2.id}`)).body.members, 1);
  expectError(await admin.patch(`/api/v1/persons/${zhang.id}`, { phone: '123' }), 400, 'invalid', 'phone');
  expectError(await admin.patch(`/api/v1/persons/${zhang.id}`, { sex: 'F' }), 400, 'invalid', 'sex');
  expectError(await admin.patch(`/api/v1/persons/${zhang.id}`, { name: '' }), 400, 'invalid', 'name');
  expectError(await admin.patch(`/api/v1/persons/${zhang.id}`, { unit_id: 99999 }), 400, 'invalid', 'unit_id');
  expectError(await admin.patch('/api/v1/persons/99999', { name: 'x' }), 404, 'not_found');
  // moving to a community: no longer located, no household
  const c = await admin.patch(`/api/v1/persons/${zhang.id}`, { unit_id: C.id });
  assert.equal(c.body.located, false);
  assert.equal(c.body.household_id, null);
  assert.equal((await admin.get(`/api/v1/households/${hh2.id}`)).body.members, 0);
  const back = await admin.patch(`/api/v1/persons/${zhang.id}`, { household_id: hh1.id, phone: null });
  assert.equal(back.body.located, true);
  assert.equal(back.body.phone, null, 'phone cleared');
  const facts = (await admin.get(`/api/v1/persons/${zhang.id}`)).body.facts;
  assert.ok(facts.some((f) => f.field === 'name' && f.value === '张伟伟'), JSON.stringify(facts));
  assert.ok(facts.some((f) => f.field === 'unit_id' && f.value === String(C.id)));
  // located filter
  const un = await admin.get(`/api/v1/persons?located=0&unit_id=${S.id}`);
  assert.ok(!un.body.items.some((x) => x.id === zhang.id));
});

test('merge: the other record\'s arrivals, facts and household move here; it is no longer listed', async () => {
  // the same man registered again under a passport, with a household and an arrival
  const hh3 = (await admin.post('/api/v1/households', { unit_id: K2.id, address: '7号楼701' })).body;
  const dup = (await admin.post('/api/v1/persons', { doc_type: 'passport', doc_number: 'G55443322', name: '张伟', household_id: hh3.id, phone: '13655554444' })).body;
  const lone = (await admin.post('/api/v1/persons', { doc_number: rid('640106', '19850505', 55), name: '孤某', unit_id: C.id })).body;
  assert.equal(lone.located, false);
  expectStatus(await admin.post(`/api/v1/persons/${dup.id}/arrivals`, { origin_code: '610102', arrival_date: '2020-02-01', mode: 'train' }), 201);
  expectStatus(await admin.post(`/api/v1/persons/${lone.id}/arrivals`, { origin_code: '610102', arrival_date: '2020-02-01', mode: 'train' }), 201);

  // lone (unlocated, no household) absorbs dup: takes its household, place, phone, arrival (a duplicate kept once)
  const m = await admin.post(`/api/v1/persons/${lone.id}/merge`, { other_id: dup.id });
  expectStatus(m, 200, 'merge');
  assert.equal(m.body.id, lone.id);
  assert.equal(m.body.household_id, hh3.id);
  assert.equal(m.body.unit_id, K2.id);
  assert.equal(m.body.located, true);
  assert.equal(m.body.phone, '136****4444');
  const card = (await admin.get(`/api/v1/persons/${lone.id}`)).body;
  assert.equal(card.arrivals.length, 1, `one arrival kept: ${JSON.stringify(card.arrivals)}`);
  assert.equal(card.arrivals[0].unit_id, K2.id, 'the arrival is counted where the person is');
  assert.ok(card.facts.some((f) => f.field === 'name' && f.value === '张伟'), 'facts moved');
  assert.ok(card.facts.some((f) => f.field === 'merged' && f.value === String(dup.id)));
  const h3 = (await admin.get(`/api/v1/households/${hh3.id}`)).body;
  assert.deepEqual(h3.persons.map((p) => p.id), [lone.id]);
  assert.equal(h3.members, 1);

  const gone = await admin.get(`/api/v1/persons?q=G55443322`);
  assert.deepEqual(gone.body.items, [], 'the merged record is not listed');
  const all = await admin.get('/api/v1/persons?limit=500');
  assert.ok(!all.body.items.some((p) => p.id === dup.id));
  const old = await admin.get(`/api/v1/persons/${dup.id}`);
  expectStatus(old, 200, 'the merged record can still be opened');
  assert.equal(old.body.merged_into, lone.id);
  // its document is still registered: a new record for it is a 409 naming the survivor
  const e = expectError(await admin.post('/api/v1/persons', { doc_type: 'passport', doc_number: 'G55443322', name: '张伟', unit_id: K2.id }), 409, 'conflict', 'doc_number');
  assert.equal(e.existing_id, lone.id);

  expectError(await admin.post(`/api/v1/persons/${lone.id}/merge`, { other_id: dup.id }), 422, 'rule', 'other_id', 'merged twice');
  expectError(await admin.post(`/api/v1/persons/${dup.id}/merge`, { other_id: li.id }), 422, 'rule', undefined, 'into a merged record');
  expectError(await admin.post(`/api/v1/persons/${lone.id}/merge`, { other_id: lone.id }), 400, 'invalid', 'other_id');
  expectError(await admin.post(`/api/v1/persons/${lone.id}/merge`, {}), 400, 'invalid', 'other_id');
  expectError(await admin.post(`/api/v1/persons/${lone.id}/merge`, { other_id: 99999 }), 400, 'invalid', 'other_id');
  expectError(await officer.post(`/api/v1/persons/${lone.id}/merge`, { other_id: other.id }), 403, 'forbidden', 'other_id', 'merging a record outside scope');
  expectError(await admin.patch(`/api/v1/persons/${dup.id}`, { name: 'x' }), 422, 'rule', undefined, 'changing a merged record');
});

test('arrivals on a person: graded, bad input, the same arrival twice is one', async () => {
  const a = await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2020-02-03', mode: 'car' });
  expectStatus(a, 201);
  assert.equal(a.body.person_id, li.id);
  assert.equal(a.body.unit_id, K2.id);
  assert.equal(a.body.origin_name, '兴庆区');
  assert.equal(a.body.grade, 'local');
  assert.equal(a.body.handling, 'monitor');
  const again = await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2020-02-03', mode: 'car' });
  expectStatus(again, 200, 'the same arrival again');
  assert.equal(again.body.id, a.body.id);
  const byName = await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '西安市', arrival_date: '2020-02-04', mode: 'plane' });
  expectStatus(byName, 201, 'origin by name');
  assert.equal(byName.body.origin_code, '610100');
  assert.equal(byName.body.grade, 'other_province');
  expectError(await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '999999', arrival_date: '2020-02-03' }), 400, 'invalid', 'origin_code');
  expectError(await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2020-02-30' }), 400, 'invalid', 'arrival_date');
  expectError(await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2999-01-01' }), 400, 'invalid', 'arrival_date');
  expectError(await admin.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2020-02-03', mode: 'boat' }), 400, 'invalid', 'mode');
  expectError(await admin.post('/api/v1/persons/99999/arrivals', { origin_code: '640104', arrival_date: '2020-02-03' }), 404, 'not_found');
  expectError(await grid.post(`/api/v1/persons/${li.id}/arrivals`, { origin_code: '640104', arrival_date: '2020-02-05' }), 403, 'forbidden');
});

test('a retried create with the same Idempotency-Key stores one person', async () => {
  const body = { doc_number: rid('640106', '19930303', 33), name: '吴七', unit_id: K1.id };
  const h = { headers: { 'Idempotency-Key': 'pp-retry-1' } };
  const a = await admin.post('/api/v1/persons', body, h);
  expectStatus(a, 201);
  const b = await admin.post('/api/v1/persons', body, h);
  expectStatus(b, 201, 'the retry gets the first answer');
  assert.equal(b.headers.get('idempotent-replay'), 'true');
  assert.equal(b.body.id, a.body.id);
});

test('merge of two records found in one screening round counts the person once', async () => {
  const round = await admin.post('/api/v1/rounds', { name: '合并测试轮', unit_id: S.id, start_date: '2020-02-10' });
  expectStatus(round, 201, 'round');
  const hh4 = (await admin.post('/api/v1/households', { unit_id: K1.id, address: '8号楼801' })).body;
  const A = rid('640106', '19770707', 77);
  const v = await admin.post('/api/v1/visits', {
    round_id: round.body.id, household_id: hh4.id, method: 'door', result: 'visited', client_id: 'pp-merge-visit',
    persons: [{ doc_type: 'resident_id', doc_number: A, name: '钱七' }, { doc_type: 'passport', doc_number: 'P7777777', name: '钱七' }],
  });
  expectStatus(v, 201, 'visit finding both records');
  const n = async (q) => Number((await sql(srv.db, q)).trim());
  const cov = (u) => n(`SELECT persons FROM round_coverage WHERE round_id = ${round.body.id} AND unit_id = ${u}`);
  assert.deepEqual([await cov(K1.id), await cov(S.id)], [2, 2]);
  const a = (await admin.get(`/api/v1/persons?q=${A}`)).body.items[0];
  const b = (await admin.get('/api/v1/persons?q=P7777777')).body.items[0];
  expectStatus(await admin.post(`/api/v1/persons/${a.id}/merge`, { other_id: b.id }), 200, 'merge');
  assert.deepEqual([await cov(K1.id), await cov(C.id), await cov(S.id)], [1, 1, 1], 'counted once at every level');
  assert.equal(await n(`SELECT COUNT(*) FROM round_persons WHERE round_id = ${round.body.id}`), 1);
  assert.equal(await n(`SELECT COUNT(*) FROM visit_persons WHERE visit_id = ${v.body.id}`), 1);
  const card = (await admin.get(`/api/v1/persons/${a.id}`)).body;
  assert.deepEqual(card.visits.map((x) => x.id), [v.body.id]);
  assert.equal(card.visits[0].round_name, '合并测试轮');
  const h = (await admin.get(`/api/v1/households/${hh4.id}`)).body;
  assert.equal(h.members, 1, 'the household counts one member');
  assert.deepEqual(h.visits.map((x) => x.id), [v.body.id]);

  // a later visit names the merged document again: the surviving record is updated, nothing counted twice
  const v2 = await admin.post('/api/v1/visits', {
    round_id: round.body.id, household_id: hh4.id, method: 'phone', result: 'visited', client_id: 'pp-merge-visit-2',
    persons: [{ doc_type: 'passport', doc_number: 'P7777777', name: '钱七', phone: '13511112222' }],
  });
  expectStatus(v2, 201, 'second visit');
  const after2 = (await admin.get(`/api/v1/persons/${a.id}`)).body;
  assert.equal(after2.phone, '135****2222', 'the survivor took the phone');
  assert.equal((await admin.get(`/api/v1/households/${hh4.id}`)).body.members, 1, 'still one member');
  assert.equal(await cov(K1.id), 1, 'still one person in the round');
  assert.equal(await n(`SELECT COUNT(*) FROM persons WHERE merged_into IS NULL AND household_id = ${hh4.id}`), 1);
});

test('an other document is kept as typed and matched on its key (upper case, no spaces, full-width folded)', async () => {
  const res = await admin.post('/api/v1/persons', { doc_type: 'passport', doc_number: ' e 2345 6789 ', name: 'Jane Roe', unit_id: K2.id });
  const p = expectStatus(res, 201, 'passport as typed').body;
  assert.equal(p.doc_number, 'E23456789', 'the match key');
  const card = expectStatus(await admin.get(`/api/v1/persons/${p.id}?reveal=1`), 200).body;
  assert.equal(card.doc_typed, 'e 2345 6789', 'the form typed is kept');
  assert.equal(await sql(srv.db, `SELECT doc_typed FROM persons WHERE id = ${p.id}`), 'e 2345 6789\n');
  // The same document typed another way is the same person.
  expectError(await admin.post('/api/v1/persons', { doc_type: 'passport', doc_number: 'Ｅ２３４５６７８９', name: 'Jane Roe', unit_id: K2.id }), 409, 'conflict', 'doc_number');
  for (const q of ['e 2345 6789', 'E23456789', 'Ｅ２３４５６７８９']) {
    const found = expectStatus(await admin.get(`/api/v1/persons?q=${encodeURIComponent(q)}`), 200, q).body.items;
    assert.deepEqual(found.map((x) => x.id), [p.id], `search ${q}`);
  }
  // A number typed as its key keeps no second form.
  const k = expectStatus(await admin.post('/api/v1/persons', { doc_type: 'passport', doc_number: 'G98765432', name: 'Max Roe', unit_id: K2.id }), 201).body;
  assert.equal(expectStatus(await admin.get(`/api/v1/persons/${k.id}?reveal=1`), 200).body.doc_typed, undefined);
});

test('a household is found by its address typed either way: 1-1-101 and 1号楼1单元101', async () => {
  const a = expectStatus(await admin.post('/api/v1/households', { unit_id: K2.id, address: '7号楼1单元101' }), 201, 'stored with 号楼').body;
  const b = expectStatus(await admin.post('/api/v1/households', { unit_id: K2.id, address: '8-2-302' }), 201, 'stored with dashes').body;
  const ids = async (q) => expectStatus(await admin.get(`/api/v1/households?unit_id=${K2.id}&q=${encodeURIComponent(q)}`), 200, q).body.items.map((x) => x.id);
  assert.deepEqual(await ids('7-1-101'), [a.id]);
  assert.deepEqual(await ids('7号楼1单元101'), [a.id]);
  assert.deepEqual(await ids('8号楼2单元302'), [b.id]);
  assert.deepEqual(await ids('8-2-302'), [b.id]);
  assert.deepEqual(await ids('7-1'), [a.id], 'a building and entrance');
  assert.deepEqual(await ids('9-9-999'), []);
});

test('arrivals by grade per day: one row a day in order, adding up to the by-unit total; a bad `by` is 400', async () => {
  const byUnit = expectStatus(await admin.get(`/api/v1/arrivals/by-grade?unit_id=${S.id}`), 200).body.items;
  const total = byUnit.find((r) => r.is_total);
  const days = expectStatus(await admin.get(`/api/v1/arrivals/by-grade?unit_id=${S.id}&by=day`), 200).body.items;
  assert.ok(days.length >= 1, 'the suite recorded arrivals');
  assert.deepEqual(days.map((d) => d.day), [...days.map((d) => d.day)].sort(), 'in day order');
  assert.equal(new Set(days.map((d) => d.day)).size, days.length, 'one row a day');
  for (const g of ['severe', 'heavy', 'other_province', 'local', 'total', 'centralized', 'home']) {
    assert.equal(days.reduce((n, d) => n + d[g], 0), total[g], g);
  }
  const one = days[0].day;
  const only = expectStatus(await admin.get(`/api/v1/arrivals/by-grade?unit_id=${S.id}&by=day&since=${one}&until=${one}`), 200).body.items;
  assert.deepEqual(only.map((d) => d.day), [one]);
  expectError(await admin.get(`/api/v1/arrivals/by-grade?unit_id=${S.id}&by=week`), 400, 'invalid', 'by');
  const x = await admin.get(`/api/v1/arrivals/by-grade?unit_id=${S.id}&by=day&format=xlsx`);
  assert.equal(x.status, 200);
});
