// The command's daily work in the browser, on the demo district: a town
// officer files a zero report on a phone-sized page and the command's
// reporting page sees the unit missing before and filed after, with the
// rate and timeliness chart of the demo's last fortnight and its table a
// click away, and a leader narrows it to their assignments' units; an
// evening dispatch meeting with a group's progress and a problem raised and
// closed; a notice drafted, published (第N号) and on the
// public page, and a venue closed under it; supervision's overdue
// rectifications, one rectified and an inspection recorded; a volunteer
// registered with a shift served. Screenshots go to build/test-screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, nav, shotOnFail, apiAs, scrollsSideways, PHONE, ROOT } from './lib.mjs';

let srv;
let browser;
let town; // the demo officer's town: {id, name}
const shots = path.join(ROOT, 'build/test-screenshots');
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const tag = String(process.pid % 9000 + 1000);

before(async () => {
	srv = await startServer();
	browser = await launch();
	await mkdir(shots, { recursive: true });
	const officer = await apiAs(srv.url, 'officer');
	town = (await officer('GET', '/api/v1/me')).scope_unit;
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

async function confirm(page) {
	await page.locator('dialog[open] [data-act=ok]').click();
}

test('a town officer files a zero report on a phone; the command sees the unit missing, then filed', async () => {
	const cmd = await newPage(browser);
	await shotOnFail('daily-reports-command', cmd, async () => {
		await login(cmd, srv.url, 'commander');
		await nav(cmd, 'reports');
		const row = cmd.locator(`tr[data-unit="${town.id}"]`);
		await row.waitFor();
		assert.match(await row.getAttribute('class'), /state-missing/, 'the town owes today\'s report');
		assert.match(await row.textContent(), new RegExp(town.name));
	});
	const missingBefore = Number(await cmd.locator('.stats .stat').nth(4).locator('.stat-n').textContent());

	const phone = await newPage(browser, PHONE);
	await shotOnFail('daily-reports-phone', phone, async () => {
		await login(phone, srv.url, 'officer');
		await phone.locator('button.menu-toggle').click();
		await nav(phone, 'reports');
		const mine = phone.locator(`tr[data-unit="${town.id}"]`);
		await mine.waitFor();
		await phone.screenshot({ path: path.join(shots, 'daily-reports-phone-before.png'), fullPage: true });
		assert.equal(await scrollsSideways(phone), false, 'the page fits a phone');
		const btn = mine.locator('[data-act=zero]');
		const box = await btn.boundingBox();
		assert.ok(box && box.height >= 40, `a thumb-sized button (${box && box.height}px)`);
		await btn.click();
		await phone.locator('.toast').first().waitFor();
		await phone.locator(`tr[data-unit="${town.id}"]:not(.state-missing)`).waitFor();
		assert.match(await phone.locator(`tr[data-unit="${town.id}"]`).getAttribute('class'), /state-(on_time|late)/);
		await phone.screenshot({ path: path.join(shots, 'daily-reports-phone-filed.png'), fullPage: true });
	});
	await phone.context().close();

	await shotOnFail('daily-reports-command-after', cmd, async () => {
		await cmd.reload();
		const row = cmd.locator(`tr[data-unit="${town.id}"]`);
		await row.waitFor();
		assert.doesNotMatch(await row.getAttribute('class'), /state-missing/);
		const missingAfter = Number(await cmd.locator('.stats .stat').nth(4).locator('.stat-n').textContent());
		assert.equal(missingAfter, missingBefore - 1);
		// The demo's last day: one town left its report missing, the chart
		// shows the fortnight, and its table is one click away.
		await cmd.goto(`${srv.url}/#/reports?day=2020-02-15`);
		await cmd.locator('.reports-chart[data-drawn="1"]').waitFor();
		assert.equal(await cmd.locator('.stats .stat').nth(4).locator('.stat-n').textContent(), '1');
		assert.equal(await cmd.locator('tr.state-missing').count(), 1);
		assert.match(await cmd.locator('.reports-trend h2').textContent(), /2020-02-02.*2020-02-15/);
		await cmd.screenshot({ path: path.join(shots, 'daily-reports-chart.png'), fullPage: true });
		await cmd.locator('.reports-trend [data-act=toggle-table]').click();
		const rows = cmd.locator('.reports-trend .chart-table tbody tr');
		assert.equal(await rows.count(), 14);
		assert.match(await rows.last().textContent(), /2020-02-15/);
		const href = await cmd.locator('.reports-trend a.btn-export').getAttribute('href');
		assert.match(href, /by=day.*format=xlsx/);
		const x = await cmd.request.get(srv.url + href);
		assert.equal(x.status(), 200);
		assert.equal((await x.body()).subarray(0, 2).toString(), 'PK');
	});
	await cmd.context().close();
});

test('a leader narrows the reporting page to the units of their assignments', async () => {
	const page = await newPage(browser);
	await shotOnFail('daily-reports-mine', page, async () => {
		await login(page, srv.url, 'group_lead');
		await page.goto(`${srv.url}/#/reports?day=2020-02-15`);
		await page.locator('tr[data-unit]').first().waitFor();
		const all = await page.locator('tr[data-unit]').count();
		await page.locator('input[name=mine]').check();
		await page.waitForFunction(() => location.hash.includes('mine=1'));
		await page.waitForFunction((n) => {
			const k = document.querySelectorAll('tr[data-unit]').length;
			return k > 0 && k < n;
		}, all);
		// The choice survives a reload (it is in the URL).
		await page.reload();
		await page.locator('tr[data-unit]').first().waitFor();
		assert.ok(await page.locator('input[name=mine]').isChecked());
		assert.ok(await page.locator('tr[data-unit]').count() < all);
	});
	await page.context().close();
});

test('the evening dispatch: a group\'s progress, a problem raised and closed, the A4 record', async () => {
	const page = await newPage(browser);
	await shotOnFail('daily-dispatch', page, async () => {
		await login(page, srv.url, 'commander');
		await nav(page, 'dispatch');
		await page.locator('table.table tbody tr').first().waitFor();
		assert.ok(await page.locator('a.btn-export').count() >= 1, 'the list exports');
		await page.locator('details.disclosure summary').first().click();
		const mf = page.locator('form.meeting-form');
		await mf.locator('input[name=chair]').fill('指挥长');
		await mf.locator('button[type=submit]').click();
		await page.waitForURL(/#\/dispatch\/\d+/);
		await page.locator('section.card').first().waitFor();
		await page.locator('details:has(form.progress-form) summary').click();
		await page.locator('form.progress-form textarea[name=progress]').fill(`今日摸排完成 ${tag} 户`);
		await page.locator('form.progress-form button[type=submit]').click();
		await page.getByText(`今日摸排完成 ${tag} 户`).waitFor();
		await page.locator('details:has(form.problem-form) summary').click();
		const title = `口罩缺口 ${tag}`;
		await page.locator('form.problem-form textarea[name=title]').fill(title);
		await page.locator('form.problem-form button[type=submit]').click();
		const row = page.locator('tr[data-problem]', { hasText: title });
		await row.waitFor();
		await page.screenshot({ path: path.join(shots, 'daily-dispatch-meeting.png'), fullPage: true });
		await row.locator('[data-act=close]').click();
		await row.locator('textarea[name=resolution]').fill('已调拨 2000 只');
		await row.locator('form.close-form button[type=submit]').click();
		await confirm(page);
		await page.locator('tr[data-problem]', { hasText: '已调拨 2000 只' }).waitFor();
		const print = await page.locator('[data-act=print]').getAttribute('href');
		const res = await page.request.get(srv.url + print);
		assert.equal(res.status(), 200);
		assert.match(await res.text(), new RegExp(title));
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('a notice is drafted, published as 第N号 and public; a venue is closed under it', async () => {
	const page = await newPage(browser);
	const title = `关于暂停集市活动的通告 ${tag}`;
	await shotOnFail('daily-notices', page, async () => {
		await login(page, srv.url, 'commander');
		await nav(page, 'notices');
		await page.locator('table.table tbody tr').first().waitFor();
		await page.locator('details:has(form.notice-form) summary').click();
		await page.locator('form.notice-form input[name=title]').fill(title);
		await page.locator('form.notice-form textarea[name=body]').fill('一、即日起暂停辖区内集市活动。\n二、恢复时间另行通知。');
		await page.locator('form.notice-form button[type=submit]').click();
		const row = page.locator('tbody tr', { hasText: title });
		await row.waitFor();
		// A draft is not on the public page.
		assert.doesNotMatch(await (await page.request.get(`${srv.url}/public/notices`)).text(), new RegExp(title));
		await row.locator('[data-act=publish]').click();
		await confirm(page);
		await page.locator('.toast', { hasText: /第\d+号/ }).waitFor();
		const pub = await page.request.get(`${srv.url}/public/notices`);
		assert.match(await pub.text(), new RegExp(title), 'published notices are public');
		await page.screenshot({ path: path.join(shots, 'daily-notices.png'), fullPage: true });

		// Venues: the demo's closures on its last day, then one closed under the new notice.
		await page.locator('nav.tabs a[data-tab=venues]').click();
		await page.locator('.venue-counts table').waitFor();
		await page.locator('.filters input[name=day]').fill('2020-02-15');
		await page.locator('.filters input[name=day]').dispatchEvent('change');
		await page.locator('.venue-counts', { hasText: '2020-02-15' }).waitFor();
		assert.match(await page.locator('.venue-counts').textContent(), /2020-02-15：2\d 家关停/);
		await page.locator('.venue-counts tr[data-kind=mall]').waitFor();
		await page.screenshot({ path: path.join(shots, 'daily-venues.png'), fullPage: true });
		await page.locator('.filters input[name=day]').fill(today());
		await page.locator('.filters input[name=day]').dispatchEvent('change');
		await page.locator('details:has(form.venue-form) summary').click();
		const vf = page.locator('form.venue-form');
		await vf.locator('.picker-q').fill(town.name);
		await vf.locator('.picker-opt').first().click();
		const venue = `城东集贸市场 ${tag}`;
		await vf.locator('input[name=name]').fill(venue);
		await vf.locator('select[name=kind]').selectOption('market');
		await vf.locator('button[type=submit]').click();
		const vrow = page.locator('tr[data-venue]', { hasText: venue });
		await vrow.waitFor();
		await vrow.locator('[data-act=close]').click();
		const opt = await vrow.locator('select[name=notice_id] option', { hasText: title }).getAttribute('value');
		await vrow.locator('select[name=notice_id]').selectOption(opt);
		await vrow.locator('button[type=submit]').click();
		await confirm(page);
		await page.locator('tr.venue-closed', { hasText: venue }).waitFor();
		assert.match(await page.locator('tr.venue-closed', { hasText: venue }).textContent(), new RegExp(title));
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('supervision: overdue rectifications listed, one rectified, an inspection recorded', async () => {
	const page = await newPage(browser);
	await shotOnFail('daily-supervision', page, async () => {
		await login(page, srv.url, 'inspector');
		await nav(page, 'supervision');
		const overdue = page.locator('tr[data-finding].row-warn');
		await overdue.first().waitFor();
		const n = await overdue.count();
		const statN = () => page.locator('.stats .stat-warn .stat-n').textContent();
		await page.locator('.stats .stat-warn').waitFor();
		const before = Number(await statN());
		assert.ok(before >= n && n > 0, `overdue ${before}, listed ${n}`);
		await page.screenshot({ path: path.join(shots, 'daily-supervision.png'), fullPage: true });
		const first = overdue.first();
		const id = await first.getAttribute('data-finding');
		await first.locator('[data-act=rectify]').click();
		await first.locator('textarea[name=resolution]').fill('已整改到位，复查合格');
		await first.locator('form.rectify-form button[type=submit]').click();
		await confirm(page);
		await page.locator('.toast').first().waitFor();
		await page.locator(`tr[data-finding="${id}"]`).waitFor({ state: 'detached' });
		await page.waitForFunction((n) => document.querySelector('.stats .stat-warn .stat-n')?.textContent === String(n), before - 1);
		await page.reload();
		await page.locator('.stats .stat-warn').waitFor();
		assert.equal(Number(await statN()), before - 1);
		await page.locator('nav.tabs a[data-tab=inspections]').click();
		await page.locator('details:has(form.inspection-form) summary').click();
		const f = page.locator('form.inspection-form');
		await f.locator('textarea[name=summary]').fill(`抽查值守情况 ${tag}`);
		await f.locator('textarea[name=f_text]').fill('卡口登记表填写不全');
		await f.locator('input[name=f_owner]').fill('卡点负责人');
		await f.locator('input[name=f_deadline]').fill(today());
		await f.locator('button[type=submit]').click();
		await page.locator('.toast', { hasText: '督查已记录' }).waitFor();
		await page.locator('.filters input[name=day]').fill(today());
		await page.locator('.filters input[name=day]').dispatchEvent('change');
		// Today's inspections count it at once.
		await page.waitForFunction(() => document.querySelectorAll('.stats .stat-n')[2]?.textContent === '1');
		const mine = page.locator('tbody tr', { hasText: `抽查值守情况 ${tag}` });
		await mine.waitFor();
		assert.match(await mine.textContent(), /1 \/ 1/, 'one finding, open');
		await page.screenshot({ path: path.join(shots, 'daily-inspection.png'), fullPage: true });
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('an officer registers a volunteer and records a shift; hours add up', async () => {
	const page = await newPage(browser);
	await shotOnFail('daily-volunteers', page, async () => {
		await login(page, srv.url, 'officer');
		await nav(page, 'volunteers');
		await page.locator('table.table tbody tr').first().waitFor();
		await page.locator('details:has(form.volunteer-form) summary').click();
		const f = page.locator('form.volunteer-form');
		await f.locator('.picker-q').fill(town.name);
		await f.locator('.picker-opt').first().click();
		await f.locator('input[name=name]').fill(`志愿者${tag}`);
		await f.locator('input[name=phone]').fill('12345');
		await f.locator('button[type=submit]').click();
		await f.locator('.field-error:not(:empty), .form-error:not([hidden])').first().waitFor();
		await f.locator('input[name=phone]').fill(`139${tag}${tag}`);
		await f.locator('input[name=party_member]').check();
		await f.locator('button[type=submit]').click();
		await page.waitForURL(/#\/volunteers\/\d+/);
		await page.locator('details:has(form.shift-form) summary').click();
		const y = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
		await page.locator('form.shift-form input[name=start_at]').fill(`${y}T08:00`);
		await page.locator('form.shift-form input[name=end_at]').fill(`${y}T12:30`);
		await page.locator('form.shift-form button[type=submit]').click();
		await page.locator('.stats .stat-n', { hasText: '4.5' }).waitFor();
		await page.screenshot({ path: path.join(shots, 'daily-volunteer.png'), fullPage: true });
		await page.goto(`${srv.url}/#/volunteers?tab=hours&by=volunteer&from=${y}&to=${today()}`);
		await page.locator('tbody tr', { hasText: `志愿者${tag}` }).waitFor();
		assert.match(await page.locator('tbody tr', { hasText: `志愿者${tag}` }).textContent(), /4\.5/);
		assert.match(await page.locator('a.btn-export').getAttribute('href'), /format=xlsx/);
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('each daily-work page fits a phone and says so when a list is empty', async () => {
	const page = await newPage(browser, PHONE);
	await shotOnFail('daily-phone', page, async () => {
		await login(page, srv.url, 'commander');
		for (const route of ['dispatch', 'dispatch?tab=problems', 'notices', 'notices?tab=venues', 'supervision', 'supervision?tab=groups', 'volunteers', 'volunteers?tab=hours']) {
			await page.goto(`${srv.url}/#/${route}`);
			await page.locator('main .page h1').waitFor();
			await page.locator('main .loading').first().waitFor({ state: 'detached' });
			assert.equal(await scrollsSideways(page), false, `${route} scrolls sideways`);
			await page.screenshot({ path: path.join(shots, `daily-phone-${route.replace(/[?=]/g, '-')}.png`), fullPage: false });
		}
		// A list with nothing to show says so.
		await page.goto(`${srv.url}/#/volunteers?q=无此志愿者${tag}`);
		await page.locator('.empty', { hasText: '还没有登记志愿者' }).waitFor();
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});
