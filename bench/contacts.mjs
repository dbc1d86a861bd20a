// Setup and API timing for bench/contacts.sh.
//   node bench/contacts.mjs setup BASE PASSWORD BACKEND TARGET SCANS GATES DAYS OUTDIR
// Through the API: a sub-district, a community and GATES compounds with a
// gate each, the case person's household of three; then in SQL (the rows the
// gate API would write, only faster; BACKEND sqlite: TARGET is the database
// file, run through sqlite3; pg: TARGET is its URL, run through psql)
// 200,000 residents and SCANS gate scans spread over GATES gates and the
// DAYS days before now, among them the case person's 20 scans at 20 gates
// over the last 80 hours; then the confirmed case itself (onset 2 days ago,
// reported today) through the API. Writes case.txt, person.txt, window.txt
// ("from to window_seconds", as the server computes it) to OUTDIR.
//   node bench/contacts.mjs api BASE PASSWORD CASE_ID R
// GET /api/v1/cases/{id}/contact-candidates R times one after another after
// a warm-up, as the admin; prints "items N reasons M median_ms X p90_ms Y
// parsed_ms P me_ms Z": X and Y from sending the request to the answer's
// last byte (the API's time; the raw query is timed to its last row), P the
// median with the client's JSON.parse of the answer too (about 1 ms for
// its 185 kB, which the raw query has no counterpart of), Z the median of
// GET /api/v1/me the same way (the request floor).
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setCookies } from '../tests/api/lib.mjs';

const [cmd, base, pw, ...rest] = process.argv.slice(2);
let cookie = '';
let csrf = '';
async function call(method, p, body) {
	const init = {
		method,
		headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
		body: body ? JSON.stringify(body) : undefined,
	};
	let res;
	for (let tries = 1; ; tries++) {
		try {
			res = await fetch(base + p, init);
			break;
		} catch (e) {
			// The kept-alive connection was closed by the server while the
			// SQL ran for minutes: the request never left, so send it again.
			if (tries === 3) throw e;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
	if (!cookie) cookie = setCookies(res.headers).map((c) => c.split(';')[0]).join('; ');
	return text ? JSON.parse(text) : null;
}
csrf = (await call('POST', '/api/v1/session', { username: 'admin', password: pw })).csrf_token;

function rid(first17) {
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let s = 0;
	for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
	return first17 + '10X98765432'[s % 11];
}

if (cmd === 'setup') {
	const [backend, target, SCANS, GATES, DAYS, out] = rest;
	const G = Number(GATES);
	const me = await call('GET', '/api/v1/me');
	const s = await call('POST', '/api/v1/units', { parent_id: me.scope_unit.id, kind: 'subdistrict', code: 'BC-S', name: '密接压测街道' });
	const c = await call('POST', '/api/v1/units', { parent_id: s.id, kind: 'community', code: 'BC-C', name: '密接压测社区' });
	const gates = [];
	for (let i = 0; i < G; i += 8) {
		await Promise.all(Array.from({ length: Math.min(8, G - i) }, async (_, k) => {
			const u = await call('POST', '/api/v1/units', { parent_id: c.id, kind: 'compound', code: `BC-K${i + k}`, name: `压测小区${i + k}` });
			const g = await call('POST', '/api/v1/gates', { unit_id: u.id, name: '东门' });
			gates[i + k] = { id: g.id, unit: u.id };
		}));
	}
	const hh = await call('POST', '/api/v1/households', { unit_id: gates[0].unit, address: '1号楼1单元101' });
	const ppl = [];
	for (const [k, name] of [[1, '压测病例'], [2, '压测家属甲'], [3, '压测家属乙']]) {
		ppl.push(await call('POST', '/api/v1/persons', { doc_number: rid(`6401061980010100${k}`), name, household_id: hh.id }));
	}
	const person = ppl[0].id;
	const now = Math.floor(Date.now() / 1000);
	const N = Number(SCANS);
	const span = Number(DAYS) * 86400;
	const NP = 200000;
	const caseScans = Array.from({ length: 20 }, (_, k) => {
		const g = gates[(k * 7) % G];
		const at = now - (k + 1) * 4 * 3600;
		return `(${g.id}, ${g.unit}, ${at}, DAYOF(${at}), 'in', ${person}, 'resident', 'allow', 'bench')`;
	});
	const pg = backend === 'pg';
	const day = (x) => (pg ? `to_char(to_timestamp(${x} + 28800) AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : `date(${x} + 28800, 'unixepoch')`);
	const seq = (n, body) => (pg
		? `SELECT ${body} FROM generate_series(1::bigint, ${n}) AS n(i)`
		: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) SELECT ${body} FROM n`);
	const sql = `
${pg ? '' : 'PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;'}
BEGIN;
INSERT INTO persons(unit_id, doc_type, doc_number, doc_last4, name, source, created_at, updated_at)
${seq(NP, `${gates[0].unit}, 'passport', 'BC' || i, ${pg ? "right('0000' || i, 4)" : "substr('0000' || i, -4)"}, '居民' || i, 'manual', 0, 0`)};
CREATE TABLE bench_gates (k BIGINT PRIMARY KEY, gate_id BIGINT NOT NULL, unit_id BIGINT NOT NULL);
INSERT INTO bench_gates VALUES ${gates.map((g, i) => `(${i}, ${g.id}, ${g.unit})`).join(', ')};
DROP INDEX gate_scans_person;
INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id, kind, decision, reason)
SELECT b.gate_id, b.unit_id, x.at, ${day('x.at')}, 'in',
  (SELECT MIN(id) FROM persons WHERE doc_number = 'BC1') + x.p, 'resident', 'allow', 'bench'
FROM (${seq(N, `(i * 7919) % ${G} AS g, ${now - span} + (i * ${span}) / ${N} AS at, (i * 104729) % ${NP} AS p`)}) x
JOIN bench_gates b ON b.k = x.g;
DROP TABLE bench_gates;
INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id, kind, decision, reason) VALUES
${caseScans.map((r) => r.replace(/DAYOF\((\d+)\)/, (m, a) => day(a))).join(',\n')};
CREATE INDEX gate_scans_person ON gate_scans(person_id, at);
COMMIT;
ANALYZE;
`;
	if (pg) execFileSync('psql', [target, '-qX', '-v', 'ON_ERROR_STOP=1'], { input: sql, maxBuffer: 1 << 26, stdio: ['pipe', 'ignore', 'inherit'] });
	else execFileSync('sqlite3', ['-cmd', '.timeout 60000', target], { input: sql, maxBuffer: 1 << 26, stdio: ['pipe', 'ignore', 'inherit'] });
	const today = new Date((now + 8 * 3600) * 1000).toISOString().slice(0, 10);
	const onset = new Date((now + 8 * 3600 - 2 * 86400) * 1000).toISOString().slice(0, 10);
	const k = await call('POST', '/api/v1/cases', { person_id: person, status: 'confirmed', onset_day: onset, report_day: today });
	const tr = await call('GET', `/api/v1/cases/${k.id}/trajectory`);
	await fs.writeFile(path.join(out, 'case.txt'), String(k.id));
	await fs.writeFile(path.join(out, 'person.txt'), String(person));
	await fs.writeFile(path.join(out, 'window.txt'), `${tr.window_from} ${tr.window_to} ${tr.window_minutes * 60}\n`);
} else if (cmd === 'api') {
	const [id, R] = rest;
	const times = [];
	const parsed = [];
	let res;
	for (let i = -1; i < Number(R); i++) {
		const t0 = performance.now();
		const r = await fetch(`${base}/api/v1/cases/${id}/contact-candidates`, { headers: { Cookie: cookie } });
		const bytes = await r.arrayBuffer();
		const t1 = performance.now();
		if (!r.ok) throw new Error(`contact-candidates: ${r.status} ${Buffer.from(bytes).toString()}`);
		res = JSON.parse(Buffer.from(bytes).toString('utf8'));
		if (i >= 0) {
			times.push(t1 - t0);
			parsed.push(performance.now() - t0);
		}
	}
	times.sort((a, b) => a - b);
	parsed.sort((a, b) => a - b);
	// The floor: an authenticated request that does next to nothing.
	const floor = [];
	for (let i = -1; i < Number(R); i++) {
		const t0 = performance.now();
		await call('GET', '/api/v1/me');
		if (i >= 0) floor.push(performance.now() - t0);
	}
	floor.sort((a, b) => a - b);
	const reasons = res.items.reduce((n, x) => n + x.reasons.length, 0);
	console.log(`items ${res.items.length} reasons ${reasons} median_ms ${times[times.length >> 1].toFixed(2)} p90_ms ${times[Math.min(times.length - 1, Math.floor(times.length * 0.9))].toFixed(2)} parsed_ms ${parsed[parsed.length >> 1].toFixed(2)} me_ms ${floor[floor.length >> 1].toFixed(2)}`);
} else {
	console.error('usage: node bench/contacts.mjs setup|api ...');
	process.exit(2);
}
