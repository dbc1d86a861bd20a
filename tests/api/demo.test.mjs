// The demo district (`cordon demo`) as the API serves it, on SQLite and on
// PostgreSQL: its checkpoints register arrivals from graded areas and hand
// them to their community (DOMAIN.md §2), as live screening does, so the
// counts, the vehicle list and the person card show them. Builds the whole
// demo (a minute or more under the sanitizers).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, expectStatus, sql, show } from './lib.mjs';

let srv;
let admin;
let counts;

before(async () => {
  srv = await startServer({ demo: true });
  admin = await adminClient(srv);
  counts = expectStatus(await admin.get('/api/v1/checkpoints/counts?to=2020-02-15'), 200, 'counts').body;
});

after(async () => {
  await srv?.stop();
});

/** Every vehicle a checkpoint screened on a day, through the list's pages. */
async function vehiclesOf(checkpointId, day) {
  const all = [];
  let after = '';
  do {
    const res = expectStatus(await admin.get(
      `/api/v1/checkpoints/${checkpointId}/vehicles?day=${day}&limit=500${after ? `&after=${after}` : ''}`), 200, 'vehicles');
    all.push(...res.body.items);
    after = res.body.next || '';
  } while (after);
  return all;
}

/** The registered occupants of a vehicle or train check: person and arrival. */
async function registeredOf(column, id) {
  const out = await sql(srv.db, `SELECT person_id, arrival_id, origin_code, destination_unit_id FROM occupant_checks
    WHERE ${column} = ${Number(id)} AND disposition = 'registered' ORDER BY id`);
  return out.trim().split('\n').filter(Boolean).map((l) => {
    const [person, arrival, origin, unit] = l.split('|');
    return { person: Number(person), arrival: Number(arrival), origin, unit: Number(unit) };
  });
}

test('the counts show the bulletin figures and arrivals registered on the road and at the station', () => {
  const { road, rail } = counts;
  assert.ok(road.vehicles >= 130000 && road.person_trips >= 240000, `road ${JSON.stringify(road)}`);
  assert.ok(rail.trains >= 600 && rail.person_trips >= 86000, `rail ${JSON.stringify(rail)}`);
  assert.ok(road.registered > 0, `road registered ${road.registered}`);
  assert.ok(rail.registered > 0, `rail registered ${rail.registered}`);
  for (const cp of counts.checkpoints) assert.ok(cp.registered > 0, `${cp.code} registered ${cp.registered}`);
});

test('the registered counts are occupant rows linked to the arrivals the checkpoints made', async () => {
  const [rows, linked, made] = (await sql(srv.db, `SELECT
      (SELECT COUNT(*) FROM occupant_checks WHERE disposition = 'registered'),
      (SELECT COUNT(*) FROM occupant_checks o JOIN arrivals a ON a.id = o.arrival_id
        WHERE o.disposition = 'registered' AND a.person_id = o.person_id AND a.source = 'checkpoint'),
      (SELECT COUNT(*) FROM arrivals WHERE source = 'checkpoint')`)).trim().split('|').map(Number);
  assert.equal(rows, counts.road.registered + counts.rail.registered);
  assert.equal(linked, rows);
  assert.equal(made, rows);
});

test('a day\'s vehicle list shows the registered, and their person cards the arrival', async () => {
  const item = counts.items.find((it) => it.kind === 'road' && it.registered > 0);
  assert.ok(item, 'a road checkpoint day with registered arrivals');
  const vehicles = await vehiclesOf(item.checkpoint_id, item.day);
  assert.equal(vehicles.length, item.vehicles, `${item.code} ${item.day}: every vehicle listed`);
  const withReg = vehicles.filter((v) => v.registered > 0);
  assert.equal(withReg.reduce((s, v) => s + v.registered, 0), item.registered,
    `${item.code} ${item.day}: the vehicles' registered add up to the day's`);
  const v = withReg[0];
  assert.equal(v.direction, 'in');
  assert.ok(v.origin_code && v.origin_name, `origin of ${JSON.stringify(v)}`);
  assert.ok(v.destination_unit_id && v.destination_unit_name, `destination of ${JSON.stringify(v)}`);

  const occ = await registeredOf('vehicle_check_id', v.id);
  assert.equal(occ.length, v.registered, `vehicle ${v.id}: one row per registered occupant`);
  for (const o of occ) {
    assert.equal(o.origin, v.origin_code);
    assert.equal(o.unit, v.destination_unit_id);
    const card = expectStatus(await admin.get(`/api/v1/persons/${o.person}`), 200, 'person card').body;
    const a = card.arrivals.find((x) => x.id === o.arrival);
    assert.ok(a, `person ${o.person} lists arrival ${o.arrival}: ${show({ status: 200, body: card.arrivals })}`);
    assert.equal(a.source, 'checkpoint');
    assert.equal(a.mode, 'car');
    assert.equal(a.arrival_date, item.day);
    assert.equal(a.origin_code, v.origin_code);
    // Handed to the community, found by the visit in one of its compounds.
    const parent = (await sql(srv.db, `SELECT parent_id FROM units WHERE id = ${Number(card.unit_id)}`)).trim();
    assert.equal(Number(parent), v.destination_unit_id, `person ${o.person} lives in the community handed to`);
    const name = card.facts.find((f) => f.field === 'name');
    assert.equal(name?.source, 'checkpoint', `the name was learnt at the checkpoint: ${JSON.stringify(card.facts)}`);
  }
});

test('a train check counts its registered among the flagged, and their cards list the arrival by train', async () => {
  const item = counts.items.find((it) => it.kind === 'rail' && it.registered > 0);
  assert.ok(item, 'a station day with registered arrivals');
  const res = expectStatus(await admin.get(`/api/v1/checkpoints/${item.checkpoint_id}/trains?day=${item.day}&limit=500`), 200, 'trains');
  const trains = res.body.items;
  assert.equal(trains.length, item.trains, `${item.day}: every train listed`);
  const rows = new Map((await sql(srv.db, `SELECT train_check_id, COUNT(*),
      SUM(CASE WHEN disposition = 'registered' THEN 1 ELSE 0 END) FROM occupant_checks
      WHERE train_check_id IN (${trains.map((t) => Number(t.id)).join(',')}) GROUP BY train_check_id`))
    .trim().split('\n').filter(Boolean).map((l) => l.split('|').map(Number)).map(([id, n, reg]) => [id, { n, reg }]));
  let registered = 0;
  for (const t of trains) {
    const r = rows.get(t.id) || { n: 0, reg: 0 };
    assert.equal(t.flagged, r.n, `train ${t.train_no}: flagged are its rows`);
    registered += r.reg;
  }
  assert.equal(registered, item.registered, `${item.day}: the trains' registered add up to the day's`);
  const t = trains.find((x) => rows.get(x.id)?.reg > 0);
  const [o] = await registeredOf('train_check_id', t.id);
  const card = expectStatus(await admin.get(`/api/v1/persons/${o.person}`), 200, 'person card').body;
  const a = card.arrivals.find((x) => x.id === o.arrival);
  assert.ok(a && a.source === 'checkpoint' && a.mode === 'train' && a.arrival_date === item.day,
    `person ${o.person}: ${JSON.stringify(card.arrivals)}`);
});

test("the demo's Hubei listing covers the outbreak from its start, so a 2020-01-22 arrival from Wuhan is graded severe", async () => {
  const on = expectStatus(await admin.get('/api/v1/risk-areas?on=2020-01-22&limit=500'), 200, 'areas on 2020-01-22').body.items;
  const codes = on.map((a) => a.code);
  assert.ok(codes.includes('420000') && codes.includes('420100'), JSON.stringify(codes));
  assert.ok(on.filter((a) => a.code.startsWith('42')).every((a) => a.grade === 'severe' && a.valid_from <= '2019-12-31'));
});

test('every demo fever older than a day was followed up and closed by the medic, so the colour follows the open ones', async () => {
  const [open, old, closed] = (await sql(srv.db, `SELECT
      (SELECT COUNT(*) FROM fevers WHERE cleared_at IS NULL),
      (SELECT COUNT(*) FROM fevers WHERE cleared_at IS NULL AND at < ${Math.floor(Date.now() / 1000) - 2 * 86400}),
      (SELECT COUNT(*) FROM fevers WHERE cleared_at IS NOT NULL AND outcome IS NOT NULL AND cleared_by IS NOT NULL)`))
    .trim().split('|').map(Number);
  assert.equal(old, 0, `${open} open fevers, ${old} of them older than two days`);
  assert.ok(closed > 0, `${closed} closed`);
  const list = expectStatus(await admin.get('/api/v1/fevers?status=closed&limit=5'), 200, 'closed fevers').body.items;
  assert.equal(list.length, 5);
  const c = expectStatus(await admin.get(`/api/v1/persons/${list[0].person_id}/colour`), 200).body;
  assert.notEqual(c.colour, 'red', show({ status: 200, body: c }));
});

test('the demo district resumes 25 of its 38 industrial enterprises above size, 7 idle for the season: 80.6 % on 2020-02-15', async () => {
  const r = expectStatus(await admin.get('/api/v1/enterprises/resumption?day=2020-02-15'), 200, 'resumption').body;
  assert.deepEqual([r.above_scale, r.resumed, r.seasonal, r.resumption_rate], [38, 25, 7, 0.806], JSON.stringify(r));
  // Every resumed enterprise applied at least 2 days ahead and was approved.
  const early = await sql(srv.db, `SELECT COUNT(*) FROM enterprise_resumptions s JOIN enterprise_applications a
    ON a.id = s.application_id WHERE a.status <> 'approved' OR a.planned_start_day > s.day`);
  assert.equal(early.trim(), '0');
  const overdue = expectStatus(await admin.get('/api/v1/enterprises/findings?status=overdue'), 200).body.items;
  assert.ok(overdue.length > 0, 'the week of inspections leaves an overdue finding');
});

test('the daily work: 9 notices on the public page, 7 + 1 supervision groups, reports of 2020-02-15 with the missing unit', async () => {
  const pub = expectStatus(await admin.get('/api/v1/notices?status=published'), 200).body.items;
  assert.deepEqual(pub.map((n) => n.number), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const html = await (await fetch(`${srv.base}/public/notices`)).text();
  assert.equal((html.match(/<article>/g) || []).length, 9, 'the public page has the 9 published, not the draft');
  const sup = expectStatus(await admin.get('/api/v1/supervision?day=2020-02-15'), 200).body;
  assert.deepEqual([sup.inspection_groups, sup.support_groups], [7, 1]);
  assert.ok(sup.inspections > 0 && sup.findings_open + sup.findings_rectified > 0, JSON.stringify(sup));
  const st = expectStatus(await admin.get('/api/v1/reports/status?day=2020-02-15'), 200).body;
  assert.equal(st.expected, 10, 'the 8 towns and sub-districts and 2 key units');
  assert.equal(st.filed, 9);
  assert.equal(st.missing.length, 1);
  const period = expectStatus(await admin.get('/api/v1/reports/status?from=2020-01-24&to=2020-02-15'), 200).body;
  assert.ok(period.rate > 95 && period.rate < 100, `reporting rate ${period.rate}`);
  assert.ok(period.timeliness < period.rate, 'a few were late');
  const closed = expectStatus(await admin.get('/api/v1/venues/counts?day=2020-02-15'), 200).body;
  assert.equal(closed.closed_by_kind.mall, 2, 'two large malls');
  const meetings = expectStatus(await admin.get('/api/v1/dispatch/meetings?from=2020-01-24&to=2020-02-15'), 200).body.items;
  assert.equal(meetings.length, 23, 'a meeting each evening');
});

// DOMAIN.md's seed bulletin (the acceptance table) as GET /api/v1/bulletin
// computes it from the demo's records for 2020-02-15. A section whose
// records the demo does not build yet is a todo, not a failure: it turns
// into a check the day its demo step lands.
describe('the demo day\'s bulletin is DOMAIN.md\'s seed bulletin', () => {
  let b;
  before(async () => {
    b = expectStatus(await admin.get('/api/v1/bulletin?day=2020-02-15'), 200, 'bulletin').body;
  });
  const pending = (section, why) => (b && Object.values(b[section] ?? {}).some((v) => v) ? false : why);
  test('command: 8 working groups, 36 leaders, 44 responsible units', () => {
    assert.deepEqual(b.command, { working_groups: 8, leaders: 36, responsible_units: 44 });
  });
  test('checkpoints: 4 road + 1 rail; 130,000+ vehicles, 240,000+ person trips; 600+ trains, 86,000+ person trips', () => {
    const c = b.checkpoints;
    assert.equal(c.road, 4);
    assert.equal(c.rail, 1);
    assert.ok(c.road_vehicles >= 130000 && c.road_person_trips >= 240000, JSON.stringify(c));
    assert.ok(c.rail_trains >= 600 && c.rail_person_trips >= 86000, JSON.stringify(c));
  });
  test('screening: round 1 244,540 / 620,623; round 2 239,549 / 550,019', () => {
    assert.deepEqual(b.screening.map((r) => [r.round, r.households, r.persons]),
      [[1, 244540, 620623], [2, 239549, 550019]]);
  });
  test('cases: 8 confirmed, 6 cured, 0 / 0 / 0, 14 days without a new case', (t) => {
    const why = pending('cases', 'the demo builds no cases yet (issue 12)');
    if (why) { t.todo(why); return; }
    assert.deepEqual(b.cases, { confirmed_total: 8, cured_total: 6, deaths_total: 0, critical_now: 0,
      medical_workers_infected: 0, days_without_new_confirmed: 14 });
  });
  test('epidemic points: 7 / 7 lifted', (t) => {
    const why = pending('epidemic_points', 'the demo builds no epidemic points yet (issue 12)');
    if (why) { t.todo(why); return; }
    assert.deepEqual(b.epidemic_points, { total: 7, lifted: 7 });
  });
  test('notices: 9', (t) => {
    if (!b.notices) { t.todo('the demo publishes no notices yet (issue 13)'); return; }
    assert.equal(b.notices, 9);
  });
  test('funds: 4,550,000 yuan allocated, 12,334,100 yuan donated', (t) => {
    const why = pending('funds', 'the demo records no funds yet (issue 14)');
    if (why) { t.todo(why); return; }
    assert.deepEqual(b.funds, { allocated_fen: 455000000, donations_fen: 1233410000 });
  });
  test('enterprises: 38 above size, 25 resumed, 7 seasonal, 80.6 %', (t) => {
    const why = pending('enterprises', 'the demo registers no enterprises yet (issue 15)');
    if (why) { t.todo(why); return; }
    assert.deepEqual(b.enterprises, { above_scale: 38, resumed: 25, seasonal: 7, resumption_rate: 0.806 });
  });
  test('supervision: 7 inspection groups + 1 support group', (t) => {
    const why = pending('supervision', 'the demo forms no supervision groups yet (issue 13)');
    if (why) { t.todo(why); return; }
    assert.deepEqual(b.supervision, { inspection_groups: 7, support_groups: 1 });
  });
});

test('the demo ledger shows the town store restocked from the district store, the books still balanced', async () => {
  const moves = expectStatus(await admin.get('/api/v1/stock/ledger?kind=transfer&limit=50'), 200, 'transfers').body.items;
  assert.equal(moves.length, 6, JSON.stringify(moves.map((m) => [m.warehouse, m.item, m.quantity])));
  assert.equal(moves.reduce((s, m) => s + m.quantity, 0), 0, 'every unit out is a unit in');
  for (const m of moves) assert.ok(m.peer_warehouse, 'each side names the other store');
  const check = expectStatus(await admin.get('/api/v1/stock/check'), 200, 'check').body;
  assert.equal(check.ok, true, JSON.stringify(check));
});
