// The managing flows: units (add a child, edit, CSV import with rejects),
// the command structure (a leader, an assignment, deleting it after a
// confirmation), users (disable with confirmation), settings (save, range
// errors beside the field), the pass signing key (rotated after a
// confirmation), the audit log filter, the own password and signing out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, shotOnFail, DESKTOP, PHONE, PASSWORD, apiAs } from './lib.mjs';

let srv;
let browser;
const tag = Date.now().toString(36).slice(-5);

before(async () => {
	srv = await startServer();
	browser = await launch();
});

after(async () => {
	if (browser) await browser.close();
	if (srv) await srv.stop();
});

async function openUnitBySearch(page, q) {
	await page.goto(`${srv.url}/#/units?q=${encodeURIComponent(q)}`);
	const link = page.locator('.search-results table tbody tr a', { hasText: q }).first();
	await link.click();
	await page.locator('.unit-detail .detail-head h2', { hasText: q }).waitFor();
}

test('commander adds a unit below a community, renames it, and imports units from CSV', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('units-write', page, async () => {
		await login(page, srv.url, 'commander');
		await openUnitBySearch(page, '金水社区');
		const detail = page.locator('.unit-detail');

		await detail.locator('details.disclosure > summary', { hasText: '添加下级单位' }).click();
		const f = detail.locator('details[open] form');
		// Under a community only a compound fits.
		assert.deepEqual(await f.locator('select[name=kind] option').evaluateAll((o) => o.map((x) => x.value)), ['compound']);
		await f.locator('input[name=name]').fill(`测试小区${tag}`);
		await f.locator('input[name=code]').fill(`BT-${tag}`);
		await f.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: `测试小区${tag}` }).waitFor();
		const row = detail.locator('table tbody tr', { hasText: `测试小区${tag}` });
		await row.waitFor();
		assert.match(await row.textContent(), /无物业/);

		// The same code again is refused, beside the code field.
		await detail.locator('details.disclosure > summary', { hasText: '添加下级单位' }).click();
		const f2 = detail.locator('details[open] form').last();
		await f2.locator('input[name=name]').fill('重复代码');
		await f2.locator('input[name=code]').fill(`BT-${tag}`);
		await f2.locator('button[type=submit]').click();
		await f2.locator('.field:has(input[name=code]) .field-error').filter({ hasText: /\S/ }).waitFor();

		// Open it and rename it.
		await row.locator('a').click();
		await detail.locator('.detail-head h2', { hasText: `测试小区${tag}` }).waitFor();
		await detail.locator('details.disclosure > summary', { hasText: '编辑单位' }).click();
		const ef = detail.locator('details[open] form');
		await ef.locator('input[name=name]').fill(`改名小区${tag}`);
		await ef.locator('input[name=property_company]').fill('测试物业公司');
		await ef.locator('button[type=submit]').click();
		await detail.locator('.detail-head h2', { hasText: `改名小区${tag}` }).waitFor();
		await detail.locator('dl.facts', { hasText: '测试物业公司' }).waitFor();

		// CSV import: one good row, one bad kind.
		const csv = path.join(srv.dir || '/tmp', `units-${tag}.csv`);
		await writeFile(csv, `parent_code,kind,code,name\nBT-${tag},building,BT-${tag}-B1,1号楼\nBT-${tag},village,BT-${tag}-X,错误类型\n`);
		await page.goto(`${srv.url}/#/units`);
		await page.locator('details.disclosure > summary', { hasText: '导入单位' }).click();
		await page.locator('details[open] input[type=file]').setInputFiles(csv);
		await page.locator('details[open] button[type=submit]', { hasText: '上传并导入' }).click();
		const summary = page.locator('.import-summary');
		await summary.waitFor();
		const stats = await summary.locator('.stat').allTextContents();
		assert.ok(stats.some((s) => /^1\s*新增/.test(s.trim())), `stats: ${stats}`);
		assert.ok(stats.some((s) => /^1\s*拒绝/.test(s.trim())), `stats: ${stats}`);
		await summary.locator('table.rejects tbody tr td', { hasText: '3' }).first().waitFor();
	});
	await page.context().close();
});

test('a leader is added, assigned to a unit, and the assignment deleted after confirming', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('command-write', page, async () => {
		await login(page, srv.url, 'commander');
		await page.goto(`${srv.url}/#/command?tab=leaders`);
		await page.locator('.stats .stat').first().waitFor();
		const before = Number(await page.locator('.stats .stat').nth(1).locator('.stat-n').textContent());
		await page.locator('details.disclosure > summary', { hasText: '添加领导' }).click();
		const lf = page.locator('details[open] form');
		await lf.locator('input[name=name]').fill(`测试领导${tag}`);
		await lf.locator('input[name=title]').fill('副区长');
		await lf.locator('input[name=phone]').fill('13909510000');
		await lf.locator('button[type=submit]').click();
		await page.locator('table tbody tr', { hasText: `测试领导${tag}` }).waitFor({ timeout: 15000 }).catch(async () => {
			// The list pages by 50: search for it.
			await page.locator('form.search-bar input[name=q]').fill(`测试领导${tag}`);
			await page.locator('form.search-bar button[type=submit]').click();
			await page.locator('table tbody tr', { hasText: `测试领导${tag}` }).waitFor();
		});
		await page.locator('.stats .stat').nth(1).locator('.stat-n', { hasText: String(before + 1) }).waitFor();

		await page.locator('.tabs .tab', { hasText: '包抓安排' }).click();
		await page.locator('details.disclosure > summary', { hasText: '安排包抓' }).click();
		const af = page.locator('details[open] form');
		await af.locator('.picker-q').fill('金水社区');
		await af.locator('.picker-opt', { hasText: '金水社区' }).first().click();
		const opt = af.locator('select[name=leader_id] option', { hasText: `测试领导${tag}` });
		await opt.waitFor({ state: 'attached' });
		await af.locator('select[name=leader_id]').selectOption({ value: await opt.getAttribute('value') });
		await af.locator('input[name=note]').fill(`备注${tag}`);
		await af.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '已安排包抓' }).waitFor();

		// Filter the list by that unit and delete it: cancel first, then confirm.
		const filter = page.locator('.filter-row');
		await filter.locator('.picker-q').fill('金水社区');
		await filter.locator('.picker-opt', { hasText: '金水社区' }).first().click();
		const row = page.locator('.paged table tbody tr', { hasText: `测试领导${tag}` });
		await row.waitFor();
		await row.locator('button[data-act=delete]').click();
		await page.locator('dialog[open] button[data-act=cancel]').click();
		assert.equal(await row.count(), 1);
		await row.locator('button[data-act=delete]').click();
		await page.locator('dialog[open] .dialog-msg', { hasText: `测试领导${tag}` }).waitFor();
		await page.locator('dialog[open] button[data-act=ok]').click();
		await row.waitFor({ state: 'detached' });

		// The unit's own page no longer lists it.
		await openUnitBySearch(page, '金水社区');
		await page.locator('.unit-detail table.assignments, .unit-detail .empty').first().waitFor();
		assert.equal(await page.locator('.unit-detail table.assignments tr', { hasText: `测试领导${tag}` }).count(), 0);
	});
	await page.context().close();
});

test('admin disables a user after confirming; the user can no longer sign in', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('users-disable', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/users?q=inspector`);
		const row = page.locator('table tbody tr[data-username=inspector]');
		await row.waitFor();
		await row.locator('a', { hasText: '编辑' }).click();
		await page.locator('section.card h2', { hasText: '编辑用户' }).waitFor();
		await page.locator('button', { hasText: '停用账户' }).click();
		await page.locator('dialog[open] .dialog-msg', { hasText: 'inspector' }).waitFor();
		await page.locator('dialog[open] button[data-act=ok]').click();
		await page.locator('.page-head .tag-danger', { hasText: '已停用' }).waitFor();

		const p2 = await newPage(browser, DESKTOP);
		await p2.goto(`${srv.url}/#/login`);
		await p2.locator('input[name=username]').fill('inspector');
		await p2.locator('input[name=password]').fill('demo2020');
		await p2.locator('form.login-form button[type=submit]').click();
		await p2.locator('.field:has(input[name=password]) .field-error').filter({ hasText: /\S/ }).waitFor();
		await p2.context().close();

		await page.locator('button', { hasText: '启用账户' }).click();
		await page.locator('.page-head .tag-ok', { hasText: '正常' }).waitFor();
	});
	await page.context().close();
});

test('settings are saved, and a value out of range is refused beside its field', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('settings', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/settings`);
		const inp = page.locator('input[name=session_idle_minutes]');
		await inp.waitFor();
		const max = Number(await inp.getAttribute('max'));
		await inp.fill(String(max + 1));
		await page.locator('form button[type=submit]', { hasText: '保存' }).click();
		await page.locator('.field:has(input[name=session_idle_minutes]) .field-error').filter({ hasText: /\S/ }).waitFor();
		await inp.fill('120');
		await page.locator('form button[type=submit]', { hasText: '保存' }).click();
		await page.locator('#toasts .toast', { hasText: '已保存' }).waitFor();
		await page.reload();
		assert.equal(await page.locator('input[name=session_idle_minutes]').inputValue(), '120');

		// The change is in the audit log.
		await page.goto(`${srv.url}/#/audit`);
		await page.locator('select[name=action]').selectOption('write');
		await page.locator('form.filters button[type=submit]').click();
		await page.locator('table tbody tr', { hasText: '/api/v1/settings' }).first().waitFor();
		assert.match(page.url(), /action=write/);
	});
	await page.context().close();
});

test('on a phone, an officer changes their password and signs in with it', async () => {
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('account', page, async () => {
		await login(page, srv.url, 'officer');
		await page.goto(`${srv.url}/#/account`);
		await page.locator('input[name=current_password]').fill('wrong-password');
		await page.locator('input[name=new_password]').fill('new-secret-42');
		await page.locator('input[name=repeat_password]').fill('new-secret-42');
		await page.locator('form button[type=submit]').click();
		await page.locator('.field:has(input[name=current_password]) .field-error', { hasText: '当前密码错误' }).waitFor();
		await page.locator('input[name=current_password]').fill('demo2020');
		await page.locator('form button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: '密码已修改' }).waitFor();

		await page.locator('button.menu-toggle').click();
		await page.locator('button.btn-signout').click();
		await page.locator('form.login-form').waitFor();
		// Signed out: a page needs signing in again.
		await page.goto(`${srv.url}/#/units`);
		await page.waitForURL(/#\/login/);
		await login(page, srv.url, 'officer', 'new-secret-42');
		await page.locator('.user-role', { hasText: '干部' }).waitFor({ state: 'attached' });
	});
	await page.context().close();
});

test('admin rotates the pass signing key after confirming; cancelling changes nothing; the new key signs', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('pass-key-rotate', page, async () => {
		await login(page, srv.url, 'admin');
		await page.goto(`${srv.url}/#/settings`);
		const signing = page.locator('table.pass-keys-table tr[data-signing="1"]');
		await signing.waitFor();
		const oldKid = await signing.getAttribute('data-kid');
		assert.match(oldKid, /^k\d{8}[0-9a-f]{6}$/);
		// Cancelled: the same key still signs.
		await page.locator('[data-act=rotate-key]').click();
		await page.locator('dialog[open] .dialog-msg', { hasText: '更换通行证签名密钥' }).waitFor();
		await page.locator('dialog[open] button[data-act=cancel]').click();
		await page.locator('dialog[open]').waitFor({ state: 'detached' });
		assert.equal(await page.locator('.pass-keys-result .alert').count(), 0);
		assert.equal(await signing.getAttribute('data-kid'), oldKid);
		// Confirmed: a new key, shown with its id; the old one retired but listed.
		await page.locator('[data-act=rotate-key]').click();
		await page.locator('dialog[open] button[data-act=ok]', { hasText: '更换签名密钥' }).click();
		const done = page.locator('.pass-keys-result .alert-ok');
		await done.waitFor();
		const newKid = await done.getAttribute('data-kid');
		assert.ok(newKid && newKid !== oldKid, `new key ${newKid}`);
		assert.match(await done.innerText(), new RegExp(`已启用新密钥 ${newKid}`));
		await page.locator(`table.pass-keys-table tr[data-signing="1"][data-kid="${newKid}"]`).waitFor();
		const oldRow = page.locator(`table.pass-keys-table tr[data-kid="${oldKid}"]`);
		assert.equal(await oldRow.getAttribute('data-signing'), '0');
		assert.match(await oldRow.innerText(), /已停用/);
		// The list downloads as a workbook.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.locator('section.pass-keys a.btn-export').click(),
		]);
		assert.equal(download.suggestedFilename(), 'pass-keys.xlsx');
		// The API agrees, and a pass issued now is signed with the new key.
		const call = await apiAs(srv.url, 'admin');
		const keys = (await call('GET', '/api/v1/pass-keys')).items;
		assert.equal(keys[0].kid, newKid);
		assert.equal(keys[0].signing, true);
		assert.equal(JSON.stringify(keys).includes('secret'), false);
		const grid = await apiAs(srv.url, 'grid_worker');
		const compound = (await grid('GET', '/api/v1/me')).scope_unit;
		const person = (await call('GET', `/api/v1/persons?unit_id=${compound.id}&limit=1`)).items[0];
		const p = await call('POST', '/api/v1/passes', { person_id: person.id });
		assert.equal(p.kid, newKid);
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});
