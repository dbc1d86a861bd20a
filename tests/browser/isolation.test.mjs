// Isolation in the browser, on the demo district: an officer places an
// arrival from Wuhan in a hotel room from the placement advice; a medic
// sees the fever alert on the alert queue and closes it; the isolated
// person self-reports on a phone-sized page with no account, and a forged
// link gets a page that says so. Screenshots go to build/test-screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, nav, shotOnFail, apiAs, PHONE, ROOT } from './lib.mjs';

let srv;
let browser;
let admin;
let person;
let order;
const shots = path.join(ROOT, 'build/test-screenshots');
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

function rid(first17) {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let s = 0;
	for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
	return first17 + '10X98765432'[s % 11];
}

before(async () => {
	srv = await startServer();
	browser = await launch();
	await mkdir(shots, { recursive: true });
	admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const seq = String(process.pid % 900 + 100);
	person = await admin('POST', '/api/v1/persons', { doc_number: rid(`42010219850505${seq}`), name: '武汉来客', unit_id: me.scope_unit.id });
	const r = await admin.raw('POST', '/api/v1/risk-areas', { code: '420100', grade: 'severe', valid_from: today() });
	assert.ok(r.status === 201 || r.status === 409, `risk area: ${r.status}`);
	await admin('POST', `/api/v1/persons/${person.id}/arrivals`, { origin_code: '420100', arrival_date: today(), mode: 'train' });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

test('an officer places an arrival in a hotel room from the advice', async () => {
	const page = await newPage(browser);
	await shotOnFail('isolation-order', page, async () => {
		await login(page, srv.url, 'officer');
		await nav(page, 'isolation');
		await page.locator('.stats .stat').first().waitFor();
		await page.screenshot({ path: path.join(shots, 'isolation-monitor.png'), fullPage: true });
		await page.locator('nav.tabs a[data-tab=orders]').click();
		await page.locator('form.order-form .picker-q').fill('武汉来客');
		await page.locator('form.order-form .picker-opt').first().click();
		const advice = page.locator('[data-advice]');
		await advice.waitFor();
		assert.equal(await advice.getAttribute('data-advice'), 'centralized');
		assert.equal(await page.locator('form.order-form select[name=kind]').inputValue(), 'centralized');
		// The first free hotel room is chosen.
		await page.waitForFunction(() => document.querySelector('form.order-form select[name=room_id]').options.length > 1);
		assert.notEqual(await page.locator('form.order-form select[name=room_id]').inputValue(), '');
		await page.locator('form.order-form button[type=submit]').click();
		await page.waitForURL(/#\/isolation\/order\/\d+/);
		order = Number(/order\/(\d+)/.exec(page.url())[1]);
		await page.locator('dl.facts').waitFor();
		const text = await page.locator('dl.facts').innerText();
		assert.match(text, /武汉来客/);
		assert.match(text, /集中隔离/);
		await page.screenshot({ path: path.join(shots, 'isolation-order.png'), fullPage: true });
		assert.deepEqual(page.errors || [], []);
	});
	const o = await admin('GET', `/api/v1/isolations/${order}`);
	assert.equal(o.kind, 'centralized');
	assert.ok(o.room_id, 'a room was taken');
});

test('a medic sees the fever alert and closes it', async () => {
	assert.ok(order, 'the order of the first test');
	const check = await admin('POST', `/api/v1/isolations/${order}/checks`, { temperature: 38.3, symptoms: ['cough'], client_id: `b-${Date.now()}` });
	assert.ok(check.alert_id);
	const page = await newPage(browser);
	await shotOnFail('isolation-alert', page, async () => {
		await login(page, srv.url, 'medic');
		await page.goto(`${srv.url}/#/isolation/alerts?status=open`);
		const row = page.locator(`tr[data-alert="${check.alert_id}"]`);
		await row.waitFor();
		assert.match(await row.innerText(), /38\.3/);
		await page.screenshot({ path: path.join(shots, 'isolation-alerts.png'), fullPage: true });
		await row.locator('button[data-act=normal]').click();
		await row.waitFor({ state: 'detached' });
	});
	const open = await admin('GET', `/api/v1/alerts?isolation_id=${order}&status=open`);
	assert.equal(open.items.length, 0);
	const closed = await admin('GET', `/api/v1/alerts?isolation_id=${order}&status=closed`);
	assert.equal(closed.items[0].outcome, 'normal');
});

test('the person self-reports on a phone; a forged link is refused', async () => {
	assert.ok(order, 'the order of the first test');
	const link = await admin('POST', `/api/v1/isolations/${order}/self-report-link`, {});
	const page = await newPage(browser, PHONE);
	await shotOnFail('isolation-self', page, async () => {
		await page.goto(`${srv.url}${link.url}`);
		await page.locator('input[name=temperature]').fill('36.6');
		await page.locator('label.check', { hasText: '乏力' }).click();
		await page.locator('button[type=submit]').click();
		await page.locator('.alert-ok').waitFor();
		await page.screenshot({ path: path.join(shots, 'isolation-self-report.png'), fullPage: true });
		assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scroll');
		await page.locator('button[data-service=meals]').click();
		await page.locator('.alert-ok', { hasText: '送餐' }).waitFor();
		await page.goto(`${srv.url}/self-report.html#${order}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
		await page.reload();
		await page.locator('.self-refused').waitFor();
		assert.match(await page.locator('.self-refused').innerText(), /无效/);
	});
	const o = await admin('GET', `/api/v1/isolations/${order}`);
	assert.ok(o.checks.some((c) => c.by_kind === 'self' && c.temperature === 36.6 && c.symptoms.includes('fatigue')));
	assert.ok(o.requests.some((r) => r.kind === 'meals'));
});
