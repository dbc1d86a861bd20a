// On a 360-px phone in Chinese (issue 10): the header is one row on the field
// pages and the queue's badge is only for those who write there; the gate
// chooser searches a district's gates and pages them; the checkpoint's
// recent plates open when the plate field is tapped, not on load; the person
// card shows the colour with its reason, an open fever a medic closes there,
// the observation's end and the pass, and the revealed phone in the sources
// too; a server error is shown in Chinese; a language chosen at sign-in is
// kept and saved. Screenshots: build/test-screenshots/phone-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, shotOnFail, apiAs, ROOT } from './lib.mjs';

const NARROW = { width: 360, height: 740 };
const TOUCH = { isMobile: true, hasTouch: true };
const SHOTS = path.join(ROOT, 'build/test-screenshots');

let srv;
let browser;

before(async () => {
	srv = await startServer();
	browser = await launch();
	await mkdir(SHOTS, { recursive: true });
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `phone-${name}.png`) });

function residentId(birth, seq = String(100 + Math.floor(Math.random() * 800))) {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const first = `640106${birth}${seq}`;
	let s = 0;
	for (let i = 0; i < 17; i++) s += Number(first[i]) * w[i];
	return first + '10X98765432'[s % 11];
}

// The header's height and whether its queue badge shows.
async function header(page) {
	// The header is drawn anew on each route: read it in one go.
	await page.waitForTimeout(300);
	return (await page.waitForFunction(() => {
		const bar = document.querySelector('header.topbar .topbar-inner');
		if (!bar) return null;
		const b = bar.querySelector('.offline-badge');
		return { height: bar.getBoundingClientRect().height, badge: !!b && !b.hidden && b.getBoundingClientRect().width > 0 };
	})).jsonValue();
}

test('at 360 px the header is one row on the field pages; the queue badge only for those who write there', async () => {
	for (const [user, hash, name, badge] of [
		['grid_worker', '#/gate', 'gate', true],
		['checkpoint_staff', '#/checkpoints', 'checkpoints', true],
		['officer', '#/reports', 'reports', true],
		['inspector', '#/checkpoints', 'checkpoints-readonly', false],
	]) {
		const page = await newPage(browser, NARROW, TOUCH);
		await shotOnFail(`phone-header-${name}`, page, async () => {
			await login(page, srv.url, user);
			await page.goto(`${srv.url}/${hash}`);
			await page.locator('main .page-head, main h1').first().waitFor();
			const hd = await header(page);
			await shot(page, `header-${name}`);
			assert.ok(hd.height <= 64, `${user} on ${hash}: the header is ${hd.height} px high (one row is 56)`);
			assert.equal(hd.badge, badge, `${user} on ${hash}: the queue badge ${badge ? 'shows' : 'is hidden'}`);
		});
		await page.context().close();
	}
});

test('the gate chooser pages a district\'s gates and finds one by its compound\'s name or code', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const all = await admin('GET', '/api/v1/gates?limit=500');
	assert.ok(all.items.length > 30, 'the demo has many gates');
	const target = all.items[all.items.length - 1];
	const unit = await admin('GET', `/api/v1/units/${target.unit_id}`);
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-gate-chooser', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/gate?choose=1`);
		const choices = page.locator('.gate-choices .gate-choice');
		await choices.first().waitFor();
		assert.equal(await choices.count(), 30, 'one page of gates');
		const height = await page.evaluate(() => document.documentElement.scrollHeight);
		assert.ok(height < 4000, `the page is ${height} px long`);
		await page.locator('.gate-more').click();
		await page.waitForFunction(() => document.querySelectorAll('.gate-choices .gate-choice').length === 60);
		// By the compound's name.
		await page.locator('form.gate-search input[name=q]').fill(target.unit_name);
		await page.locator('form.gate-search button[type=submit]').click();
		await page.locator(`.gate-choice[data-id="${target.id}"]`).waitFor();
		for (const u of await choices.locator('.gate-choice-unit').allTextContents()) assert.ok(u.includes(target.unit_name), `${u} matches ${target.unit_name}`);
		await shot(page, 'gate-chooser-search');
		// By its code, in small letters.
		await page.locator('form.gate-search input[name=q]').fill(unit.code.toLowerCase());
		await page.locator('form.gate-search button[type=submit]').click();
		await page.waitForURL((u) => u.hash.includes(encodeURIComponent(unit.code.toLowerCase())));
		await page.locator(`.gate-choice[data-id="${target.id}"]`).waitFor();
		// Nothing found says so.
		await page.locator('form.gate-search input[name=q]').fill('没有这个小区');
		await page.locator('form.gate-search button[type=submit]').click();
		await page.locator('.empty, .placeholder', { hasText: '没有这个小区' }).waitFor();
	});
	await page.context().close();
});

test('the checkpoint page opens its recent plates when the plate field is tapped, not on load', async () => {
	const staff = await apiAs(srv.url, 'checkpoint_staff');
	const cps = await staff('GET', '/api/v1/checkpoints?limit=50');
	const road = cps.items.find((c) => c.kind === 'road');
	await staff('POST', `/api/v1/checkpoints/${road.id}/vehicles`, {
		plate: '宁A5P' + String(Date.now()).slice(-3), direction: 'in', occupants: [{ temperature: 36.5 }], client_id: `phone-${Date.now()}`,
	});
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-checkpoint-plates', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		await page.goto(`${srv.url}/#/checkpoints/${road.id}`);
		const f = page.locator('form.cp-form[data-kind=vehicle]');
		await f.waitFor();
		await page.waitForTimeout(800);
		const list = f.locator('.suggest-list').first();
		assert.equal(await list.isVisible(), false, 'no list over 来自 and 目的地 on load');
		await shot(page, 'checkpoint-loaded');
		await f.locator('input[name=plate]').tap();
		await list.locator('li').first().waitFor();
		assert.ok(await list.isVisible(), 'the list opens on a tap of the plate field');
		await shot(page, 'checkpoint-plate-tapped');
	});
	await page.context().close();
});

test('the person card shows the colour with its reason, an open fever a medic closes there, the observation and the pass; the revealed phone shows in the sources too', async () => {
	// A resident of the grid worker's compound runs a fever at its gate.
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const gate = (await grid('GET', `/api/v1/gates?unit_id=${me.scope_unit.id}`)).items[0];
	const resident = (await grid('GET', `/api/v1/persons?unit_id=${me.scope_unit.id}&limit=50`)).items.find((x) => x.located && x.doc_type === 'resident_id');
	const whole = await admin('GET', `/api/v1/persons/${resident.id}?reveal=1`);
	const scan = await grid('POST', `/api/v1/gates/${gate.id}/scans`, {
		doc_number: whole.doc_number, direction: 'in', temperature: 38.2, client_id: `phone-fever-${Date.now()}`,
	});
	assert.ok(scan.fever_id || scan.reason_code === 'fever' || scan.decision === 'deny', JSON.stringify(scan));
	const fever = (await admin('GET', `/api/v1/fevers?person_id=${resident.id}&status=open`)).items[0];
	assert.ok(fever, 'the fever is open');
	// A phone changed after registration is a fact with its source.
	const p0 = await admin('GET', `/api/v1/persons/${fever.person_id}?reveal=1`);
	const phone = p0.phone === '13912340001' ? '13912340002' : '13912340001';
	await admin('PATCH', `/api/v1/persons/${fever.person_id}`, { phone });
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-person-card', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/persons/${fever.person_id}`);
		const status = page.locator('section.person-status');
		await status.locator('.person-status-facts').waitFor();
		assert.equal(await status.locator('.person-status-facts').getAttribute('data-colour'), 'red');
		assert.match(await status.innerText(), /红码/);
		assert.match(await status.innerText(), /发热.*尚未经医务人员复核解除|未解除/);
		assert.match(await status.locator('.person-pass').innerText(), /有效|未办理|过期|吊销/);
		await status.screenshot({ path: path.join(SHOTS, 'phone-person-card-fever.png') });
		// Reveal: the number, the phone and the sources' phone whole.
		await page.locator('[data-act=reveal]').click();
		await page.locator('.doc-number.revealed').waitFor();
		await page.locator('.person-facts', { hasText: phone }).waitFor();
		// The medic's follow-up closes the fever: the card turns green.
		const close = status.locator(`.fever-open[data-id="${fever.id}"]`);
		await close.locator('summary').click();
		await close.locator('select[name=outcome]').selectOption('remeasured_normal');
		await close.locator('input[name=temperature]').fill('36.5');
		await close.locator('button[type=submit]').click();
		await page.locator('section.person-status .person-status-facts').waitFor();
		await page.waitForFunction(() => {
			const el = document.querySelector('section.person-status .person-status-facts');
			return el && el.dataset.colour !== 'red';
		});
		assert.match(await page.locator('section.person-status').innerText(), /复核解除/);
		await page.locator('section.person-status').screenshot({ path: path.join(SHOTS, 'phone-person-card-closed.png') });
	});
	await page.context().close();
});

test('a Chinese page shows the server\'s error in Chinese beside its field', async () => {
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-zh-error', page, async () => {
		await login(page, srv.url, 'officer');
		await page.goto(`${srv.url}/#/persons`);
		await page.locator('details.disclosure > summary', { hasText: '新增人员' }).click();
		const f = page.locator('form[aria-label="新增人员"]');
		const good = residentId('19900101');
		const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
		await f.locator('input[name=doc_number]').fill(bad);
		await f.locator('input[name=name]').fill('错号测试');
		await f.locator('button[type=submit]').click();
		const err = f.locator('.field:has(input[name=doc_number]) .field-error');
		await err.filter({ hasText: /\S/ }).waitFor();
		const text = await err.innerText();
		assert.match(text, /校验/, text);
		assert.doesNotMatch(text, /check character|should be/, `no English: ${text}`);
		await err.scrollIntoViewIfNeeded();
		await shot(page, 'zh-server-error');
	});
	await page.context().close();
});

test('English chosen on the login page is kept after sign-in and saved for the account', async () => {
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-login-lang', page, async () => {
		await page.goto(`${srv.url}/#/login`);
		await page.locator('.login-top [data-lang=en]').click();
		// The form is drawn again in English once the strings have loaded;
		// typing before that would type into the form being replaced.
		await page.locator('form.login-form button[type=submit]', { hasText: 'Sign in' }).waitFor();
		await page.locator('input[name=username]').fill('grid_worker');
		await page.locator('input[name=password]').fill('demo2020');
		await page.locator('form.login-form button[type=submit]').click();
		await page.locator('header.topbar').waitFor();
		await page.waitForTimeout(500);
		assert.equal(await page.locator('.menu-toggle .menu-label').innerText(), 'Menu');
		const me = await page.evaluate(async () => (await (await fetch('/api/v1/me', { headers: { Accept: 'application/json' } })).json()));
		assert.equal(me.user.lang, 'en', 'saved for the account');
		await shot(page, 'login-english');
	});
	await page.context().close();
});

test('charts: arrivals per day by grade and a round\'s coverage per town, each with its table a click away', async () => {
	const commander = await apiAs(srv.url, 'commander');
	const rounds = await commander('GET', '/api/v1/rounds?limit=50');
	const round = rounds.items.find((r) => r.unit_id === rounds.items[0].unit_id) || rounds.items[0];
	for (const [name, hash, card, table] of [
		['arrivals-by-day', '#/areas/arrivals', 'section.arrivals-by-day', '.by-day-table'],
		['coverage-by-town', `#/rounds/${round.id}`, 'section.coverage-chart-card', null],
	]) {
		const page = await newPage(browser, { width: 1280, height: 800 });
		await shotOnFail(`chart-${name}`, page, async () => {
			await login(page, srv.url, 'commander');
			await page.goto(`${srv.url}/${hash}`);
			const sec = page.locator(card);
			await sec.locator('.chart-box[data-drawn="1"]').waitFor({ timeout: 20_000 });
			assert.ok(await sec.locator('svg').count() > 0, 'drawn as SVG');
			await sec.screenshot({ path: path.join(SHOTS, `chart-${name}.png`) });
			await sec.locator('[data-act=show-table]').click();
			if (table) {
				await sec.locator(table).waitFor();
				assert.ok(await sec.locator(`${table} tbody tr`).count() > 0, 'the table has rows');
			} else {
				await page.locator('table.coverage tbody tr').first().waitFor();
			}
		});
		await page.context().close();
	}
});

test('a medic\'s fevers page lists the open fevers in scope and leads to the card where one is closed', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const gate = (await grid('GET', `/api/v1/gates?unit_id=${me.scope_unit.id}`)).items[0];
	const open = new Set((await admin('GET', '/api/v1/fevers?status=open&limit=500')).items.map((f) => f.person_id));
	const resident = (await grid('GET', `/api/v1/persons?unit_id=${me.scope_unit.id}&limit=100`)).items.filter((x) => x.located && x.doc_type === 'resident_id' && !open.has(x.id))[1];
	const whole = await admin('GET', `/api/v1/persons/${resident.id}?reveal=1`);
	await grid('POST', `/api/v1/gates/${gate.id}/scans`, { doc_number: whole.doc_number, direction: 'in', temperature: 38.6, client_id: `phone-fever2-${Date.now()}` });
	const page = await newPage(browser, NARROW, TOUCH);
	await shotOnFail('phone-fevers', page, async () => {
		await login(page, srv.url, 'medic');
		await page.goto(`${srv.url}/#/fevers`);
		const row = page.locator('.paged table tbody tr', { hasText: resident.name }).first();
		await row.waitFor();
		assert.match(await row.innerText(), /38\.6/);
		await shot(page, 'fevers');
		await row.locator('a.btn', { hasText: '去复核' }).click();
		await page.waitForURL(new RegExp(`#/persons/${resident.id}$`));
		const fever = page.locator('section.person-status .fever-open').first();
		await fever.locator('summary').click();
		await fever.locator('select[name=outcome]').selectOption('ruled_out');
		await fever.locator('button[type=submit]').click();
		await page.waitForFunction(() => !document.querySelector('section.person-status .fever-open') && document.querySelector('section.person-status .person-status-facts'));
		await page.goto(`${srv.url}/#/fevers?status=closed`);
		await page.locator('.paged table tbody tr', { hasText: resident.name }).first().waitFor();
	});
	await page.context().close();
});
