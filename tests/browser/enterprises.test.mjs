// Enterprise resumption in the browser, on the demo district: the demo
// enterprise account files its application on the portal (the seven musts,
// an employee from Wuhan flagged while under observation) and keeps its
// own contact details; the commander approves it; days later (the same
// database served with a later clock) the enterprise records the day it
// resumed and the command's resumption rate for that day goes up by one
// enterprise (25 → 26 of the 31 not idle for the season). Screenshots go to
// build/test-screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, nav, shotOnFail, apiAs, ROOT } from './lib.mjs';

let srv;
let browser;
let ent;
const shots = path.join(ROOT, 'build/test-screenshots');
const dayAfter = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const START = dayAfter(2); // the earliest start the 2-day rule allows
const LATER = dayAfter(3); // the day the enterprise resumes, served with a later clock

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
	const portal = await apiAs(srv.url, 'enterprise');
	ent = (await portal('GET', '/api/v1/enterprises')).items[0];
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// The command's rate for a day, as the 复工复产 page shows it.
async function rateOn(page, day) {
	await page.locator('.filters input[name=day]').fill(day);
	await page.locator('.filters input[name=day]').dispatchEvent('change');
	await page.waitForFunction((d) => location.hash.includes(`day=${d}`), day);
	const fig = page.locator('[data-figure=rate]');
	await fig.waitFor();
	return (await fig.textContent()).trim();
}

test('an enterprise files its application on the portal; an employee under observation is flagged', async () => {
	const page = await newPage(browser);
	await shotOnFail('ent-portal', page, async () => {
		await login(page, srv.url, 'enterprise');
		const f = page.locator('form.apply-form');
		await f.waitFor();
		assert.match(await page.locator('h1').textContent(), new RegExp(ent.name));
		// Too early: the page names the 2-day rule and the server refuses it.
		await f.locator('input[name=planned_start_day]').fill(dayAfter(1));
		await f.locator('textarea[name=plan]').fill('一、成立疫情防控领导小组\n二、员工返岗前健康登记，每日两次测温');
		for (const ta of await f.locator('textarea[data-item]').all()) await ta.fill('已落实，见防控方案');
		await f.locator('button[type=submit]').click();
		await f.locator('.form-error:not([hidden]), .field-error:not(:empty)').first().waitFor();
		assert.match(await f.textContent(), new RegExp(START));
		await f.locator('input[name=planned_start_day]').fill(START);
		await f.locator('button[type=submit]').click();
		await page.locator('.badge.status-pending').first().waitFor();
		// An employee back from Wuhan yesterday must still stay home on the planned day.
		const ef = page.locator('form.employee-form');
		await ef.locator('input[name=name]').fill('武汉返岗');
		await ef.locator('input[name=doc_number]').fill(rid(`42010619900315${String(process.pid % 1000).padStart(3, '0')}`));
		await ef.locator('input[name=origin]').fill('湖北省武汉市');
		await ef.locator('input[name=arrival_date]').fill(dayAfter(-1));
		await ef.locator('button[type=submit]').click();
		await page.locator('.toast-warn').first().waitFor();
		await page.locator('tr.row-warn', { hasText: '武汉返岗' }).waitFor();
		assert.equal((await page.locator('.stats .stat-warn .stat-n').textContent()).trim(), '1');
		// Its own contact details, from the portal.
		await page.locator('details:has(form.details-form) summary').click();
		await page.locator('form.details-form input[name=contact_name]').fill('周厂长');
		await page.locator('form.details-form input[name=contact_phone]').fill('13907550001');
		await page.locator('form.details-form button[type=submit]').click();
		await page.locator('.toast').first().waitFor();
		await page.screenshot({ path: path.join(shots, 'ent-portal-filed.png'), fullPage: true });
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
	const admin = await apiAs(srv.url, 'admin');
	const e = await admin('GET', `/api/v1/enterprises/${ent.id}`);
	assert.equal(e.contact_name, '周厂长');
});

test('a reviewer approves it; once the enterprise resumes, the rate of that day goes up', async () => {
	const cmd = await newPage(browser);
	let before;
	await shotOnFail('ent-review', cmd, async () => {
		await login(cmd, srv.url, 'commander');
		await nav(cmd, 'enterprises');
		before = await rateOn(cmd, LATER);
		assert.equal(before, '80.6 %', 'the demo: 25 of 31');
		await cmd.locator('nav.tabs a[data-tab=applications]').click();
		const link = cmd.locator('tbody tr', { hasText: ent.name }).locator('a');
		await link.click();
		const card = cmd.locator('.app-detail');
		await card.locator('form.review-form').waitFor();
		assert.match(await card.textContent(), /武汉返岗/);
		await cmd.screenshot({ path: path.join(shots, 'ent-review.png'), fullPage: true });
		await card.locator('button[data-decision=approve]').click();
		await card.locator('.badge.status-approved').waitFor();
	});
	await cmd.context().close();

	// Three days on: the enterprise records the day it resumed.
	await srv.restart(['--clock', `${LATER}T09:00`]);
	const page = await newPage(browser);
	await shotOnFail('ent-resumed', page, async () => {
		await login(page, srv.url, 'enterprise');
		const f = page.locator('form:has(input[name=staff_at_work])');
		await f.waitFor();
		await f.locator('input[name=day]').fill(LATER);
		await f.locator('input[name=staff_at_work]').fill('90');
		await f.locator('button[type=submit]').click();
		await page.locator('.portal-status', { hasText: LATER }).waitFor();
	});
	await page.context().close();

	const cmd2 = await newPage(browser);
	await shotOnFail('ent-rate', cmd2, async () => {
		await login(cmd2, srv.url, 'commander');
		await nav(cmd2, 'enterprises');
		const after = await rateOn(cmd2, LATER);
		assert.equal(after, '83.9 %', '26 of 31');
		assert.notEqual(after, before);
		assert.equal(await rateOn(cmd2, START), '80.6 %', 'not before the day it resumed');
		await rateOn(cmd2, LATER);
		await cmd2.screenshot({ path: path.join(shots, 'ent-rate.png'), fullPage: true });
		assert.deepEqual(cmd2.errors || [], []);
	});
	await cmd2.context().close();
});
