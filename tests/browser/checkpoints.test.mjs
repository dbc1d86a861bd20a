// The checkpoint page in the browser, against the real server with the demo
// district: a car with two occupants (one with a fever) is entered with the
// keyboard only and the answer shows pass and referral; the counts grow by
// one vehicle and two person trips. Offline, a car is queued (the unsent
// count in the header shows 1), sent once when the network returns (the
// count back to 0, one vehicle record, kept at its original time), and a
// second flush of the same entry stores nothing twice. An admin renames the
// checkpoint on its page (a taken code is refused beside its field).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, shotOnFail, scrollsSideways, PASSWORD, apiAs, ROOT } from './lib.mjs';

const TABLET = { width: 1024, height: 768 };
let srv;
let browser;
let admin;
let cp;

before(async () => {
	srv = await startServer();
	browser = await launch();
	admin = await apiAs(srv.url, 'admin');
	cp = await admin('POST', '/api/v1/checkpoints', {
		code: `T${Date.now() % 1000000}`, name: '测试卡点', kind: 'road', unit_id: (await admin('GET', '/api/v1/me')).scope_unit.id, location: 'S101 北环',
	});
});

after(async () => {
	if (browser) await browser.close();
	if (srv) await srv.stop();
});

// A resident ID number with its GB 11643 check character (Beijing, so it
// does not meet the demo's residents).
let idSeq = 100 + Math.floor(Math.random() * 400);
function residentId(birth = '19870521') {
	const s17 = `110101${birth}${String(idSeq++).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s17[i]) * w[i];
	return s17 + '10X98765432'[sum % 11];
}

// A plate no test has used: 宁A + 5 characters without I and O.
function newPlate() {
	const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
	let s = '';
	for (let i = 0; i < 5; i++) s += chars[Math.floor(Math.random() * chars.length)];
	return '宁A' + s;
}

async function counts() {
	const res = await admin('GET', `/api/v1/checkpoints/counts?checkpoint_id=${cp.id}`);
	return res.total;
}

async function vehiclesOf(plate) {
	return (await admin('GET', `/api/v1/checkpoints/${cp.id}/vehicles?plate=${encodeURIComponent(plate)}&limit=50`)).items;
}

// Types one car with the keyboard: plate, Enter through origin and
// destination, each occupant's name, ID or phone, temperature; Enter on the
// "add" button opens the next row; Ctrl+Enter sends.
async function typeCar(page, plate, people) {
	const plateIn = page.locator('#cp-plate');
	await plateIn.waitFor();
	assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'cp-plate', 'the plate has focus');
	await page.keyboard.type(plate);
	await page.keyboard.press('Enter'); // → origin
	await page.keyboard.press('Enter'); // → destination
	await page.keyboard.press('Enter'); // → the driver's name
	for (let i = 0; i < people.length; i++) {
		const p = people[i];
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.name), `occupants[${i}].name`);
		await page.keyboard.type(p.name);
		await page.keyboard.press('Enter');
		await page.keyboard.type(p.ident);
		await page.keyboard.press('Enter');
		await page.keyboard.type(p.temperature);
		if (i < people.length - 1) {
			await page.keyboard.press('Enter'); // → "add a person"
			await page.keyboard.press('Enter'); // adds the row, focus on its name
		}
	}
	await page.keyboard.press('Control+Enter');
}

test('the checkpoint page records a car with two occupants (one with a fever): pass and referral; the counts grow by 1 vehicle and 2 person trips', async () => {
	const page = await newPage(browser, TABLET);
	await shotOnFail('checkpoint-car', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		const before = await counts();
		await page.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		await page.locator('form.cp-form[data-kind=vehicle]').waitFor();
		const plate = newPlate();
		const t0 = Date.now();
		await typeCar(page, plate, [
			{ name: '王驾驶', ident: residentId('19800101'), temperature: '365' }, // "365" is read as 36.5
			{ name: '李乘客', ident: '13912345678', temperature: '38.6' },
		]);
		const card = page.locator('.cp-result:not(.queued)');
		await card.waitFor();
		const took = Date.now() - t0;
		assert.ok(took < 10_000, `the car took ${took} ms`);
		assert.match(await card.innerText(), new RegExp(plate));
		const lines = card.locator('.cp-people-result li');
		assert.equal(await lines.count(), 2);
		assert.equal(await lines.nth(0).getAttribute('data-disposition'), 'pass');
		assert.equal(await lines.nth(1).getAttribute('data-disposition'), 'referral');
		assert.match(await lines.nth(0).innerText(), /放行/);
		assert.match(await lines.nth(1).innerText(), /转诊/);
		assert.match(await lines.nth(1).innerText(), /38\.6/);
		// The referral is in red.
		const bg = await lines.nth(1).locator('.disp').evaluate((el) => getComputedStyle(el).backgroundColor);
		const [r, g, b] = bg.match(/\d+/g).map(Number);
		assert.ok(r > g * 2 && r > b * 2, `referral tag ${bg}`);
		assert.ok(await card.locator('.cp-alarm').isVisible(), 'the fever alarm is shown');
		// The form is clear for the next car, the direction kept, the plate focused.
		assert.equal(await page.locator('#cp-plate').inputValue(), '');
		assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'cp-plate');
		assert.equal(await page.locator('input[name=direction][value=in]').isChecked(), true);
		assert.equal(await page.locator('.occ-row').count(), 1);
		// Today's figures on the page and the counts.
		await page.locator('.cp-today [data-count=vehicles] .stat-n', { hasText: String(before.vehicles + 1) }).waitFor();
		const after = await counts();
		assert.equal(after.vehicles, before.vehicles + 1);
		assert.equal(after.person_trips, before.person_trips + 2);
		assert.equal(after.referrals, before.referrals + 1);
		const [v] = await vehiclesOf(plate);
		assert.ok(v, 'the vehicle is stored');
		assert.equal(v.occupants, 2);
		// The recent plates suggest it for the next car.
		await page.locator('#cp-plate').fill(plate.slice(0, 4));
		await page.locator('.suggest-list li', { hasText: plate }).waitFor();
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		assert.equal(await page.locator('#cp-plate').inputValue(), plate);
		await page.locator('#cp-plate').fill('');
		// The counts page shows the same figures.
		await page.goto(`${srv.url}/#/checkpoints/counts?checkpoint_id=${cp.id}`);
		const row = page.locator(`table.counts-table tr[data-checkpoint="${cp.id}"]`).first();
		await row.waitFor();
		assert.equal((await row.locator('td[data-col=vehicles]').innerText()).trim(), String(after.vehicles));
		assert.equal((await row.locator('td[data-col=person_trips]').innerText()).trim(), String(after.person_trips));
		await page.locator('.page-actions a.btn-export[href*="format=xlsx"]').waitFor();
		// Traffic per day is drawn (ECharts), its daily table one click away.
		await page.locator('.counts-chart .chart-box[data-drawn="1"]').waitFor();
		assert.ok(await page.locator('.counts-chart svg').count() > 0, 'the chart is drawn');
		await mkdir(path.join(ROOT, 'build/test-screenshots'), { recursive: true });
		await page.locator('.counts-chart').screenshot({ path: path.join(ROOT, 'build/test-screenshots/chart-checkpoint-traffic.png') });
		await page.locator('.counts-chart [data-act=show-table]').click();
		await page.locator('#counts-by-day table.per-day').waitFor();
		assert.equal(await scrollsSideways(page), false);
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('offline: a car is queued (unsent count 1), sent once when the network returns (count 0), at its original time; a second flush stores nothing twice', async () => {
	const page = await newPage(browser, TABLET);
	await shotOnFail('checkpoint-offline', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		await page.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		await page.locator('form.cp-form[data-kind=vehicle]').waitFor();
		await page.locator('.offline-badge[data-count="0"]').waitFor();
		const before = await counts();
		const plate = newPlate();
		await page.context().setOffline(true);
		const enteredAt = Math.floor(Date.now() / 1000);
		await typeCar(page, plate, [
			{ name: '赵离线', ident: residentId('19750303'), temperature: '36.6' },
			{ name: '钱离线', ident: '13812345678', temperature: '36.7' },
		]);
		await page.locator('.send-status[data-state=queued]').waitFor();
		await page.locator('.cp-result.queued').waitFor();
		await page.locator('.offline-badge[data-count="1"]').waitFor();
		assert.match(await page.locator('.offline-badge').innerText(), /1/);
		assert.equal(await page.locator('#cp-plate').inputValue(), '', 'the form is ready for the next car');
		assert.equal((await vehiclesOf(plate)).length, 0, 'nothing reached the server');
		const clientId = await page.locator('.cp-recent li.queued').getAttribute('data-client');
		assert.ok(clientId);
		await page.waitForTimeout(3500);
		await page.context().setOffline(false);
		await page.locator('.offline-badge[data-count="0"]').waitFor({ timeout: 30_000 });
		let list = await vehiclesOf(plate);
		assert.equal(list.length, 1, 'one vehicle record');
		assert.ok(list[0].at <= enteredAt + 2, `kept its time: at ${list[0].at}, entered ${enteredAt}`);
		// The queued card turned into the server's answer.
		await page.locator(`.cp-result:not(.queued)[data-id="${list[0].id}"]`).waitFor();
		// The same entry queued again (a replay) and flushed: still one.
		const n = await page.evaluate(async ({ path, body }) => {
			const m = await import('/js/offline.js');
			await m.enqueue(path, body, { kind: 'vehicle', label: 'replay' });
			await m.flush();
			return m.count();
		}, {
			path: `/api/v1/checkpoints/${cp.id}/vehicles`,
			body: {
				plate, direction: 'in', client_id: clientId,
				occupants: [{ name: '赵离线', temperature: 36.6 }, { name: '钱离线', phone: '13812345678', temperature: 36.7 }],
			},
		});
		assert.equal(n, 0, 'the replay was answered and left the queue');
		list = await vehiclesOf(plate);
		assert.equal(list.length, 1, 'no duplicate after a second flush');
		const after = await counts();
		assert.equal(after.vehicles, before.vehicles + 1);
		assert.equal(after.person_trips, before.person_trips + 2);
		assert.equal(await page.locator('.offline-notices').isVisible(), false, 'no refusal notice');
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('an admin renames a checkpoint from its page; a code already taken is refused beside the code field; staff see no edit form', async () => {
	const other = await admin('POST', '/api/v1/checkpoints', {
		code: `U${Date.now() % 1000000}`, name: '另一卡点', kind: 'road', unit_id: cp.unit_id,
	});
	const page = await newPage(browser, TABLET);
	await shotOnFail('checkpoint-edit', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		const form = page.locator('form.cp-edit-form');
		await page.locator('details.disclosure > summary', { hasText: '编辑卡点' }).click();
		await form.waitFor();
		assert.equal(await form.locator('input[name=name]').inputValue(), cp.name);
		assert.equal(await form.locator('input[name=code]').inputValue(), cp.code);
		// The other checkpoint's code: the API's 409 shows beside the code.
		await form.locator('input[name=code]').fill(other.code);
		await form.locator('[data-act=save-checkpoint]').click();
		const codeErr = form.locator('.field:has(input[name=code]) .field-error');
		await codeErr.filter({ hasText: /\S/ }).waitFor();
		assert.match(await codeErr.innerText(), new RegExp(other.code));
		assert.equal(await form.locator('input[name=code]').getAttribute('aria-invalid'), 'true');
		assert.equal((await admin('GET', `/api/v1/checkpoints/${cp.id}`)).code, cp.code, 'nothing saved');
		// A new name, the code put back: saved, and the page shows it.
		const name = `改名卡点${Date.now() % 10000}`;
		await form.locator('input[name=code]').fill(cp.code);
		await form.locator('input[name=name]').fill(name);
		await form.locator('input[name=location]').fill('S101 北环东口');
		await form.locator('[data-act=save-checkpoint]').click();
		await page.locator('#toasts .toast', { hasText: `已保存卡点 ${name}` }).waitFor();
		await page.locator('.cp-head h1', { hasText: name }).waitFor();
		assert.match(await page.locator('.cp-sub').innerText(), /S101 北环东口/);
		const saved = await admin('GET', `/api/v1/checkpoints/${cp.id}`);
		assert.equal(saved.name, name);
		assert.equal(saved.code, cp.code);
		assert.equal(saved.location, 'S101 北环东口');
		assert.equal(saved.kind, 'road');
		// The list shows the new name too.
		await page.goto(`${srv.url}/#/checkpoints`);
		await page.locator(`.paged tr[data-id="${cp.id}"]`, { hasText: name }).waitFor();
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
	// Checkpoint staff may screen but not edit the checkpoint.
	const staff = await newPage(browser, TABLET);
	await shotOnFail('checkpoint-edit-staff', staff, async () => {
		await login(staff, srv.url, 'checkpoint_staff');
		await staff.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		await staff.locator('form.cp-form[data-kind=vehicle]').waitFor();
		assert.equal(await staff.locator('form.cp-edit-form').count(), 0);
	});
	await staff.context().close();
});

test('a 鄂 plate coming in with no stated origin is flagged on the result card for follow-up', async () => {
	const page = await newPage(browser, TABLET);
	await shotOnFail('checkpoint-hubei-plate', page, async () => {
		await login(page, srv.url, 'checkpoint_staff');
		await page.goto(`${srv.url}/#/checkpoints/${cp.id}`);
		await page.locator('form.cp-form[data-kind=vehicle]').waitFor();
		const plate = '鄂' + newPlate().slice(1);
		await typeCar(page, plate, [{ name: '鄂牌司机', ident: '13912345670', temperature: '36.4' }]);
		const card = page.locator('.cp-result:not(.queued)', { hasText: plate });
		await card.waitFor();
		const flag = card.locator('.cp-follow-up');
		await flag.waitFor();
		assert.match(await flag.innerText(), /鄂牌.*未说明来源地/);
		await card.screenshot({ path: new URL('../../build/test-screenshots/checkpoint-hubei-plate.png', import.meta.url).pathname });
		assert.equal((await vehiclesOf(plate))[0].follow_up, 'hubei_plate_no_origin');
	});
	await page.context().close();
});
