// The warehouse's page on the demo district: the queue shows the epidemic
// point first; a keeper records a donation and receives its goods, sees
// the stock chart and its table, then approves a checkpoint's request and
// sees it leave the queue and the ledger show the issue.
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
