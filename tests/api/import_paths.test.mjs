// The two ways an import stores a list give the same records (issue 16):
// on PostgreSQL most rows go by COPY in windows of 5,000 (imports.c), and
// CORDON_IMPORT_ROWWISE=1 makes a server store every row one by one, as
// SQLite does. Two servers on two fresh databases of this suite's backend,
// one of each, take the same lists — new persons, bad rows, a document
// twice in one list, updates of persons and households registered before
// (some only discrepancies to confirm), arrivals, an officer's list with
// persons outside the scope (held), and a list
// longer than a window whose second window repeats documents and
// households of the first — and must answer the same and hold the same
// persons, households, arrivals, facts, discrepancies, counters and batches, compared by
// their natural keys (ids and times aside: the servers import a moment apart). On SQLite the
// first server is told (CORDON_IMPORT_REBUILD_ROWS=1) to treat every list as
// long, so it drops four persons indexes and makes them again after the rows
// (imports.c, defer_indexes), where the second inserts each row's entries:
// the same records, and the same indexes afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, userClient, expectStatus, show, sql } from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function rid(code, birth, seq) {
  const s17 = `${code}${birth}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s17[i]) * W[i];
  return s17 + '10X98765432'[sum % 11];
}
const CSV = { type: 'text/csv; charset=utf-8' };

/** A server with the units and accounts every list needs. */
async function setUp(env) {
  const srv = await startServer({ env });
  const admin = await adminClient(srv);
  const d = admin.root;
  const A = await mkUnit(admin, d.id, 'subdistrict', 'IP-A', '路径甲街道');
  const A1 = await mkUnit(admin, A.id, 'community', 'IP-A1', '路径甲一社区');
  await mkUnit(admin, A1.id, 'compound', 'IP-A1a', '春华苑');
  await mkUnit(admin, A1.id, 'compound', 'IP-A1b', '秋实苑');
  const B = await mkUnit(admin, d.id, 'subdistrict', 'IP-B', '路径乙街道');
  const B1 = await mkUnit(admin, B.id, 'community', 'IP-B1', '路径乙一社区');
  await mkUnit(admin, B1.id, 'compound', 'IP-B1a', '冬藏苑');
  const officer = await userClient(srv, admin, { role: 'officer', scope_unit_id: A.id });
  return { srv, admin, officer };
}

/** What a user could notice of the records, by natural keys. */
async function dump(db) {
  const q = async (s) => (await sql(db, s)).trim();
  const batchNo = (col) => `(SELECT COUNT(*) FROM import_batches b WHERE b.id <= ${col})`;
  return {
    persons: await q(`SELECT p.doc_type, p.doc_number, COALESCE(p.doc_typed, '-'), p.name, COALESCE(p.sex, '-'),
        COALESCE(p.birth_date, '-'), COALESCE(p.phone, '-'), u.code, COALESCE(h.address, '-'), p.located, p.source,
        ${batchNo('p.source_id')}, p.facts_implied, COALESCE(m.doc_number, '-')
      FROM persons p JOIN units u ON u.id = p.unit_id LEFT JOIN households h ON h.id = p.household_id
      LEFT JOIN persons m ON m.id = p.merged_into ORDER BY p.doc_type, p.doc_number`),
    households: await q(`SELECT u.code, h.address, h.status, h.members, h.empty_confirmed
      FROM households h JOIN units u ON u.id = h.unit_id ORDER BY u.code, h.address`),
    arrivals: await q(`SELECT p.doc_number, a.arrival_date, a.origin_code, COALESCE(a.origin_name, '-'), a.mode, a.grade,
        a.handling, COALESCE(r.code, '-'), a.source, ${batchNo('a.source_id')}, u.code
      FROM arrivals a JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = a.unit_id
      LEFT JOIN risk_areas r ON r.id = a.risk_area_id ORDER BY p.doc_number, a.arrival_date, a.origin_code`),
    facts: await q(`SELECT p.doc_number, f.field,
        CASE f.field WHEN 'household_id' THEN (SELECT u.code || '/' || h.address FROM households h
            JOIN units u ON u.id = h.unit_id WHERE CAST(h.id AS TEXT) = f.value)
          WHEN 'unit_id' THEN (SELECT code FROM units WHERE CAST(id AS TEXT) = f.value)
          ELSE f.value END, f.source, ${batchNo('f.source_id')}
      FROM person_facts f JOIN persons p ON p.id = f.person_id ORDER BY p.doc_number, f.id`),
    discrepancies: await q(`SELECT p.doc_number, u.code, d.kind, d.source, ${batchNo('d.source_id')}, COALESCE(su.code, '-'),
        COALESCE((SELECT hu.code || '/' || h.address FROM households h JOIN units hu ON hu.id = h.unit_id
          WHERE h.id = d.seen_household_id), '-'), COALESCE(d.seen_name, '-'), COALESCE(d.seen_phone, '-'),
        COALESCE(d.origin_code, '-'), COALESCE(d.arrival_date, '-'), COALESCE(d.mode, '-'),
        COALESCE((SELECT role FROM users WHERE id = d.seen_by), '-'), d.status
      FROM person_discrepancies d JOIN persons p ON p.id = d.person_id JOIN units u ON u.id = d.unit_id
      LEFT JOIN units su ON su.id = d.seen_unit_id ORDER BY d.id`),
    counters: await q(`SELECT u.code, c.households, c.persons FROM unit_households c
      JOIN units u ON u.id = c.unit_id ORDER BY u.code`),
    arrival_counts: await q(`SELECT u.code, c.arrival_date, c.grade, c.n FROM arrival_counts c
      JOIN units u ON u.id = c.unit_id WHERE c.n <> 0 ORDER BY u.code, c.arrival_date, c.grade`),
    batches: await q(`SELECT u.code, b.kind, b.source, COALESCE(b.filename, '-'), b.encoding, b.created, b.updated,
        b.rejected, COALESCE(b.rejects_csv, '-') FROM import_batches b JOIN units u ON u.id = b.unit_id ORDER BY b.id`),
  };
}

const header = '姓名,身份证号,证件类型,手机,来源地,抵达日期,交通方式,小区,地址';
const P = (i) => rid('640106', '19800101', i);
const Q = (i) => rid('640106', '19900202', i);
const R = (i) => rid('640106', '19700303', i);

// Registered before the lists under test.
const seed = [header,
  `旧一,${P(1)},,13700000001,,,,春华苑,1号楼101`,
  `旧二,${P(2)},,13700000002,武汉,2020-01-20,火车,春华苑,1号楼101`,
  `旧三,${P(3)},,,,,,,`,
  `外人,${P(4)},,13700000004,,,,冬藏苑,5号楼501`,
  `旧五,${P(5)},,13700000005,,,,IP-A1b,2号楼202`,
].join('\n');

// Good, bad, duplicate and updating rows.
const main = [header,
  `新一,${Q(1)},,13800000001,,,,,`,                                    // new, unlocated
  `新二,${Q(2)},,13800000002,湖北省武汉市,2020-01-21,飞机,春华苑,1号楼101`, // new, into a household registered before
  `新三,${Q(3)},,,,,,春华苑,3号楼303`,                                   // new household
  `新四,${Q(4)},,,,,,春华苑,3号楼303`,                                   // the household the row above made
  `新五,${Q(5)},,13800000005,,,,,某路5号`,                               // unlocated address: a fact
  `坏一,${Q(6).slice(0, 17)}0,,,,,,,`,                                   // bad check character
  `坏二,${Q(7)},,12345,,,,,`,                                            // bad phone
  `坏三,${Q(8)},,,火星,2020-01-22,,,`,                                   // unknown origin
  `坏四,${Q(9)},,,,,,没有这个小区,`,                                      // unknown compound
  `,${Q(10)},,,,,,春华苑,4号楼404`,                                       // no name for a new person
  `,${Q(11)},,13800000011,,,,,`,                                         // no name, then the same document named below
  `新十一,${Q(11)},,13800000111,,,,,`,
  `重一,${Q(12)},,13800000012,北京市,2020-01-23,火车,,`,                 // a document twice in one list
  `重一改,${Q(12).toLowerCase()},,13800000112,北京市,2020-01-23,火车,秋实苑,6号楼606`,
  `旧一改,${P(1)},,13700000011,,,,,`,                                    // renamed, new phone
  `旧二,${P(2)},,13700000002,武汉,2020-01-20,火车,春华苑,1号楼101`,     // the same again: nothing changes
  `旧三,${P(3)},,,上海市,2020-02-01,汽车,秋实苑,7号楼707`,              // located now, a new household, an arrival
  `旧五,${P(5)},,13700000005,,,,春华苑,1号楼101`,                       // moved to another compound and household
  `护照人,e 1234 5678,护照,13800000013,,,,,`,                            // another document, as typed
  `护照人二,E12345678,passport,,,,,,`,                                   // the same key again
  `新六,${Q(14)},,13800000014,,,,,`,
].join('\n');

// Arrivals of persons registered before (on PostgreSQL gathered and inserted
// in one statement at the window's end): one new, one already on record, a
// person named twice (the second row reads what the first wrote), and an
// unlocated person given an arrival and then, a row later, a compound, which
// takes the arrival and its count along.
const arrivalsList = [header,
  `旧三,${P(3)},,,北京市,2020-02-02,火车,,`,
  `旧二,${P(2)},,13700000002,武汉,2020-01-20,火车,,`,
  `旧三,${P(3)},,,北京市,2020-02-02,火车,,`,
  `新五,${Q(5)},,,上海市,2020-01-26,飞机,,`,
  `新十一,${Q(11)},,,湖北省武汉市,2020-01-27,汽车,,`,
  `新五,${Q(5)},,,,,,冬藏苑,10号楼1001`,
  `新六,${Q(14)},,,湖北省武汉市,2020-01-27,火车,,`,
].join('\n');

// An officer of sub-district A: a person registered in B is outside the scope.
const officerList = ['姓名,身份证号,手机,小区,地址',
  `外人改,${P(4)},13900000004,,`,
  `官一,${R(1)},13900000001,春华苑,8号楼808`,
  `官二,${R(2)},,冬藏苑,`,
  `新一,${Q(1)},13900000011,秋实苑,9号楼909`,
].join('\n');

// Longer than a window (5,000 rows): the second window names documents and
// households the first one made, and a few registered before.
function longList() {
  const lines = [header];
  for (let i = 0; i < 5200; i++) {
    const doc = rid('640106', `1960${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, i % 1000);
    const again = i >= 5000 ? lines[1 + (i - 5000) * 7].split(',')[1] : doc;
    const compound = i % 3 === 0 ? '春华苑' : i % 3 === 1 ? 'IP-A1b' : '';
    const address = compound && i % 2 ? `${1 + (i % 40)}号楼${1 + (i % 9)}01` : '';
    const arrival = i % 10 === 0 ? `武汉,2020-01-${String(10 + (i % 15)).padStart(2, '0')},火车` : ',,';
    const who = i === 5100 ? P(3) : i === 5150 ? Q(2) : again;
    lines.push(`长${i},${who},,13${String(600000000 + i)},${arrival},${compound},${address}`);
  }
  return lines.join('\n');
}

/** The two dumps are equal; else the lines each has that the other lacks. */
function same(a, b) {
  for (const k of Object.keys(a)) {
    if (a[k] === b[k]) continue;
    const la = a[k].split('\n');
    const lb = b[k].split('\n');
    const onlyA = la.filter((l) => !lb.includes(l)).slice(0, 10);
    const onlyB = lb.filter((l) => !la.includes(l)).slice(0, 10);
    assert.fail(`${k} differ (${la.length} and ${lb.length} lines)\nby COPY only:\n${onlyA.join('\n')}\nrow by row only:\n${onlyB.join('\n')}`);
  }
}

let fast;
let rowwise;

before(async () => {
  fast = await setUp({ CORDON_IMPORT_REBUILD_ROWS: '1' });
  rowwise = await setUp({ CORDON_IMPORT_ROWWISE: '1' });
});

after(async () => {
  await fast?.srv.stop();
  await rowwise?.srv.stop();
});

/** Imports body as who ('admin' or 'officer') on both servers; returns both answers' bodies. */
async function both(who, body, source) {
  const out = [];
  for (const s of [fast, rowwise]) {
    const r = await s[who].post(`/api/v1/imports/persons?source=${source}`, body, CSV);
    expectStatus(r, 200, `${source} on ${s === fast ? 'the default server' : 'the row-by-row server'}`);
    const { batch_id: _, ...rest } = r.body;
    rest.to_confirm = (rest.to_confirm || []).map(({ discrepancy_id: __, ...t }) => t);
    out.push(rest);
  }
  assert.deepEqual(out[0], out[1], `${source}: the same answer`);
  return out[0];
}

test('good, bad, duplicate and updating rows: the same answers and the same records either way', async () => {
  const s = await both('admin', seed, 'seed');
  assert.deepEqual([s.created, s.updated, s.rejected], [5, 0, 0], JSON.stringify(s));
  const m = await both('admin', main, 'main');
  assert.deepEqual([m.rows, m.created, m.updated, m.rejected], [21, 9, 6, 6], JSON.stringify(m));
  const o = await both('officer', officerList, 'officer');
  assert.deepEqual([o.created, o.updated, o.rejected, o.held], [1, 0, 1, 2], JSON.stringify(o));
  assert.deepEqual(o.to_confirm.map((t) => t.kind), ['out_of_scope', 'out_of_scope']);
  same(await dump(fast.srv.db), await dump(rowwise.srv.db));
});

test('arrivals of persons registered before: the same records and counts either way', async () => {
  const a = await both('admin', arrivalsList, 'arrivals');
  assert.deepEqual([a.rows, a.created, a.updated, a.rejected], [7, 0, 7, 0], JSON.stringify(a));
  same(await dump(fast.srv.db), await dump(rowwise.srv.db));
  const moved = (await sql(fast.srv.db, `SELECT u.code FROM arrivals a JOIN persons p ON p.id = a.person_id
    JOIN units u ON u.id = a.unit_id WHERE p.doc_number = '${Q(5)}'`)).trim();
  assert.equal(moved, 'IP-B1a', 'the arrival went along to the compound');
});

test('a list longer than a window: the same records either way', async () => {
  const l = await both('admin', longList(), 'long');
  assert.equal(l.rows, 5200);
  assert.ok(l.updated >= 200, JSON.stringify({ ...l, rejects: l.rejects.slice(0, 3) }));
  same(await dump(fast.srv.db), await dump(rowwise.srv.db));
  // And the records are what the list says, not only alike.
  const n = (await sql(fast.srv.db, `SELECT COUNT(*) FROM persons WHERE name LIKE '长%'`)).trim();
  assert.equal(Number(n), 5000, show({ n })); // another name for someone registered is to confirm
  assert.ok(l.discrepancies >= 200, JSON.stringify(l.discrepancies));
});

test('the indexes of persons are the same after the lists either way', async () => {
  const pg = !!process.env.CORDON_TEST_PG;
  const q = pg
    ? "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'persons' ORDER BY indexname"
    : "SELECT name || ' ' || COALESCE(sql, '-') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons' ORDER BY name";
  const a = (await sql(fast.srv.db, q)).trim();
  const b = (await sql(rowwise.srv.db, q)).trim();
  assert.equal(a, b);
  for (const name of ['persons_household', 'persons_last4', 'persons_name', 'persons_phone', 'persons_unit']) {
    assert.ok(a.includes(name), `${name} is there: ${a}`);
  }
  if (!pg) {
    // And answer: a search by name, phone and last four finds the imported.
    const plan = (await sql(fast.srv.db, "EXPLAIN QUERY PLAN SELECT id FROM persons WHERE phone = '13800000000'")).trim();
    assert.match(plan, /persons_phone/, plan);
  }
});
