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

// ---------- the field pages say what they did not apply (issue 9 §1) ----------

test('the visit form tells the grid worker that a person typed under another name went to be confirmed', async () => {
	const grid = await apiAs(srv.url, 'grid_worker');
	const officer = await apiAs(srv.url, 'officer');
	const me = await grid('GET', '/api/v1/me');
	const tag = Date.now() % 100000;
	const home = await officer('POST', '/api/v1/households', { unit_id: me.scope_unit.id, address: `表单楼${tag}-1-101`, status: 'occupied' });
	const p = await officer('POST', '/api/v1/persons', { doc_number: residentId('19750505'), name: '孙登记', household_id: home.id });
	const round = await latestRound(grid);
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('discrepancies-visit-form', page, async () => {
		await login(page, srv.url, 'grid_worker');
		await page.goto(`${srv.url}/#/visit`);
		const f = page.locator('form.visit-form');
		await f.waitFor();
		assert.equal(await f.locator('select[name=round_id]').inputValue(), String(round.id));
		await f.locator('#visit-hh-q').fill(home.address);
		await f.locator(`.household-opt[data-id="${home.id}"]`).click();
		await f.locator('label.toggle', { hasText: '入户走访' }).click();
		await f.locator('label.toggle', { hasText: '已走访' }).click();
		await f.locator('input[name="persons[0].doc_number"]').fill(p.doc_number);
		await f.locator('input[name="persons[0].name"]').fill('孙别名');
		await f.locator('button[type=submit]').click();
		await page.locator('.send-status[data-state=saved]').waitFor();
		const item = page.locator('.saved-card .held-list li[data-kind=name]');
		await item.waitFor();
		const text = await item.innerText();
		assert.match(text, /孙别名/);
		assert.match(text, /待核实/);
		assert.match(text, /登记姓名为孙登记/);
		assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-visit-saved.png'), fullPage: true });
	});
	// The registry kept the registered name.
	assert.equal((await officer('GET', `/api/v1/persons/${p.id}`)).name, '孙登记');
	await page.context().close();
});

test('the checkpoint page marks an occupant whose typed name differs from the registry as to confirm', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const root = (await admin('GET', '/api/v1/me')).scope_unit.id;
	const cp = await admin('POST', '/api/v1/checkpoints', { code: `D${Date.now() % 1000000}`, name: '核实卡点', kind: 'road', unit_id: root, location: 'G6 出口' });
	const p = await admin('POST', '/api/v1/persons', { doc_number: residentId('19680808'), name: '周登记', unit_id: root });
	const plate = '宁A' + String(Date.now() % 100000).padStart(5, '0');
	const page = await newPage(browser, { width: 1024, height: 768 });
	await shotOnFail('discrepancies-checkpoint', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		await page.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		await page.locator('form.cp-form[data-kind=vehicle]').waitFor();
		await page.locator('#cp-plate').fill(plate);
		await page.locator('input[name="occupants[0].name"]').fill('周改名');
		await page.locator('input[name="occupants[0].ident"]').fill(p.doc_number);
		await page.locator('input[name="occupants[0].temperature"]').fill('38.6');
		await page.keyboard.press('Control+Enter');
		const line = page.locator('.cp-result:not(.queued) .cp-people-result li').first();
		await line.waitFor();
		assert.equal(await line.getAttribute('data-disposition'), 'referral');
		const note = line.locator('.held-note[data-kind=name]');
		await note.waitFor();
		assert.match(await note.innerText(), /待核实/);
		assert.match(await note.innerText(), /姓名未修改/);
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-checkpoint.png'), fullPage: true });
	});
	assert.equal((await admin('GET', `/api/v1/persons/${p.id}`)).name, '周登记');
	await page.context().close();
});

test('the gate page says a non-resident\'s fever went to their unit to confirm, naming nobody', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const root = (await admin('GET', '/api/v1/me')).scope_unit.id;
	const gate = await admin('POST', '/api/v1/gates', { unit_id: me.scope_unit.id, name: `核实门${Date.now() % 100000}` });
	const p = await admin('POST', '/api/v1/persons', { doc_number: residentId('19910101'), name: '吴外来', unit_id: root });
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('discrepancies-gate', page, async () => {
		await login(page, srv.url, 'grid_worker');
		await page.goto(`${srv.url}/#/gate/${gate.id}`);
		await page.locator('.gate-decision[data-state=idle]').waitFor();
		await page.locator('.gate-fallback').evaluate((f) => { f.closest('details').open = true; });
		await page.locator('#gate-temp').fill('38.7');
		await page.locator('.gate-fallback input[name=doc_number]').fill(p.doc_number);
		await page.locator('[data-act=check-doc]').click();
		const panel = page.locator('.gate-decision[data-state=deny]');
		await panel.waitFor();
		const note = panel.locator('.held-note[data-kind=fever]');
		await note.waitFor();
		assert.match(await note.innerText(), /待核实/);
		assert.doesNotMatch(await panel.innerText(), /吴/, 'nobody is named');
		await page.screenshot({ path: path.join(SHOTS, 'discrepancies-gate.png'), fullPage: false });
	});
	// The fever reached the person's unit, not their record.
	const list = (await admin('GET', `/api/v1/discrepancies?person_id=${p.id}`)).items;
	assert.deepEqual(list.map((d) => [d.kind, d.source]), [['fever', 'gate']]);
	await page.context().close();
});
