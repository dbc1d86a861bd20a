// The flows a person does in the browser, against the real server with the
// demo district: the unit tree and a unit's assignments, the language
// remembered per user, a grid worker on a phone, an admin creating a user
// and a device token, and a wrong password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, login, nav, shotOnFail, scrollsSideways, PHONE, DESKTOP } from './lib.mjs';

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

test('admin sees the unit tree, expands a sub-district and opens a unit with its assignments', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('units-tree', page, async () => {
		await login(page, srv.url, 'admin');
		// An admin lands on the users page (the work of the role), then opens the units.
		await page.waitForURL(/#\/users/);
		await nav(page, 'units');
		await page.waitForURL(/#\/units/);
		const root = page.locator('ul.tree > li.tree-node').first();
		await root.locator(':scope > .tree-row .tree-name', { hasText: '金凤区' }).waitFor();
		// The district opens by itself: its towns and sub-districts are listed.
		const kids = root.locator('> ul.tree-group > li.tree-node');
		await kids.first().waitFor();
		const kinds = await kids.evaluateAll((els) => els.map((e) => e.dataset.kind));
		assert.ok(kinds.length >= 2, `children of 金凤区: ${kinds}`);
		assert.ok(kinds.every((k) => k === 'town' || k === 'subdistrict'), `kinds: ${kinds}`);
		assert.ok(kinds.includes('subdistrict'), 'a sub-district is listed');
		await kids.first().locator(':scope > .tree-row .tree-count').filter({ hasText: /\d/ }).waitFor();

		// Expand a sub-district: its villages/communities load.
		const sub = root.locator(':scope > ul.tree-group > li.tree-node[data-kind=subdistrict]').first();
		await sub.locator(':scope > .tree-row .tree-toggle').click();
		const grand = sub.locator(':scope > ul.tree-group > li.tree-node');
		await grand.first().waitFor();
		const gkinds = await grand.evaluateAll((els) => els.map((e) => e.dataset.kind));
		assert.ok(gkinds.every((k) => k === 'village' || k === 'community'), `grandchildren: ${gkinds}`);

		// Open the sub-district: kind, code, the breadcrumb and its own assignments.
		const subName = (await sub.locator(':scope > .tree-row .tree-name').textContent()).trim();
		await sub.locator(':scope > .tree-row a.tree-link').click();
		await page.waitForURL(/#\/units\/\d+/);
		const detail = page.locator('.unit-detail');
		await detail.locator('.detail-head h2', { hasText: subName }).waitFor();
		await detail.locator('.breadcrumb', { hasText: '金凤区' }).waitFor();
		await detail.locator('dl.facts', { hasText: '街道' }).waitFor();
		const rows = detail.locator('table.assignments tbody tr');
		await rows.first().waitFor();
		assert.ok((await rows.count()) >= 1, 'the sub-district has assignments');
		// Each row names the leader or responsible unit.
		const names = await rows.locator('td:nth-child(2)').allTextContents();
		assert.ok(names.every((n) => n.trim().length > 0), `assignment names: ${JSON.stringify(names)}`);

		// A community or village under it shows the ones above it as inherited (上级包抓).
		await grand.first().locator(':scope > .tree-row a.tree-link').click();
		await detail.locator('.breadcrumb', { hasText: subName }).waitFor();
		await detail.locator('table.assignments .tag-inherited', { hasText: '上级包抓' }).first().waitFor();
		assert.deepEqual(page.errors || [], []);
	});
	await page.context().close();
});

test('English is remembered for the user across a reload and a new sign-in', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('language', page, async () => {
		await login(page, srv.url, 'commander');
		await page.goto(`${srv.url}/#/units`);
		await page.locator('nav.nav .nav-group-btn', { hasText: '指挥调度' }).waitFor();
		await page.locator('.lang-switch button[data-lang=en]').click();
		await page.locator('nav.nav .nav-group-btn', { hasText: 'Command' }).waitFor();
		await page.locator('nav.nav a[data-page=units]', { hasText: 'Units' }).waitFor({ state: 'attached' });
		await page.locator('nav.nav a[data-page=command]', { hasText: 'Command' }).waitFor({ state: 'attached' });
		await page.locator('.user-role', { hasText: 'Commander' }).waitFor();
		await page.locator('ul.tree .badge', { hasText: 'District' }).first().waitFor();

		await page.reload();
		await page.locator('nav.nav a[data-page=units]', { hasText: 'Units' }).waitFor({ state: 'attached' });
		assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
	});
	await page.context().close();

	// A fresh browser (no localStorage): the login page is Chinese, the
	// user's choice comes back after signing in.
	const page2 = await newPage(browser, DESKTOP);
	await shotOnFail('language-2', page2, async () => {
		await page2.goto(`${srv.url}/#/login`);
		await page2.locator('form.login-form button[type=submit]', { hasText: '登录' }).waitFor();
		await login(page2, srv.url, 'commander');
		await page2.locator('nav.nav a[data-page=units]', { hasText: 'Units' }).waitFor({ state: 'attached' });
		// Back to Chinese, so the choice is the user's again.
		await page2.locator('.lang-switch button[data-lang=zh-CN]').click();
		await page2.locator('nav.nav a[data-page=units]', { hasText: '单位' }).waitFor({ state: 'attached' });
	});
	await page2.context().close();
});

test('a grid worker on a phone sees only their menu and their compound', async () => {
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await shotOnFail('grid-worker-phone', page, async () => {
		await login(page, srv.url, 'grid_worker');
		const toggle = page.locator('button.menu-toggle');
		await toggle.waitFor();
		assert.equal(await page.locator('#menu').isVisible(), false, 'the menu is collapsed');
		await toggle.click();
		await page.locator('#menu.open').waitFor();
		const items = await page.locator('nav.nav a').allTextContents();
		const menu = items.map((s) => s.trim());
		// What a grid worker does: units, the visit form, population, screening;
		// never the admin pages.
		for (const want of ['单位', '指挥体系', '走访登记', '人口', '走访摸排']) {
			assert.ok(menu.includes(want), `menu ${JSON.stringify(menu)} lacks ${want}`);
		}
		for (const admin of ['用户', '设备', '审计日志', '设置', '导入']) {
			assert.ok(!menu.includes(admin), `menu ${JSON.stringify(menu)} shows ${admin}`);
		}
		assert.equal(await page.locator('nav.nav a', { hasText: '用户' }).count(), 0);
		await page.locator('.user-role', { hasText: '网格员' }).waitFor();
		await nav(page, 'units');
		await page.locator('#menu.open').waitFor({ state: 'detached' });

		const root = page.locator('ul.tree > li.tree-node').first();
		await root.waitFor();
		assert.equal(await root.getAttribute('data-kind'), 'compound');
		assert.equal(await page.locator('ul.tree > li.tree-node').count(), 1);
		assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');

		// Opening the compound works on the phone (detail replaces the tree).
		await root.locator(':scope > .tree-row a.tree-link').click();
		await page.locator('.unit-detail dl.facts', { hasText: '小区' }).waitFor();
		await page.locator('.unit-detail .back-link').waitFor();
		assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling on the detail');
		// A page the role may not use says so instead of showing it.
		await page.goto(`${srv.url}/#/users`);
		await page.locator('main .alert-error').waitFor();
	});
	await page.context().close();
});

test('admin creates a user and a device token (shown once)', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('admin-create', page, async () => {
		await login(page, srv.url, 'admin');
		await nav(page, 'users');
		await page.waitForURL(/#\/users/);
		await page.locator('table tbody tr').first().waitFor();

		const username = 'bt' + Date.now().toString(36);
		await page.locator('details.disclosure > summary', { hasText: '新建用户' }).click();
		const f = page.locator('form[aria-label="新建用户"]');
		await f.locator('input[name=username]').fill(username);
		await f.locator('input[name=name]').fill('测试干部');
		await f.locator('select[name=role]').selectOption('officer');
		await f.locator('input[name=password]').fill('secret-pass-1');
		// The scope defaults to the admin's own (金凤区); pick it by search to exercise the picker.
		await f.locator('.picker-q').fill('金凤');
		await f.locator('.picker-opt').first().click();
		await f.locator('button[type=submit]').click();
		await page.locator('#toasts .toast', { hasText: username }).waitFor();
		await page.locator('table tbody tr', { hasText: username }).waitFor();

		// The new user can sign in.
		const p2 = await newPage(browser, DESKTOP);
		await login(p2, srv.url, username, 'secret-pass-1');
		await p2.locator('.user-name', { hasText: '测试干部' }).waitFor();
		await p2.context().close();

		// A device token.
		await nav(page, 'devices');
		await page.waitForURL(/#\/devices/);
		await page.locator('details.disclosure > summary', { hasText: '新建设备令牌' }).click();
		const name = '测试卡点平板 ' + Date.now().toString(36);
		await page.locator('form input[name=name]').fill(name);
		await page.locator('form select[name=role]').selectOption('checkpoint_staff');
		await page.locator('form button[type=submit]', { hasText: '生成令牌' }).click();
		const panel = page.locator('.token-panel');
		await panel.waitFor();
		const token = await panel.locator('textarea.token-value').inputValue();
		assert.ok(token.length >= 16, `token: ${token}`);
		await panel.locator('text=只显示这一次').waitFor();
		await page.locator('table tbody tr', { hasText: name }).waitFor();

		// The token works as a bearer token, and is not shown again.
		const me = await fetch(`${srv.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
		assert.equal(me.status, 200);
		await page.reload();
		await page.locator('table tbody tr', { hasText: name }).waitFor();
		assert.equal(await page.locator('.token-panel').count(), 0);
		assert.equal(await page.locator(`text=${token}`).count(), 0);
	});
	await page.context().close();
});

test('a wrong password is shown beside the password field', async () => {
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('wrong-password', page, async () => {
		await page.goto(`${srv.url}/#/login`);
		await page.locator('input[name=username]').fill('inspector');
		await page.locator('input[name=password]').fill('not-the-password');
		await page.locator('form.login-form button[type=submit]').click();
		const err = page.locator('.field:has(input[name=password]) .field-error');
		await err.filter({ hasText: '用户名或密码错误' }).waitFor();
		assert.equal(await page.locator('input[name=password]').getAttribute('aria-invalid'), 'true');
		assert.equal(await page.locator('header.topbar').count(), 0, 'still signed out');

		// Repeated failures for one username are throttled: the wait is shown.
		const box = page.locator('form.login-form .form-error');
		for (let i = 0; i < 8 && !(await box.isVisible()); i++) {
			await page.locator('input[name=password]').fill('still-wrong-' + i);
			const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
			await page.locator('form.login-form button[type=submit]').click();
			await answered;
			await page.waitForTimeout(50);
		}
		await box.filter({ hasText: /尝试次数过多，请 \d+ 秒后重试/ }).waitFor();
	});
	await page.context().close();
});

test('each role lands on the page it works in, and the menu groups the work', async () => {
	for (const [role, hash] of [['officer', '#/persons'], ['grid_worker', '#/visit'], ['checkpoint_staff', '#/checkpoints']]) {
		const p = await newPage(browser, DESKTOP);
		await shotOnFail('landing-' + role, p, async () => {
			await login(p, srv.url, role);
			await p.waitForURL((u) => u.hash.startsWith(hash), { timeout: 15000 });
		});
		await p.context().close();
	}
	const page = await newPage(browser, DESKTOP);
	await shotOnFail('landing', page, async () => {
		await login(page, srv.url, 'commander');
		await page.waitForURL(/#\/dashboard/);
		// The commander's menu: groups of the work, each opening its pages.
		const groups = (await page.locator('nav.nav .nav-group-btn').allTextContents()).map((s) => s.replace('▾', '').trim());
		assert.deepEqual(groups.slice(0, 3), ['指挥调度', '人口摸排', '一线执勤'], JSON.stringify(groups));
		await nav(page, 'rounds');
		await page.waitForURL(/#\/rounds/);
		await page.locator('nav.nav .nav-group-btn.active', { hasText: '人口摸排' }).waitFor();
	});
	await page.context().close();
});

test('on a 1024-px screen the admin\'s seven menu groups stay on one row, in Chinese and in English', async () => {
	const page = await newPage(browser, { width: 1024, height: 700 });
	await shotOnFail('menu-1024', page, async () => {
		await login(page, srv.url, 'admin');
		const oneRow = async (what) => {
			const tops = await page.locator('nav.nav > *').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
			assert.ok(tops.length >= 7, `${what}: ${tops.length} groups`);
			assert.equal(new Set(tops).size, 1, `${what}: menu on one row (tops ${tops})`);
			const bar = await page.locator('header.topbar').boundingBox();
			assert.ok(bar.height < 70, `${what}: header ${bar.height}px high`);
		};
		await page.locator('nav.nav .nav-group-btn', { hasText: '系统管理' }).waitFor();
		await oneRow('zh-CN');
		// One button offers the other language.
		assert.equal(await page.locator('header .lang-switch button[data-lang=zh-CN]').isVisible(), false);
		await page.locator('header .lang-switch button[data-lang=en]').click();
		await page.locator('nav.nav .nav-group-btn', { hasText: 'Admin' }).waitFor();
		await oneRow('en');
		await page.screenshot({ path: 'build/test-screenshots/menu-1024-en.png', clip: { x: 0, y: 0, width: 1024, height: 120 } });
		await page.locator('header .lang-switch button[data-lang=zh-CN]').click();
		await page.locator('nav.nav .nav-group-btn', { hasText: '系统管理' }).waitFor();
	});
	await page.context().close();
});
