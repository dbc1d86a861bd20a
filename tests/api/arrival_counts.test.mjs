// Arrivals by grade read kept counts (arrival_counts: per unit and every
// unit above, day and grade; issue 16): after every kind of write that
// touches arrivals — a new arrival, the same one again, a risk-area listing
// that regrades (added, changed, tried with dry_run, removed), a person
// moved, two records merged (one arrival both hold kept once), an import
// with arrivals, a unit moved under another parent — the counts equal a
// recount from the arrival records, and the page (by unit, by day) says
// what the arrivals list says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, expectStatus, show, sql } from './lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function rid(area, birth, seq) {
  const s = `${area}${birth}${String(seq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * W[i];
  return s + '10X98765432'[sum % 11];
}

let srv;
let admin;
const U = {};
const P = {};
const GRADES = ['severe', 'heavy', 'other_province', 'local', 'high', 'medium', 'low'];

async function person(key, unit, seq) {
  const res = await admin.post('/api/v1/persons', { doc_number: rid('640106', '19800101', seq), name: `计数${key}`, unit_id: unit.id });
  expectStatus(res, 201, `create ${key}`);
  P[key] = res.body;
  return res.body;
}

async function arrive(p, origin_code, arrival_date, status = 201) {
  const res = await admin.post(`/api/v1/persons/${p.id}/arrivals`, { origin_code, arrival_date, mode: 'train' });
  expectStatus(res, status, `arrival of ${p.name} from ${origin_code} on ${arrival_date}`);
  return res.body;
}

/** Every arrival on record, through the list (paged). */
async function allArrivals() {
  const out = [];
  let after = '';
  for (;;) {
    const res = await admin.get(`/api/v1/arrivals?limit=3${after ? `&after=${after}` : ''}`);
    expectStatus(res, 200, 'arrivals list');
    out.push(...res.body.items);
    if (!res.body.next) return out;
    after = encodeURIComponent(res.body.next);
  }
}

/** The kept counts equal those recounted from the records, and the page
 * (per child unit and total; per day) agrees with the arrivals list. */
async function check(what) {
  const kept = await sql(srv.db, 'SELECT unit_id, arrival_date, grade, n FROM arrival_counts WHERE n <> 0 ORDER BY unit_id, arrival_date, grade');
  const recount = await sql(srv.db, 'SELECT t.ancestor_id, a.arrival_date, a.grade, COUNT(*) FROM arrivals a'
    + ' JOIN unit_tree t ON t.unit_id = a.unit_id GROUP BY t.ancestor_id, a.arrival_date, a.grade'
    + ' ORDER BY t.ancestor_id, a.arrival_date, a.grade');
  assert.equal(kept, recount, `${what}: kept counts = recount from the arrivals`);
  assert.equal((await sql(srv.db, 'SELECT COUNT(*) FROM arrival_counts WHERE n < 0')).trim(), '0', `${what}: no negative count`);

  const list = await allArrivals();
  const under = async (unitId) => new Set((await sql(srv.db, `SELECT unit_id FROM unit_tree WHERE ancestor_id = ${unitId}`))
    .trim().split('\n').filter(Boolean).map(Number));
  const tally = (rows) => {
    const o = { total: rows.length };
    for (const g of GRADES) o[g] = rows.filter((a) => a.grade === g).length;
    return o;
  };
  const pick = (row) => Object.fromEntries(['total', ...GRADES].map((k) => [k, row[k]]));
  for (const unit of [admin.root, U.S1, U.C1]) {
    const page = await admin.get(`/api/v1/arrivals/by-grade?unit_id=${unit.id}`);
    expectStatus(page, 200, `${what}: by grade of ${unit.name}`);
    for (const row of page.body.items) {
      const set = await under(row.unit_id);
      assert.deepEqual(pick(row), tally(list.filter((a) => set.has(a.unit_id))),
        `${what}: by-grade row of unit ${row.unit_id} under ${unit.name} ${show(page)}`);
    }
  }
  const days = await admin.get(`/api/v1/arrivals/by-grade?by=day&unit_id=${U.S1.id}`);
  expectStatus(days, 200, `${what}: by day`);
  const set = await under(U.S1.id);
  const mine = list.filter((a) => set.has(a.unit_id));
  const want = [...new Set(mine.map((a) => a.arrival_date))].sort()
    .map((d) => ({ day: d, ...tally(mine.filter((a) => a.arrival_date === d)) }));
  assert.deepEqual(days.body.items.map((r) => ({ day: r.day, ...pick(r) })), want, `${what}: by day ${show(days)}`);
}

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  U.S1 = await mkUnit(admin, admin.root.id, 'subdistrict', 'AC-S1', '计数甲街道');
  U.C1 = await mkUnit(admin, U.S1.id, 'community', 'AC-C1', '计数甲社区');
  U.K1 = await mkUnit(admin, U.C1.id, 'compound', 'AC-K1', '计数一小区');
  U.K2 = await mkUnit(admin, U.C1.id, 'compound', 'AC-K2', '计数二小区');
  U.C2 = await mkUnit(admin, U.S1.id, 'community', 'AC-C2', '计数乙社区');
  U.S2 = await mkUnit(admin, admin.root.id, 'subdistrict', 'AC-S2', '计数乙街道');
  U.C3 = await mkUnit(admin, U.S2.id, 'community', 'AC-C3', '计数丙社区');
  U.K3 = await mkUnit(admin, U.C3.id, 'compound', 'AC-K3', '计数三小区');
});

after(async () => {
  await srv?.stop();
});

test('new arrivals, and the same arrival again, are counted once at every unit above', async () => {
  await person('a', U.K1, 1);
  await person('b', U.K2, 3);
  await person('c', U.K3, 5);
  await person('d', U.C2, 7);
  await arrive(P.a, '420106', '2020-01-22'); // Wuhan
  await arrive(P.a, '110101', '2020-01-28'); // Beijing
  await arrive(P.b, '420106', '2020-01-22');
  await arrive(P.b, '640104', '2020-01-25'); // in the province
  await arrive(P.c, '420106', '2020-01-23');
  await arrive(P.d, '310101', '2020-01-28'); // Shanghai
  await arrive(P.a, '420106', '2020-01-22', 200); // the same one: nothing added
  await check('after creates');
  const root = (await admin.get('/api/v1/arrivals/by-grade')).body.items.find((x) => x.is_total);
  assert.equal(root.total, 6, 'six arrivals in the district');
});

test('risk-area listings regrade the counts: added, changed, tried with dry_run, removed', async () => {
  const hubei = await admin.post('/api/v1/risk-areas', { code: '420000', grade: 'severe', valid_from: '2020-01-20' });
  expectStatus(hubei, 201, 'Hubei severe');
  assert.equal(hubei.body.regraded, 3, show(hubei));
  await check('after a listing regrades three arrivals');
  const s1 = (await admin.get(`/api/v1/arrivals/by-grade?unit_id=${admin.root.id}`)).body.items.find((x) => x.unit_id === U.S1.id);
  assert.equal(s1.severe, 2, 'the sub-district shows its two arrivals from Hubei as severe');

  const dry = await admin.patch(`/api/v1/risk-areas/${hubei.body.id}?dry_run=1`, { grade: 'heavy' });
  expectStatus(dry, 200, 'dry run');
  await check('after a dry run (nothing changed)');

  const wuhan = await admin.post('/api/v1/risk-areas', { code: '420100', grade: 'heavy', valid_from: '2020-01-23' });
  expectStatus(wuhan, 201, 'Wuhan heavy from the 23rd');
  await check('after a more specific listing regrades one day');
  expectStatus(await admin.patch(`/api/v1/risk-areas/${wuhan.body.id}`, { valid_from: '2020-01-21' }), 200, 'Wuhan earlier');
  await check('after a listing changed its first day');
  const bj = await admin.post('/api/v1/risk-areas', { code: '110000', grade: 'medium', valid_from: '2020-01-20' });
  expectStatus(bj, 201, 'Beijing medium');
  await check('after a listing of another province');
  expectStatus(await admin.del(`/api/v1/risk-areas/${wuhan.body.id}`), 200, 'remove Wuhan');
  expectStatus(await admin.del(`/api/v1/risk-areas/${bj.body.id}`), 200, 'remove Beijing');
  await check('after listings were removed');
});

test('a person moved to another unit takes their arrivals out of the old units\' counts', async () => {
  const res = await admin.patch(`/api/v1/persons/${P.a.id}`, { unit_id: U.K3.id });
  expectStatus(res, 200, 'move a');
  await check('after a person moved to another sub-district');
  const rows = (await admin.get('/api/v1/arrivals/by-grade')).body.items;
  assert.equal(rows.find((x) => x.unit_id === U.S2.id).total, 3, show({ status: 200, body: rows }));
});

test('a merge keeps an arrival both records hold once and moves the rest', async () => {
  // e (in S1) holds the same arrival as c (in S2) and one of its own
  await person('e', U.K2, 9);
  await arrive(P.e, '420106', '2020-01-23');
  await arrive(P.e, '320102', '2020-01-26'); // Nanjing
  await check('before the merge');
  const res = await admin.post(`/api/v1/persons/${P.c.id}/merge`, { other_id: P.e.id });
  expectStatus(res, 200, 'merge e into c');
  await check('after a merge across sub-districts');
  const total = (await admin.get('/api/v1/arrivals/by-grade')).body.items.find((x) => x.is_total);
  assert.equal(total.total, 7, 'the arrival both held counts once');
});

test('an import with arrivals counts them (new persons and a known one)', async () => {
  const csv = ['姓名,身份证号,来源地,抵达日期,交通方式,小区',
    `计数f,${rid('640106', '19800101', 11)},420106,2020-01-24,火车,AC-K1`,
    `计数g,${rid('640106', '19800101', 13)},110101,2020-01-24,汽车,AC-K3`,
    `计数b,${rid('640106', '19800101', 3)},310101,2020-01-27,飞机,`,
    `计数h,${rid('640106', '19800101', 15)},420106,2020-01-24,火车,AC-K1`,
    `计数h,${rid('640106', '19800101', 15)},420106,2020-01-24,火车,AC-K1`].join('\n') + '\n';
  const res = await admin.post('/api/v1/imports/persons?source=counts', csv, { type: 'text/csv; charset=utf-8' });
  expectStatus(res, 200, 'import');
  assert.equal(res.body.rejected, 0, show(res));
  await check('after an import');
});

test('an import that gives a person an arrival and then, a row later, their compound counts it where they end up', async () => {
  // The import counts its arrivals once at the end (one count per unit, day
  // and grade); a later row moving the person moves what is counted by then.
  const csv = ['姓名,身份证号,来源地,抵达日期,交通方式,小区',
    `计数m,${rid('640106', '19800101', 17)},420106,2020-01-25,火车,`,
    `计数n,${rid('640106', '19800101', 19)},420106,2020-01-25,火车,`,
    `计数m,${rid('640106', '19800101', 17)},,,,AC-K2`,
    `计数n,${rid('640106', '19800101', 19)},110101,2020-01-26,汽车,AC-K3`].join('\n') + '\n';
  const res = await admin.post('/api/v1/imports/persons?source=counts-moved', csv, { type: 'text/csv; charset=utf-8' });
  expectStatus(res, 200, 'import');
  assert.equal(res.body.rejected, 0, show(res));
  assert.equal(res.body.created, 2, show(res));
  const units = (await sql(srv.db, `SELECT p.unit_id FROM arrivals a JOIN persons p ON p.id = a.person_id WHERE a.source = 'import' AND p.name IN ('计数m', '计数n') ORDER BY p.name, a.arrival_date`)).trim().split('\n').map(Number);
  assert.deepEqual(units, [U.K2.id, U.K3.id, U.K3.id], 'the arrivals moved with their persons');
  await check('after an import that moves its own new persons');
});

test('a unit moved under another parent takes its arrivals\' counts along', async () => {
  const res = await admin.patch(`/api/v1/units/${U.C1.id}`, { parent_id: U.S2.id });
  expectStatus(res, 200, 'move community C1 to S2');
  await check('after a community moved to another sub-district');
  expectStatus(await admin.patch(`/api/v1/units/${U.C1.id}`, { parent_id: U.S1.id }), 200, 'and back');
  await check('after it moved back');
});
