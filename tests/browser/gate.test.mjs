// The gate page on a phone, against the real server with the demo district:
// the pass QR codes are shown to the page's camera (Chromium's fake camera
// playing a Y4M made from the pass's qr.svg: rsvg-convert renders it to PNG,
// and the PNG becomes YUV 4:2:0 frames here), decoded with jsQR (Chromium on
// Linux has no BarcodeDetector); a green resident is allowed and one made
// red by a fever at the gate is refused, with the reason in words. A pass
// the demo itself issued "today" (valid from the day it was built) is
// allowed at its compound's demo gate, as a person trying `make run` would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer, newPage, login, shotOnFail, scrollsSideways, PASSWORD, PHONE, apiAs } from './lib.mjs';

let srv;
let dir;
let started;

before(async () => {
	// After the start: the demo may be built (and its passes issued) inside it.
	srv = await startServer();
	started = Math.floor(Date.now() / 1000) + 1;
	dir = await mkdtemp(path.join(tmpdir(), 'cordon-gate-'));
});

after(async () => {
	if (srv) await srv.stop();
	if (dir) await rm(dir, { recursive: true, force: true });
});

function run(file, args) {
	return new Promise((resolve, reject) => {
		execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${file}: ${err.message}\n${stderr}`)) : resolve(stdout)));
	});
}

// A minimal PNG reader (8-bit, not interlaced; grey, grey+alpha, RGB, RGBA):
// returns {width, height, luma(x, y)} with alpha composed on white.
export function readPng(buf) {
	assert.equal(buf.toString('latin1', 1, 4), 'PNG', 'a PNG file');
	let pos = 8;
	let width = 0;
	let height = 0;
	let depth = 0;
	let ctype = 0;
	let interlace = 0;
	const idat = [];
	while (pos < buf.length) {
		const len = buf.readUInt32BE(pos);
		const type = buf.toString('latin1', pos + 4, pos + 8);
		const data = buf.subarray(pos + 8, pos + 8 + len);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			depth = data[8];
			ctype = data[9];
			interlace = data[12];
		} else if (type === 'IDAT') idat.push(data);
		else if (type === 'IEND') break;
		pos += 12 + len;
	}
	assert.equal(depth, 8, 'an 8-bit PNG');
	assert.equal(interlace, 0, 'not interlaced');
	const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[ctype];
	assert.ok(channels, `PNG colour type ${ctype}`);
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const px = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const f = raw[y * (stride + 1)];
		const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let x = 0; x < stride; x++) {
			const a = x >= channels ? px[y * stride + x - channels] : 0;
			const b = y > 0 ? px[(y - 1) * stride + x] : 0;
			const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
			let v = src[x];
			if (f === 1) v += a;
			else if (f === 2) v += b;
			else if (f === 3) v += (a + b) >> 1;
			else if (f === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			px[y * stride + x] = v & 0xff;
		}
	}
	return {
		width,
		height,
		luma(x, y) {
			const i = y * stride + x * channels;
			let r;
			let g;
			let bl;
			let al = 255;
			if (channels <= 2) {
				r = g = bl = px[i];
				if (channels === 2) al = px[i + 1];
			} else {
				r = px[i];
				g = px[i + 1];
				bl = px[i + 2];
				if (channels === 4) al = px[i + 3];
			}
			const yv = 0.299 * r + 0.587 * g + 0.114 * bl;
			return Math.round((yv * al + 255 * (255 - al)) / 255);
		},
	};
}

// A Y4M video (640x480, 4:2:0, a few identical frames) of the PNG in the
// middle of a white frame: what Chromium's fake camera plays in a loop.
export function pngToY4m(png, { width = 640, height = 480, frames = 10 } = {}) {
	const yPlane = Buffer.alloc(width * height, 235);
	const ox = Math.floor((width - png.width) / 2);
	const oy = Math.floor((height - png.height) / 2);
	for (let y = 0; y < png.height; y++) {
		for (let x = 0; x < png.width; x++) {
			const tx = ox + x;
			const ty = oy + y;
			if (tx >= 0 && ty >= 0 && tx < width && ty < height) yPlane[ty * width + tx] = png.luma(x, y);
		}
	}
	const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
	const head = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, 'latin1');
	const parts = [head];
	for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n', 'latin1'), yPlane, chroma);
	return Buffer.concat(parts);
}

// The pass's QR code as the gate's camera will see it.
async function passVideo(admin, passId, name) {
	const res = await admin.raw('GET', `/api/v1/passes/${passId}/qr.svg`);
	assert.equal(res.status, 200, 'qr.svg');
	assert.match(res.headers.get('content-type') || '', /svg/);
	const svg = path.join(dir, `${name}.svg`);
	const png = path.join(dir, `${name}.png`);
	const y4m = path.join(dir, `${name}.y4m`);
	await writeFile(svg, await res.text());
	await run('rsvg-convert', ['-w', '360', '-h', '360', '-b', 'white', '-o', png, svg]);
	await writeFile(y4m, pngToY4m(readPng(await readFile(png))));
	return y4m;
}

// Chromium whose camera plays the file (the permission prompt answered yes).
function launchWithCamera(y4m) {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
			'--disable-sync', '--no-first-run', '--disable-quic',
			'--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
	});
}

// Residents of a compound who are green now (no record against them).
async function greenResidents(admin, unitId, n) {
	const { items } = await admin('GET', `/api/v1/persons?unit_id=${unitId}&limit=60`);
	const out = [];
	for (const p of items) {
		if (!p.located) continue;
		const c = await admin('GET', `/api/v1/persons/${p.id}/colour`);
		if (c.colour === 'green') out.push(p);
		if (out.length === n) break;
	}
	assert.equal(out.length, n, `${n} green residents in unit ${unitId}`);
	return out;
}

// Opens the gate page on a phone, enters the temperature, starts the camera
// (unless it started by itself) and waits for a decision.
async function scanAtGate(browser, gate, temperature) {
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	await login(page, srv.url, 'grid_worker');
	await page.goto(`${srv.url}/#/gate/${gate.id}`);
	await page.locator('.gate-decision[data-state=idle]').waitFor();
	await page.locator('#gate-temp').fill(String(temperature));
	// The camera starts by itself once the permission query answers; on a
	// loaded machine that can come after a click on the button, which then
	// stops it again: so press the button only while it is off, and again
	// if it went off.
	const cam = page.locator('.gate-camera');
	const until = Date.now() + 20_000;
	let pressed = 0;
	while ((await cam.getAttribute('data-state')) !== 'on') {
		assert.ok(Date.now() < until, `the camera did not start: ${await page.locator('.gate-cam-status').innerText()}`);
		if (Date.now() - pressed > 3000 && (await cam.getAttribute('data-state')) === 'off') {
			await page.locator('[data-act=camera]').click();
			pressed = Date.now();
		}
		await page.waitForTimeout(250);
	}
	const decided = page.locator('.gate-decision:is([data-state=allow], [data-state=deny], [data-state=waiting])');
	await decided.waitFor({ timeout: 30_000 });
	if ((await decided.getAttribute('data-state')) === 'waiting') {
		// The code was read before the temperature was typed: send it now.
		await page.locator('[data-act=submit-pending]').click();
	}
	await page.locator('.gate-decision:is([data-state=allow], [data-state=deny])').waitFor({ timeout: 15_000 });
	return page;
}

test('a pass the demo issued today is allowed at its compound\'s demo gate (gate page, camera)', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const compound = (await grid('GET', '/api/v1/me')).scope_unit;
	// The demo's passes there: issued when the demo was built, not in 2020, valid now.
	const { items } = await grid('GET', `/api/v1/passes?unit_id=${compound.id}&status=active&limit=100`);
	const demo = items.filter((p) => p.issued_at < started && p.issued_at > Date.UTC(2021, 0, 1) / 1000);
	assert.ok(demo.length >= 10, `the demo issued passes valid today in ${compound.name}: ${demo.length}`);
	for (const p of demo.slice(0, 3)) assert.ok(p.expires_at - Date.now() / 1000 > 7 * 86400, `pass ${p.id} valid for days: ${p.valid_until}`);
	let pass = null;
	for (const p of demo) {
		if ((await admin('GET', `/api/v1/persons/${p.person_id}/colour`)).colour === 'green') { pass = p; break; }
	}
	assert.ok(pass, 'a green resident with a demo pass');
	// The compound's own demo gate (the first one, made with the demo).
	const gates = (await admin('GET', `/api/v1/gates?unit_id=${compound.id}&limit=50`)).items;
	const gate = gates.reduce((a, g) => (g.id < a.id ? g : a));
	assert.ok(gate.created_at < started, 'a gate the demo made');
	const video = await passVideo(admin, pass.id, 'demo-today');
	const browser = await launchWithCamera(video);
	try {
		let page = null;
		await shotOnFail('gate-demo-today', { screenshot: (o) => (page ? page.screenshot(o) : Promise.resolve()) }, async () => {
			page = await scanAtGate(browser, gate, 36.4);
			const panel = page.locator('.gate-decision');
			assert.equal(await panel.getAttribute('data-state'), 'allow', await panel.innerText());
			assert.match(await panel.innerText(), /通行/);
			const { items: scans } = await admin('GET', `/api/v1/gates/${gate.id}/scans?limit=5`);
			const mine = scans.find((x) => x.pass_id === pass.id);
			assert.ok(mine, 'the scan is logged with the demo pass');
			assert.equal(mine.decision, 'allow');
			assert.equal(mine.reason_code, 'ok');
			assert.deepEqual(page.errors || [], []);
		});
	} finally {
		await browser.close();
	}
});

test('the gate page reads the pass QR with the camera (jsQR): a green resident is allowed, one red after a fever is refused', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const compound = me.scope_unit;
	assert.equal(compound.kind, 'compound', 'the demo grid worker works in a compound');
	const gate = await admin('POST', '/api/v1/gates', { unit_id: compound.id, name: `测试门${Date.now() % 100000}` });
	const [green, red] = await greenResidents(admin, compound.id, 2);
	const passGreen = await admin('POST', '/api/v1/passes', { person_id: green.id });
	const passRed = await admin('POST', '/api/v1/passes', { person_id: red.id });
	// A fever at the gate makes the second resident red from then on.
	const fever = await admin('POST', `/api/v1/gates/${gate.id}/scans`, { token: passRed.token, direction: 'in', temperature: 38.5, client_id: `fever-${Date.now()}` });
	assert.equal(fever.decision, 'deny');
	assert.equal(fever.reason_code, 'fever');
	assert.equal((await admin('GET', `/api/v1/persons/${red.id}/colour`)).colour, 'red');

	// The green resident: 通行.
	const greenVideo = await passVideo(admin, passGreen.id, 'green');
	let browser = await launchWithCamera(greenVideo);
	try {
		let page = null;
		await shotOnFail('gate-green', { screenshot: (o) => (page ? page.screenshot(o) : Promise.resolve()) }, async () => {
			page = await scanAtGate(browser, gate, 36.5);
			const panel = page.locator('.gate-decision');
			assert.equal(await panel.getAttribute('data-state'), 'allow', await panel.innerText());
			assert.equal(await page.locator('.gate-camera').getAttribute('data-decoder'), 'jsqr', 'decoded with jsQR');
			const text = await panel.innerText();
			assert.match(text, /通行/);
			assert.doesNotMatch(text, /禁止/);
			assert.match(text, /绿码/);
			assert.match(text, /36\.5/);
			// Large, full width and green.
			const box = await panel.boundingBox();
			assert.ok(box.width >= 330 && box.height >= 180, `decision panel ${box.width}x${box.height}`);
			const bg = await panel.evaluate((el) => getComputedStyle(el).backgroundColor);
			const [r, g, b] = bg.match(/\d+/g).map(Number);
			assert.ok(g > r * 2 && g > b * 2, `green background ${bg}`);
			// Read from the panel as it stands once drawn: the page redraws it
			// when the last scans come back, and a detached node has no style
			// (NaN on a fresh machine).
			const wordSize = await (await page.waitForFunction(() => {
				const el = document.querySelector('.gate-decision .gate-decision-word');
				const v = el && el.isConnected ? parseFloat(getComputedStyle(el).fontSize) : NaN;
				return Number.isFinite(v) ? v : null;
			})).jsonValue();
			assert.ok(wordSize >= 48, `word size ${wordSize}`);
			assert.equal(await scrollsSideways(page), false, 'no horizontal scrolling');
			// The scan is logged, with this pass and the page's temperature.
			const { items } = await admin('GET', `/api/v1/gates/${gate.id}/scans?limit=5`);
			const mine = items.find((s) => s.pass_id === passGreen.id);
			assert.ok(mine, 'the scan is in the gate log');
			assert.equal(mine.decision, 'allow');
			assert.equal(mine.temperature, 36.5);
			assert.equal(mine.direction, 'in');
			// The last scans list shows it.
			await page.locator('.gate-last li.gate-line[data-decision=allow]').first().waitFor();
			assert.deepEqual(page.errors || [], []);
		});
	} finally {
		await browser.close();
	}

	// The red resident: 禁止通行, with the reason.
	const redVideo = await passVideo(admin, passRed.id, 'red');
	browser = await launchWithCamera(redVideo);
	try {
		let page = null;
		await shotOnFail('gate-red', { screenshot: (o) => (page ? page.screenshot(o) : Promise.resolve()) }, async () => {
			page = await scanAtGate(browser, gate, 36.6);
			const panel = page.locator('.gate-decision');
			assert.equal(await panel.getAttribute('data-state'), 'deny', await panel.innerText());
			assert.equal(await panel.getAttribute('data-code'), 'red');
			const text = await panel.innerText();
			assert.match(text, /禁止通行/);
			assert.match(text, /红码/);
			assert.match(text, /发热/, 'the reason says why: a fever was recorded');
			const bg = await panel.evaluate((el) => getComputedStyle(el).backgroundColor);
			const [r, g, b] = bg.match(/\d+/g).map(Number);
			assert.ok(r > g * 2 && r > b * 2, `red background ${bg}`);
			const { items } = await admin('GET', `/api/v1/gates/${gate.id}/scans?limit=5`);
			const mine = items.find((s) => s.pass_id === passRed.id && s.temperature === 36.6);
			assert.ok(mine, 'the refusal is logged too');
			assert.equal(mine.decision, 'deny');
			assert.equal(mine.reason_code, 'red');
			assert.deepEqual(page.errors || [], []);
		});
	} finally {
		await browser.close();
	}
});

test('the typed ID fallback and a courier are refused in words; a queued scan says "not yet decided", never ALLOW', async () => {
	const admin = await apiAs(srv.url, 'admin');
	const grid = await apiAs(srv.url, 'grid_worker');
	const me = await grid('GET', '/api/v1/me');
	const gate = await admin('POST', '/api/v1/gates', { unit_id: me.scope_unit.id, name: `测试西门${Date.now() % 100000}` });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
	});
	const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true });
	try {
		await shotOnFail('gate-fallback', page, async () => {
			await login(page, srv.url, 'grid_worker');
			await page.goto(`${srv.url}/#/gate/${gate.id}`);
			await page.locator('.gate-decision[data-state=idle]').waitFor();
			// A courier: refused by rule, no pass needed.
			await page.locator('.gate-kind label.toggle', { hasText: '快递' }).click();
			await page.locator('[data-act=record-kind]').click();
			await page.locator('.gate-decision[data-state=deny]').waitFor();
			assert.match(await page.locator('.gate-decision').innerText(), /快递员不得进入/);
			// A typed ID number with a wrong check character: no such resident, said so.
			await page.locator('.gate-fallback').evaluate((f) => { f.closest('details').open = true; });
			await page.locator('#gate-temp').fill('36.4');
			await page.locator('.gate-fallback input[name=doc_number]').fill('640106198510144531');
			await page.locator('[data-act=check-doc]').click();
			await page.locator('.gate-decision[data-state=deny][data-code=unknown_person]').waitFor();
			assert.match(await page.locator('.gate-decision').innerText(), /查无此居民/);
			// At 390×844 the verdict is on the screen the guard looks at,
			// not above the form.
			const box = await page.locator('.gate-decision').boundingBox();
			const vh = page.viewportSize().height;
			assert.ok(box.y >= -1 && box.y + Math.min(box.height, 120) <= vh, `verdict at y=${box.y} (viewport ${vh})`);
			// Offline: the scan is queued, and the page says it is not decided.
			const before = (await admin('GET', `/api/v1/gates/${gate.id}/scans?limit=100`)).items.length;
			await page.context().setOffline(true);
			await page.locator('#gate-temp').fill('36.3');
			await page.locator('.gate-fallback input[name=doc_number]').fill('640106198510144531');
			await page.locator('[data-act=check-doc]').click();
			const panel = page.locator('.gate-decision[data-state=queued]');
			await panel.waitFor();
			const text = await panel.innerText();
			assert.match(text, /尚未判定/);
			assert.doesNotMatch(text, /^通行/m);
			await page.locator('.offline-badge[data-count="1"]').waitFor();
			await page.locator('.gate-last li[data-decision=queued]').waitFor();
			await page.context().setOffline(false);
			await page.locator('.offline-badge[data-count="0"]').waitFor({ timeout: 30_000 });
			const after = (await admin('GET', `/api/v1/gates/${gate.id}/scans?limit=100`)).items;
			assert.equal(after.length, before + 1, 'the queued scan is sent once');
			// Its late answer replaces the "not yet decided" panel.
			await page.locator('.gate-decision[data-state=deny] .gate-late').waitFor();
			assert.deepEqual(page.errors || [], []);
		});
	} finally {
		await browser.close();
	}
});
