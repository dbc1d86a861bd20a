// The population pages in the browser, against the real server with the
// demo district: searching persons by the last 4 characters of their ID
// shows masked numbers, a person's card shows the whole number only on
// request (audited), adding a person (and the same document again), an
// arrival graded on the card, merging two records of one person, an import
// of a small CSV with one bad row shows what was created and rejected, and
// the risk areas (add, edit, delete) and arrivals by grade.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, nav, shotOnFail, scrollsSideways, PASSWORD, DESKTOP, PHONE, apiAs } from './lib.mjs';

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

let idSeq = 500 + Math.floor(Math.random() * 400);
function residentId(birth) {
	const s17 = `110102${birth}${String(idSeq++).padStart(3, '0')}`;
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(s17[i]) * w[i];
	return s17 + '10X98765432'[sum % 11];
}

test('person search by the last 4 of an ID shows masked numbers; the card reveals the whole number on request', async () => {
	const officer = await apiAs(srv.url, 'officer');
	const { items } = await officer('GET', '/api/v1/persons?limit=1&q=' + encodeURIComponent('王'));
	assert.ok(items.length, 'the demo has persons');
	const last4 = items[0].doc_number.slice(-4);
	assert.match(items[0].doc_number, /\*/, 'lists are masked');

	const page = await newPage(browser, DESKTOP);
	await shotOnFail('persons-last4', page, async () => {
		await login(page, srv.url, 'officer');
		await nav(page, 'persons');
		await page.waitForURL(/#\/persons/);
		// The page is drawn once its data has come (the hint shows then): a
		// search typed before would be typed into a form about to be replaced.
		await page.locator('div.placeholder').waitFor();
		await page.locator('form.search-bar input[name=q]').fill(last4);
		await page.locator('form.search-bar button[type=submit]').click();
		await page.waitForURL(new RegExp(`q=${last4}`));
		const rows = page.locator('.paged table tbody tr');
		await rows.first().waitFor();
		const numbers = await rows.locator('.doc-number').allTextContents();
		assert.ok(numbers.length >= 1);
		for (const n of numbers) {
			assert.match(n, /\*{4,}/, `masked: ${n}`);
			assert.ok(n.endsWith(last4), `${n} ends with ${last4}`);
		}
		for (const p of await rows.locator('.phone').allTextContents()) if (p) assert.match(p, /^\d{3}\*{4}\d{4}$/, `masked phone: ${p}`);
		// The export link carries the search.
		assert.match(await page.locator('a.btn-export').first().getAttribute('href'), new RegExp(`q=${last4}.*format=xlsx`));

		// The card: masked until "show the whole number", which says it is audited.
		await rows.first().locator('a.person-link').click();
		await page.waitForURL(/#\/persons\/\d+/);
		const doc = page.locator('.person-card .doc-number');
		await doc.waitFor();
		assert.match(await doc.textContent(), /\*/);
		await page.locator('.reveal-note', { hasText: '审计' }).waitFor();
		const revealed = page.waitForResponse((r) => r.url().includes('reveal=1'));
		await page.locator('[data-act=reveal]').click();
		await revealed;
		await page.locator('.person-card .doc-number.revealed').waitFor();
		const whole = await doc.textContent();
		assert.match(whole, /^[0-9]{17}[0-9X]$|^[A-Z0-9]+$/, `whole: ${whole}`);
		assert.ok(whole.endsWith(last4));
		await page.locator('.reveal-note', { hasText: '已记入审计' }).waitFor();
		// The audit log has the read.
		const personId = /#\/persons\/(\d+)/.exec(page.url())[1];
		const admin = await apiAs(srv.url, 'admin');
		const audit = await admin('GET', `/api/v1/audit?action=read&record_type=person&record_id=${personId}`);
		assert.ok(audit.items.some((a) => a.actor === 'officer'), 'the reveal is in the audit log');
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('an officer adds a person, is told of a duplicate, adds an arrival and merges a second record', async () => {
	const id = residentId('19850505');
	const passport = 'E' + String(Date.now()).slice(-8);
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('person-write', page, async () => {
		await login(page, srv.url, 'officer');
		await page.goto(`${srv.url}/#/persons`);
		const add = async (docType, number, name) => {
			await page.locator('details.disclosure > summary', { hasText: '新增人员' }).click();
			const f = page.locator('form[aria-label="新增人员"]');
			await f.locator('select[name=doc_type]').selectOption(docType);
			await f.locator('input[name=doc_number]').fill(number);
			await f.locator('input[name=name]').fill(name);
			await f.locator('button[type=submit]').click();
			return f;
		};
		await add('resident_id', id, '合并甲');
		await page.waitForURL(/#\/persons\/\d+/);
		const mainId = /#\/persons\/(\d+)/.exec(page.url())[1];
		await page.locator('h1', { hasText: '合并甲' }).waitFor();

		// The same document again: the error is beside the number, with a link to the record.
		await page.goto(`${srv.url}/#/persons`);
		const f = await add('resident_id', id, '合并甲重复');
		await f.locator('.field:has(input[name=doc_number]) .field-error').filter({ hasText: /\S/ }).waitFor();
		await f.locator(`.conflict a[href="#/persons/${mainId}"]`).waitFor();

		// A second record of the same person, by passport.
		await f.locator('select[name=doc_type]').selectOption('passport');
		await f.locator('input[name=doc_number]').fill(passport);
		await f.locator('input[name=name]').fill('合并甲护照');
		await f.locator('button[type=submit]').click();
		await page.waitForURL((u) => /#\/persons\/\d+/.test(u.hash) && !u.hash.endsWith(`/${mainId}`));
		const otherId = /#\/persons\/(\d+)/.exec(page.url())[1];

		// An arrival on the first record is graded and shown with its handling.
		await page.goto(`${srv.url}/#/persons/${mainId}`);
		await page.locator('details.disclosure > summary', { hasText: '登记外地来（返）' }).click();
		const af = page.locator('form[aria-label="登记外地来（返）"]');
		await af.locator('.picker-q').fill('武汉');
		await af.locator('.picker-opt').first().click();
		await af.locator('input[name=arrival_date]').fill('2020-02-01');
		await af.locator('select[name=mode]').selectOption('train');
		await af.locator('button[type=submit]').click();
		await page.locator('table.arrivals [data-grade=severe]').waitFor();
		await page.locator('table.arrivals [data-handling=centralized]', { hasText: '集中隔离' }).waitFor();

		// Merge the passport record into this one: the dialog names both.
		await page.locator('details.disclosure > summary', { hasText: '与另一条记录合并' }).click();
		const mf = page.locator('form[aria-label="与另一条记录合并"]');
		await mf.locator('.picker-q').fill(passport);
		await mf.locator('.picker-opt', { hasText: '合并甲护照' }).click();
		await mf.locator('button[type=submit]').click();
		const dlg = page.locator('dialog.dialog');
		await dlg.waitFor();
		const msg = await dlg.locator('.dialog-msg').textContent();
		assert.ok(msg.includes('合并甲护照') && msg.includes('合并甲 ('), msg);
		await dlg.locator('[data-act=ok]').click();
		await page.locator('#toasts .toast', { hasText: '已合并' }).waitFor();
		const officer = await apiAs(srv.url, 'officer');
		assert.equal((await officer('GET', `/api/v1/persons?q=${passport}`)).items.length, 0, 'the merged record is no longer listed');
		const merged = await officer('GET', `/api/v1/persons/${otherId}`).catch(() => null);
		assert.ok(!merged || merged.merged_into == mainId, 'the other record points at this one');
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('an import of a small CSV with one bad row shows created, rejected and the rejected line', async () => {
	const good1 = residentId('19900110');
	const good2 = residentId('19920220');
	const other = residentId('19930330');
	const bad = other.slice(0, 17) + (other[17] === '5' ? '6' : '5');
	const source = '测试名单' + Date.now().toString(36).slice(-4);
	const csv = '\ufeff姓名,身份证号,手机\r\n' +
		`导入甲,${good1},13800001111\r\n` +
		`导入乙,${good2},\r\n` +
		`导入丙,${bad},13900002222\r\n`;
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('import-upload', page, async () => {
		await login(page, srv.url, 'officer');
		await nav(page, 'imports');
		await page.waitForURL(/#\/imports/);
		const f = page.locator('form[aria-label="导入大数据名单"]');
		await f.locator('input[type=file]').setInputFiles({ name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
		// The source defaults to the file name; name it.
		assert.equal(await f.locator('input[name=source]').inputValue(), 'list');
		await f.locator('input[name=source]').fill(source);
		const posted = page.waitForRequest((r) => r.url().includes('/api/v1/imports/persons'));
		await f.locator('button[type=submit]').click();
		const req = await posted;
		assert.equal(req.headers()['content-type'], 'text/csv');
		assert.ok(req.headers()['x-csrf-token'], 'the upload carries the CSRF header');
		const summary = f.locator('.import-summary');
		await summary.waitFor();
		await summary.locator('.import-encoding', { hasText: /UTF-?8/i }).waitFor();
		const stats = await summary.locator('.stat').evaluateAll((els) => els.map((e) => [e.querySelector('.stat-label').textContent, e.querySelector('.stat-n').textContent]));
		assert.deepEqual(stats, [['新增', '2'], ['更新', '0'], ['未通过', '1']]);
		const rejects = summary.locator('table.rejects tbody tr');
		assert.equal(await rejects.count(), 1);
		assert.equal((await rejects.first().locator('td').first().textContent()).trim(), '4');
		assert.match(await rejects.first().locator('td').nth(1).textContent(), /check|校验/);
		const link = summary.locator('a[data-act=rejects]');
		const href = await link.getAttribute('href');
		assert.match(href, /\/api\/v1\/imports\/\d+\/rejects\.csv$/);
		const body = await page.evaluate(async (u) => (await fetch(u)).text(), href);
		assert.match(body, /4/);
		// The batch is listed with its source.
		await page.locator('.paged table tbody tr', { hasText: source }).waitFor();

		// An imported person's card names the import as the source of its facts.
		await page.goto(`${srv.url}/#/persons?q=${good1}`);
		await page.locator('.paged table tbody tr a.person-link', { hasText: '导入甲' }).click();
		await page.locator('.facts-table', { hasText: '名单导入' }).waitFor();
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('risk areas with grade tags (add, edit, delete), and arrivals by grade with drill-down, on a phone', async () => {
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('areas-phone', page, async () => {
		await login(page, srv.url, 'commander');
		await page.goto(`${srv.url}/#/areas`);
		await page.locator('.paged table tbody tr [data-grade=severe]').first().waitFor();
		assert.equal(await scrollsSideways(page), false);
		// Add 北京市 (110000) as a medium-risk area, make it high, then delete it.
		await page.locator('details.disclosure > summary', { hasText: '新增风险地区' }).click();
		const f = page.locator('form[aria-label="新增风险地区"]');
		await f.locator('.picker-q').fill('110000');
		await f.locator('.picker-opt').first().click();
		await f.locator('select[name=grade]').selectOption('medium');
		await f.locator('input[name=valid_from]').fill('2020-02-01');
		await f.locator('button[type=submit]').click();
		const row = page.locator('.paged table tbody tr[data-code="110000"]');
		await row.locator('[data-grade=medium]').waitFor();
		await row.locator('[data-act=edit]').click();
		const ef = page.locator('form[aria-label="编辑风险地区"]');
		await ef.locator('select[name=grade]').selectOption('high');
		await ef.locator('button[type=submit]').click();
		// A change that regrades arrivals asks first, saying how many.
		const ok = page.locator('dialog.dialog [data-act=ok]');
		await Promise.race([row.locator('[data-grade=high]').waitFor(), ok.waitFor()]);
		if (await ok.isVisible()) {
			assert.match(await page.locator('dialog.dialog .dialog-msg').innerText(), /重新评定 \d+ 条/);
			await ok.click();
		}
		await row.locator('[data-grade=high]').waitFor();
		await row.locator('[data-act=delete]').click();
		// The dialog says how many arrivals the delete regrades (it said
		// nothing would change), and the toast how many it did.
		const msg = page.locator('dialog.dialog .dialog-msg', { hasText: '北京' });
		await msg.waitFor();
		const before = /重新评定 (\d+) 条/.exec(await msg.innerText());
		assert.ok(before, await msg.innerText());
		assert.doesNotMatch(await msg.innerText(), /不会改变/);
		await page.locator('dialog.dialog [data-act=ok]').click();
		await row.waitFor({ state: 'detached' });
		await page.locator('.toast', { hasText: `重新评定 ${before[1]} 条` }).waitFor();
		await page.goto(`${srv.url}/#/areas/arrivals`);
		const table = page.locator('table.grade-table');
		await table.waitFor();
		await table.locator('tr.total-row').waitFor();
		const first = table.locator('a.drill').first();
		const unit = await first.evaluate((a) => a.closest('tr').dataset.unit);
		await first.click();
		await page.waitForURL(new RegExp(`unit_id=${unit}`));
		await page.locator(`table.grade-table tr.total-row[data-unit="${unit}"]`).waitFor();
		assert.equal(await scrollsSideways(page), false);
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});
