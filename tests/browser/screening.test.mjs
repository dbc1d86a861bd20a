// Door-to-door screening in the browser, against the real server with the
// demo district: a grid worker on a phone records a visit with two persons,
// a submission retried after a timeout is stored once, a bad ID number is
// shown beside that person's field; an officer watches a round's live
// coverage change when a visit is recorded elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, shotOnFail, scrollsSideways, PASSWORD, DESKTOP, PHONE, apiAs } from './lib.mjs';

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

// A resident ID number with its GB 11643 check character. Region 110101
// (Beijing), so it does not meet the demo's own residents.
let idSeq = 100 + Math.floor(Math.random() * 400);
export function residentId(birth = '19870521') {
	const s17 = `110101${birth}${String(idSeq++).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s17[i]) * w[i];
	return s17 + '10X98765432'[sum % 11];
}

// The same number with a wrong check character.
function badCheck(id) {
	return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

// The latest round (the visit form's default).
async function latestRound(call) {
	const { items } = await call('GET', '/api/v1/rounds?limit=100');
	assert.ok(items.length, 'the demo has screening rounds');
	return items.slice().sort((a, b) => String(b.start_date).localeCompare(String(a.start_date)) || b.id - a.id)[0];
}

async function visitsOf(call, roundId, householdId) {
	const { items } = await call('GET', `/api/v1/visits?round_id=${roundId}&household_id=${householdId}&limit=500`);
	return items;
}

const digits = (s) => Number(String(s).replace(/[^\d]/g, '') || 0);

// Polls fn() until it is truthy or ms pass.
async function waitUntil(fn, ms, what) {
	const end = Date.now() + ms;
	for (;;) {
		if (await fn()) return;
		if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

test('a grid worker on a phone records a visit with two persons; a retry after a timeout is stored once; a bad ID is shown beside its field', async () => {
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const round = await latestRound(grid);
	// A household of the worker's compound, found in the form by its address.
	const hh = await grid('POST', '/api/v1/households', { unit_id: me.scope_unit.id, address: `测试楼${Date.now() % 100000}-1-101`, status: 'unknown' });
	const before = (await visitsOf(grid, round.id, hh.id)).length;

	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('visit-phone', page, async () => {
		await login(page, srv.url, 'grid_worker');
		await page.goto(`${srv.url}/#/visit`);
		const f = page.locator('form.visit-form');
		await f.waitFor();
		// The latest round is chosen.
		assert.equal(await f.locator('select[name=round_id]').inputValue(), String(round.id));
		// Find the household by its address.
		await f.locator('#visit-hh-q').fill(hh.address);
		await f.locator(`.household-opt[data-id="${hh.id}"]`).click();
		await f.locator('.chosen-household', { hasText: hh.address }).waitFor();
		// Method and result are big toggles; door visit and visited.
		await f.locator('label.toggle', { hasText: '入户走访' }).click();
		await f.locator('label.toggle', { hasText: '已走访' }).click();
		// The toggles are big enough for gloves.
		const box = await f.locator('label.toggle span').first().boundingBox();
		assert.ok(box.height >= 48, `toggle height ${box.height}`);

		const id1 = residentId('19800101');
		const id2 = residentId('20120615');
		await f.locator('input[name="persons[0].doc_number"]').fill(id1);
		await f.locator('input[name="persons[0].name"]').fill('王测试');
		await f.locator('input[name="persons[0].phone"]').fill('13912345678');
		await f.locator('[data-act=add-person]').click();
		await f.locator('input[name="persons[1].doc_number"]').fill(id2);
		await f.locator('input[name="persons[1].name"]').fill('王小测');
		// The second came from elsewhere.
		await f.locator('.person-row[data-index="1"] .big-check input').check();
		const origin = f.locator('.person-row[data-index="1"] .away .picker-q');
		await origin.fill('武汉');
		await f.locator('.person-row[data-index="1"] .away .picker-opt').first().click();
		await f.locator('input[name="persons[1].arrival_date"]').fill('2020-02-01');
		await f.locator('textarea[name=note]').fill('浏览器测试');
		assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');

		// The first send reaches the server, but its answer is lost (a timeout).
		let sent = 0;
		let firstKey = null;
		await page.route('**/api/v1/visits', async (route) => {
			sent++;
			const req = route.request();
			firstKey = JSON.parse(req.postData()).client_id;
			const res = await route.fetch();
			assert.equal(res.status(), 201, 'the server stored the first send');
			await route.abort('timedout');
		});
		await f.locator('button[type=submit]').click();
		const status = page.locator('.send-status');
		await status.locator('[data-act=retry]').waitFor();
		assert.equal(await status.getAttribute('data-state'), 'failed');
		assert.equal(sent, 1);
		// The form keeps what was typed.
		assert.equal(await f.locator('input[name="persons[0].doc_number"]').inputValue(), id1);
		assert.equal(await f.locator('input[name="persons[1].name"]').inputValue(), '王小测');
		await page.unroute('**/api/v1/visits');

		// Retry: the same client id, so the server answers with the stored visit.
		const retried = page.waitForRequest((r) => r.url().endsWith('/api/v1/visits') && r.method() === 'POST');
		await status.locator('[data-act=retry]').click();
		assert.equal(JSON.parse((await retried).postData()).client_id, firstKey, 'the retry carries the first client id');
		await page.locator('.send-status[data-state=saved]').waitFor();
		await page.locator('.saved-card', { hasText: hh.address }).waitFor();
		// The card says what to do with each person: the one from Wuhan is
		// graded severe and goes to the designated hotel.
		const wx = page.locator('.saved-persons li', { hasText: '王小测' });
		assert.equal(await wx.getAttribute('data-grade'), 'severe');
		assert.equal(await wx.getAttribute('data-handling'), 'centralized');
		assert.match(await wx.innerText(), /集中隔离/);
		await page.locator('.saved-card').screenshot({ path: new URL('../../build/test-screenshots/visit-saved-grades.png', import.meta.url).pathname });

		const after = await visitsOf(grid, round.id, hh.id);
		assert.equal(after.length, before + 1, 'one visit stored, not two');
		// Both persons are in the registry, located at the household.
		for (const [id, name] of [[id1, '王测试'], [id2, '王小测']]) {
			const { items } = await grid('GET', `/api/v1/persons?q=${id}`);
			assert.equal(items.length, 1, `${id} registered once`);
			assert.equal(items[0].name, name);
			assert.equal(items[0].household_id, hh.id);
		}
		const p2 = (await grid('GET', `/api/v1/persons?q=${id2}`)).items[0];
		const card = await grid('GET', `/api/v1/persons/${p2.id}`);
		assert.equal(card.arrivals.length, 1, 'the arrival was recorded');
		assert.equal(card.arrivals[0].grade, 'severe', 'an arrival from Wuhan is graded severe');

		// The next household: a bad check character on the second person is
		// shown beside that person's number, and nothing is stored.
		await page.locator('[data-act=next]').click();
		await f.locator('#visit-hh-q').fill(hh.address);
		await f.locator(`.household-opt[data-id="${hh.id}"]`).click();
		const id3 = residentId('19750303');
		await f.locator('input[name="persons[0].doc_number"]').fill(id3);
		await f.locator('input[name="persons[0].name"]').fill('李测试');
		await f.locator('[data-act=add-person]').click();
		await f.locator('input[name="persons[1].doc_number"]').fill(badCheck(residentId('19760404')));
		await f.locator('input[name="persons[1].name"]').fill('李错号');
		await f.locator('button[type=submit]').click();
		const err = f.locator('.person-row[data-index="1"] .field:has(input[name="persons[1].doc_number"]) .field-error');
		await err.filter({ hasText: /check|校验/ }).waitFor();
		assert.equal(await f.locator('input[name="persons[1].doc_number"]').getAttribute('aria-invalid'), 'true');
		assert.equal(await f.locator('.person-row[data-index="0"] .field-error').filter({ hasText: /\S/ }).count(), 0, 'the first person has no error');
		assert.equal(await page.locator('.send-status').getAttribute('data-state'), 'error');
		assert.equal((await visitsOf(grid, round.id, hh.id)).length, before + 1, 'nothing stored for the bad visit');
		assert.equal((await grid('GET', `/api/v1/persons?q=${id3}`)).items.length, 0, 'the good person of the bad visit is not stored either');

		// Two quick taps on submit after correcting it store one visit.
		await f.locator('input[name="persons[1].doc_number"]').fill(residentId('19760404'));
		await f.locator('button[type=submit]').dblclick();
		await page.locator('.send-status[data-state=saved]').waitFor();
		await page.waitForTimeout(500);
		assert.equal((await visitsOf(grid, round.id, hh.id)).length, before + 2, 'two visits in all, not three');
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('the visit form keeps an unsent visit across a reload', async () => {
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('visit-draft', page, async () => {
		await login(page, srv.url, 'grid_worker');
		await page.goto(`${srv.url}/#/visit`);
		const f = page.locator('form.visit-form');
		await f.locator('input[name="persons[0].name"]').fill('草稿保留');
		await f.locator('label.toggle', { hasText: '电话询问' }).click();
		await page.reload();
		await page.locator('#toasts .toast', { hasText: '已恢复' }).waitFor();
		assert.equal(await f.locator('input[name="persons[0].name"]').inputValue(), '草稿保留');
		assert.equal(await f.locator('input[name=method][value=phone]').isChecked(), true);
	});
	await page.context().close();
});

test('an officer watches a round\'s coverage change when a visit is recorded', async () => {
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const round = await latestRound(grid);
	const compound = await grid('GET', `/api/v1/units/${me.scope_unit.id}`);
	const hh = await grid('POST', '/api/v1/households', { unit_id: compound.id, address: `覆盖测试${Date.now() % 100000}-2-202`, status: 'unknown' });

	const page = await newPage(browser, DESKTOP);
	await shotOnFail('coverage-live', page, async () => {
		await login(page, srv.url, 'officer');
		// The round's coverage, drilled down from the officer's scope to the compound's community.
		await page.goto(`${srv.url}/#/rounds/${round.id}`);
		const table = page.locator('table.coverage');
		await table.locator('tr.total-row').waitFor();
		await page.locator('.updated', { hasText: /\d\d:\d\d:\d\d/ }).waitFor();
		// Drill down (district → sub-district → community) by clicking until the compound's row shows.
		const row = table.locator(`tr[data-unit="${compound.id}"]`);
		for (let i = 0; i < 4 && !(await row.count()); i++) {
			const ancestors = (compound.ancestors || []).map((a) => String(a.id));
			const links = await table.locator('a.drill').evaluateAll((els) => els.map((e) => e.closest('tr').dataset.unit));
			const next = links.find((u) => ancestors.includes(u));
			assert.ok(next, `a drill-down link towards the compound (level ${i})`);
			await table.locator(`tr[data-unit="${next}"] a.drill`).click();
			await page.waitForURL(new RegExp(`unit_id=${next}`));
			// The URL moves before the new table is drawn: wait for the row of the
			// unit drilled into (its total row), not for any row of the old table.
			await table.locator(`tr.total-row[data-unit="${next}"]`).waitFor();
		}
		await row.waitFor();
		await page.locator('.coverage-card .breadcrumb li', { hasText: compound.ancestors.at(-1).name }).waitFor();
		const visited0 = digits(await row.locator('[data-col=visited]').textContent());
		const persons0 = digits(await row.locator('[data-col=persons]').textContent());
		const households = digits(await row.locator('[data-col=households]').textContent());
		assert.ok(households >= 1);
		const stamp0 = await page.locator('.updated').textContent();

		// Elsewhere, the grid worker records a visit to the new household with one new person.
		await grid('POST', '/api/v1/visits', {
			client_id: `bt-${Date.now()}`, round_id: round.id, household_id: hh.id, method: 'door', result: 'visited',
			persons: [{ doc_type: 'resident_id', doc_number: residentId('19910909'), name: '赵覆盖' }],
		});
		// Within a refresh (10 s) the compound's row shows one more household and one more person.
		await waitUntil(async () => digits(await row.locator('[data-col=visited]').textContent()) === visited0 + 1, 25_000, 'the visited count goes up by one');
		assert.equal(digits(await row.locator('[data-col=persons]').textContent()), persons0 + 1);
		assert.notEqual(await page.locator('.updated').textContent(), stamp0, 'the "updated" time moved on');
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('a commander creates a round and a 一托三 team; an officer confirms an empty home from the re-check queue', async () => {
	const name = '测试轮次' + Date.now().toString(36).slice(-4);
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('round-team', page, async () => {
		await login(page, srv.url, 'commander');
		await page.goto(`${srv.url}/#/rounds`);
		await page.locator('details.disclosure > summary', { hasText: '新建轮次' }).click();
		const f = page.locator('form[aria-label="新建轮次"]');
		await f.locator('input[name=name]').fill(name);
		// Before the demo's rounds, so it does not become the visit form's default.
		await f.locator('input[name=start_date]').fill('2020-01-20');
		await f.locator('button[type=submit]').click();
		await page.waitForURL(/#\/rounds\/\d+$/);
		await page.locator('h1', { hasText: name }).waitFor();
		await page.locator('table.coverage').waitFor();

		await page.locator('nav.tabs a[data-tab=teams]').click();
		await page.locator('details.disclosure > summary', { hasText: '新增工作组' }).click();
		const tf = page.locator('form[aria-label="新增工作组"]');
		await tf.locator('.picker-q').fill('金水社区');
		await tf.locator('.picker-opt', { hasText: '金水社区' }).first().click();
		const compound = tf.locator('label.check').first();
		await compound.waitFor();
		const compoundName = (await compound.textContent()).trim();
		await compound.locator('input').check();
		await tf.locator('input[name=name]').fill('测试一托三组');
		await tf.locator('input[name=police_name]').fill('张警官');
		await tf.locator('input[name=legal_name]').fill('李干部');
		await tf.locator('input[name=cadre_name]').fill('王干部');
		await tf.locator('input[name=grid_name]').fill('赵网格');
		await tf.locator('button[type=submit]').click();
		const row = page.locator('.paged table tbody tr', { hasText: '测试一托三组' });
		await row.waitFor();
		assert.match(await row.textContent(), /张警官.*李干部.*王干部.*赵网格/);
		await row.locator('.chip', { hasText: compoundName }).waitFor();
	});
	await page.context().close();

	const officer = await apiAs(srv.url, 'officer');
	const round = await latestRound(officer);
	const p2 = await newPage(browser, DESKTOP);
	await shotOnFail('rechecks', p2, async () => {
		await login(p2, srv.url, 'officer');
		await p2.goto(`${srv.url}/#/rounds/${round.id}/rechecks`);
		const first = p2.locator('.paged table tbody tr').first();
		await first.waitFor();
		const hid = await first.getAttribute('data-id');
		const pending0 = digits(await p2.locator('.round-totals .stat').nth(3).locator('.stat-n').textContent());
		await first.locator('[data-act=confirm-empty]').click();
		await p2.locator('dialog.dialog .dialog-msg', { hasText: '无人居住' }).waitFor();
		await p2.locator('dialog.dialog [data-act=ok]').click();
		await p2.locator(`.paged table tbody tr[data-id="${hid}"]`).waitFor({ state: 'detached' });
		const hh = await officer('GET', `/api/v1/households/${hid}`);
		assert.equal(hh.empty_confirmed, true);
		await waitUntil(async () => digits(await p2.locator('.round-totals .stat').nth(3).locator('.stat-n').textContent()) === pending0 - 1, 10_000, 'empties pending goes down by one');
		assert.deepEqual(p2.errors || [], []);
	});
	await p2.context().close();
});
