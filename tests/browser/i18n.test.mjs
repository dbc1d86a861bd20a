// Static checks of the UI strings (no browser, no server): every key the
// app's code names exists in both languages, both files have the same keys,
// and every role and unit kind has a label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const ROLES = ['admin', 'commander', 'group_lead', 'officer', 'grid_worker', 'checkpoint_staff', 'medic', 'warehouse', 'inspector', 'enterprise'];
const KINDS = ['district', 'town', 'subdistrict', 'village', 'community', 'compound', 'building'];

async function jsFiles(dir) {
	const out = [];
	for (const e of await readdir(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) out.push(...(await jsFiles(p)));
		else if (e.name.endsWith('.js')) out.push(p);
	}
	return out;
}

// The strings as the app gets them: web/i18n/<lang>/*.json merged by
// tools/i18n.mjs (which itself refuses a key in two files or one language).
const merged = mkdtempSync(path.join(os.tmpdir(), 'cordon-i18n-'));
execFileSync(process.execPath, [path.join(ROOT, 'tools/i18n.mjs'), merged]);
const load = async (l) => JSON.parse(await readFile(path.join(merged, `${l}.json`), 'utf8'));

test('zh-CN and en have the same keys and no empty strings', async () => {
	const zh = await load('zh-CN');
	const en = await load('en');
	assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
	for (const [k, v] of [...Object.entries(zh), ...Object.entries(en)]) assert.ok(typeof v === 'string' && v.length, k);
});

test('every literal key used by web/js exists', async () => {
	const zh = await load('zh-CN');
	const missing = [];
	for (const f of await jsFiles(path.join(ROOT, 'web/js'))) {
		const src = await readFile(f, 'utf8');
		for (const m of src.matchAll(/\bt\('([\w.-]+)'[,)]/g)) if (!(m[1] in zh)) missing.push(`${path.relative(ROOT, f)}: ${m[1]}`);
	}
	assert.deepEqual(missing, []);
});

test('roles, unit kinds, languages and error codes have labels', async () => {
	for (const l of ['zh-CN', 'en']) {
		const d = await load(l);
		for (const r of ROLES) assert.ok(d[`roles.${r}`], `${l} roles.${r}`);
		for (const k of KINDS) assert.ok(d[`kinds.${k}`], `${l} kinds.${k}`);
		for (const c of ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'too_large', 'rule', 'throttled', 'internal', 'network'])
			assert.ok(d[`errors.${c}`], `${l} errors.${c}`);
		assert.ok(d['lang.zh-CN'] && d['lang.en']);
	}
	const zh = await load('zh-CN');
	assert.equal(zh['roles.grid_worker'], '网格员');
	assert.equal(zh['kinds.subdistrict'], '街道');
	assert.equal(zh['common.empty'], '暂无数据');
});
