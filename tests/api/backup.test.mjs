// `cordon backup` under a steady write load (issue 9 §5): it finishes while
// the server keeps writing (one snapshot, not a copy restarted by every
// commit), prints progress, size and time, is created 0600, restores, holds
// every write acknowledged before it began, and carries the pass signing keys
// only sealed with the key file, which it does not contain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  startServer, adminClient, expectStatus, cordon, run, assertNoSanitizer, onlyOn, sql,
} from './lib.mjs';

function rid(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}

const skip = onlyOn('sqlite', '`cordon backup` is SQLite\'s; PostgreSQL is backed up with pg_dump');
let srv; let admin; let K;

before(async () => {
  if (skip) return;
  srv = await startServer();
  admin = await adminClient(srv);
  const S = expectStatus(await admin.post('/api/v1/units', { parent_id: admin.root.id, kind: 'subdistrict', code: 'BK-S', name: '备份街道' }), 201).body;
  const C = expectStatus(await admin.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'BK-C', name: '备份社区' }), 201).body;
  K = expectStatus(await admin.post('/api/v1/units', { parent_id: C.id, kind: 'compound', code: 'BK-K', name: '备份小区' }), 201).body;
  // A pass, so a signing key exists.
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: rid('64010619900101001'), name: '钥匙', unit_id: K.id }), 201).body;
  expectStatus(await admin.post('/api/v1/passes', { person_id: p.id }), 201, 'a pass');
  // Bulk, so that the copy takes many steps (the old backup restarted at each commit).
  await sql(srv.db, 'CREATE TABLE bulk_filler(b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000) INSERT INTO bulk_filler SELECT randomblob(3000) FROM n');
});

after(async () => {
  await srv?.stop();
});

test('backup finishes under steady writes, 0600, and holds every write acknowledged before it began', { skip }, async () => {
  const acked = [];
  let stop = false;
  let seq = 0;
  const writer = (async () => {
    while (!stop) {
      const n = seq++;
      const mm = String(1 + (Math.floor(n / 1000) % 12)).padStart(2, '0');
      const dd = String(1 + (Math.floor(n / 12000) % 28)).padStart(2, '0');
      const doc = rid(`6401061991${mm}${dd}${String(n % 1000).padStart(3, '0')}`);
      const res = await admin.post('/api/v1/persons', { doc_number: doc, name: '写入', unit_id: K.id });
      if (res.status === 201) acked.push({ id: res.body.id, at: Date.now() });
    }
  })();
  // Writes are flowing before the backup starts.
  while (acked.length < 5) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  const before = acked.filter((a) => a.at < started).map((a) => a.id);
  const dest = path.join(srv.dir, 'nightly.db');
  const out = await cordon(['backup', dest, ...srv.dbArgs], { timeout: 120000 });
  const during = acked.length;
  stop = true;
  await writer;
  assertNoSanitizer(out, 'backup');
  assert.equal(out.code, 0, `backup exit ${out.code}: ${out.stdout}${out.stderr}`);
  assert.ok(during > before.length, 'writes went on while the backup ran');
  assert.match(out.stdout, /backed up to .*: [\d.]+ MB in [\d.]+ s/, out.stdout);
  assert.match(out.stdout, /pass signing keys: stored sealed/, out.stdout);
  assert.match(out.stderr, /backup \d+ of \d+ pages/, `no progress: ${out.stderr}`);
  const st = await fs.stat(dest);
  assert.equal(st.mode & 0o777, 0o600, `backup mode ${(st.mode & 0o777).toString(8)}`);
  // It restores: a sound database that a cordon opens, with every acknowledged write.
  const ic = await run('sqlite3', [dest, 'pragma integrity_check']);
  assert.equal(ic.stdout.trim(), 'ok');
  const ids = new Set((await run('sqlite3', [dest, 'SELECT id FROM persons'])).stdout.trim().split('\n').map(Number));
  for (const id of before) assert.ok(ids.has(id), `person ${id}, acknowledged before the backup began, is missing`);
  const list = await cordon(['user', 'list', '--db', dest]);
  assert.equal(list.code, 0, list.stderr);
  // Keys: sealed in the database and the backup; the key file beside the database, 0600.
  for (const db of [srv.db, dest]) {
    const keys = (await run('sqlite3', [db, 'SELECT secret_key FROM pass_keys'])).stdout.trim().split('\n');
    assert.ok(keys.length >= 1 && keys.every((k) => k.startsWith('sealed1:')), `plain keys in ${db}: ${keys}`);
  }
  const kf = await fs.stat(`${srv.db}.key`);
  assert.equal(kf.mode & 0o777, 0o600);
  // Refuses to overwrite.
  const again = await cordon(['backup', dest, ...srv.dbArgs]);
  assert.notEqual(again.code, 0);
});

test('keys stored plain before the key file are sealed when served or backed up, and passes still verify', { skip }, async () => {
  const kid = (await sql(srv.db, 'SELECT kid FROM pass_keys LIMIT 1')).trim();
  // A database from before: its key plain.
  const plain = 'AAAA'.repeat(21) + 'AA==';
  await sql(srv.db, `INSERT INTO pass_keys(kid, public_key, secret_key, created_at) VALUES ('kold', 'x', '${plain}', 1)`);
  const dest = path.join(srv.dir, 'second.db');
  const out = await cordon(['backup', dest, ...srv.dbArgs]);
  assert.equal(out.code, 0, out.stderr);
  const k = (await run('sqlite3', [dest, "SELECT secret_key FROM pass_keys WHERE kid = 'kold'"])).stdout.trim();
  assert.ok(k.startsWith('sealed1:'), `the backup carries a plain key: ${k}`);
  assert.ok(kid);
  // The server still signs with its key: a new pass is issued.
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: rid('64010619900101002'), name: '再签', unit_id: K.id }), 201).body;
  const pass = expectStatus(await admin.post('/api/v1/passes', { person_id: p.id }), 201, 'a pass after sealing');
  const scanGate = expectStatus(await admin.post('/api/v1/gates', { unit_id: K.id, name: '北门' }), 201).body;
  const scan = expectStatus(await admin.post(`/api/v1/gates/${scanGate.id}/scans`, { token: pass.body.token, direction: 'in', temperature: 36.5 }), 200);
  assert.equal(scan.body.decision, 'allow', JSON.stringify(scan.body));
});
