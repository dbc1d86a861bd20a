// Supplies and funds (DOMAIN.md §9) through the API, on both backends:
// items and warehouses, receipts (purchase against a fund, donated goods),
// on hand and the ledger with its running balance, a correction as a new
// entry, the request queue front line first, approvals all or in part, 422
// below zero with the quantity available, a directed donation refused where
// it was not directed, funds never spent below zero, a town keeper who sees
// only the town's store, exports whose numbers read back from the xlsx, and
// the check that the summaries equal the ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, userClient, expectStatus, expectError, show, unzipEntry, cordon, dbArgs,
  assertNoSanitizer,
} from './lib.mjs';

let srv, admin, keeper, townKeeper, officer;
let T1, T2, C1, C2;
let W, WT; // district store, town store
let suit, mask;
let fund;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  T1 = await mkUnit(admin, admin.root.id, 'town', 'SP-T1', '物资一镇');
  T2 = await mkUnit(admin, admin.root.id, 'town', 'SP-T2', '物资二镇');
  C1 = await mkUnit(admin, T1.id, 'community', 'SP-C1', '物资一社区');
  C2 = await mkUnit(admin, T2.id, 'community', 'SP-C2', '物资二社区');
  keeper = await userClient(srv, admin, { role: 'warehouse', scope_unit_id: admin.root.id });
  townKeeper = await userClient(srv, admin, { role: 'warehouse', scope_unit_id: T1.id });
  officer = await userClient(srv, admin, { role: 'officer', scope_unit_id: T1.id });
  W = expectStatus(await keeper.post('/api/v1/warehouses', { unit_id: admin.root.id, name: '区防控物资储备库' }), 201).body;
  WT = expectStatus(await townKeeper.post('/api/v1/warehouses', { unit_id: T1.id, name: '一镇物资库' }), 201).body;
  suit = expectStatus(await keeper.post('/api/v1/items', { name: '医用防护服', unit: '套', spec: 'GB 19082', low_stock: 100 }), 201).body;
  mask = expectStatus(await keeper.post('/api/v1/items', { name: 'N95口罩', unit: '只' }), 201).body;
  fund = expectStatus(await admin.post('/api/v1/funds', { name: '疫情防控专项资金' }), 201).body;
  expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 100000, purpose: '区财政拨付' }), 201);
});

after(async () => {
  await srv?.stop();
});

async function onHand(c, wh, item) {
  const s = expectStatus(await c.get(`/api/v1/stock?warehouse_id=${wh}`), 200, 'stock').body.items;
  return s.find((x) => x.item_id === item)?.quantity;
}

test('items and warehouses: created, listed, duplicates refused, bad input named', async () => {
  expectError(await keeper.post('/api/v1/items', { name: '医用防护服', unit: '套', spec: 'GB 19082' }), 409, 'conflict', 'name');
  expectError(await keeper.post('/api/v1/items', { unit: '套' }), 400, 'invalid', 'name');
  expectError(await keeper.post('/api/v1/items', { name: '帽子', unit: '顶', low_stock: -1 }), 400, 'invalid', 'low_stock');
  expectError(await keeper.post('/api/v1/items', { name: 'x\u0000y', unit: '顶' }), 400, 'invalid', 'body');
  expectError(await keeper.post('/api/v1/warehouses', { unit_id: admin.root.id, name: '区防控物资储备库' }), 409, 'conflict', 'name');
  expectError(await townKeeper.post('/api/v1/warehouses', { unit_id: T2.id, name: '越权库' }), 403, 'forbidden');
  const items = expectStatus(await townKeeper.get('/api/v1/items'), 200).body.items;
  assert.ok(items.some((i) => i.id === suit.id), 'a town keeper sees the district catalog');
  const patched = expectStatus(await keeper.patch(`/api/v1/items/${mask.id}`, { low_stock: 50 }), 200).body;
  assert.equal(patched.low_stock, 50);
  expectError(await officer.post('/api/v1/items', { name: '护目镜', unit: '副' }), 403, 'forbidden');
});

test('a purchase against a fund: stock up, ledger balance, fund spent; overspending is 422 with the balance', async () => {
  const r = await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: W.id, item_id: suit.id, quantity: 10, source: 'purchase', fund_id: fund.id,
    unit_price_fen: 8550, supplier: '宁夏医疗器械公司', client_id: 'sp-buy-1',
  });
  expectStatus(r, 201, 'receipt');
  assert.equal(r.body.kind, 'receipt');
  assert.equal(r.body.quantity, 10);
  assert.equal(r.body.balance, 10);
  assert.equal(r.body.amount_fen, 85500);
  // A retry with the same client id stores nothing twice.
  const again = await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: W.id, item_id: suit.id, quantity: 10, source: 'purchase', fund_id: fund.id,
    unit_price_fen: 8550, supplier: '宁夏医疗器械公司', client_id: 'sp-buy-1',
  });
  expectStatus(again, 201, 'retry');
  assert.equal(again.body.id, r.body.id);
  assert.equal(await onHand(keeper, W.id, suit.id), 10);
  const funds = expectStatus(await keeper.get('/api/v1/funds'), 200).body.items;
  const f = funds.find((x) => x.id === fund.id);
  assert.equal(f.allocated_fen, 100000);
  assert.equal(f.spent_fen, 85500);
  assert.equal(f.balance_fen, 14500);
  // 2 suits at 85.50 = 171.00 yuan > 145.00 left: refused, nothing received.
  const over = await keeper.post('/api/v1/stock/receipts', {
    warehouse_id: W.id, item_id: suit.id, quantity: 2, source: 'purchase', fund_id: fund.id, unit_price_fen: 8550,
  });
  const e = expectError(over, 422, 'rule', 'amount_fen');
  assert.match(e.message_en ?? e.message, /145\.00/);
  assert.equal(await onHand(keeper, W.id, suit.id), 10, 'the refused purchase left no stock');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 2, source: 'purchase', fund_id: fund.id }), 400, 'invalid', 'unit_price_fen');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 0, source: 'purchase' }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 1.5, source: 'purchase' }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 1, source: 'gift' }), 400, 'invalid', 'source');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: 99999, quantity: 1, source: 'purchase' }), 400, 'invalid', 'item_id');
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 1, source: 'donation' }), 400, 'invalid', 'donation_id');
  // Spending straight from the fund: the same rule.
  expectError(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 14501, purpose: '运输' }), 422, 'rule', 'amount_fen');
  const spend = expectStatus(await admin.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'spend', amount_fen: 500, purpose: '运输' }), 201).body;
  assert.equal(spend.amount_fen, -500);
  assert.equal(spend.balance_fen, 14000);
  expectError(await keeper.post(`/api/v1/funds/${fund.id}/entries`, { kind: 'allocation', amount_fen: 1, purpose: 'x' }), 403, 'forbidden');
});

test('a correction is a new entry naming the one it corrects; the ledger keeps both', async () => {
  const r = expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: mask.id, quantity: 1000, source: 'purchase' }), 201).body;
  // Counted again: 990, not 1000.
  const fix = expectStatus(await keeper.post('/api/v1/stock/adjustments', {
    warehouse_id: W.id, item_id: mask.id, quantity: -10, reason: '复核点数少 10 只', corrects_id: r.id,
  }), 201).body;
  assert.equal(fix.kind, 'adjustment');
  assert.equal(fix.corrects_id, r.id);
  assert.equal(fix.balance, 990);
  expectError(await keeper.post('/api/v1/stock/adjustments', { warehouse_id: W.id, item_id: mask.id, quantity: -10 }), 400, 'invalid', 'reason');
  expectError(await keeper.post('/api/v1/stock/adjustments', { warehouse_id: W.id, item_id: mask.id, quantity: 0, reason: 'x' }), 400, 'invalid', 'quantity');
  expectError(await keeper.post('/api/v1/stock/adjustments', { warehouse_id: W.id, item_id: suit.id, quantity: 1, reason: 'x', corrects_id: r.id }), 400, 'invalid', 'corrects_id');
  // A write-off below zero is refused with what is there.
  const e = expectError(await keeper.post('/api/v1/stock/adjustments', { kind: 'write_off', warehouse_id: W.id, item_id: mask.id, quantity: -991, reason: '过期' }), 422, 'rule', 'quantity');
  assert.match(e.message_en ?? e.message, /available 990/);
  const led = expectStatus(await keeper.get(`/api/v1/stock/ledger?item_id=${mask.id}&warehouse_id=${W.id}`), 200).body.items;
  assert.deepEqual(led.map((x) => [x.kind, x.quantity, x.balance]), [['receipt', 1000, 1000], ['adjustment', -10, 990]]);
  assert.equal(led[0].quantity, 1000, 'the corrected entry itself is unchanged');
  const chk = expectStatus(await keeper.get('/api/v1/stock/check'), 200).body;
  assert.equal(chk.ok, true, JSON.stringify(chk));
  assert.ok(chk.entries >= 3);
});

test('the queue serves the front line first; approval issues all or part; never below zero', async () => {
  const reqs = {};
  for (const [kind, unit] of [['community', C1], ['medical_team', T1], ['checkpoint', T1], ['epidemic_point', C1]]) {
    const r = await officer.post('/api/v1/supply-requests', { unit_id: unit.id, kind, lines: [{ item_id: mask.id, quantity: 400 }] });
    expectStatus(r, 201, `request ${kind}`);
    assert.equal(r.body.status, 'open');
    reqs[kind] = r.body;
  }
  // A community asks as a community without saying so; a town must say.
  const plain = expectStatus(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [{ item_id: suit.id, quantity: 1 }] }), 201).body;
  assert.equal(plain.kind, 'community');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: T1.id, lines: [{ item_id: suit.id, quantity: 1 }] }), 400, 'invalid', 'kind');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, kind: 'hospital', lines: [{ item_id: suit.id, quantity: 1 }] }), 400, 'invalid', 'kind');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [] }), 400, 'invalid', 'lines');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [{ item_id: suit.id, quantity: -1 }] }), 400, 'invalid', 'lines[0].quantity');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [{ item_id: suit.id, quantity: 1 }, { item_id: suit.id, quantity: 2 }] }), 400, 'invalid', 'lines');
  expectError(await officer.post('/api/v1/supply-requests', { unit_id: C2.id, lines: [{ item_id: suit.id, quantity: 1 }] }), 403, 'forbidden');

  const q = expectStatus(await keeper.get('/api/v1/supply-requests?status=open'), 200).body.items;
  const order = q.map((x) => x.kind);
  assert.deepEqual(order.slice(0, 4), ['epidemic_point', 'checkpoint', 'medical_team', 'community']);
  assert.equal(q[0].id, reqs.epidemic_point.id);
  assert.equal(q[0].priority, 1);

  // 990 masks: the epidemic point gets 400, the checkpoint 400, the medical team only 190.
  const ep = await keeper.post(`/api/v1/supply-requests/${reqs.epidemic_point.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 400 }] });
  expectStatus(ep, 200, 'approve epidemic point');
  assert.equal(ep.body.status, 'done');
  assert.equal(ep.body.lines[0].issued, 400);
  expectStatus(await keeper.post(`/api/v1/supply-requests/${reqs.checkpoint.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 400 }] }), 200);
  const short = await keeper.post(`/api/v1/supply-requests/${reqs.medical_team.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 400 }] });
  const e = expectError(short, 422, 'rule', 'quantity');
  assert.match(e.message_en ?? e.message, /available 190/);
  const part = await keeper.post(`/api/v1/supply-requests/${reqs.medical_team.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 190 }] });
  expectStatus(part, 200);
  assert.equal(part.body.status, 'partial');
  assert.equal(part.body.lines[0].issued, 190);
  assert.equal(await onHand(keeper, W.id, mask.id), 0);
  expectError(await keeper.post(`/api/v1/supply-requests/${reqs.community.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 1 }] }), 422, 'rule', 'quantity');
  // More than is still to be issued, an item not asked for, a done request.
  expectError(await keeper.post(`/api/v1/supply-requests/${reqs.medical_team.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 211 }] }), 422, 'rule', 'quantity');
  expectError(await keeper.post(`/api/v1/supply-requests/${reqs.medical_team.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: suit.id, quantity: 1 }] }), 400, 'invalid', 'lines[0].item_id');
  expectError(await keeper.post(`/api/v1/supply-requests/${reqs.epidemic_point.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 1 }] }), 409, 'conflict');
  expectError(await keeper.post('/api/v1/supply-requests/99999/approve', { warehouse_id: W.id, lines: [{ item_id: mask.id, quantity: 1 }] }), 404, 'not_found');
  // The partial request stays in the queue; the done ones leave it.
  const q2 = expectStatus(await keeper.get('/api/v1/supply-requests'), 200).body.items;
  assert.ok(!q2.some((x) => x.id === reqs.epidemic_point.id));
  assert.ok(q2.some((x) => x.id === reqs.medical_team.id && x.status === 'partial'));
  // Closing the rest.
  const closed = expectStatus(await keeper.post(`/api/v1/supply-requests/${reqs.medical_team.id}/close`, { reason: '已另行调拨' }), 200).body;
  assert.equal(closed.status, 'closed');
  // The ledger shows the issues with who received them.
  const led = expectStatus(await keeper.get(`/api/v1/stock/ledger?item_id=${mask.id}&kind=issue`), 200).body.items;
  assert.deepEqual(led.map((x) => x.quantity), [-400, -400, -190]);
  assert.equal(led[2].balance, 0);
  assert.equal(led[0].request_id, reqs.epidemic_point.id);
  assert.equal(led[0].to_unit, C1.name);
  // The requester sees its own requests, not the stock.
  expectStatus(await officer.get(`/api/v1/supply-requests/${reqs.checkpoint.id}`), 200);
  expectError(await officer.get('/api/v1/stock'), 403, 'forbidden');
  expectStatus(await officer.get('/api/v1/items'), 200, 'a requester picks from the catalog');
});

test('a directed donation goes only where it was directed', async () => {
  const d = await keeper.post('/api/v1/donations', {
    donor_name: '宁夏某爱心企业', donor_kind: 'org', contact: '0951-1234567', kind: 'goods', value_fen: 5000000,
    description: '医用防护服 50 套', directed: true, directed_kind: 'checkpoint', purpose: '卡点一线',
  });
  expectStatus(d, 201, 'donation');
  assert.equal(d.body.directed, true);
  expectStatus(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 50, source: 'donation', donation_id: d.body.id }), 201);
  const stock = expectStatus(await keeper.get(`/api/v1/stock?warehouse_id=${W.id}`), 200).body.items.find((x) => x.item_id === suit.id);
  assert.equal(stock.quantity, 60);
  assert.equal(stock.directed, 50);
  const comm = expectStatus(await officer.post('/api/v1/supply-requests', { unit_id: C1.id, lines: [{ item_id: suit.id, quantity: 20 }] }), 201).body;
  const cp = expectStatus(await officer.post('/api/v1/supply-requests', { unit_id: T1.id, kind: 'checkpoint', lines: [{ item_id: suit.id, quantity: 55 }] }), 201).body;
  // Naming the checkpoints' donation for a community: refused, naming the direction.
  const e = expectError(await keeper.post(`/api/v1/supply-requests/${comm.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: suit.id, quantity: 5, donation_id: d.body.id }] }), 422, 'rule', 'donation_id');
  assert.match(e.message_en ?? e.message, /checkpoint/);
  // Without naming it, the community may have only the 10 general suits.
  const e2 = expectError(await keeper.post(`/api/v1/supply-requests/${comm.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: suit.id, quantity: 20 }] }), 422, 'rule', 'quantity');
  assert.match(e2.message_en ?? e2.message, /available 10/);
  // The checkpoint draws the directed suits first, then general stock.
  const ok = await keeper.post(`/api/v1/supply-requests/${cp.id}/approve`, { warehouse_id: W.id, lines: [{ item_id: suit.id, quantity: 55 }] });
  expectStatus(ok, 200);
  const led = expectStatus(await keeper.get(`/api/v1/stock/ledger?item_id=${suit.id}&kind=issue`), 200).body.items;
  assert.deepEqual(led.map((x) => [x.quantity, x.lot_id]), [[-50, d.body.id], [-5, 0]]);
  assert.equal(await onHand(keeper, W.id, suit.id), 5);
  // Money needs funds.write; goods naming a fund are refused.
  expectError(await keeper.post('/api/v1/donations', { donor_name: '张三', donor_kind: 'person', kind: 'money', value_fen: 100, fund_id: fund.id }), 403, 'forbidden');
  expectError(await keeper.post('/api/v1/donations', { donor_name: '张三', donor_kind: 'person', kind: 'goods', value_fen: 100, directed: true }), 400, 'invalid', 'directed_kind');
  expectError(await keeper.post('/api/v1/donations', { donor_name: '张三', donor_kind: 'robot', kind: 'goods', value_fen: 100 }), 400, 'invalid', 'donor_kind');
  const money = expectStatus(await admin.post('/api/v1/donations', { donor_name: '李四', donor_kind: 'person', kind: 'money', value_fen: 20000, fund_id: fund.id, directed: true, directed_kind: 'medical_team' }), 201).body;
  const f = expectStatus(await admin.get('/api/v1/funds'), 200).body.items.find((x) => x.id === fund.id);
  assert.equal(f.donations_fen, 20000);
  assert.equal(f.balance_fen, 34000);
  // Money is not goods.
  expectError(await keeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: suit.id, quantity: 1, source: 'donation', donation_id: money.id }), 422, 'rule', 'donation_id');
  // The donor's acknowledgement, in Chinese, to print.
  const ack = await keeper.get(`/api/v1/donations/${d.body.id}/acknowledgement`);
  expectStatus(ack, 200);
  assert.match(ack.headers.get('content-type'), /^text\/html/);
  assert.match(ack.text, /捐赠接收确认函/);
  assert.match(ack.text, /宁夏某爱心企业/);
  assert.match(ack.text, /50,000\.00/);
  assert.match(ack.text, /定向用于卡点/);
  assert.match(ack.text, /医用防护服<\/td><td class="n">50</);
});

test('a town keeper sees and moves only the town store', async () => {
  expectStatus(await townKeeper.post('/api/v1/stock/receipts', { warehouse_id: WT.id, item_id: mask.id, quantity: 30, source: 'purchase' }), 201);
  const st = expectStatus(await townKeeper.get('/api/v1/stock'), 200).body.items;
  assert.ok(st.length > 0 && st.every((x) => x.warehouse_id === WT.id), JSON.stringify(st));
  const whs = expectStatus(await townKeeper.get('/api/v1/warehouses'), 200).body.items;
  assert.deepEqual(whs.map((w) => w.id), [WT.id]);
  expectError(await townKeeper.get(`/api/v1/stock?warehouse_id=${W.id}`), 400, 'invalid', 'warehouse_id');
  expectError(await townKeeper.post('/api/v1/stock/receipts', { warehouse_id: W.id, item_id: mask.id, quantity: 1, source: 'purchase' }), 400, 'invalid', 'warehouse_id');
  const led = expectStatus(await townKeeper.get('/api/v1/stock/ledger'), 200).body.items;
  assert.ok(led.length > 0 && led.every((x) => x.warehouse_id === WT.id));
  // Requests of the other town are not in its queue, nor approvable from its store.
  const other = expectStatus(await admin.post('/api/v1/supply-requests', { unit_id: C2.id, lines: [{ item_id: mask.id, quantity: 1 }] }), 201).body;
  const q = expectStatus(await townKeeper.get('/api/v1/supply-requests?status=all'), 200).body.items;
  assert.ok(!q.some((x) => x.id === other.id));
  expectError(await townKeeper.get(`/api/v1/supply-requests/${other.id}`), 404, 'not_found');
  expectError(await townKeeper.post(`/api/v1/supply-requests/${other.id}/approve`, { warehouse_id: WT.id, lines: [{ item_id: mask.id, quantity: 1 }] }), 404, 'not_found');
  const funds = expectStatus(await townKeeper.get('/api/v1/funds'), 200).body.items;
  assert.ok(funds.some((f) => f.id === fund.id), 'the district fund is visible from below');
});

test('stock, ledger, queue, donations and funds export; the xlsx numbers read back', async () => {
  const x = await keeper.get(`/api/v1/stock?warehouse_id=${W.id}&format=xlsx`, { raw: true });
  expectStatus(x, 200, 'stock xlsx');
  // Each row's cells by column: an inline string is text, a number its value.
  const sheet = unzipEntry(x.body, 'xl/worksheets/sheet1.xml');
  const col = (letter) => letter.charCodeAt(0) - 65;
  const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) => {
    const r = [];
    for (const c of m[1].matchAll(/<c r="([A-Z])\d+"[^>]*>(.*?)<\/c>/g)) {
      const t = /<t[^>]*>([^<]*)<\/t>/.exec(c[2]);
      const v = /<v>([^<]*)<\/v>/.exec(c[2]);
      r[col(c[1])] = t ? t[1] : v ? Number(v[1]) : '';
    }
    return r;
  });
  assert.equal(rows[0][2], '物资名称');
  assert.equal(rows[0][5], '库存');
  const suitRow = rows.find((r) => r[2] === '医用防护服');
  assert.ok(suitRow, JSON.stringify(rows));
  assert.equal(suitRow[5], await onHand(keeper, W.id, suit.id));
  for (const p of ['/api/v1/stock/ledger', '/api/v1/supply-requests?status=all', '/api/v1/donations', '/api/v1/funds', '/api/v1/items', '/api/v1/warehouses', `/api/v1/funds/${fund.id}/entries`]) {
    const sep = p.includes('?') ? '&' : '?';
    const c = await keeper.get(`${p}${sep}format=csv`);
    expectStatus(c, 200, `${p} csv`);
    assert.ok(c.text.split('\r\n').length > 2, `${p} csv has rows: ${show(c)}`);
    const xx = await keeper.get(`${p}${sep}format=xlsx`, { raw: true });
    expectStatus(xx, 200, `${p} xlsx`);
    assert.equal(xx.body.subarray(0, 2).toString('latin1'), 'PK');
  }
  const ledCsv = (await keeper.get(`/api/v1/stock/ledger?item_id=${mask.id}&warehouse_id=${W.id}&format=csv`)).text;
  assert.match(ledCsv, /流水号,时间,仓库,物资,计量单位,类型,数量,结存/);
});

test('the summaries equal the ledger after everything above', async () => {
  const chk = expectStatus(await admin.get('/api/v1/stock/check'), 200).body;
  assert.deepEqual({ ok: chk.ok, mismatches: chk.mismatches }, { ok: true, mismatches: 0 }, JSON.stringify(chk));
});

test('cordon report supplies: raised, issued and on hand per item and the funds, as of a day', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const out = await cordon(['report', 'supplies', '--day', today, '--format', 'csv', ...dbArgs(srv.db)]);
  assertNoSanitizer(out);
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.replace(/^\uFEFF/, '').split('\r\n');
  assert.equal(lines[1], '物资,规格,计量单位,筹集,发放,调整与报损,期末库存');
  const stock = expectStatus(await admin.get(`/api/v1/stock?item_id=${mask.id}`), 200).body.items;
  const onHand = stock.reduce((a, r) => a + r.quantity, 0);
  const row = lines.find((l) => l.startsWith('N95口罩,'));
  assert.ok(row, out.stdout);
  const [, , , raised, issued, adjusted, left] = row.split(',').map(Number);
  assert.equal(raised - issued + adjusted, left);
  assert.equal(left, onHand);
  assert.equal(adjusted, 0, 'the correction of a receipt counts as raised');
  assert.match(out.stdout, /疫情防控专项资金,1000\.00,200\.00,860\.00,340\.00/);
  // Before anything happened: nothing.
  const early = await cordon(['report', 'supplies', '--day', '2019-12-31', '--format', 'csv', ...dbArgs(srv.db)]);
  assert.equal(early.code, 0, early.stderr);
  assert.ok(!/N95口罩/.test(early.stdout));
  const bad = await cordon(['report', 'supplies', '--day', '2020-02-30', ...dbArgs(srv.db)]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--day/);
});
