// Contact candidates over several gate windows, as the list is now built
// (the gate query as bench/contacts_raw.c runs it, then who the persons are
// in one query, the JSON written from the rows): who is proposed, where,
// the overlap and the counts are those of the raw query on the same data
// and what the rules say at the edges — a scan exactly 30 minutes from the
// case's is in, 31 is out; a person met in two windows is one entry with
// both reasons; a person outside the officer's scope is proposed masked,
// the full name nowhere in the answer; a candidate who is a case names it;
// decisions show on their candidates, and a decided person the logs do
// not propose is listed too. Fixed clock: 2020-02-15 09:00 (UTC+8).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, sql,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
let seq = 700;
const newId = () => rid(`64010619830405${String(seq++).padStart(3, '0')}`);
const at = (s) => Math.floor(new Date(s + '+08:00').getTime() / 1000);
const MIN = 60;

let srv; let admin; let officer; let caseX; let caseK;
const P = {};
const U = {};
const G = {};
// The case's scans: w0 before the contact window (from 2020-02-12 00:00,
// 2 days before onset), w1..w3 inside it, at three gates.
const W = {
  w0: ['G2', at('2020-02-11T20:00')],
  w1: ['G1', at('2020-02-13T08:00')],
  w2: ['G2', at('2020-02-14T12:00')],
  w3: ['G3', at('2020-02-15T07:00')],
};
const [, w1] = W.w1; const [, w2] = W.w2; const [, w3] = W.w3;

async function scanRow(gate, p, when) {
  const g = G[gate];
  await sql(srv.db, `INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id, kind, decision, reason)
    VALUES (${g.id}, ${g.unit_id}, ${when}, '${new Date((when + 8 * 3600) * 1000).toISOString().slice(0, 10)}', 'in', ${p.id}, 'resident', 'allow', 'test')`);
}

before(async () => {
  srv = await startServer({ clock: '2020-02-15T09:00' });
  admin = await adminClient(srv);
  const S = await mkUnit(admin, admin.root.id, 'subdistrict', 'CW-S', '窗口街道');
  const O = await mkUnit(admin, admin.root.id, 'subdistrict', 'CW-O', '窗外街道');
  const C = await mkUnit(admin, S.id, 'community', 'CW-C', '窗口社区');
  const CO = await mkUnit(admin, O.id, 'community', 'CW-CO', '窗外社区');
  U.K1 = await mkUnit(admin, C.id, 'compound', 'CW-K1', '窗口一区');
  U.K2 = await mkUnit(admin, C.id, 'compound', 'CW-K2', '窗口二区');
  U.K3 = await mkUnit(admin, C.id, 'compound', 'CW-K3', '窗口三区');
  U.KO = await mkUnit(admin, CO.id, 'compound', 'CW-KO', '窗外小区');
  // G3's name has a quote and a backslash: escaped in the answer.
  for (const [g, k, name] of [['G1', 'K1', '东门'], ['G2', 'K2', '南门'], ['G3', 'K3', '西门"B\\区']]) {
    const gate = expectStatus(await admin.post('/api/v1/gates', { unit_id: U[k].id, name }), 201, g).body;
    G[g] = { ...gate, unit_id: U[k].id, place: `${U[k].name} ${gate.name}` };
  }
  assert.equal(G.G3.name, '西门"B\\区');
  for (const [n, name, k] of [
    ['x', '龚建国', 'K1'], ['a', '蒋小燕', 'K1'], ['b', '沈丹', 'K1'], ['c', '韦东', 'K2'],
    ['d', '陶然', 'K2'], ['e', '诸葛明远', 'KO'], ['f', '许诺', 'K3'], ['h', '贺兰', 'K3'],
    ['k', '孔明', 'K2'], ['m', '毛毅', 'K3'], ['n', '倪红', 'K2'],
  ]) {
    P[n] = expectStatus(await admin.post('/api/v1/persons', { doc_number: newId(), name, unit_id: U[k].id }), 201, n).body;
  }
  officer = await userClient(srv, admin, { role: 'officer', scope_unit_id: S.id });
  for (const [gate, t] of Object.values(W)) await scanRow(gate, P.x, t);
  await scanRow('G1', P.a, w1 + 30 * MIN);     // exactly 30 minutes after: in
  await scanRow('G1', P.b, w1 + 31 * MIN);     // 31 minutes: out
  await scanRow('G1', P.c, w1 - 30 * MIN);     // exactly 30 minutes before: in
  await scanRow('G1', P.d, w1 + 5 * MIN);      // d in two windows
  await scanRow('G2', P.d, w2 - 10 * MIN);
  await scanRow('G2', P.e, w2);                // the same second; another district's resident
  await scanRow('G3', P.f, w1);                // at w1's time, but at another gate
  await scanRow('G3', P.h, w3 + 29 * MIN);     // twice in one window
  await scanRow('G3', P.h, w3 - 1 * MIN);
  await scanRow('G2', P.k, w2 + 15 * MIN);     // k becomes a case
  await scanRow('G2', P.n, W.w0[1] + 5 * MIN); // near the scan before the window: out
  caseX = expectStatus(await officer.post('/api/v1/cases', { person_id: P.x.id, status: 'confirmed', onset_day: '2020-02-14', report_day: '2020-02-15' }), 201, 'case x').body;
  caseK = expectStatus(await officer.post('/api/v1/cases', { person_id: P.k.id, status: 'suspected', onset_day: '2020-02-15', report_day: '2020-02-15' }), 201, 'case k').body;
  expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.c.id, decision: 'general', last_exposure_day: '2020-02-13' }), 201, 'c general');
  expectStatus(await officer.post(`/api/v1/cases/${caseX.id}/contacts`, { person_id: P.m.id, decision: 'none' }), 201, 'm from the interview: none');
});
after(async () => { await srv?.stop(); });

const gateReason = (gate, from, to) => ({ kind: 'gate', place: G[gate].place, from, to });

test('who, where and the overlap over three windows, edges included', async () => {
  const res = await officer.get(`/api/v1/cases/${caseX.id}/contact-candidates`);
  const body = expectStatus(res, 200, 'candidates').body;
  const by = Object.fromEntries(body.items.map((c) => [c.person_id, c]));
  const names = Object.fromEntries(Object.entries(P).map(([n, p]) => [p.id, n]));
  // proposed in the order of their first reason, then m (decided, not proposed)
  assert.deepEqual(body.items.map((c) => names[c.person_id]), ['c', 'd', 'a', 'e', 'k', 'h', 'm']);
  assert.deepEqual(by[P.c.id].reasons, [gateReason('G1', w1 - 30 * MIN, w1)]);
  assert.deepEqual(by[P.a.id].reasons, [gateReason('G1', w1, w1 + 30 * MIN)]);
  assert.deepEqual(by[P.d.id].reasons, [gateReason('G1', w1, w1 + 5 * MIN), gateReason('G2', w2 - 10 * MIN, w2)], 'one entry, both windows');
  assert.deepEqual(by[P.e.id].reasons, [gateReason('G2', w2, w2)]);
  assert.deepEqual(by[P.k.id].reasons, [gateReason('G2', w2, w2 + 15 * MIN)]);
  assert.deepEqual(by[P.h.id].reasons, [gateReason('G3', w3 - MIN, w3), gateReason('G3', w3, w3 + 29 * MIN)]);
  assert.deepEqual(by[P.m.id].reasons, []);
  for (const n of ['b', 'f', 'n', 'x']) assert.equal(by[P[n].id], undefined, `${n} is not proposed`);
  // who they are
  assert.equal(by[P.a.id].name, '蒋小燕');
  assert.equal(by[P.a.id].unit_id, U.K1.id);
  assert.equal(by[P.a.id].unit_name, '窗口一区');
  assert.equal(by[P.a.id].in_scope, true);
  assert.equal(by[P.k.id].case_id, caseK.id, 'a candidate who is a case names it');
  assert.equal(by[P.a.id].case_id, null);
  assert.equal(by[P.d.id].suggested_last_exposure_day, '2020-02-14', 'the day of the latest contact');
  assert.equal(by[P.h.id].suggested_last_exposure_day, '2020-02-15');
  assert.equal(by[P.m.id].suggested_last_exposure_day, null);
  // decisions on their candidates
  assert.equal(by[P.a.id].decision, null);
  assert.equal(by[P.c.id].decision.decision, 'general');
  assert.equal(by[P.c.id].decision.last_exposure_day, '2020-02-13');
  assert.equal(by[P.c.id].decision.observation_end_day, '2020-02-27');
  assert.equal(by[P.c.id].decision.isolation_id, null);
  assert.ok(by[P.c.id].decision.decided_by_name);
  assert.equal(by[P.m.id].decision.decision, 'none');
  // outside the officer's scope: proposed, but not revealed
  const e = by[P.e.id];
  assert.equal(e.in_scope, false);
  assert.equal(e.name, '诸**远');
  assert.ok(!res.text.includes('诸葛明远'), 'the full name is nowhere in the answer');
  const all = expectStatus(await admin.get(`/api/v1/cases/${caseX.id}/contact-candidates`), 200).body;
  assert.equal(all.items.find((c) => c.person_id === P.e.id).name, '诸葛明远', 'in the admin\'s scope');
  assert.equal(all.items.find((c) => c.person_id === P.e.id).in_scope, true);
  assert.deepEqual(all.items.map((c) => c.person_id), body.items.map((c) => c.person_id), 'the same candidates whoever asks');
});

test('the gate reasons are the raw query\'s rows on the same data, one for one', async () => {
  const t = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/trajectory`), 200).body;
  const w = t.window_minutes * 60;
  // bench/contacts_raw.c's query, with the case's window
  const rows = (await sql(srv.db, `SELECT o.person_id, u.name || ' ' || g.name,
    CASE WHEN o.at < s.at THEN o.at ELSE s.at END, CASE WHEN o.at > s.at THEN o.at ELSE s.at END
    FROM gate_scans s JOIN gate_scans o ON o.gate_id = s.gate_id + 0 AND o.at >= s.at - ${w} AND o.at <= s.at + ${w}
    JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = g.unit_id
    WHERE s.person_id = ${P.x.id} AND s.at >= ${t.window_from} AND s.at < ${t.window_to}
    AND o.person_id IS NOT NULL AND o.person_id <> ${P.x.id} ORDER BY s.at, o.at`)).trim().split('\n')
    .map((l) => l.split('|')).map(([p, place, from, to]) => `${p} ${place} ${from} ${to}`);
  const body = expectStatus(await officer.get(`/api/v1/cases/${caseX.id}/contact-candidates`), 200).body;
  const api = body.items.flatMap((c) => c.reasons.filter((r) => r.kind === 'gate').map((r) => `${c.person_id} ${r.place} ${r.from} ${r.to}`));
  assert.equal(api.length, 8);
  assert.deepEqual([...api].sort(), [...rows].sort());
  assert.equal(body.items.filter((c) => c.reasons.length).length, new Set(rows.map((r) => r.split(' ')[0])).size, 'one entry a person');
});
