// The commander's dashboard on the demo district: the commander lands on
// it, it opens at the demo day and says so, the bulletin's figures are
// there with their change from the day before, the charts are drawn (each
// with its table a click away), a number opens the list behind it, and the
// day picker moves every figure to another day. Keeps a screenshot in
// build/test-screenshots/dashboard.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startServer, launch, newPage, login, shotOnFail, ROOT, DESKTOP, apiAs } from './lib.mjs';

let srv;
let browser;

before(async () => {
	srv = await startServer();
	browser = await launch();
});

after(async () => {
	if (browser) await browser.close();
	if (srv) await srv.stop();
});

const num = (s) => Number(String(s).replace(/[^\d]/g, '') || 0);

test('the commander lands on the dashboard at the demo day, with the bulletin, charts and links to the lists', async () => {
	const page = await newPage(browser, { ...DESKTOP, height: 1400 });
	page.setDefaultTimeout(60_000); // the dashboard asks for a dozen answers; CI machines are loaded
	await shotOnFail('dashboard', page, async () => {
		await login(page, srv.url, 'commander');
		await page.waitForURL(/#\/dashboard/);
		await page.locator('.demo-note').waitFor();
		assert.match(await page.locator('.demo-note').innerText(), /2020-02-15/);
		assert.equal(await page.locator('input.day-picker').inputValue(), '2020-02-15');

		// the figures are the API's bulletin of that day
		const call = await apiAs(srv.url, 'commander');
		const b = await call('GET', '/api/v1/bulletin?day=2020-02-15');
		const fig = (k) => page.locator(`[data-fig="${k}"]`);
		assert.equal(num(await fig('command.working_groups').innerText()), b.command.working_groups);
		assert.equal(num(await fig('command.leaders').innerText()), 36);
		assert.equal(num(await fig('checkpoints.road_vehicles').innerText()), b.checkpoints.road_vehicles);
		assert.equal(num(await fig('screening.persons.0').innerText()), 620623);
		assert.equal(num(await fig('screening.households.1').innerText()), 239549);
		// each figure shows its change from the day before
		assert.ok(await page.locator('.fig .fig-delta').count() > 10, 'changes from the day before');

		// the charts are drawn
		await page.waitForFunction(() => document.querySelectorAll('.chart svg').length >= 4, null, { timeout: 30_000 });
		const traffic = page.locator('.chart-card', { hasText: /卡点每日通行/ });
		await traffic.locator('.chart svg').waitFor();
		// and the table is a click away
		await traffic.locator('.chart-toggle').click();
		assert.ok(await traffic.locator('.chart-table tbody tr').count() > 5, 'traffic per day as a table');
		const coverage = page.locator('.chart-card', { hasText: /摸排覆盖率/ });
		await coverage.locator('.chart svg').waitFor();

		const dir = path.join(ROOT, 'build/test-screenshots');
		await mkdir(dir, { recursive: true });
		await page.screenshot({ path: path.join(dir, 'dashboard.png'), fullPage: true });

		// a number opens the list behind it
		await fig('command.leaders').click();
		await page.waitForURL(/#\/command\?tab=leaders/);
		await page.locator('.tab.active[data-tab=leaders]').waitFor();
		assert.deepEqual(page.errors || [], []);
	});
});

test('the day picker shows another day\'s figures', async () => {
	const page = await newPage(browser);
	page.setDefaultTimeout(60_000);
	await shotOnFail('dashboard-day', page, async () => {
		await login(page, srv.url, 'commander');
		await page.goto(`${srv.url}/#/dashboard?day=2020-02-15`);
		await page.locator('[data-fig="screening.persons.1"]').waitFor();
		const on15 = num(await page.locator('[data-fig="screening.persons.1"]').innerText());
		await page.locator('input.day-picker').fill('2020-02-08');
		await page.waitForURL(/day=2020-02-08/);
		await page.waitForFunction(() => document.querySelector('.as-of') && document.querySelector('.as-of').textContent.includes('2020-02-08'));
		const on8 = num(await page.locator('[data-fig="screening.persons.1"]').innerText());
		assert.ok(on8 < on15, `round 2 had found fewer persons by 2020-02-08 (${on8}) than by 2020-02-15 (${on15})`);
		assert.equal(await page.locator('.demo-note').count(), 0, 'a chosen day is not the demo note');
	});
});
