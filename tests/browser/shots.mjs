// Saves screenshots of every page at desktop (1280x800) and phone (375x740)
// sizes into build/screenshots/, for a person to look at the layout.
// Usage: node tests/browser/shots.mjs            (starts its own demo server)
//        CORDON_URL=http://host:port node tests/browser/shots.mjs
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startServer, launch, newPage, login, ROOT, DESKTOP, PHONE, scrollsSideways } from './lib.mjs';

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

async function main() {
	await mkdir(OUT, { recursive: true });
	let srv = null;
	let base = process.env.CORDON_URL;
	if (!base) {
		srv = await startServer();
		base = srv.url;
	}
	const browser = await launch();
	try {
		for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
			const page = await newPage(browser, viewport, size === 'phone' ? { isMobile: true, hasTouch: true } : {});
			await page.goto(`${base}/#/login`);
			await shoot(page, 'login', size);
			await login(page, base, user);
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
			await page.context().close();
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
