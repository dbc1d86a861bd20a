// 待核实 (discrepancies) in the browser, against the real server with the demo
// district: what a grid worker's visit saw about a registered person and did
// not apply (another name, another household) reaches the officer of the
// person's unit on the 待核实 page, who confirms one (the person is renamed
// and moved) and dismisses the other (the person stays as registered).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, nav, shotOnFail, scrollsSideways, apiAs, ROOT, DESKTOP, PHONE } from './lib.mjs';

let srv;
let browser;
const SHOTS = path.join(ROOT, 'build/test-screenshots');

before(async () => {
	srv = await startServer();
	browser = await launch();
	await mkdir(SHOTS, { recursive: true });
});

after(async () => {
	if (browser) await browser.close();
	if (srv) await srv.stop();
});

// A resident ID number with its check character, region 110102 (Beijing) so
// it meets none of the demo's own residents.
let idSeq = 100 + Math.floor(Math.random() * 400);
export function residentId(birth = '19790311') {
	const s17 = `110102${birth}${String(idSeq++).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s17[i]) * w[i];
	return s17 + '10X98765432'[sum % 11];
}

async function latestRound(call) {
	const { items } = await call('GET', '/api/v1/rounds?limit=100');
	return items.slice().sort((a, b) => String(b.start_date).localeCompare(String(a.start_date)) || b.id - a.id)[0];
}

// Two registered residents of the grid worker's compound, and a visit of the
// grid worker that saw the first under another name and the second in
// another household: two open discrepancies for their unit.
async function twoSightings() {
	const grid = await apiAs(srv.url, 'grid_worker');
	const officer = await apiAs(srv.url, 'officer');
	const me = await grid('GET', '/api/v1/me');
	const compound = me.scope_unit.id;
	const tag = Date.now() % 100000;
	const home = await officer('POST', '/api/v1/households', { unit_id: compound, address: `核实楼${tag}-1-101`, status: 'occupied' });
	const other = await grid('POST', '/api/v1/households', { unit_id: compound, address: `核实楼${tag}-2-202`, status: 'unknown' });
	const a = await officer('POST', '/api/v1/persons', { doc_number: residentId('19790311'), name: '陈登记', household_id: home.id });
	const b = await officer('POST', '/api/v1/persons', { doc_number: residentId('19820407'), name: '刘登记', household_id: home.id });
	const round = await latestRound(grid);
	const visit = await grid('POST', '/api/v1/visits', {
		round_id: round.id, household_id: other.id, method: 'door', result: 'visited',
		persons: [{ doc_number: a.doc_number, name: '陈改名' }, { doc_number: b.doc_number, name: '刘登记' }],
	});
	assert.deepEqual(visit.discrepancies.map((d) => d.kind).sort(), ['household', 'name'], JSON.stringify(visit.discrepancies));
	const byPerson = Object.fromEntries(visit.discrepancies.map((d) => [d.person_id, d]));
	return { officer, home, other, a, b, dA: byPerson[a.id], dB: byPerson[b.id] };
}

test('an officer sees what a visit saw on 待核实, confirms one (applied) and dismisses the other (unchanged)', async () => {
	const { officer, home, other, a, b, dA, dB } = await twoSightings();
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('discrepancies-desktop', page, async () => {
		await login(page, srv.url, 'officer');
		await nav(page, 'discrepancies');
		await page.waitForURL(/#\/discrepancies/);
		const rowA = page.locator(`tr[data-id="${dA.id}"]`);
		const rowB = page.locator(`tr[data-id="${dB.id}"]`);
		await rowA.waitFor();
		// What was seen, who saw it where, and what kind: in the officer's language.
		assert.match(await rowA.innerText(), /姓名不同/);
		assert.match(await rowA.innerText(), /陈改名/);
		assert.match(await rowA.innerText(), /陈登记/);
		assert.match(await rowA.innerText(), /走访/);
		assert.match(await rowB.innerText(), new RegExp(other.address));
		// The export is the list as xlsx.
		const href = await page.locator('a.btn-export').getAttribute('href');
		assert.equal((href.match(/format=xlsx/g) || []).length, 1, href);
		const xlsx = await page.request.get(srv.url + href);
		assert.equal(xlsx.status(), 200);
		assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-open.png'), fullPage: true });

		// Confirm the name: a confirmation first, then the row leaves the open list.
		await rowA.locator('button', { hasText: '确认' }).click();
		const dlg = page.locator('dialog.dialog');
		await dlg.waitFor();
		assert.match(await dlg.innerText(), /姓名/);
		await dlg.locator('[data-act=ok]').click();
		await page.locator('.toast', { hasText: /已确认/ }).waitFor();
		await rowA.waitFor({ state: 'detached' });
		// Dismiss the household: cancel once (nothing happens), then dismiss.
		await rowB.locator('button', { hasText: '驳回' }).click();
		await dlg.locator('[data-act=cancel]').click();
		assert.equal(await rowB.count(), 1, 'cancelled: still open');
		await rowB.locator('button', { hasText: '驳回' }).click();
		await dlg.locator('[data-act=ok]').click();
		await rowB.waitFor({ state: 'detached' });

		// All of them: both resolved, with their status.
		await page.locator('select[name=status]').selectOption('all');
		await page.waitForURL(/status=all/);
		await rowA.waitFor();
		assert.equal(await rowA.getAttribute('data-status'), 'confirmed');
		assert.equal(await rowB.getAttribute('data-status'), 'dismissed');
		assert.equal(await rowA.locator('button').count(), 0, 'nothing to do on a resolved one');
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-all.png'), fullPage: true });
		if (page.errors) assert.deepEqual(page.errors, []);
	});
	// Confirmed: renamed and moved to the household the visit was made in;
	// dismissed: still where they were registered.
	const pa = await officer('GET', `/api/v1/persons/${a.id}`);
	assert.deepEqual([pa.name, pa.household_id], ['陈改名', other.id]);
	const pb = await officer('GET', `/api/v1/persons/${b.id}`);
	assert.deepEqual([pb.name, pb.household_id], ['刘登记', home.id]);
	await page.context().close();
});

test('on a phone the 待核实 list reads without sideways scrolling', async () => {
	await twoSightings();
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('discrepancies-phone', page, async () => {
		await login(page, srv.url, 'officer');
		await page.goto(`${srv.url}/#/discrepancies`);
		await page.locator('tr[data-status=open]').first().waitFor();
		assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-phone.png'), fullPage: false });
	});
	await page.context().close();
});
