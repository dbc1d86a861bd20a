// Imports of big-data lists: POST /api/v1/imports/persons with a CSV body in
// UTF-8 (with BOM) or GB18030, good and bad rows with line-numbered rejects
// (in the answer and in rejects.csv), re-imports that update and never
// duplicate, compounds by name and by code within scope, persons without a
// compound placed unlocated at the importer's scope, quoting, CRLF and blank
// lines, arrivals graded, the refusals (no header, not text, too large, no
// permission), the batch list, and the same import from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, sql,
  rawRequest, cordon, assertNoSanitizer,
} from './lib.mjs';

let srv;
let admin;
let officer; // scope: sub-district A
let grid;    // a grid worker: no import permission
const U = {};

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid resident ID from its address code, birth date (YYYYMMDD) and sequence. */
function rid(code, birth, seq) {
  const s17 = `${code}${birth}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s17[i]) * W[i];
  return s17 + '10X98765432'[sum % 11];
}
/** The same number with a wrong check character. */
function badCheck(id) {
  return id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
}
const gb18030 = (text) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: Buffer.from(text, 'utf8') });
const CSV = { type: 'text/csv; charset=utf-8' };

async function importCsv(client, body, source = 'test', extra = '') {
  return client.post(`/api/v1/imports/persons?source=${encodeURIComponent(source)}${extra}`, body, CSV);
}

async function one(statement) {
  return (await sql(srv.db, statement)).trim();
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  const d = admin.root;
  U.d = d;
  U.A = await mkUnit(admin, d.id, 'subdistrict', 'IM-A', '导入甲街道');
  U.A1 = await mkUnit(admin, U.A.id, 'community', 'IM-A1', '导入甲一社区');
  U.A1a = await mkUnit(admin, U.A1.id, 'compound', 'IM-A1a', '春华苑');
  U.A1b = await mkUnit(admin, U.A1.id, 'compound', 'IM-A1b', '秋实苑');
  U.B = await mkUnit(admin, d.id, 'subdistrict', 'IM-B', '导入乙街道');
  U.B1 = await mkUnit(admin, U.B.id, 'community', 'IM-B1', '导入乙一社区');
  U.B1a = await mkUnit(admin, U.B1.id, 'compound', 'IM-B1a', '冬藏苑');
  officer = await userClient(srv, admin, { username: 'officer.imp', role: 'officer', scope_unit_id: U.A.id });
  grid = await userClient(srv, admin, { username: 'grid.imp', role: 'grid_worker', scope_unit_id: U.A1a.id });
});

after(async () => {
  await srv?.stop();
});

test('a UTF-8 list with BOM: good rows stored, bad rows rejected by line number, quoting, CRLF and blank lines handled', async () => {
  const good1 = rid('640106', '19800101', 11);
  const good2 = rid('640106', '19900215', 22);
  const good3 = rid('420102', '19751111', 33);
  const lines = [
    '姓名,身份证号,手机,来源地,抵达日期,交通方式,小区,地址',                 // 1
    `张一,${good1},138 1234 5601,湖北省武汉市,2020-01-20,火车,春华苑,1号楼1单元101`, // 2
    '',                                                                         // 3 blank
    `"李,二",${good2},+8613812345602,,,,IM-A1b,"2号楼\r\n2单元202"`,             // 4-5 (quoted comma and newline)
    `王三,${badCheck(good3)},13812345603,,,,,`,                                  // 6 bad check character
    `  赵四  , ${good3} ,,武汉,2020/1/22,自驾,,`,                                // 7 stray spaces
    `钱五,${rid('640106', '19850505', 55)},12345,,,,,`,                         // 8 bad phone
    `孙六,${rid('640106', '19850606', 66)},,火星,2020-01-25,,,`,                // 9 unknown origin
    `周七,${rid('640106', '19850707', 77)},,,,,没有这个小区,`,                   // 10 unknown compound
    `吴八,${rid('640106', '19850808', 88)},,,,,冬藏苑,`,                         // 11 compound outside? (admin: in scope)
    '   ',                                                                      // 12 blank (spaces)
    ',,,,,,,',                                                                  // 13 empty cells only
    `郑九,${rid('640106', '19850909', 99)},,湖北省武汉市,,,,`,                   // 14 origin without date
  ];
  const body = '\ufeff' + lines.join('\r\n') + '\r\n';
  const res = await importCsv(admin, body, 'telecom');
  expectStatus(res, 200, 'import');
  const r = res.body;
  assert.equal(r.encoding, 'utf-8');
  assert.ok(r.batch_id > 0, `batch_id in ${show(res)}`);
  assert.equal(r.created, 4, `created in ${show(res)}`);
  assert.equal(r.updated, 0);
  assert.equal(r.rejected, 5, `rejected in ${show(res)}`);
  const byLine = Object.fromEntries(r.rejects.map((x) => [x.line, x.reason]));
  assert.deepEqual(Object.keys(byLine).map(Number).sort((a, b) => a - b), [6, 8, 9, 10, 14], JSON.stringify(r.rejects));
  assert.match(byLine[6], /身份证号.*check character should be/);
  assert.match(byLine[8], /手机/);
  assert.match(byLine[9], /火星.*not a known place/);
  assert.match(byLine[10], /compound "没有这个小区" not found/);
  assert.match(byLine[14], /抵达日期/);

  // Stored: 张一 located in 春华苑 with a household, an arrival graded.
  const p1 = (await one(`SELECT name, unit_id, located, phone, source, source_id FROM persons WHERE doc_number = '${good1}'`)).split('|');
  assert.deepEqual(p1, ['张一', String(U.A1a.id), '1', '13812345601', 'import', String(r.batch_id)]);
  const hh = (await one(`SELECT h.address, h.unit_id, h.members, h.status FROM persons p JOIN households h ON h.id = p.household_id WHERE p.doc_number = '${good1}'`)).split('|');
  assert.deepEqual(hh, ['1号楼1单元101', String(U.A1a.id), '1', 'occupied']);
  const arr = (await one(`SELECT origin_code, arrival_date, mode, grade, handling FROM arrivals a JOIN persons p ON p.id = a.person_id WHERE p.doc_number = '${good1}'`)).split('|');
  assert.deepEqual(arr, ['420100', '2020-01-20', 'train', 'other_province', 'home']);
  // "李,二" by compound code, the address with its newline kept.
  const p2 = (await one(`SELECT p.name, p.unit_id, p.located, h.address FROM persons p JOIN households h ON h.id = p.household_id WHERE p.doc_number = '${good2}'`));
  assert.equal(p2, `李,二|${U.A1b.id}|1|2号楼 2单元202`, 'a line break inside an address becomes a space');
  // No compound: at the importer's scope (the district), not located; stray spaces trimmed.
  const p3 = (await one(`SELECT name, unit_id, located FROM persons WHERE doc_number = '${good3}'`)).split('|');
  assert.deepEqual(p3, ['赵四', String(U.d.id), '0']);
  // The batch keeps its counts and source.
  const b = (await one(`SELECT kind, source, encoding, created, updated, rejected, unit_id FROM import_batches WHERE id = ${r.batch_id}`)).split('|');
  assert.deepEqual(b, ['persons', 'telecom', 'utf-8', '4', '0', '5', String(U.d.id)]);
  // unit_households counts follow: the compound has its household and person.
  const uh = (await one(`SELECT households, persons FROM unit_households WHERE unit_id = ${U.A1a.id}`)).split('|');
  assert.deepEqual(uh, ['1', '1']);

  // The rejects as CSV: a header, each bad line with its reason and the row as it was.
  const csv = await admin.get(`/api/v1/imports/${r.batch_id}/rejects.csv`);
  expectStatus(csv, 200, 'rejects.csv');
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const text = csv.text.replace(/^\ufeff/, '');
  const rows = text.trim().split('\r\n');
  assert.match(rows[0], /^line,reason,姓名,身份证号/);
  assert.equal(rows.length, 6, text);
  assert.match(rows[1], /^6,"?身份证号: check character should be/);
  assert.ok(rows.some((x) => x.startsWith('10,') && x.includes('没有这个小区')), text);
});

test('a GB18030 list (Excel on Chinese Windows) is detected, stored right and reported', async () => {
  const a = rid('640106', '19700303', 101);
  const b = rid('640106', '19700404', 102);
  const text = ['姓名,身份证号,手机号,小区', `欧阳娜娜,${a},13900000001,秋实苑`, `司马懿,${badCheck(b)},,`, ''].join('\r\n');
  const bytes = gb18030(text);
  assert.ok(!bytes.equals(Buffer.from(text, 'utf8')), 'the test file is really GB18030');
  const res = await importCsv(admin, bytes, 'travel');
  expectStatus(res, 200, 'gb18030 import');
  assert.equal(res.body.encoding, 'gb18030');
  assert.equal(res.body.created, 1);
  assert.equal(res.body.rejected, 1);
  assert.equal(res.body.rejects[0].line, 3);
  assert.match(res.body.rejects[0].reason, /^身份证号: check character/);
  assert.equal(await one(`SELECT name FROM persons WHERE doc_number = '${a}'`), '欧阳娜娜');
  const csv = await admin.get(`/api/v1/imports/${res.body.batch_id}/rejects.csv`);
  assert.match(csv.text, /司马懿/);
});

test('a re-import updates and never duplicates; a number twice in one file updates the first', async () => {
  const a = rid('640106', '19660606', 201);
  const b = rid('640106', '19670707', 202);
  const first = ['姓名,身份证号,手机', `甲,${a},13700000001`, `乙,${b},`].join('\n');
  const r1 = await importCsv(admin, first);
  expectStatus(r1, 200, 'first');
  assert.deepEqual([r1.body.created, r1.body.updated, r1.body.rejected], [2, 0, 0]);
  // The same people again, one with a new phone, one listed twice (lower-case x is the same number).
  const second = ['name,id_number,phone', `甲,${a},13700000009`, `乙,${b},`, `乙二,${b.toLowerCase()},13700000002`].join('\n');
  const r2 = await importCsv(admin, second);
  expectStatus(r2, 200, 'second');
  assert.deepEqual([r2.body.created, r2.body.updated, r2.body.rejected], [0, 3, 0], show(r2));
  assert.equal(await one(`SELECT COUNT(*) FROM persons WHERE doc_number IN ('${a}', '${b}')`), '2');
  assert.equal(await one(`SELECT phone FROM persons WHERE doc_number = '${a}'`), '13700000009');
  // Another name for a registered document is not a silent rename (issue 9 §1):
  // the phone is applied, the name handed to confirm.
  assert.equal(await one(`SELECT name || '/' || phone FROM persons WHERE doc_number = '${b}'`), '乙/13700000002');
  assert.deepEqual([r2.body.discrepancies, r2.body.held, r2.body.to_confirm.map((x) => `${x.line}:${x.kind}`)], [1, 0, ['4:name']], show(r2));
  // Where the change came from: a fact with the second batch.
  assert.equal(await one(`SELECT f.source || '/' || f.source_id FROM person_facts f JOIN persons p ON p.id = f.person_id WHERE p.doc_number = '${a}' AND f.field = 'phone' AND f.value = '13700000009'`),
    `import/${r2.body.batch_id}`);
});

test('the card of an imported person tells where each fact came from, before and after a change', async () => {
  const a = rid('640106', '19680808', 211);
  const r1 = await importCsv(admin, `姓名,身份证号,手机,小区,地址\n丙,${a},13700000021,春华苑,9号楼901\n`, 'travel');
  expectStatus(r1, 200, 'import');
  const id = Number(await one(`SELECT id FROM persons WHERE doc_number = '${a}'`));
  const hh = await one(`SELECT household_id FROM persons WHERE id = ${id}`);
  const facts = async () => (await admin.get(`/api/v1/persons/${id}?reveal=1`)).body.facts
    .map((f) => `${f.field}=${f.value} ${f.source}/${f.source_id}`);
  const created = [`household_id=${hh} import/${r1.body.batch_id}`, `phone=13700000021 import/${r1.body.batch_id}`,
    `name=丙 import/${r1.body.batch_id}`];
  assert.deepEqual(await facts(), created, 'newest first: what the batch gave');
  const card = (await admin.get(`/api/v1/persons/${id}`)).body;
  assert.equal(card.facts.find((f) => f.field === 'phone').value, '137****0021', 'masked without reveal');
  assert.ok(card.facts.every((f) => typeof f.at === 'number' && f.at === card.created_at));
  // A change by hand, then a later list: the batch's facts stay as they were given.
  expectStatus(await admin.patch(`/api/v1/persons/${id}`, { phone: '13700000022' }), 200, 'patch');
  assert.deepEqual(await facts(), ['phone=13700000022 manual/null', ...created]);
  const r2 = await importCsv(admin, `姓名,身份证号,手机\n丙丙,${a},13700000023\n`, 'telecom');
  expectStatus(r2, 200, 're-import');
  // The phone is applied; another name waits for confirmation (issue 9 §1).
  assert.deepEqual(await facts(), [`phone=13700000023 import/${r2.body.batch_id}`,
    'phone=13700000022 manual/null', ...created]);
  assert.equal(r2.body.to_confirm[0].kind, 'name');
  expectStatus(await admin.post(`/api/v1/discrepancies/${r2.body.to_confirm[0].discrepancy_id}/confirm`, {}), 200, 'confirm');
  assert.deepEqual((await facts()).slice(0, 2), [`name=丙丙 import/${r2.body.batch_id}`, `phone=13700000023 import/${r2.body.batch_id}`],
    'confirmed: the name is a fact of the batch that gave it');
});

test('an officer: compounds by name and code in scope, one outside scope rejected, no compound column means unlocated at the scope', async () => {
  const a = rid('640106', '19880808', 301);
  const b = rid('640106', '19880809', 302);
  const c = rid('640106', '19880810', 303);
  const withCompound = ['姓名,身份证号,小区,地址', `一,${a},春华苑,3号楼301`, `二,${b},IM-A1b,`, `三,${c},冬藏苑,`].join('\n');
  const r = await importCsv(officer, withCompound, 'visit-list');
  expectStatus(r, 200, 'officer import');
  assert.deepEqual([r.body.created, r.body.rejected], [2, 1], show(r));
  assert.equal(r.body.rejects[0].line, 4);
  assert.match(r.body.rejects[0].reason, /冬藏苑.*not found/);
  assert.equal(await one(`SELECT unit_id || '/' || located FROM persons WHERE doc_number = '${a}'`), `${U.A1a.id}/1`);
  assert.equal(await one(`SELECT unit_id || '/' || located || '/' || COALESCE(household_id, 0) FROM persons WHERE doc_number = '${b}'`), `${U.A1b.id}/1/0`);
  assert.equal(await one(`SELECT COUNT(*) FROM persons WHERE doc_number = '${c}'`), '0');
  // A telecom list: names, numbers, phones only.
  const d = rid('640106', '19990101', 304);
  const r2 = await importCsv(officer, `姓名,身份证号,手机,地址\n四,${d},13600000004,某路8号\n`, 'telecom');
  expectStatus(r2, 200, 'no compound column');
  assert.equal(r2.body.created, 1);
  assert.equal(await one(`SELECT unit_id || '/' || located || '/' || COALESCE(household_id, 0) FROM persons WHERE doc_number = '${d}'`), `${U.A.id}/0/0`);
  // The address without a compound is kept as a fact for the screening visit.
  assert.equal(await one(`SELECT f.value FROM person_facts f JOIN persons p ON p.id = f.person_id WHERE p.doc_number = '${d}' AND f.field = 'address'`), '某路8号');
  // The batch is the officer's, at the officer's scope.
  assert.equal(await one(`SELECT unit_id FROM import_batches WHERE id = ${r2.body.batch_id}`), String(U.A.id));
});

test('a compound name two compounds share is refused with a request for the code', async () => {
  const A2 = await mkUnit(admin, U.A.id, 'community', 'IM-A2', '导入甲二社区');
  const x = await mkUnit(admin, U.A1.id, 'compound', 'IM-DUP1', '重名苑');
  await mkUnit(admin, A2.id, 'compound', 'IM-DUP2', '重名苑');
  const a = rid('640106', '19891010', 311);
  const b = rid('640106', '19891011', 312);
  const r = await importCsv(officer, `姓名,身份证号,小区\n甲,${a},重名苑\n乙,${b},IM-DUP1\n`);
  expectStatus(r, 200, 'import');
  assert.deepEqual([r.body.created, r.body.rejected], [1, 1], show(r));
  assert.equal(r.body.rejects[0].line, 2);
  assert.match(r.body.rejects[0].reason, /several compounds are named "重名苑"; give its code/);
  assert.equal(await one(`SELECT unit_id FROM persons WHERE doc_number = '${b}'`), String(x.id));
});

test('a person registered outside the importer\'s scope is held, not changed, and handed to their unit (issue 9 §1)', async () => {
  const e = rid('640106', '19770707', 401);
  expectStatus(await importCsv(admin, `姓名,身份证号,小区,地址\n外,${e},冬藏苑,1栋\n`), 200, 'admin places the person in B');
  const homeBefore = await one(`SELECT unit_id || '/' || household_id FROM persons WHERE doc_number = '${e}'`);
  const r = await importCsv(officer, `姓名,身份证号,手机,来源地,抵达日期,小区,地址\n外改,${e},13500000001,湖北省武汉市,2020-01-21,春华苑,9号楼909\n`);
  expectStatus(r, 200, 'officer import');
  assert.deepEqual([r.body.created, r.body.updated, r.body.rejected, r.body.held, r.body.discrepancies], [0, 0, 0, 1, 1], show(r));
  assert.equal(r.body.to_confirm.length, 1);
  assert.deepEqual({ ...r.body.to_confirm[0], discrepancy_id: 0 }, { line: 2, kind: 'out_of_scope', held: true, discrepancy_id: 0 });
  assert.ok(!JSON.stringify(r.body).includes('外'), `the answer names nobody: ${show(r)}`);
  // Nothing of theirs changed: name, phone, place, no arrival.
  assert.equal(await one(`SELECT name || '/' || COALESCE(phone, '-') FROM persons WHERE doc_number = '${e}'`), '外/-');
  assert.equal(await one(`SELECT unit_id || '/' || household_id FROM persons WHERE doc_number = '${e}'`), homeBefore);
  assert.equal(await one(`SELECT COUNT(*) FROM arrivals a JOIN persons p ON p.id = a.person_id WHERE p.doc_number = '${e}'`), '0');
  // The household the row named exists (the discrepancy points at it), nobody on record there.
  assert.equal(await one(`SELECT status || '/' || members FROM households WHERE unit_id = ${U.A1a.id} AND address = '9号楼909'`), 'unknown/0');
  // Their unit's officers see what the list said; the importer does not.
  const bOfficer = await userClient(srv, admin, { username: 'officer.imp.b', role: 'officer', scope_unit_id: U.B.id });
  const pid = Number(await one(`SELECT id FROM persons WHERE doc_number = '${e}'`));
  const list = expectStatus(await bOfficer.get(`/api/v1/discrepancies?person_id=${pid}`), 200).body.items;
  assert.equal(list.length, 1, JSON.stringify(list));
  const d = list[0];
  assert.deepEqual([d.id, d.kind, d.source, d.source_id, d.seen_name, d.seen_unit_id, d.seen_household_address, d.origin_code, d.arrival_date, d.seen_by],
    [r.body.to_confirm[0].discrepancy_id, 'out_of_scope', 'import', r.body.batch_id, '外改', U.A1a.id, '9号楼909', '420100', '2020-01-21', officer.account.id]);
  assert.equal(d.seen_phone, '135****0001');
  assert.equal((await officer.get(`/api/v1/discrepancies?person_id=${pid}`)).body.items.length, 0, 'not the importer\'s to see');
});

test('in scope, an import neither renames nor moves a located person: a discrepancy to confirm, the rest applied (issue 9 §1)', async () => {
  const p = rid('640106', '19760606', 411);
  const r1 = await importCsv(officer, `姓名,身份证号,手机,小区,地址\n林一,${p},13600000011,春华苑,5号楼501\n`);
  expectStatus(r1, 200, 'first import');
  const home = (await one(`SELECT unit_id || '/' || household_id FROM persons WHERE doc_number = '${p}'`));
  assert.equal(home.split('/')[0], String(U.A1a.id));
  // Another name and another compound: neither applied; the phone and arrival are.
  const r2 = await importCsv(officer, `姓名,身份证号,手机,来源地,抵达日期,小区,地址\n林改,${p},13600000012,湖北省武汉市,2020-01-22,IM-A1b,6号楼601\n`);
  expectStatus(r2, 200, 'second import');
  assert.deepEqual([r2.body.created, r2.body.updated, r2.body.rejected, r2.body.held, r2.body.discrepancies], [0, 1, 0, 0, 1], show(r2));
  assert.equal(r2.body.to_confirm[0].kind, 'name');
  assert.equal(await one(`SELECT name || '/' || phone || '/' || unit_id || '/' || household_id FROM persons WHERE doc_number = '${p}'`),
    `林一/13600000012/${home}`);
  assert.equal(await one(`SELECT COUNT(*) FROM arrivals a JOIN persons p ON p.id = a.person_id WHERE p.doc_number = '${p}'`), '1');
  assert.equal(await one(`SELECT status || '/' || members FROM households WHERE unit_id = ${U.A1b.id} AND address = '6号楼601'`), 'unknown/0');
  // The same name in another household of the same compound: a household discrepancy.
  const r3 = await importCsv(officer, `姓名,身份证号,小区,地址\n林一,${p},春华苑,7号楼701\n`);
  assert.deepEqual([r3.body.updated, r3.body.discrepancies, r3.body.to_confirm[0]?.kind], [1, 1, 'household'], show(r3));
  assert.equal(await one(`SELECT unit_id || '/' || household_id FROM persons WHERE doc_number = '${p}'`), home);
  // The same row again changes nothing and asks nothing.
  const r4 = await importCsv(officer, `姓名,身份证号,小区,地址\n林一,${p},春华苑,5号楼501\n`);
  assert.deepEqual([r4.body.updated, r4.body.discrepancies, r4.body.to_confirm], [1, 0, []], show(r4));
  // The officer confirms the first: the name and the household are applied.
  const d = expectStatus(await officer.post(`/api/v1/discrepancies/${r2.body.to_confirm[0].discrepancy_id}/confirm`, {}), 200, 'confirm').body;
  assert.equal(d.status, 'confirmed');
  assert.equal(await one(`SELECT p.name || '/' || p.unit_id || '/' || h.address || '/' || h.members || '/' || h.status FROM persons p JOIN households h ON h.id = p.household_id WHERE p.doc_number = '${p}'`),
    `林改/${U.A1b.id}/6号楼601/1/occupied`);
  // A person only known from a list (not located) is placed by a later list, no question asked.
  const q = rid('640106', '19760607', 412);
  expectStatus(await importCsv(officer, `姓名,身份证号,手机\n林二,${q},13600000013\n`), 200);
  const r5 = await importCsv(officer, `姓名,身份证号,小区,地址\n林二,${q},春华苑,8号楼801\n`);
  assert.deepEqual([r5.body.updated, r5.body.discrepancies], [1, 0], show(r5));
  assert.equal(await one(`SELECT p.unit_id || '/' || p.located || '/' || h.address FROM persons p JOIN households h ON h.id = p.household_id WHERE p.doc_number = '${q}'`),
    `${U.A1a.id}/1/8号楼801`);
});

test('the batches are listed (newest first) and exported; rejects.csv follows scope', async () => {
  const list = await admin.get('/api/v1/imports');
  expectStatus(list, 200, 'list');
  assert.ok(list.body.items.length >= 5, show(list));
  const ids = list.body.items.map((x) => x.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  const top = list.body.items[0];
  for (const k of ['id', 'kind', 'source', 'filename', 'encoding', 'created', 'updated', 'rejected', 'created_by', 'created_at']) {
    assert.ok(k in top, `batch has ${k}: ${JSON.stringify(top)}`);
  }
  assert.equal(top.created_by, officer.account.id ?? top.created_by);
  // Paging by cursor.
  const p1 = await admin.get('/api/v1/imports?limit=2');
  assert.equal(p1.body.items.length, 2);
  const p2 = await admin.get(`/api/v1/imports?limit=2&after=${p1.body.next}`);
  assert.ok(p2.body.items[0].id < p1.body.items[1].id);
  // The officer sees only the batches of their scope.
  const mine = await officer.get('/api/v1/imports');
  expectStatus(mine, 200, 'officer list');
  assert.ok(mine.body.items.length >= 1);
  for (const b of mine.body.items) assert.equal(b.unit_id, U.A.id);
  const adminBatch = list.body.items.find((b) => b.unit_id === U.d.id);
  expectError(await officer.get(`/api/v1/imports/${adminBatch.id}/rejects.csv`), 404, 'not_found', undefined, 'another scope');
  expectError(await admin.get('/api/v1/imports/999999/rejects.csv'), 404, 'not_found', undefined, 'missing');
  const csv = await admin.get('/api/v1/imports?format=csv');
  expectStatus(csv, 200, 'export');
  assert.match(csv.text, /来源/);
  assert.match(csv.text, /telecom/);
});

test('refusals: no recognisable header (400 naming the columns), not text, wrong type, too large, no permission', async () => {
  const nohead = await importCsv(admin, `张三,${rid('640106', '19800101', 501)},13800000000\n李四,x,y\n`);
  const e = expectError(nohead, 400, 'invalid', 'body', 'no header');
  assert.match(e.message, /身份证号\/id_number/);
  assert.match(e.message, /姓名\/name/);
  assert.match(e.message, /小区\/compound/);
  expectError(await importCsv(admin, 'foo,bar\n1,2\n'), 400, 'invalid', 'body', 'unknown columns');
  expectError(await importCsv(admin, ''), 400, 'invalid', 'body', 'empty');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
  expectError(await importCsv(admin, png), 400, 'invalid', 'body', 'binary');
  const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 0xff), Buffer.from([0, 0])]);
  expectError(await importCsv(admin, zip), 400, 'invalid', 'body', 'zip');
  expectError(await admin.post('/api/v1/imports/persons', { a: 1 }), 400, 'invalid', 'Content-Type', 'JSON body');
  expectError(await importCsv(admin, '姓名,身份证号\n', 'x'.repeat(65)), 400, 'invalid', 'source', 'long source');
  // Nothing was kept of a refused import.
  const batches = Number(await one('SELECT COUNT(*) FROM import_batches'));
  expectError(await importCsv(admin, 'a,b\n'), 400, 'invalid', 'body');
  assert.equal(Number(await one('SELECT COUNT(*) FROM import_batches')), batches);

  const big = await rawRequest(srv.base, 'POST', '/api/v1/imports/persons?source=big', {
    headers: {
      'Content-Type': 'text/csv',
      'Content-Length': String(128 * 1024 * 1024 + 1),
      Cookie: admin.cookie,
      'X-CSRF-Token': admin.csrf,
    },
    body: '姓名,身份证号\n',
  });
  assert.equal(big.status, 413, `expected 413, got ${big.status} ${big.text?.slice(0, 200)}`);
  expectStatus(await admin.get('/api/v1/me'), 200, 'after a 413');

  const denied = await importCsv(grid, `姓名,身份证号\n甲,${rid('640106', '19800101', 502)}\n`);
  expectError(denied, 403, 'forbidden', undefined, 'grid worker import');
  expectError(await grid.get('/api/v1/imports'), 403, 'forbidden', undefined, 'grid worker list');
});

test('a title row above the header is skipped; other document types', async () => {
  const a = rid('640106', '19810101', 601);
  const body = ['金凤区返银人员名单（2020年2月）', '', '姓名,证件类型,证件号码,性别,出生日期', `护照人,护照,e1234567,男,1970-01-01`, `身份证人,居民身份证,${a},,`, `坏类型,驾驶证,123456,,`].join('\n');
  const r = await importCsv(admin, body);
  expectStatus(r, 200, 'title row');
  assert.deepEqual([r.body.created, r.body.rejected], [2, 1], show(r));
  assert.equal(r.body.rejects[0].line, 6);
  assert.match(r.body.rejects[0].reason, /证件类型/);
  assert.equal(await one("SELECT doc_type || '/' || sex || '/' || birth_date FROM persons WHERE doc_number = 'E1234567'"), 'passport/M/1970-01-01');
});

test('the command line: import persons FILE prints the counts and exits 0; an unreadable or non-CSV file exits non-zero', async () => {
  const dir = await fs.mkdtemp(path.join(srv.dir ?? '/tmp', 'imp-'));
  const file = path.join(dir, 'list.csv');
  const a = rid('640106', '19720202', 701);
  const lines = ['姓名,身份证号,手机,小区'];
  lines.push(`命令行一,${a},13300000001,IM-A1a`);
  lines.push(`命令行二,${badCheck(rid('640106', '19720203', 702))},,`);
  await fs.writeFile(file, gb18030(lines.join('\r\n') + '\r\n'));
  const out = await cordon(['import', 'persons', file, '--source', 'cli-list', ...srv.dbArgs]);
  assertNoSanitizer(out, 'cordon import persons');
  assert.equal(out.code, 0, `exit ${out.code}: ${out.stderr}`);
  const last = out.stdout.trim().split('\n').pop();
  assert.equal(last, 'created 1, updated 0, rejected 1');
  assert.match(out.stderr, /line 3: 身份证号: check character/);
  assert.equal(await one(`SELECT b.source || '/' || b.encoding || '/' || b.filename FROM import_batches b JOIN persons p ON p.source_id = b.id WHERE p.doc_number = '${a}'`), 'cli-list/gb18030/list.csv');
  // The same file again: updated, not duplicated.
  const again = await cordon(['import', 'persons', file, '--source', 'cli-list', ...srv.dbArgs]);
  assert.equal(again.stdout.trim().split('\n').pop(), 'created 0, updated 1, rejected 1');
  // Another name for that document: not applied, handed to confirm.
  const renamed = path.join(dir, 'renamed.csv');
  await fs.writeFile(renamed, `姓名,身份证号\n命令行改,${a}\n`);
  const rn = await cordon(['import', 'persons', renamed, ...srv.dbArgs]);
  assert.equal(rn.code, 0, rn.stderr);
  assert.equal(rn.stdout.trim().split('\n').pop(), 'created 0, updated 1, rejected 0, to confirm 1 (held 0)');
  assert.match(rn.stderr, /line 2: not applied \(name\)/);
  assert.equal(await one(`SELECT name FROM persons WHERE doc_number = '${a}'`), '命令行一');
  // --scope: a compound outside it is not found.
  const scoped = await cordon(['import', 'persons', file, '--scope', String(U.B.id), ...srv.dbArgs]);
  assert.equal(scoped.code, 0, scoped.stderr);
  assert.equal(scoped.stdout.trim().split('\n').pop(), 'created 0, updated 0, rejected 2');
  const missing = await cordon(['import', 'persons', path.join(dir, 'nope.csv'), ...srv.dbArgs]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /cannot read/);
  const bin = path.join(dir, 'sheet.xlsx');
  await fs.writeFile(bin, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(32, 0)]));
  const notCsv = await cordon(['import', 'persons', bin, ...srv.dbArgs]);
  assert.notEqual(notCsv.code, 0);
  assert.match(notCsv.stderr, /not CSV text/);
  const noHeader = path.join(dir, 'nohead.csv');
  await fs.writeFile(noHeader, `张三,${a}\n`);
  const nh = await cordon(['import', 'persons', noHeader, ...srv.dbArgs]);
  assert.notEqual(nh.code, 0);
  assert.match(nh.stderr, /身份证号\/id_number/);
  await fs.rm(dir, { recursive: true, force: true });
});
