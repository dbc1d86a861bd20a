// Helpers for the browser suites: build a demo database and start the real
// `cordon serve` on a free port, launch Debian's Chromium through
// playwright-core, sign in, and save a screenshot when a step fails.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, copyFile, chmod, stat, access, rename } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { sessionCookie } from '../api/lib.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(process.cwd(), process.env.CORDON_BIN || path.join(ROOT, 'build/cordon'));
export const PASSWORD = 'demo2020';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function run(file, args, timeoutMs) {
	return new Promise((resolve, reject) => {
		execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
			if (err) {
				err.message += `\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`;
				reject(err);
			} else resolve({ stdout, stderr });
		});
	});
}

// The full demo district takes half a minute to build: build it once per
// binary (keyed by its size and time) under build/test-cache and give each
// suite its own copy.
async function cachedDemo(bin, timeoutMs) {
	const st = await stat(BIN);
	const dir = path.join(ROOT, 'build', 'test-cache');
	await mkdir(dir, { recursive: true });
	const file = path.join(dir, `demo-${st.size}-${Math.floor(st.mtimeMs)}.db`);
	try {
		await access(file);
		return file;
	} catch { /* not built yet */ }
	const tmp = `${file}.${process.pid}.building`;
	await run(bin, ['demo', '--db', tmp, '--no-serve'], timeoutMs);
	// The pass signing keys are sealed with the key file beside the database:
	// the copy is useless without it.
	await rename(`${tmp}.key`, `${file}.key`);
	await rename(tmp, file);
	return file;
}

// Builds the demo district into a temporary database and serves it.
// Returns {url, port, dir, log(), restart(args), stop()}.
// With CORDON_URL set, uses that server instead (nothing is started).
export async function startServer({ timeoutMs = 600_000 } = {}) {
	if (process.env.CORDON_URL) return { url: process.env.CORDON_URL.replace(/\/$/, ''), log: () => '', async stop() {} };
	const dir = await mkdtemp(path.join(tmpdir(), 'cordon-browser-'));
	const db = path.join(dir, 'demo.db');
	// Run a copy, so a rebuild of build/cordon is not blocked while we serve.
	const bin = path.join(dir, 'cordon');
	await copyFile(BIN, bin);
	await chmod(bin, 0o755);
	const cached = await cachedDemo(bin, timeoutMs);
	await copyFile(`${cached}.key`, `${db}.key`);
	await copyFile(cached, db);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let log = '';
	// Serves db on the port with extra arguments (e.g. --clock), resolving
	// once it listens.
	async function serve(extra) {
		const p = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
		await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${log}`)), 30_000);
			const want = `listening on ${url}`;
			let seen = '';
			const onData = (b) => {
				log += b.toString();
				seen += b.toString();
				if (seen.includes(want)) {
					clearTimeout(timer);
					resolve();
				}
			};
			p.stdout.on('data', onData);
			p.stderr.on('data', onData);
			p.on('exit', (code, sig) => {
				clearTimeout(timer);
				reject(new Error(`server exited (${code ?? sig}) before listening:\n${log}`));
			});
		});
		p.removeAllListeners('exit');
		p.stdout.removeAllListeners('data');
		p.stderr.removeAllListeners('data');
		// Keep draining output so the pipe never blocks the server.
		p.stdout.on('data', (b) => { log = (log + b).slice(-20000); });
		p.stderr.on('data', (b) => { log = (log + b).slice(-20000); });
		return p;
	}
	async function halt(p) {
		if (p.exitCode == null && p.signalCode == null) {
			const gone = new Promise((r) => p.once('exit', r));
			p.kill('SIGTERM');
			const t = setTimeout(() => p.kill('SIGKILL'), 5000);
			await gone;
			clearTimeout(t);
		}
	}
	let proc = await serve([]);
	return {
		url,
		port,
		dir,
		log: () => log,
		// Serves the same database again with other arguments, e.g.
		// ['--clock', '2026-12-05T09:00'] for days that have not come yet.
		async restart(extra = []) {
			await halt(proc);
			proc = await serve(extra);
		},
		async stop() {
			await halt(proc);
			await rm(dir, { recursive: true, force: true });
		},
	};
}

export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--no-first-run', '--disable-quic'],
	});
}

// A fresh context (no cookies, no localStorage) and page.
export async function newPage(browser, viewport = DESKTOP, opts = {}) {
	const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...opts });
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	page.on('pageerror', (e) => { (page.errors ||= []).push(String(e)); });
	return page;
}

// Signs in through the login form and waits for the signed-in header.
export async function login(page, base, username, password = PASSWORD) {
	await page.goto(`${base}/#/login`);
	await page.locator('input[name=username]').fill(username);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form.login-form button[type=submit]').click();
	await page.locator('header.topbar').waitFor();
}

// Opens a menu entry as a person does: on a desktop its group's button
// first (the entries of a group of several show in its drop-down).
export async function nav(page, key) {
	const link = page.locator(`nav.nav a[data-page=${key}]`);
	const btn = page.locator(`nav.nav .nav-group:has(a[data-page=${key}]) .nav-group-btn`);
	// The header is drawn anew on every route: a group opened just before a
	// redraw is closed again, so open it until its entry shows.
	for (let i = 0; i < 50; i++) {
		await link.waitFor({ state: 'attached' });
		if (await link.isVisible()) break;
		if (await btn.isVisible()) await btn.click();
		await page.waitForTimeout(100);
	}
	await link.click();
}

// Signs in through the API at base; returns call(method, path, body) → the
// JSON answer (throws on a status of 400 or more), with the cookie and CSRF
// header; call.raw(method, path, body) gives the Response itself.
export async function apiAs(base, username, password = PASSWORD) {
	const res = await fetch(`${base}/api/v1/session`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username, password }),
	});
	if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
	const cookie = sessionCookie(res.headers);
	const { csrf_token: csrf } = await res.json();
	async function raw(method, p, body) {
		const headers = { Cookie: cookie, Accept: 'application/json' };
		if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		return fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	}
	async function call(method, p, body) {
		const r = await raw(method, p, body);
		const text = await r.text();
		if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
		return text ? JSON.parse(text) : null;
	}
	call.raw = raw;
	return call;
}

// Runs fn(); on failure saves build/test-screenshots/NAME.png and rethrows.
export async function shotOnFail(name, page, fn) {
	try {
		return await fn();
	} catch (err) {
		try {
			const dir = path.join(ROOT, 'build/test-screenshots');
			await mkdir(dir, { recursive: true });
			await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
		} catch {
			/* the screenshot is a help, not the result */
		}
		if (page.errors && page.errors.length) err.message += `\npage errors: ${page.errors.join('\n')}`;
		throw err;
	}
}

// 1 if the page scrolls sideways.
export async function scrollsSideways(page) {
	return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
