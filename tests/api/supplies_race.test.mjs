// Approvals racing for the last units, on both backends (SQLite: one writer
// at a time; PostgreSQL: READ COMMITTED, the item's stock row locked before
// it is read): exactly one of two approvals for the last ten units
// succeeds; sixteen approvals for fifty units issue exactly fifty; one
// request approved twice at once is issued once; funds spent at once never
// go below zero. After each race the summaries equal the ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, Client, expectStatus, show } from './lib.mjs';

let srv, admin, C, W, item;
let keepers; // separate sessions: racing requests travel on separate connections

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  const T = await mkUnit(admin, admin.root.id, 'town', 'SR-T', '竞争镇');
  C = await mkUnit(admin, T.id, 'community', 'SR-C', '竞争社区');
  W = expectStatus(await admin.post('/api/v1/warehouses', { unit_id: admin.root.id, name: '竞争仓库' }), 201).body;
  item = expectStatus(await admin.post('/api/v1/items', { name: '竞争口罩', unit: '只' }), 201).body;
  keepers = await Promise.all(Array.from({ length: 16 }, async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
});

after(async () => {
  await srv?.stop();
});

async function receive(n) {
  expectStatus(await admin.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: item.id, quantity: n, source: 'purchase' }), 201);
}

async function request(n, kind = 'epidemic_point') {
  return expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: C.id, kind, lines: [{ item_id: item.id, quantity: n }] }), 201).body;
}

async function onHand() {
  const s = expectStatus(await admin.get(`/api/v1/stock?warehouse_id=${W.id}&item_id=${item.id}`), 200).body.items;
  return s[0].quantity;
}

async function checked() {
  const chk = expectStatus(await admin.get('/api/v1/stock/check'), 200).body;
  assert.equal(chk.ok, true, JSON.stringify(chk));
}

test('two approvals for the last ten units: exactly one succeeds', async () => {
  await receive(10);
  const [a, b] = [await request(10), await request(10)];
  const res = await Promise.all([a, b].map((r, i) => keepers[i].post(`/api/v1/supply-requests/${r.id}/approve`,
    { warehouse_id: W.id, lines: [{ item_id: item.id, quantity: 10 }] })));
  const st = res.map((r) => r.status).sort();
  assert.deepEqual(st, [200, 422], res.map(show).join('\n'));
  const loser = res.find((r) => r.status === 422);
  assert.equal(loser.body.error.field, 'quantity');
  assert.match(loser.body.error.message_en ?? loser.body.error.message, /available 0/);
  assert.equal(await onHand(), 0);
  await checked();
});

test('sixteen approvals for fifty units: five succeed, none below zero', async () => {
  await receive(50);
  const reqs = [];
  for (let i = 0; i < 16; i++) reqs.push(await request(10, i % 2 ? 'checkpoint' : 'community'));
  const res = await Promise.all(reqs.map((r, i) => keepers[i].post(`/api/v1/supply-requests/${r.id}/approve`,
    { warehouse_id: W.id, lines: [{ item_id: item.id, quantity: 10 }] })));
  const ok = res.filter((r) => r.status === 200);
  const refused = res.filter((r) => r.status === 422);
  assert.equal(ok.length, 5, res.map(show).join('\n'));
  assert.equal(refused.length, 11, res.map(show).join('\n'));
  assert.equal(await onHand(), 0);
  const led = expectStatus(await admin.get(`/api/v1/stock/ledger?item_id=${item.id}&kind=issue&limit=500`), 200).body.items;
  const balances = led.map((x) => x.balance);
  assert.ok(balances.every((b) => b >= 0), JSON.stringify(balances));
  await checked();
});

test('one request approved twice at once is issued once', async () => {
  await receive(30);
  const r = await request(10);
  const res = await Promise.all([0, 1, 2].map((i) => keepers[i].post(`/api/v1/supply-requests/${r.id}/approve`,
    { warehouse_id: W.id, lines: [{ item_id: item.id, quantity: 10 }] })));
  assert.equal(res.filter((x) => x.status === 200).length, 1, res.map(show).join('\n'));
  assert.ok(res.filter((x) => x.status !== 200).every((x) => x.status === 409 || x.status === 422), res.map(show).join('\n'));
  assert.equal(await onHand(), 20);
  await checked();
});

test('eight spends at once from a fund of five: the fund never goes below zero', async () => {
  const f = expectStatus(await admin.post('/api/v1/funds', { name: '竞争资金' }), 201).body;
  expectStatus(await admin.post(`/api/v1/funds/${f.id}/entries`, { kind: 'allocation', amount_fen: 500, purpose: '拨付' }), 201);
  const res = await Promise.all(keepers.slice(0, 8).map((k) => k.post(`/api/v1/funds/${f.id}/entries`, { kind: 'spend', amount_fen: 100, purpose: '支出' })));
  assert.equal(res.filter((x) => x.status === 201).length, 5, res.map(show).join('\n'));
  assert.equal(res.filter((x) => x.status === 422).length, 3, res.map(show).join('\n'));
  const fund = expectStatus(await admin.get('/api/v1/funds'), 200).body.items.find((x) => x.id === f.id);
  assert.equal(fund.balance_fen, 0);
  const entries = expectStatus(await admin.get(`/api/v1/funds/${f.id}/entries`), 200).body.items;
  assert.deepEqual(entries.map((e) => e.balance_fen), [500, 400, 300, 200, 100, 0]);
});
