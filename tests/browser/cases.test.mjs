// Cases, contacts and epidemic points in the browser, on the demo district:
// a medic reports a confirmed case, reviews its contact candidates and makes
// the household member a close contact, who is isolated and red at once;
// the commander sees the case figures and the epidemic curve (with its
// table one click away) and the contact network; an officer opens an
// epidemic point, checks off steps, sees what blocks lifting one point and
// lifts another after confirming; an admin edits the 9-step list. The
// screenshots go to build/test-screenshots/cases-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, nav, shotOnFail, apiAs, ROOT } from './lib.mjs';

let srv;
let browser;
let admin;
let officer;
const U = {};
const P = {};
let oldCase;
let newCaseId;
const shots = path.join(ROOT, 'build/test-screenshots');
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 864e5).toISOString().slice(0, 10);
const shot = (page, name) => page.screenshot({ path: path.join(shots, `cases-${name}.png`), fullPage: true });

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
	officer = await apiAs(srv.url, 'officer');
	// Two compounds of their own in the officer's town, so the points opened
	// here seal nobody else's gate.
	const town = (await officer('GET', '/api/v1/me')).scope_unit;
	const tag = String(process.pid % 9000 + 1000);
	const seq = tag.slice(1);
	const comm = await admin('POST', '/api/v1/units', { parent_id: town.id, kind: town.kind === 'town' ? 'village' : 'community', code: `BC${tag}`, name: '病例测试社区' });
	U.k1 = await admin('POST', '/api/v1/units', { parent_id: comm.id, kind: 'compound', code: `BC${tag}K1`, name: '丰泽苑' });
	U.k2 = await admin('POST', '/api/v1/units', { parent_id: comm.id, kind: 'compound', code: `BC${tag}K2`, name: '锦华园' });
	const h1 = await admin('POST', '/api/v1/households', { unit_id: U.k1.id, address: '5号楼1单元202' });
	const h2 = await admin('POST', '/api/v1/households', { unit_id: U.k2.id, address: '2号楼3单元101' });
	P.x = await admin('POST', '/api/v1/persons', { doc_number: rid(`64010619820315${seq}`), name: '诸葛建新', household_id: h1.id });
	P.spouse = await admin('POST', '/api/v1/persons', { doc_number: rid(`64010619841102${seq}`), name: '诸葛秀兰', household_id: h1.id });
	P.old = await admin('POST', '/api/v1/persons', { doc_number: rid(`64010619750520${seq}`), name: '端木国庆', household_id: h2.id });
	// A case reported 40 days ago with no contacts: its point may be lifted.
	oldCase = await admin('POST', '/api/v1/cases', { person_id: P.old.id, status: 'confirmed', onset_day: daysAgo(43), report_day: daysAgo(40), severity: 'mild' });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

test('a medic reports a case, reviews its candidates and makes one a close contact', async () => {
	const page = await newPage(browser);
	await shotOnFail('cases-medic', page, async () => {
		await login(page, srv.url, 'medic');
		await nav(page, 'cases');
		await page.locator('.case-figures .stats').waitFor();
		await page.locator('details.case-new summary').click();
		const form = page.locator('form.case-form');
		// Without a person the form says so beside the field.
		await form.locator('button[type=submit]').click();
		await form.locator('.field.has-error .field-error', { hasText: '请先选择人员' }).waitFor();
		await form.locator('.picker-q').fill('诸葛建新');
		await form.locator('.picker-opt', { hasText: '诸葛建新' }).filter({ hasText: '丰泽苑' }).first().click();
		await form.locator('input[name=onset_day]').fill(daysAgo(2));
		await form.locator('button[type=submit]').click();
		await page.waitForURL(/#\/cases\/\d+/);
		newCaseId = Number(/cases\/(\d+)/.exec(page.url())[1]);
		await page.locator('dl.case-facts').waitFor();
		assert.match(await page.locator('dl.case-facts').innerText(), /诸葛建新[\s\S]*确诊/);
		// The household member is a candidate, with the reason shown.
		const row = page.locator(`.candidates-table tr[data-person="${P.spouse.id}"]`);
		await row.waitFor();
		assert.match(await row.innerText(), /同户/);
		await shot(page, 'candidates');
		// Close contact: confirmed first; cancelling decides nothing.
		await row.locator('select[name=decision]').selectOption('close');
		await row.locator('button[data-act=decide]').click();
		await page.locator('dialog.dialog [data-act=cancel]').click();
		assert.equal(await row.getAttribute('data-decided'), '');
		await row.locator('button[data-act=decide]').click();
		assert.match(await page.locator('dialog.dialog .dialog-msg').innerText(), /诸葛秀兰[\s\S]*隔离/);
		await page.locator('dialog.dialog [data-act=ok]').click();
		const done = page.locator(`.candidates-table tr[data-person="${P.spouse.id}"][data-decided=close]`);
		await done.waitFor();
		assert.match(await done.innerText(), /密切接触者[\s\S]*隔离令 #\d+/);
		await shot(page, 'decided');
		assert.deepEqual(page.errors || [], []);
	});
	// Isolated in the same action, and red at once.
	const iso = await admin('GET', `/api/v1/isolations?q=${encodeURIComponent('诸葛秀兰')}&status=active`);
	assert.ok(iso.items.some((o) => o.person_id === P.spouse.id && o.reason === 'close_contact'), 'an active close-contact order');
	assert.equal((await admin('GET', `/api/v1/persons/${P.spouse.id}/colour`)).colour, 'red');
	// A second decision on the same candidate is refused (one decision).
	const again = await admin.raw('POST', `/api/v1/cases/${newCaseId}/contacts`, { person_id: P.spouse.id, decision: 'none' });
	assert.equal(again.status, 409);
});

test('the commander sees the figures, the epidemic curve and its table, and the network', async () => {
	assert.ok(newCaseId, 'the case of the first test');
	const page = await newPage(browser);
	await shotOnFail('cases-commander', page, async () => {
		await login(page, srv.url, 'commander');
		await nav(page, 'cases');
		const fig = page.locator('[data-fig=confirmed_total] .stat-n');
		await fig.waitFor();
		// The demo's 8 and the two cases reported here (one today).
		assert.equal(await fig.innerText(), '10');
		assert.equal(await page.locator('[data-fig=new_confirmed] .stat-n').innerText(), '1');
		assert.equal(await page.locator('[data-fig=days_without_new_confirmed] .stat-n').innerText(), '0');
		const chart = page.locator('.case-curve-card .chart');
		await chart.locator('svg').first().waitFor();
		await shot(page, 'curve');
		await page.locator('button[data-act=curve-table]').click();
		const trow = page.locator(`.curve-table tr[data-day="${today()}"]`);
		await trow.waitFor();
		assert.equal(await trow.locator('td').nth(1).innerText(), '1', 'today: one new by report day');
		assert.ok(await chart.isHidden());
		// The figures of the demo day: 8 confirmed, 14 days without a new one.
		await page.locator('form.day-picker input[name=day]').fill('2020-02-15');
		await page.locator('form.day-picker button[type=submit]').click();
		await page.locator('[data-fig=days_without_new_confirmed] .stat-n', { hasText: /^14$/ }).waitFor();
		assert.equal(await page.locator('[data-fig=confirmed_total] .stat-n').innerText(), '8');
		assert.equal(await page.locator('[data-fig=cured_total] .stat-n').innerText(), '6');
		await page.locator('.case-curve-card .chart svg').first().waitFor();
		// The last case's day, by report day, in the table behind the chart.
		assert.equal(await page.locator('.curve-table tr[data-day="2020-02-01"] td').nth(1).textContent(), '1');
		await shot(page, 'curve-demo');
		// The list filters by status in the URL.
		await page.locator('form.case-filters select[name=status]').selectOption('cured');
		await page.locator('form.case-filters button[type=submit]').click();
		await page.waitForFunction(() => document.querySelectorAll('.paged tbody tr').length === 6);
		assert.match(page.url(), /status=cured/);
		assert.match(await page.locator('.page-actions a.btn-export').getAttribute('href'), /status=cured&format=xlsx/);
		// The network: a graph, a node for each case; its table one click away.
		await page.locator('nav.tabs a[data-tab=network]').click();
		const net = page.locator('.network-chart');
		await net.locator('svg').first().waitFor();
		await page.locator('.network-chart[data-ready="1"]').waitFor();
		await shot(page, 'network');
		await page.locator('button[data-act=network-table]').click();
		const link = page.locator(`.network-table tr[data-target="p${P.spouse.id}"]`);
		await link.waitFor();
		assert.match(await link.innerText(), /诸葛建新[\s\S]*诸葛秀兰[\s\S]*密切接触者/);
		// The demo's transmission chains: two contacts who became cases.
		assert.equal(await page.locator('.network-table td:nth-child(5) .tag-danger').count(), 2, 'the demo\'s two chains');
		assert.deepEqual(page.errors || [], []);
	});
});

test('an officer opens a point, checks off steps, sees the blockers, and lifts a point that may be lifted', async () => {
	assert.ok(newCaseId, 'the case of the first test');
	// The fresh case's point cannot be lifted: 14 days and the spouse's observation.
	const blocked = await officer('POST', '/api/v1/epidemic-points', { unit_id: U.k1.id, case_ids: [newCaseId], opened_day: today() });
	const page = await newPage(browser);
	await shotOnFail('cases-epipoints', page, async () => {
		await login(page, srv.url, 'officer');
		await page.goto(`${srv.url}/#/epipoints/${blocked.id}`);
		const lift = page.locator('section.epi-lift[data-eligible="0"]');
		await lift.waitFor();
		const text = await lift.innerText();
		assert.match(text, /14 天/);
		assert.match(text, /诸葛秀兰 医学观察至/);
		assert.equal(await page.locator('button[data-act=lift]').count(), 0, 'no lift button while blocked');
		await shot(page, 'blocked');

		// Open the other point through the form.
		await nav(page, 'epipoints');
		await page.locator('[data-fig=total]').waitFor();
		await page.locator('details.disclosure summary', { hasText: '启用新疫点' }).click();
		const f = page.locator('form.epi-open-form');
		await f.locator('.field:has(input[name=unit_id]) .picker-q').fill('锦华园');
		await f.locator('.picker-opt', { hasText: '锦华园' }).filter({ hasText: /BC\d+K2/ }).first().click();
		await f.locator('.field:has(input[name=case_pick]) .picker-q').fill('端木国庆');
		await f.locator('.picker-opt', { hasText: '端木国庆' }).filter({ hasText: '锦华园' }).first().click();
		await f.locator(`.chip[data-case="${oldCase.id}"]`).waitFor();
		await f.locator('button[type=submit]').click();
		await page.waitForURL(/#\/epipoints\/\d+/);
		const id = Number(/epipoints\/(\d+)/.exec(page.url())[1]);
		await page.locator('.next-step[data-pos="1"]').waitFor();
		assert.match(await page.locator('.next-step').innerText(), /封控疫点/);
		// Check off the first two steps: the next step moves on.
		await page.locator('li.step[data-pos="1"] button[data-act=step-done]').click();
		await page.locator('li.step[data-pos="1"][data-done="1"]').waitFor();
		await page.locator('li.step[data-pos="2"] button[data-act=step-done]').click();
		await page.locator('.next-step[data-pos="3"]').waitFor();
		assert.match(await page.locator('li.step[data-pos="1"]').innerText(), /完成/);
		// It may be lifted: confirmed first, then lifted and said so.
		await page.locator('section.epi-lift[data-eligible="1"]').waitFor();
		await shot(page, 'point');
		await page.locator('button[data-act=lift]').click();
		assert.match(await page.locator('dialog.dialog .dialog-msg').innerText(), /锦华园/);
		await page.locator('dialog.dialog [data-act=cancel]').click();
		assert.equal((await officer('GET', `/api/v1/epidemic-points/${id}`)).status, 'open', 'cancel lifts nothing');
		await page.locator('button[data-act=lift]').click();
		await page.locator('dialog.dialog [data-act=ok]').click();
		await page.locator('section.epi-lift[data-lifted="1"]').waitFor();
		assert.match(await page.locator('.detail-head').innerText(), /已解除/);
		await shot(page, 'lifted');
		const p = await officer('GET', `/api/v1/epidemic-points/${id}`);
		assert.equal(p.status, 'lifted');
		assert.equal(p.lifted_day, today());
		assert.equal(p.steps_done, 2);
		assert.deepEqual(page.errors || [], []);
	});
});

test('a medic sees the points but cannot open, step or lift them; an admin edits the 9 steps', async () => {
	const page = await newPage(browser);
	await shotOnFail('cases-procedure', page, async () => {
		await login(page, srv.url, 'medic');
		await nav(page, 'epipoints');
		await page.locator('[data-fig=total]').waitFor();
		assert.equal(await page.locator('details.disclosure summary', { hasText: '启用新疫点' }).count(), 0);
		const first = page.locator('.paged tbody tr a').first();
		await first.click();
		await page.locator('section.epi-steps').waitFor();
		assert.equal(await page.locator('button[data-act=step-done], button[data-act=lift]').count(), 0);
		await page.locator('nav.tabs a[data-tab=procedure]').click();
		await page.locator('ol.procedure li').nth(8).waitFor();
		assert.equal(await page.locator('ol.procedure li').count(), 9);
	});
	const pa = await newPage(browser);
	await shotOnFail('cases-procedure-admin', pa, async () => {
		await login(pa, srv.url, 'admin');
		await pa.goto(`${srv.url}/#/epipoints/procedure`);
		const rows = pa.locator('li.procedure-row');
		await rows.nth(8).waitFor();
		await pa.locator('button[data-act=add-step]').click();
		await rows.nth(9).locator('input[name=name]').fill('解封后回访');
		await pa.locator('form.procedure-form button[type=submit]').click();
		await pa.locator('.form-error', { hasText: '第 10 步' }).waitFor();
		await rows.nth(9).locator('input[name=name_en]').fill('Follow-up after lifting');
		await pa.locator('form.procedure-form button[type=submit]').click();
		await pa.locator('dialog.dialog [data-act=ok]').click();
		await pa.waitForFunction(() => document.querySelectorAll('li.procedure-row').length === 10 && !document.querySelector('dialog.dialog'));
		await shot(pa, 'procedure');
	});
	const proc = await admin('GET', '/api/v1/epidemic-points/procedure');
	assert.equal(proc.items.length, 10);
	assert.equal(proc.items[9].name, '解封后回访');
	// An officer may not change it.
	const r = await officer.raw('PUT', '/api/v1/epidemic-points/procedure', { items: [{ name: '一', name_en: 'one' }] });
	assert.equal(r.status, 403);
	// Put back the 9 steps, so other suites see the default.
	await admin('PUT', '/api/v1/epidemic-points/procedure', { items: proc.items.slice(0, 9).map(({ name, name_en }) => ({ name, name_en })) });
});
