// Saves screenshots of every page at desktop (1280x800) and phone (375x740)
// sizes into build/screenshots/, for a person to look at the layout; the
// visit form is taken as the demo grid worker, the checkpoint pages as the
// checkpoint staff (the entry page at tablet size too), the gate page as
// the grid worker, the checkpoint edit form and the pass signing keys as
// the admin.
// Usage: node tests/browser/shots.mjs            (starts its own demo server)
//        CORDON_URL=http://host:port node tests/browser/shots.mjs
//        SHOTS=field ...                       (only the checkpoint, gate and pass pages)
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, ROOT, DESKTOP, PHONE, PASSWORD, scrollsSideways, apiAs } from './lib.mjs';

const OUT = path.join(ROOT, 'build/screenshots');
const user = process.env.CORDON_USER || 'admin';

async function settle(page) {
	await page.waitForLoadState('networkidle').catch(() => {});
	await page.waitForFunction(() => !document.querySelector('.loading')).catch(() => {});
	await page.waitForTimeout(150);
}

async function shoot(page, name, size) {
	await settle(page);
	const file = path.join(OUT, `${name}-${size}.png`);
	await page.screenshot({ path: file, fullPage: true });
	const wide = await scrollsSideways(page);
	console.log(`${file}${wide ? '  (scrolls sideways!)' : ''}`);
}

// Goes to a hash URL and waits for its list or table (a hash change does
// not load a page, so settle() alone could catch the previous one).
async function open(page, url, sel = '.paged tbody tr, .paged .empty') {
	await page.goto(url);
	const key = /#\/([\w-]+)/.exec(url)[1];
	await page.locator(`.page-${key} :is(${sel})`).first().waitFor().catch(() => {});
}

// Population, risk areas, imports and screening rounds (as the signed-in user).
async function population(page, base, size) {
	await open(page, `${base}/#/persons?q=${encodeURIComponent('王')}`);
	await shoot(page, 'persons', size);
	// A person with an arrival: the first of the arrivals list.
	await open(page, `${base}/#/areas/arrivals`);
	await page.locator('table.grade-table').waitFor().catch(() => {});
	await shoot(page, 'arrivals', size);
	const who = page.locator('.paged table tbody tr a[href^="#/persons/"]').first();
	if (await who.count()) {
		await open(page, `${base}/${await who.getAttribute('href')}`, '.person-card');
		await shoot(page, 'person', size);
	}
	await open(page, `${base}/#/households`);
	await shoot(page, 'households', size);
	const hh = page.locator('.paged table tbody tr a[href^="#/households/"]').first();
	if (await hh.count()) {
		await open(page, `${base}/${await hh.getAttribute('href')}`, 'dl.facts');
		await shoot(page, 'household', size);
	}
	await open(page, `${base}/#/areas`);
	await shoot(page, 'areas', size);
	await open(page, `${base}/#/imports`);
	await shoot(page, 'imports', size);
	await open(page, `${base}/#/rounds`);
	await shoot(page, 'rounds', size);
	const round = page.locator('.paged table tbody tr a[href^="#/rounds/"]').last();
	if (await round.count()) {
		const href = await round.getAttribute('href');
		await page.goto(`${base}/${href}`);
		await page.locator('table.coverage').waitFor().catch(() => {});
		await shoot(page, 'round-coverage', size);
		const drill = page.locator('table.coverage a.drill').first();
		if (await drill.count()) {
			await drill.click();
			await page.locator('.coverage-card .breadcrumb li:nth-child(2)').waitFor().catch(() => {});
			await shoot(page, 'round-coverage-2', size);
		}
		for (const tab of ['teams', 'rechecks', 'visits']) {
			await open(page, `${base}/${href}/${tab}`);
			await shoot(page, `round-${tab}`, size);
		}
	}
}

// The visit form as the demo grid worker: empty, filled in, saved.
async function visitForm(browser, base, size, viewport) {
	const page = await newPage(browser, viewport, size === 'phone' ? { isMobile: true, hasTouch: true } : {});
	await login(page, base, 'grid_worker');
	await page.goto(`${base}/#/visit`);
	await page.locator('form.visit-form').waitFor();
	await shoot(page, 'visit', size);
	const chip = page.locator('.chip-btn').first();
	if (await chip.count()) {
		await chip.click();
		await page.locator('.household-opt').first().waitFor();
		await shoot(page, 'visit-households', size);
		await page.locator('.household-opt').first().click();
	}
	await page.locator('input[name="persons[0].doc_number"]').fill('110101198001010010');
	await page.locator('input[name="persons[0].name"]').fill('截图甲');
	await page.locator('[data-act=add-person]').click();
	await page.locator('input[name="persons[1].doc_number"]').fill('110101198001020015');
	await page.locator('input[name="persons[1].name"]').fill('截图乙');
	await page.locator('button[type=submit]').click();
	await page.locator('.send-status[data-state=error]').waitFor().catch(() => {});
	await shoot(page, 'visit-error', size);
	await page.locator('input[name="persons[1].doc_number"]').fill('110101198001020016');
	await page.locator('.person-row[data-index="1"] .big-check input').check();
	await page.locator('.person-row[data-index="1"] .away .picker-q').fill('武汉');
	await page.locator('.person-row[data-index="1"] .away .picker-opt').first().click();
	await page.locator('input[name="persons[1].arrival_date"]').fill('2020-02-01');
	await shoot(page, 'visit-filled', size);
	await page.locator('button[type=submit]').click();
	await page.locator('.send-status[data-state=saved]').waitFor().catch(() => {});
	await shoot(page, 'visit-saved', size);
	await page.context().close();
}

// A road and a rail checkpoint, a gate of the grid worker's compound and a
// pass of one of its residents (made once when the demo has none).
async function fieldSetup(base) {
	const admin = await apiAs(base, 'admin');
	const me = await admin('GET', '/api/v1/me');
	let cps = (await admin('GET', '/api/v1/checkpoints?limit=100')).items;
	if (!cps.some((c) => c.kind === 'road')) await admin('POST', '/api/v1/checkpoints', { code: 'S103-SHOT', name: 'S103永宁立交卡点', kind: 'road', unit_id: me.scope_unit.id, location: '省道S103 永宁立交与南环交汇处' });
	if (!cps.some((c) => c.kind === 'rail')) await admin('POST', '/api/v1/checkpoints', { code: 'RAIL-SHOT', name: '银川火车站卡点', kind: 'rail', unit_id: me.scope_unit.id });
	cps = (await admin('GET', '/api/v1/checkpoints?limit=100')).items;
	const road = cps.find((c) => c.kind === 'road');
	const rail = cps.find((c) => c.kind === 'rail');
	const shifts = (await admin('GET', `/api/v1/checkpoints/${road.id}/shifts`)).items;
	if (!shifts.length) {
		const d = new Date();
		const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
		await admin('POST', `/api/v1/checkpoints/${road.id}/roster`, { from: day, days: 5 }).catch(() => {});
		await admin('POST', `/api/v1/checkpoints/${road.id}/duty`, { person_name: '马警官', agency: 'police', client_id: `shot-duty-${Date.now()}` }).catch(() => {});
		await admin('POST', `/api/v1/checkpoints/${road.id}/duty`, { person_name: '杨医生', agency: 'health', client_id: `shot-duty2-${Date.now()}`, at: Math.floor(Date.now() / 1000) - 20 * 3600 }).catch(() => {});
	}
	const grid = await apiAs(base, 'grid_worker');
	const compound = (await grid('GET', '/api/v1/me')).scope_unit;
	let gate = (await admin('GET', `/api/v1/gates?unit_id=${compound.id}`)).items[0];
	if (!gate) gate = await admin('POST', '/api/v1/gates', { unit_id: compound.id, name: '东门' });
	const persons = (await admin('GET', `/api/v1/persons?unit_id=${compound.id}&limit=5`)).items;
	const pass = await admin('POST', '/api/v1/passes', { person_id: persons[0].id });
	return { road, rail, gate, pass };
}

// Checkpoints (as the checkpoint staff), the gate (as the grid worker),
// passes (as the admin).
async function fieldPages(browser, base, size, viewport, setup) {
	const touch = size === 'phone' ? { isMobile: true, hasTouch: true } : {};
	let page = await newPage(browser, viewport, touch);
	await login(page, base, 'checkpoint_staff');
	await open(page, `${base}/#/checkpoints`);
	await shoot(page, 'checkpoints', size);
	await page.goto(`${base}/#/checkpoints/${setup.road.id}`);
	await page.locator('form.cp-form').waitFor();
	await shoot(page, 'checkpoint-vehicle', size);
	await page.locator('#cp-plate').fill('宁A7Q' + String(Date.now() % 1000).padStart(3, '0'));
	await page.locator('input[name=origin]').fill('武汉');
	await page.locator('.field:has(input[name=origin]) .suggest-list li').first().click().catch(() => {});
	await page.locator('input[name="occupants[0].name"]').fill('截图驾驶员');
	await page.locator('input[name="occupants[0].ident"]').fill('110101198001010010');
	await page.locator('input[name="occupants[0].temperature"]').fill('36.5');
	await page.locator('[data-act=add-person]').click();
	await page.locator('input[name="occupants[1].name"]').fill('截图乘客');
	await page.locator('input[name="occupants[1].ident"]').fill('13912345678');
	await page.locator('input[name="occupants[1].temperature"]').fill('38.4');
	await shoot(page, 'checkpoint-vehicle-filled', size);
	await page.keyboard.press('Control+Enter');
	await page.locator('.cp-result').waitFor().catch(() => {});
	await shoot(page, 'checkpoint-vehicle-saved', size);
	for (const tab of ['duty', 'records']) {
		await page.goto(`${base}/#/checkpoints/${setup.road.id}/${tab}`);
		await page.locator(tab === 'duty' ? '.duty-panel section' : '.paged tbody tr, .paged .empty').first().waitFor().catch(() => {});
		await shoot(page, `checkpoint-${tab}`, size);
	}
	await page.goto(`${base}/#/checkpoints/${setup.rail.id}`);
	await page.locator('form.cp-form').waitFor().catch(() => {});
	await shoot(page, 'checkpoint-train', size);
	await page.goto(`${base}/#/checkpoints/counts`);
	await page.locator('table.counts-table').first().waitFor().catch(() => {});
	await shoot(page, 'checkpoint-counts', size);
	await page.context().close();
	if (size === 'desktop') {
		// The entry page on a tablet, with the temperature keypad.
		page = await newPage(browser, { width: 1024, height: 768 }, { hasTouch: true });
		await login(page, base, 'checkpoint_staff');
		await page.goto(`${base}/#/checkpoints/${setup.road.id}`);
		await page.locator('form.cp-form').waitFor();
		await page.locator('input[name="occupants[0].temperature"]').focus();
		await page.locator('.keypad [data-key="36."]').click().catch(() => {});
		await page.locator('.keypad [data-key="6"]').click().catch(() => {});
		await shoot(page, 'checkpoint-tablet-keypad', 'tablet');
		await page.context().close();
	}

	page = await newPage(browser, viewport, touch);
	await login(page, base, 'grid_worker');
	await page.goto(`${base}/#/gate?choose=1`);
	await page.locator('.gate-choice').first().waitFor().catch(() => {});
	await shoot(page, 'gate-choose', size);
	await page.goto(`${base}/#/gate/${setup.gate.id}`);
	await page.locator('.gate-decision').waitFor();
	await shoot(page, 'gate', size);
	await page.locator('#gate-temp').fill('36.4');
	await page.locator('details.disclosure > summary').click();
	await page.locator('.gate-fallback input[name=token]').fill(setup.pass.token);
	await page.locator('.gate-fallback input[name=token]').press('Enter');
	await page.locator('.gate-decision:is([data-state=allow], [data-state=deny])').waitFor().catch(() => {});
	await page.evaluate(() => window.scrollTo(0, 0));
	await shoot(page, 'gate-decision', size);
	await page.locator('.gate-kind label.toggle', { hasText: '快递' }).click();
	await page.locator('[data-act=record-kind]').click();
	await page.locator('.gate-decision[data-state=deny]').waitFor().catch(() => {});
	await shoot(page, 'gate-deny', size);
	await page.context().setOffline(true);
	await page.locator('#gate-temp').fill('36.6');
	await page.locator('.gate-fallback input[name=token]').fill(setup.pass.token);
	await page.locator('.gate-fallback input[name=token]').press('Enter');
	await page.locator('.gate-decision[data-state=queued]').waitFor().catch(() => {});
	await shoot(page, 'gate-queued', size);
	await page.context().setOffline(false);
	await page.locator('.offline-badge[data-count="0"]').waitFor().catch(() => {});
	await page.context().close();

	page = await newPage(browser, viewport, touch);
	await login(page, base, 'admin');
	await open(page, `${base}/#/passes`);
	await shoot(page, 'passes', size);
	await open(page, `${base}/#/passes/gates`);
	await shoot(page, 'passes-gates', size);
	// The checkpoint's edit form, with a taken code refused beside its field.
	await page.goto(`${base}/#/checkpoints/${setup.road.id}`);
	await page.locator('details.disclosure > summary').first().click();
	await page.locator('form.cp-edit-form input[name=code]').fill(setup.rail.code);
	await page.locator('form.cp-edit-form [data-act=save-checkpoint]').click();
	await page.locator('form.cp-edit-form .field-error').filter({ hasText: /\S/ }).first().waitFor().catch(() => {});
	await shoot(page, 'checkpoint-edit', size);
	// The pass signing keys: the confirmation, then the answer.
	await page.goto(`${base}/#/settings`);
	await page.locator('table.pass-keys-table').waitFor().catch(() => {});
	await page.locator('[data-act=rotate-key]').click();
	await page.locator('dialog[open]').waitFor();
	await page.screenshot({ path: path.join(OUT, `pass-key-confirm-${size}.png`) });
	await page.locator('dialog[open] button[data-act=ok]').click();
	await page.locator('.pass-keys-result .alert-ok').waitFor().catch(() => {});
	await page.locator('.pass-keys').scrollIntoViewIfNeeded();
	await shoot(page, 'pass-keys', size);
	await page.context().close();
}

async function main() {
	await mkdir(OUT, { recursive: true });
	let srv = null;
	let base = process.env.CORDON_URL;
	if (!base) {
		srv = await startServer();
		base = srv.url;
	}
	const browser = await launch();
	const setup = await fieldSetup(base);
	try {
		for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
			if (process.env.SHOTS === 'field') {
				await fieldPages(browser, base, size, viewport, setup);
				continue;
			}
			const page = await newPage(browser, viewport, size === 'phone' ? { isMobile: true, hasTouch: true } : {});
			await page.goto(`${base}/#/login`);
			await shoot(page, 'login', size);
			await login(page, base, user);
			await page.goto(`${base}/#/units`);
			await page.waitForURL(/#\/units/);
			await shoot(page, 'units', size);
			if (size === 'phone') {
				await page.locator('button.menu-toggle').click();
				await shoot(page, 'menu', size);
				await page.locator('button.menu-toggle').click();
			}
			// Open the first child of the root, then its first child.
			const first = page.locator('ul.tree > li.tree-node > ul.tree-group > li.tree-node').first();
			const href = await first.locator(':scope > .tree-row a.tree-link').getAttribute('href');
			await page.goto(`${base}/${href}`);
			await page.locator('.unit-detail').waitFor();
			await shoot(page, 'unit-detail', size);
			const child = page.locator('.unit-detail table tbody tr a').last();
			if (await child.count()) {
				await page.goto(`${base}/${await child.getAttribute('href')}`);
				await page.locator('.unit-detail .breadcrumb li:nth-child(3)').waitFor().catch(() => {});
				await shoot(page, 'unit-detail-2', size);
			}
			await page.goto(`${base}/#/units?q=${encodeURIComponent('社区')}`);
			await shoot(page, 'units-search', size);
			for (const tab of ['groups', 'leaders', 'orgs', 'assignments']) {
				await page.goto(`${base}/#/command?tab=${tab}`);
				await shoot(page, `command-${tab}`, size);
			}
			for (const p of ['users', 'devices', 'audit', 'settings', 'account']) {
				await page.goto(`${base}/#/${p}`);
				await shoot(page, p, size);
			}
			await page.goto(`${base}/#/users`);
			await settle(page);
			const sum = page.locator('details.disclosure > summary').first();
			if (await sum.count()) {
				await sum.click();
				await shoot(page, 'users-create', size);
			}
			await page.goto(`${base}/#/devices`);
			await settle(page);
			if (await page.locator('details.disclosure > summary').count()) {
				await page.locator('details.disclosure > summary').first().click();
				await page.locator('form input[name=name]').fill('截图用平板');
				await page.locator('form button[type=submit]').click();
				await page.locator('.token-panel').waitFor().catch(() => {});
				await shoot(page, 'devices-token', size);
			}
			await population(page, base, size);
			await page.context().close();
			await visitForm(browser, base, size, size === 'phone' ? PHONE : DESKTOP);
			await fieldPages(browser, base, size, size === 'phone' ? PHONE : DESKTOP, setup);
		}
	} finally {
		await browser.close();
		if (srv) await srv.stop();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
