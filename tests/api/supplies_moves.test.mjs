// Stock moved between warehouses, directed money spent only as directed,
// and purchases corrected by reversing entries (DOMAIN.md §9, issue 14), on
// both backends: a transfer is two entries in one transaction (out of one
// store, into the other), never below zero, only between stores in the
// keeper's scope, retry-safe, and a directed donation's goods stay
// directed wherever they go; money a donor directed is spent only by naming
// the donation and what the donor directed it to (the error names the
// field, in Chinese and English), and goods bought with it are issued only
// as it was directed; a purchase corrected returns goods by an adjustment
// naming the receipt and refunds its fund by a reversing entry, never more
// than was received or paid, the receipt itself unchanged. Races: two
// transfers for the last units, two corrections returning everything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUnit, userClient, Client, expectStatus, expectError, show } from './lib.mjs';

let srv, admin, zhAdmin, keeper, townKeeper, town2Keeper, townCommander;
let T1, T2, C1, CP;
let W, WT, WT2; // district store, town 1 store, town 2 store
let suit, gel;
let fund; // 社会捐赠资金: allocations and money donations

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  zhAdmin = await adminClient(srv);
  zhAdmin.lang = 'zh-CN'; // the same account reading errors in Chinese
  T1 = await mkUnit(admin, admin.root.id, 'town', 'MV-T1', '调拨一镇');
  T2 = await mkUnit(admin, admin.root.id, 'town', 'MV-T2', '调拨二镇');
  C1 = await mkUnit(admin, T1.id, 'community', 'MV-C1', '调拨一社区');
  CP = await mkUnit(admin, T2.id, 'village', 'MV-V2', '调拨二村');
  keeper = await userClient(srv, admin, { role: 'warehouse', scope_unit_id: admin.root.id });
  townKeeper = await userClient(srv, admin, { role: 'warehouse', scope_unit_id: T1.id });
  town2Keeper = await userClient(srv, admin, { role: 'warehouse', scope_unit_id: T2.id });
  townCommander = await userClient(srv, admin, { role: 'commander', scope_unit_id: T2.id });
  W = expectStatus(await keeper.post('/api/v1/warehouses', { unit_id: admin.root.id, name: '区储备库' }), 201).body;
  WT = expectStatus(await keeper.post('/api/v1/warehouses', { unit_id: T1.id, name: '一镇分库' }), 201).body;
  WT2 = expectStatus(await keeper.post('/api/v1/warehouses', { unit_id: T2.id, name: '二镇分库' }), 201).body;
  suit = expectStatus(await keeper.post('/api/v1/items', { name: '调拨防护服', unit: '套' }), 201).body;
  gel = expectStatus(await keeper.post('/api/v1/items', { name: '调拨洗手液', unit: '瓶', spec: '500ml' }), 201).body;
  fund = expectStatus(await admin.post('/api/v1/funds', { name: '调拨捐赠资金' }), 201).body;
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 100000, purpose: '区财政拨付' }), 201);
});

after(async () => {
  await srv?.stop();
});

async function onHand(wh, item) {
  const s = expectStatus(await admin.get(`/api/v1/stock?warehouse_id=${wh}&item_id=${item}`), 200, 'stock').body.items;
  return s[0]?.quantity ?? 0;
}

async function fundNow() {
  return expectStatus(await admin.get('/api/v1/funds'), 200).body.items.find((f) => f.id === fund.id);
}

async function checked() {
  const chk = expectStatus(await admin.get('/api/v1/stock/check'), 200).body;
  assert.equal(chk.ok, true, JSON.stringify(chk));
}

function en(e) {
  return e.message_en ?? e.message;
}

// The same refused request sent again in Chinese: its message.
async function zhMessage(method, path, body, status, field) {
  const res = await zhAdmin[method](path, body);
  return expectError(res, status, 'rule', field).message;
}

test('a transfer moves stock out of one store and into another in one go', async () => {
  expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 100, source: 'purchase' }), 201);
  const r = await keeper.post('/api/v1/stock/transfers', {
    from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 40, reason: '支援一镇', client_id: 'mv-t-1',
  });
  expectStatus(r, 201, 'transfer');
  assert.equal(r.body.quantity, 40);
  assert.deepEqual(r.body.entries.map((e) => [e.kind, e.warehouse_id, e.quantity, e.balance, e.peer_warehouse_id]),
    [['transfer', W.id, -40, 60, WT.id], ['transfer', WT.id, 40, 40, W.id]]);
  assert.equal(r.body.entries[0].peer_warehouse, WT.name);
  assert.equal(r.body.entries[0].reason, '支援一镇');
  // Sent twice (a lost answer): moved once, the same answer.
  const again = await keeper.post('/api/v1/stock/transfers', {
    from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 40, reason: '支援一镇', client_id: 'mv-t-1',
  });
  expectStatus(again, 201, 'retry');
  assert.deepEqual(again.body.entries.map((e) => e.id), r.body.entries.map((e) => e.id));
  assert.equal(await onHand(W.id, suit.id), 60);
  assert.equal(await onHand(WT.id, suit.id), 40);
  // The town keeper sees the entry into its store and nothing of the district's.
  const led = expectStatus(await townKeeper.get(`/api/v1/stock/ledger?item_id=${suit.id}`), 200).body.items;
  assert.deepEqual(led.map((e) => [e.kind, e.quantity, e.peer_warehouse]), [['transfer', 40, W.name]]);
  // The ledger export names the other store.
  const csv = (await keeper.get(`/api/v1/stock/ledger?item_id=${suit.id}&kind=transfer&format=csv`)).text;
  assert.match(csv, /调拨对方仓库/);
  assert.match(csv, /一镇分库/);
  await checked();
});

test('a transfer never takes a store below zero; bad input and other scopes are refused', async () => {
  const e = expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 61 }), 422, 'rule', 'quantity');
  assert.match(en(e), /available 60/);
  assert.match(await zhMessage('post', '/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 61 }, 422, 'quantity'), /库存不足：可用 60/);
  assert.equal(await onHand(W.id, suit.id), 60, 'nothing moved');
  assert.equal(await onHand(WT.id, suit.id), 40, 'nothing arrived');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: W.id, item_id: suit.id, quantity: 1 }), 400, 'invalid', 'to_warehouse_id');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 0 }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: -5 }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: '5' }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, item_id: suit.id, quantity: 1 }), 400, 'invalid', 'to_warehouse_id');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: 999999, item_id: suit.id, quantity: 1 }), 400, 'invalid', 'to_warehouse_id');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: 999999, quantity: 1 }), 400, 'invalid', 'item_id');
  expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 1, reason: 'x'.repeat(201) }), 400, 'invalid', 'reason');
  // A town keeper moves neither the district's stock nor into another town.
  expectError(await townKeeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 1 }), 400, 'invalid', 'from_warehouse_id');
  expectError(await townKeeper.post('/api/v1/stock/transfers', { from_warehouse_id: WT.id, to_warehouse_id: WT2.id, item_id: suit.id, quantity: 1 }), 400, 'invalid', 'to_warehouse_id');
  const requester = await userClient(srv, admin, { role: 'officer', scope_unit_id: admin.root.id });
  expectError(await requester.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: suit.id, quantity: 1 }), 403, 'forbidden');
  assert.equal(await onHand(WT2.id, suit.id), 0);
  await checked();
});

test('directed goods stay directed when moved: a town store still may not issue them elsewhere', async () => {
  const d = expectStatus(await keeper.post('/api/v1/donations', {
    donor_name: '调拨爱心企业', donor_kind: 'org', kind: 'goods', value_fen: 300000, directed: true, directed_kind: 'checkpoint',
  }), 201).body;
  expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: gel.id, quantity: 30, source: 'donation', donation_id: d.id }), 201);
  expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: gel.id, quantity: 10, source: 'purchase' }), 201);
  // General stock moves first, then the directed lot, each lot as its own pair.
  const t = expectStatus(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: gel.id, quantity: 25 }), 201).body;
  assert.deepEqual(t.entries.map((e) => [e.warehouse_id, e.quantity, e.lot_id]),
    [[W.id, -10, 0], [WT.id, 10, 0], [W.id, -15, d.id], [WT.id, 15, d.id]]);
  const st = expectStatus(await townKeeper.get(`/api/v1/stock?warehouse_id=${WT.id}&item_id=${gel.id}`), 200).body.items[0];
  assert.deepEqual([st.quantity, st.directed], [25, 15]);
  // Naming the donation moves its lot only.
  const only = expectError(await keeper.post('/api/v1/stock/transfers', { from_warehouse_id: W.id, to_warehouse_id: WT.id, item_id: gel.id, quantity: 16, donation_id: d.id }), 422, 'rule', 'quantity');
  assert.match(en(only), /available 15/);
  // In the town store the checkpoints' gel still goes to a checkpoint only.
  const comm = expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [{ item_id: gel.id, quantity: 11 }] }), 201).body;
  const e = expectError(await townKeeper.post(`/api/v1/supply-requests/${comm.id}/approve`, { warehouse_id: WT.id, lines: [{ item_id: gel.id, quantity: 11 }] }), 422, 'rule', 'quantity');
  assert.match(en(e), /available 10/);
  await checked();
});

test('two transfers racing for the last units: exactly one moves them', async () => {
  expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: WT2.id, item_id: suit.id, quantity: 10, source: 'purchase' }), 201);
  const racers = await Promise.all([0, 1, 2, 3].map(async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
  // Two to the district and two crossing the other way round to town 1.
  const res = await Promise.all(racers.map((c, i) => c.post('/api/v1/stock/transfers', {
    from_warehouse_id: WT2.id, to_warehouse_id: i % 2 ? W.id : WT.id, item_id: suit.id, quantity: 10,
  })));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 422, 422, 422], res.map(show).join('\n'));
  assert.equal(await onHand(WT2.id, suit.id), 0);
  assert.equal(await onHand(W.id, suit.id) + await onHand(WT.id, suit.id), 110);
  await checked();
});

test('money a donor directed is spent only as directed; the error names the field', async () => {
  // 3,000.00 yuan for checkpoints, 1,000.00 yuan for town 2.
  const cp = expectStatus(await admin.post('/api/v1/donations', {
    donor_name: '卡点爱心商会', donor_kind: 'org', kind: 'money', value_fen: 300000, fund_id: fund.id, directed: true, directed_kind: 'checkpoint', purpose: '卡点一线',
  }), 201).body;
  const town = expectStatus(await admin.post('/api/v1/donations', {
    donor_name: '二镇乡贤', donor_kind: 'person', kind: 'money', value_fen: 100000, fund_id: fund.id, directed: true, directed_unit_id: T2.id,
  }), 201).body;
  assert.equal((await fundNow()).balance_fen, 500000);
  // A general spend may draw only the 1,000.00 yuan no donor directed.
  const g = expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 100001, purpose: '办公用品' }), 422, 'rule', 'amount_fen');
  assert.match(en(g), /undirected money: 1,000\.00 yuan \(4,000\.00 yuan more was directed/);
  assert.match(await zhMessage('post', `/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 100001, purpose: '办公用品' }, 422, 'amount_fen'), /非定向余额：1,000\.00 元/);
  // Naming the checkpoints' money for a community: refused, naming for_kind.
  const k = expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '社区消毒', donation_id: cp.id, for_kind: 'community' }), 422, 'rule', 'for_kind');
  assert.match(en(k), /directed to checkpoint: it may not be spent on a community/);
  assert.match(await zhMessage('post', `/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '社区消毒', donation_id: cp.id, for_kind: 'community' }, 422, 'for_kind'), /定向用于 checkpoint：不能用于 community/);
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '卡点', donation_id: cp.id }), 422, 'rule', 'for_kind');
  assert.match(await zhMessage('post', `/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '卡点', donation_id: cp.id }, 422, 'for_kind'), /请注明用于哪类一线/);
  // Town 2's money: the unit must be named and inside town 2.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '村卡点', donation_id: town.id }), 422, 'rule', 'unit_id');
  const u = expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '社区', donation_id: town.id, unit_id: C1.id }), 422, 'rule', 'unit_id');
  assert.match(en(u), /directed to 调拨二镇: it may not be spent on another unit/);
  assert.match(await zhMessage('post', `/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1000, purpose: '社区', donation_id: town.id, unit_id: C1.id }, 422, 'unit_id'), /定向用于 调拨二镇：不能用于其他单位/);
  // More than is left of the donation.
  const over = expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 300001, purpose: '卡点帐篷', donation_id: cp.id, for_kind: 'checkpoint' }), 422, 'rule', 'amount_fen');
  assert.match(en(over), /left of donation \d+: 3,000\.00 yuan/);
  // As directed: allowed, and the entry names the donor.
  const ok = expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 120000, purpose: '卡点帐篷', donation_id: cp.id, for_kind: 'checkpoint' }), 201).body;
  assert.deepEqual([ok.amount_fen, ok.balance_fen, ok.donation_id, ok.donor], [-120000, 380000, cp.id, '卡点爱心商会']);
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 50000, purpose: '村卡点', donation_id: town.id, unit_id: CP.id }), 201);
  // The general part is untouched by directed spending: still 1,000.00 yuan.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 100001, purpose: '办公用品' }), 422, 'rule', 'amount_fen');
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 100000, purpose: '办公用品' }), 201);
  // Bad input: a kind no one is, a unit out of reach, a donation of another fund, an allocation naming a donation.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: cp.id, for_kind: 'hospital' }), 400, 'invalid', 'for_kind');
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: 999999 }), 400, 'invalid', 'donation_id');
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: town.id, unit_id: 999999 }), 400, 'invalid', 'unit_id');
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 1, purpose: 'x', donation_id: cp.id }), 400, 'invalid', 'donation_id');
  const other = expectStatus(await admin.post('/api/v1/funds', { name: '另一资金' }), 201).body;
  expectStatus(await admin.post(`/api/v1/funds/${other.id}/entries`, { kind: 'allocation', amount_fen: 5000, purpose: '拨付' }), 201);
  expectError(await admin.post(`/api/v1/funds/${other.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: cp.id, for_kind: 'checkpoint' }), 422, 'rule', 'donation_id');
  // A town-2 commander may not spend the district's fund at all.
  expectError(await townCommander.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: town.id, unit_id: CP.id }), 403, 'forbidden');
  const f = await fundNow();
  assert.deepEqual([f.balance_fen, f.spent_fen], [500000 - 120000 - 50000 - 100000, 270000]);
  // Each donation says what is left of it.
  const ds = expectStatus(await admin.get('/api/v1/donations'), 200).body.items;
  assert.equal(ds.find((d) => d.id === cp.id).left_fen, 180000);
  assert.equal(ds.find((d) => d.id === town.id).left_fen, 50000);
});

test('goods bought with directed money are a lot of that donation and go only as it was directed', async () => {
  const money = expectStatus(await admin.post('/api/v1/donations', {
    donor_name: '医疗队捐款人', donor_kind: 'person', kind: 'money', value_fen: 50000, fund_id: fund.id, directed: true, directed_kind: 'medical_team',
  }), 201).body;
  // Paying from the donation: 40 bottles at 10.00 = 400.00 of its 500.00.
  const r = expectStatus(await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: WT2.id, item_id: gel.id, quantity: 40, source: 'purchase', fund_id: fund.id, donation_id: money.id, unit_price_fen: 1000, supplier: '消毒用品公司',
  }), 201).body;
  assert.deepEqual([r.lot_id, r.donation_id, r.amount_fen, r.donor], [money.id, money.id, 40000, '医疗队捐款人']);
  const over = expectError(await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: WT2.id, item_id: gel.id, quantity: 11, source: 'purchase', fund_id: fund.id, donation_id: money.id, unit_price_fen: 1000,
  }), 422, 'rule', 'amount_fen');
  assert.match(en(over), /left of donation \d+: 100\.00 yuan/);
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: WT2.id, item_id: gel.id, quantity: 1, source: 'purchase', donation_id: money.id, unit_price_fen: 1000 }), 400, 'invalid', 'fund_id');
  const goods = expectStatus(await keeper.post('/api/v1/donations', { donor_name: '物资捐赠人', donor_kind: 'person', kind: 'goods', value_fen: 100 }), 201).body;
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: WT2.id, item_id: gel.id, quantity: 1, source: 'purchase', fund_id: fund.id, donation_id: goods.id, unit_price_fen: 1 }), 422, 'rule', 'donation_id');
  // A community of town 2 gets none of it; a medical team does.
  const comm = expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: CP.id, kind: 'community', lines: [{ item_id: gel.id, quantity: 1 }] }), 201).body;
  expectError(await town2Keeper.post(`/api/v1/supply-requests/${comm.id}/approve`, { warehouse_id: WT2.id, lines: [{ item_id: gel.id, quantity: 1 }] }), 422, 'rule', 'quantity');
  const team = expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: CP.id, kind: 'medical_team', lines: [{ item_id: gel.id, quantity: 40 }] }), 201).body;
  expectStatus(await town2Keeper.post(`/api/v1/supply-requests/${team.id}/approve`, { warehouse_id: WT2.id, lines: [{ item_id: gel.id, quantity: 40 }] }), 200);
  // The donor's acknowledgement thanks for the money, not for goods it bought.
  const ack = await keeper.get(`/api/v1/donations/${money.id}/acknowledgement`);
  expectStatus(ack, 200);
  assert.match(ack.text, /捐赠资金人民币 500\.00 元/);
  assert.doesNotMatch(ack.text, /<table>/);
  await checked();
});

test('a purchase is corrected by reversing entries: goods returned, the fund refunded, the receipt unchanged', async () => {
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 100000, purpose: '追加拨付' }), 201);
  const before = await fundNow();
  const buy = expectStatus(await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: W.id, item_id: gel.id, quantity: 20, source: 'purchase', fund_id: fund.id, unit_price_fen: 1250, supplier: '退货供应商',
  }), 201).body;
  assert.equal(buy.amount_fen, 25000);
  // 4 bottles broken on arrival: sent back, 50.00 yuan refunded.
  const c1 = await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 4, reason: '到货破损退回', client_id: 'mv-c-1' });
  expectStatus(c1, 201, 'correction');
  const e1 = c1.body.entry;
  assert.deepEqual([e1.kind, e1.quantity, e1.corrects_id, e1.amount_fen, e1.reason], ['adjustment', -4, buy.id, -5000, '到货破损退回']);
  assert.ok(c1.body.fund_entry);
  // Sent twice: corrected once.
  const again = await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 4, reason: '到货破损退回', client_id: 'mv-c-1' });
  expectStatus(again, 201);
  assert.equal(again.body.entry.id, e1.id);
  // The supplier lowers the price by 1.00 a bottle for the 16 kept: a refund without goods.
  const c2 = expectStatus(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { refund_fen: 1600, reason: '供应商降价' }), 201).body;
  assert.deepEqual([c2.entry.quantity, c2.entry.amount_fen], [0, -1600]);
  const f = await fundNow();
  assert.equal(f.balance_fen, before.balance_fen - 25000 + 5000 + 1600);
  assert.equal(f.spent_fen, before.spent_fen + 25000 - 5000 - 1600);
  const entries = expectStatus(await admin.get(`/api/v1/funds/${fund.id}/entries?limit=500`), 200).body.items;
  const mine = entries.filter((e) => e.ledger_id === buy.id || e.ledger_id === e1.id || e.ledger_id === c2.entry.id);
  assert.deepEqual(mine.map((e) => [e.kind, e.amount_fen]), [['spend', -25000], ['spend', 5000], ['spend', 1600]]);
  // The receipt itself is as it was; the ledger holds all three.
  const led = expectStatus(await keeper.get(`/api/v1/stock/ledger?item_id=${gel.id}&warehouse_id=${W.id}`), 200).body.items;
  const rec = led.find((e) => e.id === buy.id);
  assert.deepEqual([rec.quantity, rec.amount_fen, rec.unit_price_fen], [20, 25000, 1250]);
  assert.deepEqual(led.filter((e) => e.corrects_id === buy.id).map((e) => e.quantity), [-4, 0]);
  // Never more than was received or paid.
  const q = expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 17, refund_fen: 0, reason: 'x' }), 422, 'rule', 'returned');
  assert.match(en(q), /at most 16 of receipt \d+ can still be returned/);
  assert.match(await zhMessage('post', `/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 17, reason: 'x' }, 422, 'returned'), /最多还可退货 16/);
  const m = expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { refund_fen: 18401, reason: 'x' }), 422, 'rule', 'refund_fen');
  assert.match(en(m), /at most 184\.00 yuan/);
  // Bad input.
  expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { reason: 'x' }), 400, 'invalid', 'returned');
  expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: -1, reason: 'x' }), 400, 'invalid', 'returned');
  expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 1 }), 400, 'invalid', 'reason');
  expectError(await keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { refund_fen: 1.5, reason: 'x' }), 400, 'invalid', 'refund_fen');
  expectError(await keeper.post('/api/v1/stock/receipts/999999/corrections', { returned: 1, reason: 'x' }), 404, 'not_found');
  // Only receipts are corrected here, and only in one's scope.
  expectError(await keeper.post(`/api/v1/stock/receipts/${e1.id}/corrections`, { returned: 1, reason: 'x' }), 404, 'not_found');
  expectError(await townKeeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 1, reason: 'x' }), 404, 'not_found');
  // A receipt paid from no fund has no money to give back.
  const free = expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: gel.id, quantity: 5, source: 'purchase' }), 201).body;
  expectError(await keeper.post(`/api/v1/stock/receipts/${free.id}/corrections`, { refund_fen: 100, reason: 'x' }), 422, 'rule', 'refund_fen');
  expectStatus(await keeper.post(`/api/v1/stock/receipts/${free.id}/corrections`, { returned: 5, reason: '点错' }), 201);
  await checked();
});

test('goods already issued cannot be returned; a refund of directed money goes back to its donation', async () => {
  const money = expectStatus(await admin.post('/api/v1/donations', {
    donor_name: '退款捐款人', donor_kind: 'org', kind: 'money', value_fen: 20000, fund_id: fund.id, directed: true, directed_kind: 'epidemic_point',
  }), 201).body;
  const buy = expectStatus(await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: WT2.id, item_id: suit.id, quantity: 10, source: 'purchase', fund_id: fund.id, donation_id: money.id, unit_price_fen: 2000,
  }), 201).body;
  // All of the donation is spent: naming it once more is refused.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 1, purpose: 'x', donation_id: money.id, for_kind: 'epidemic_point' }), 422, 'rule', 'amount_fen');
  const point = expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: CP.id, kind: 'epidemic_point', lines: [{ item_id: suit.id, quantity: 7 }] }), 201).body;
  expectStatus(await town2Keeper.post(`/api/v1/supply-requests/${point.id}/approve`, { warehouse_id: WT2.id, lines: [{ item_id: suit.id, quantity: 7 }] }), 200);
  // 7 of the 10 are gone to the front line: only 3 can go back.
  const e = expectError(await town2Keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 4, reason: '退货' }), 422, 'rule', 'returned');
  assert.match(en(e), /available 3/);
  expectStatus(await town2Keeper.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 3, reason: '退货' }), 201);
  // The 60.00 yuan refunded is the donation's again, still only for epidemic points.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 6000, purpose: 'x', donation_id: money.id, for_kind: 'checkpoint' }), 422, 'rule', 'for_kind');
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 6001, purpose: 'x', donation_id: money.id, for_kind: 'epidemic_point' }), 422, 'rule', 'amount_fen');
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 6000, purpose: '疫点消毒', donation_id: money.id, for_kind: 'epidemic_point' }), 201);
  await checked();
});

test('two corrections returning a whole receipt at once: exactly one succeeds', async () => {
  const buy = expectStatus(await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: W.id, item_id: suit.id, quantity: 6, source: 'purchase', fund_id: fund.id, unit_price_fen: 100,
  }), 201).body;
  const before = await fundNow();
  const racers = await Promise.all([0, 1, 2].map(async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
  const res = await Promise.all(racers.map((c) => c.post(`/api/v1/stock/receipts/${buy.id}/corrections`, { returned: 6, reason: '整单退货' })));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 422, 422], res.map(show).join('\n'));
  assert.ok(res.filter((r) => r.status === 422).every((r) => r.body.error.field === 'returned'), res.map(show).join('\n'));
  const after = await fundNow();
  assert.equal(after.balance_fen, before.balance_fen + 600, 'refunded once');
  await checked();
});

test('spends of one directed donation at once never take more than is left of it; a spend sent twice is kept once', async () => {
  const d = expectStatus(await admin.post('/api/v1/donations', {
    donor_name: '竞争捐款人', donor_kind: 'person', kind: 'money', value_fen: 250, fund_id: fund.id, directed: true, directed_kind: 'isolation_site',
  }), 201).body;
  const racers = await Promise.all([0, 1, 2, 3].map(async () => {
    const c = new Client(srv.base);
    await c.signIn('admin', srv.adminPassword);
    return c;
  }));
  const res = await Promise.all(racers.map((c) => c.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 100, purpose: '隔离点消毒', donation_id: d.id, for_kind: 'isolation_site' })));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 201, 422, 422], res.map(show).join('\n'));
  assert.ok(res.filter((r) => r.status === 422).every((r) => r.body.error.field === 'amount_fen' && /left of donation \d+: 0\.50 yuan/.test(en(r.body.error))), res.map(show).join('\n'));
  const body = { kind: 'spend', amount_fen: 50, purpose: '隔离点口罩', donation_id: d.id, for_kind: 'isolation_site', client_id: 'mv-s-1' };
  const [a, b] = [await admin.post(`/api/v1/funds/${fund.id}/entries`, body), await admin.post(`/api/v1/funds/${fund.id}/entries`, body)];
  expectStatus(a, 201);
  expectStatus(b, 201);
  assert.equal(a.body.id, b.body.id);
  const left = expectStatus(await admin.get('/api/v1/donations'), 200).body.items.find((x) => x.id === d.id).left_fen;
  assert.equal(left, 0);
});
