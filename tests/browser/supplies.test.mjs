// The warehouse's page on the demo district: the queue shows the epidemic
// point first; a keeper records a donation and receives its goods, sees
// the stock chart and its table, then approves a checkpoint's request and
// sees it leave the queue and the ledger show the issue. A keeper moves
// suits to the town store (the same store twice and more than is there
// refused beside the field) and corrects a purchase (goods returned, the
// fund refunded, after a confirmation); a commander spends the checkpoints'
// donated money, refused for a community, allowed for a checkpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startServer, launch, newPage, login, nav, shotOnFail, apiAs, DESKTOP, ROOT } from './lib.mjs';

let srv;
let browser;
const tag = Date.now().toString(36).slice(-5);

before(async () => {
	srv = await startServer();
	browser = await launch();
});

after(async () => {
	if (browser) await browser.close();
	if (srv) await srv.stop();
});

test('the queue shows the epidemic point first; a keeper receives a donation and approves a checkpoint', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('supplies', page, async () => {
		await login(page, srv.url, 'warehouse');
		// The warehouse keeper lands on the supplies page.
		await page.locator('.page-supplies h1').waitFor();
		await page.locator('.page-supplies .chart canvas').waitFor();
		await page.locator('.page-supplies .stats .stat').first().waitFor();
		await mkdir(path.join(ROOT, 'build/screenshots'), { recursive: true });
		await page.screenshot({ path: path.join(ROOT, 'build/screenshots/supplies-stock.png'), fullPage: true });
		// The table is one click away.
		await page.locator('.page-supplies button', { hasText: '看表格' }).click();
		await page.locator('.stock-table table tbody tr', { hasText: '医用防护服' }).first().waitFor();

		// The queue: front line first.
		await page.locator('.tabs button', { hasText: '申领队列' }).click();
		const rows = page.locator('.tab-body table tbody tr');
		await rows.first().waitFor();
		assert.equal(await rows.first().getAttribute('data-kind'), 'epidemic_point');
		const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.kind));
		const rank = { epidemic_point: 1, isolation_site: 1, checkpoint: 2, medical_team: 3, community: 4 };
		for (let i = 1; i < kinds.length; i++) assert.ok(rank[kinds[i - 1]] <= rank[kinds[i]], `queue order ${kinds}`);

		// A donation recorded and its goods received.
		await page.locator('.tabs button', { hasText: '捐赠' }).click();
		await page.locator('details.disclosure > summary', { hasText: '登记捐赠' }).click();
		const df = page.locator('details[open] form');
		await df.locator('input[name=donor_name]').fill(`测试爱心企业${tag}`);
		await df.locator('input[name=value]').fill('1200.50');
		await df.locator('input[name=description]').fill('一次性手套 300 双');
		await df.locator('button[type=submit]').click();
		await page.locator('.tab-body table tbody tr', { hasText: `测试爱心企业${tag}` }).waitFor();
		assert.match(await page.locator('.tab-body table tbody tr', { hasText: `测试爱心企业${tag}` }).textContent(), /1,200\.50/);

		await page.locator('.tabs button', { hasText: '库存' }).click();
		await page.locator('details.disclosure > summary', { hasText: '物资入库' }).click();
		const rf = page.locator('details[open] form');
		await rf.locator('select[name=item_id]:not([disabled])').waitFor();
		await rf.locator('select[name=item_id]').selectOption({ label: '一次性手套（薄膜/橡胶）（双）' });
		await rf.locator('input[name=quantity]').fill('300');
		await rf.locator('select[name=source]').selectOption('donation');
		await rf.locator('select[name=donation_id]:not([disabled])').waitFor();
		const opt = await rf.locator('select[name=donation_id] option', { hasText: `测试爱心企业${tag}` }).getAttribute('value');
		await rf.locator('select[name=donation_id]').selectOption(opt);
		await rf.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '已入库' }).waitFor();

		// A checkpoint's open request approved.
		await page.locator('.tabs button', { hasText: '申领队列' }).click();
		const cp = page.locator('.tab-body table tbody tr[data-kind=checkpoint]').first();
		await cp.waitFor();
		const id = await cp.getAttribute('data-id');
		await cp.locator('button', { hasText: '批准发放' }).click();
		await cp.locator('form select[name=warehouse_id]:not([disabled])').waitFor();
		await cp.locator('form button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '已发放' }).waitFor();
		await page.locator(`.tab-body table tbody tr[data-id="${id}"]`).waitFor({ state: 'detached' });

		const api = await apiAs(srv.url, 'warehouse');
		const r = await api('GET', `/api/v1/supply-requests/${id}`);
		assert.equal(r.status, 'done');
		const led = await api('GET', `/api/v1/stock/ledger?kind=issue&limit=500`);
		assert.ok(led.items.some((e) => e.request_id === Number(id)));
		const chk = await api('GET', '/api/v1/stock/check');
		assert.equal(chk.ok, true);
		await page.locator('.tabs button', { hasText: '台账' }).click();
		await page.locator('.tab-body table tbody tr').first().waitFor();
		await page.screenshot({ path: path.join(ROOT, 'build/screenshots/supplies-ledger.png'), fullPage: true });
	});
});

test('a checkpoint\'s staff asks for supplies on their own page', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('supply-request', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		await nav(page, 'supply-request');
		const f = page.locator('.page-supply-request form').first();
		await f.locator('select[name=kind]').selectOption('checkpoint');
		await f.locator('input[name=requester]').fill(`S101 卡点 ${tag}`);
		await f.locator('select[name=item_0]:not([disabled])').waitFor();
		await f.locator('select[name=item_0]').selectOption({ label: '红外测温枪（把）' });
		await f.locator('input[name=qty_0]').fill('5');
		await f.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '申领已提交' }).waitFor();
		await page.locator('.page-supply-request table tbody tr', { hasText: `S101 卡点 ${tag}` }).waitFor();
	});
});

test('a keeper moves suits to the town store and corrects a purchase; directed money is spent only as directed', async () => {
	const api = await apiAs(srv.url, 'warehouse');
	const suit = (await api('GET', '/api/v1/items?q=' + encodeURIComponent('医用防护服'))).items[0];
	const whs = (await api('GET', '/api/v1/warehouses')).items;
	const store = whs.find((w) => w.name === '金凤区防控物资储备库');
	const town = whs.find((w) => w.id !== store.id);
	const onHand = async (wh) => (await api('GET', `/api/v1/stock?warehouse_id=${wh}&item_id=${suit.id}`)).items[0].quantity;
	const [s0, t0] = [await onHand(store.id), await onHand(town.id)];

	const page = await newPage(browser, DESKTOP);
	await shotOnFail('supplies-moves', page, async () => {
		await login(page, srv.url, 'warehouse');
		await page.locator('.page-supplies h1').waitFor();
		await page.locator('details.disclosure > summary', { hasText: '物资调拨' }).click();
		const tf = page.locator('details[open] form');
		await tf.locator('select[name=from_warehouse_id]:not([disabled])').waitFor();
		await tf.locator('select[name=to_warehouse_id]:not([disabled])').waitFor();
		await tf.locator('select[name=item_id]:not([disabled])').waitFor();
		await tf.locator('select[name=from_warehouse_id]').selectOption(String(store.id));
		await tf.locator('select[name=to_warehouse_id]').selectOption(String(store.id));
		await tf.locator('select[name=item_id]').selectOption(String(suit.id));
		await tf.locator('input[name=quantity]').fill('10');
		await tf.locator('button[type=submit]').click();
		await tf.locator('.field.has-error', { hasText: '调入仓库不能与调出仓库相同' }).waitFor();
		await tf.locator('select[name=to_warehouse_id]').selectOption(String(town.id));
		await tf.locator('input[name=quantity]').fill(String(s0 + 1));
		await tf.locator('button[type=submit]').click();
		await tf.locator('.field.has-error', { hasText: `库存不足：可用 ${s0}` }).waitFor();
		assert.equal(await onHand(store.id), s0, 'nothing moved');
		await tf.locator('input[name=quantity]').fill('10');
		await tf.locator('input[name=reason]').fill('支援一镇卡点');
		await tf.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '已调拨 10 套' }).waitFor();
		assert.equal(await onHand(store.id), s0 - 10);
		assert.equal(await onHand(town.id), t0 + 10);
		// The page reloads its figures: one low-stock alert, naming the town's suits when few.
		if (t0 + 10 <= suit.low_stock) await page.locator('.low-stock', { hasText: `${town.name}：${t0 + 10} 套` }).waitFor();
		assert.equal(await page.locator('.low-stock').count(), 1);
		await page.screenshot({ path: path.join(ROOT, 'build/screenshots/supplies-transfer.png'), fullPage: true });

		// The ledger of suits in the district store: correct the first purchase.
		await page.goto(`${srv.url}/#/supplies?tab=ledger&item_id=${suit.id}&warehouse_id=${store.id}`);
		await page.locator('.ledger-check', { hasText: '与库存汇总一致' }).waitFor();
		const moved = page.locator('.tab-body table tbody tr[data-kind=transfer]', { hasText: town.name });
		const rec = page.locator('.tab-body table tbody tr[data-kind=receipt]', { hasText: '采购' }).first();
		await rec.waitFor();
		const rid = Number(await rec.getAttribute('data-id'));
		await rec.locator('button', { hasText: '更正/退货' }).click();
		const cf = rec.locator('form');
		await cf.locator('button[type=submit]').click();
		await cf.locator('.field.has-error', { hasText: '请填写退货数量或退款金额' }).waitFor();
		await cf.locator('input[name=returned]').fill('2');
		await cf.locator('input[name=reason]').fill('到货破损退回');
		await cf.locator('button[type=submit]').click();
		// A confirmation first; cancelling changes nothing.
		await page.locator('dialog.dialog', { hasText: `确定更正入库流水 ${rid}` }).waitFor();
		await page.locator('dialog.dialog [data-act=cancel]').click();
		let led = (await api('GET', `/api/v1/stock/ledger?item_id=${suit.id}&warehouse_id=${store.id}&limit=500`)).items;
		assert.ok(!led.some((e) => e.corrects_id === rid), 'cancelled: no correction');
		await cf.locator('button[type=submit]').click();
		await page.locator('dialog.dialog [data-act=ok]').click();
		await page.locator('#toasts .toast', { hasText: '已更正' }).waitFor();
		led = (await api('GET', `/api/v1/stock/ledger?item_id=${suit.id}&warehouse_id=${store.id}&limit=500`)).items;
		const receipt = led.find((e) => e.id === rid);
		const fix = led.find((e) => e.corrects_id === rid);
		assert.deepEqual([fix.kind, fix.quantity, fix.amount_fen, fix.reason], ['adjustment', -2, -2 * receipt.unit_price_fen, '到货破损退回']);
		assert.equal(receipt.quantity > 2, true, 'the receipt itself is unchanged');
		await page.locator('.tab-body table tbody tr', { hasText: '到货破损退回' }).waitFor();
		assert.ok(await moved.count() > 0, 'the transfer shows in the ledger');
		await page.screenshot({ path: path.join(ROOT, 'build/screenshots/supplies-correction.png'), fullPage: true });
		const fe = (await api('GET', `/api/v1/funds/${receipt.fund_id}/entries?limit=500`)).items;
		assert.ok(fe.some((e) => e.ledger_id === fix.id && e.amount_fen === 2 * receipt.unit_price_fen), 'the fund refunded');
		assert.equal((await api('GET', '/api/v1/stock/check')).ok, true);
	});

	const cpage = await newPage(browser, DESKTOP);
	await shotOnFail('supplies-directed-money', cpage, async () => {
		const capi = await apiAs(srv.url, 'commander');
		const fund = (await capi('GET', '/api/v1/funds')).items.find((f) => f.name === '社会捐赠资金');
		await login(cpage, srv.url, 'commander');
		await cpage.goto(`${srv.url}/#/supplies?tab=funds`);
		await cpage.locator('.tab-body table tbody tr a', { hasText: '社会捐赠资金' }).click();
		await cpage.locator('details.disclosure > summary', { hasText: '拨付或支出' }).click();
		const ff = cpage.locator('details[open] form');
		await ff.locator('select[name=kind]').selectOption('spend');
		await ff.locator('input[name=amount_fen]').fill('1000');
		await ff.locator('input[name=purpose]').fill(`卡点帐篷${tag}`);
		// Undirected: there is none in this fund.
		await ff.locator('button[type=submit]').click();
		await ff.locator('.field.has-error', { hasText: '非定向余额：0.00 元' }).waitFor();
		const opt = ff.locator('select[name=donation_id] option', { hasText: '金凤区工商联会员企业' });
		await opt.waitFor({ state: 'attached' });
		await ff.locator('select[name=donation_id]').selectOption(await opt.getAttribute('value'));
		await ff.locator('.direction-hint', { hasText: '卡点' }).waitFor();
		await ff.locator('select[name=for_kind]').selectOption('community');
		await ff.locator('button[type=submit]').click();
		await ff.locator('.field.has-error', { hasText: '不能用于 community' }).waitFor();
		await ff.locator('select[name=for_kind]').selectOption('checkpoint');
		await ff.locator('button[type=submit]').click();
		await cpage.locator('.tab-body table tbody tr', { hasText: `卡点帐篷${tag}` }).waitFor();
		const entries = (await capi('GET', `/api/v1/funds/${fund.id}/entries?limit=500`)).items;
		const e = entries.find((x) => x.purpose === `卡点帐篷${tag}`);
		assert.deepEqual([e.kind, e.amount_fen, e.donor], ['spend', -100000, '金凤区工商联会员企业']);
		assert.equal(entries.filter((x) => x.purpose === `卡点帐篷${tag}`).length, 1, 'spent once');
		await cpage.screenshot({ path: path.join(ROOT, 'build/screenshots/supplies-directed-money.png'), fullPage: true });
	});
});
