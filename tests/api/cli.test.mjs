// The command line: help and usage errors, version, managing users beside a
// running server, an online backup, and a clean shutdown on SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  startServer, cordon, run, sql, ON_PG, onlyOn, Client, adminClient, rawRequest, expectStatus, expectError,
  assertNoSanitizer, show,
} from './lib.mjs';

let srv;

before(async () => {
  srv = await startServer();
});

after(async () => {
  await srv?.stop();
});

test('--help exits 0 and lists the subcommands', async () => {
  const out = await cordon(['--help']);
  assertNoSanitizer(out);
  assert.equal(out.code, 0, out.stderr);
  const text = out.stdout + out.stderr;
  for (const sub of ['serve', 'init', 'user', 'backup', 'version']) {
    assert.match(text, new RegExp(`\\b${sub}\\b`), `--help does not mention ${sub}:\n${text}`);
  }
  assert.ok(out.stdout.length > 0, '--help prints to stdout');
});

test('an unknown option exits 2 with a one-line error, then the usage', async () => {
  const out = await cordon(['serve', '--bogus']);
  assertNoSanitizer(out);
  assert.equal(out.code, 2, `exit ${out.code}\n${out.stdout}\n${out.stderr}`);
  const lines = out.stderr.split('\n').filter((l) => l.trim().length);
  assert.ok(lines.length >= 2, `expected an error line and usage:\n${out.stderr}`);
  assert.match(lines[0], /--bogus/, `the first line names the bad option: ${lines[0]}`);
  assert.match(out.stderr.split('\n').slice(1).join('\n'), /usage/i, `usage follows the error:\n${out.stderr}`);
  const none = await cordon(['frobnicate']);
  assert.equal(none.code, 2, `an unknown subcommand: exit ${none.code}`);
  assert.match(none.stderr, /frobnicate/);
});

test('version prints the version', async () => {
  const out = await cordon(['version']);
  assertNoSanitizer(out);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /cordon/i);
  const h = await new Client(srv.base).get('/healthz');
  assert.ok(out.stdout.includes(h.body.version), `version ${out.stdout.trim()} differs from /healthz ${h.body.version}`);
});

test('user add / list / disable beside a running server', async () => {
  const rootId = (await sql(srv.db, "SELECT id FROM units WHERE parent_id IS NULL")).trim();
  assert.match(rootId, /^\d+$/, 'the root unit id');
  const pw = path.join(srv.dir, 'cli-user.pw');
  await fs.writeFile(pw, 'cli-password-123\n');
  const add = await cordon(['user', 'add', ...srv.dbArgs, '--username', 'cli.user', '--name', '命令行用户',
    '--role', 'officer', '--scope', rootId, '--password-file', pw]);
  assertNoSanitizer(add, 'user add');
  assert.equal(add.code, 0, `user add exit ${add.code}: ${add.stdout}${add.stderr}`);

  const c = new Client(srv.base);
  const login = await c.login('cli.user', 'cli-password-123');
  expectStatus(login, 200, 'login as the CLI-made user');
  assert.equal(login.body.user.role, 'officer');
  assert.equal(login.body.user.name, '命令行用户');
  assert.ok(!add.stdout.includes('cli-password-123') && !add.stderr.includes('cli-password-123'), 'the password is echoed');

  const dup = await cordon(['user', 'add', ...srv.dbArgs, '--username', 'cli.user', '--name', 'x',
    '--role', 'officer', '--scope', rootId, '--password-file', pw]);
  assert.notEqual(dup.code, 0, 'adding the same username twice succeeds');
  assert.ok(dup.stderr.trim().length > 0, 'a failed user add says why');
  const badRole = await cordon(['user', 'add', ...srv.dbArgs, '--username', 'cli.bad', '--name', 'x',
    '--role', 'emperor', '--scope', rootId, '--password-file', pw]);
  assert.notEqual(badRole.code, 0, 'an unknown role is accepted');

  const list = await cordon(['user', 'list', ...srv.dbArgs]);
  assertNoSanitizer(list, 'user list');
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /cli\.user/);
  assert.match(list.stdout, /\badmin\b/);
  assert.match(list.stdout, /officer/);

  const dis = await cordon(['user', 'disable', ...srv.dbArgs, '--username', 'cli.user']);
  assertNoSanitizer(dis, 'user disable');
  assert.equal(dis.code, 0, `user disable exit ${dis.code}: ${dis.stdout}${dis.stderr}`);
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated', undefined, "the disabled user's session");
  const again = await new Client(srv.base).login('cli.user', 'cli-password-123');
  assert.ok([401, 403].includes(again.status), `a disabled user signs in: ${show(again)}`);
  const missing = await cordon(['user', 'disable', ...srv.dbArgs, '--username', 'no.such.user']);
  assert.notEqual(missing.code, 0, 'disabling a user that does not exist succeeds');
});

// `cordon backup` is SQLite's online backup API; on PostgreSQL backups are
// pg_dump / pg_basebackup (docs/operations.md), not a cordon subcommand.
test('the database may be named by the environment: CORDON_PG (PostgreSQL) or CORDON_DB (SQLite)', async () => {
  const env = { ...process.env, CORDON_PG: '', CORDON_DB: '' };
  env[ON_PG ? 'CORDON_PG' : 'CORDON_DB'] = srv.db;
  const list = await cordon(['user', 'list'], { env });
  assertNoSanitizer(list, 'user list');
  assert.equal(list.code, 0, `user list with ${ON_PG ? 'CORDON_PG' : 'CORDON_DB'}: ${list.stdout}${list.stderr}`);
  assert.match(list.stdout, /\badmin\b/);
});

test('backup while the server runs gives a readable database',
  { skip: onlyOn('sqlite', '`cordon backup` uses SQLite\'s online backup; PostgreSQL is backed up with pg_dump') },
  async () => {
  const admin = new Client(srv.base);
  await admin.signIn('admin', srv.adminPassword);
  expectStatus(await admin.post('/api/v1/units', { parent_id: admin.user.scope_unit_id, kind: 'subdistrict', code: 'CLI-BK', name: '备份街道' }), 201);
  const dest = path.join(srv.dir, 'backup.db');
  const out = await cordon(['backup', dest, ...srv.dbArgs]);
  assertNoSanitizer(out, 'backup');
  assert.equal(out.code, 0, `backup exit ${out.code}: ${out.stdout}${out.stderr}`);
  const users = await run('sqlite3', [dest, 'select count(*) from users']);
  assert.equal(users.code, 0, users.stderr);
  assert.ok(Number(users.stdout.trim()) >= 1, `users in the backup: ${users.stdout}`);
  const unit = await run('sqlite3', [dest, "select name from units where code = 'CLI-BK'"]);
  assert.equal(unit.stdout.trim(), '备份街道', 'the backup holds the latest committed write');
  const ic = await run('sqlite3', [dest, 'pragma integrity_check']);
  assert.equal(ic.stdout.trim(), 'ok');
  // the server keeps working
  expectStatus(await admin.get('/api/v1/me'), 200, 'after a backup');
  // refusing to overwrite is fine; silently clobbering an existing file is not checked here
});

test('SIGTERM stops the server with exit 0 and a log line about the shutdown', async () => {
  const s = await startServer();
  const res = await new Client(s.base).get('/healthz');
  expectStatus(res, 200);
  await s.stop(); // asserts exit 0 and no sanitizer output
  const { stdout, stderr } = s.output();
  assert.match(stdout + stderr, /shut|stopp|exit|bye/i, `no shutdown line in the log:\n${s.log()}`);
});

test('on SIGTERM a request in flight finishes, new connections are refused, the database is closed cleanly', async () => {
  const s = await startServer();
  const admin = await adminClient(s);
  let csv = 'parent_code,kind,code,name\n';
  // Big enough that the import is still running 100 ms after SIGTERM on a
  // fast backend (20,000 rows once finished first on PostgreSQL).
  const N = 60000;
  for (let i = 0; i < N; i++) csv += `${admin.root.code},subdistrict,SIG-${i},关停街道${i}\n`;
  let finished = false;
  const inflight = admin.post('/api/v1/imports/units', csv, { type: 'text/csv' });
  inflight.then(() => { finished = true; }, () => { finished = true; });
  // SIGTERM only once the server is answering the import (counted in flight
  // beside this /metrics request): on a loaded machine a fixed pause could
  // signal before the request even reached it.
  const anon = new Client(s.base);
  for (let i = 0; i < 400 && !finished; i++) {
    const m = await anon.get('/metrics');
    const n = +((m.text || '').match(/^cordon_http_requests_in_flight (\d+)$/m) || [])[1];
    if (n >= 2) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  // a new connection during the drain is not served
  assert.equal(finished, false, 'the import finished before the shutdown began; the test needs a bigger import');
  let late;
  try {
    late = await rawRequest(s.base, 'GET', '/healthz');
  } catch (e) {
    late = { error: e.code || e.message };
  }
  const res = await inflight;
  await exited;
  expectStatus(res, 200, 'the import in flight at SIGTERM');
  assert.equal(res.body.created, N, show(res));
  // SQLite: a clean close checkpoints the WAL into the database file.
  let wal = 0;
  if (!ON_PG) {
    try { wal = (await fs.stat(`${s.db}-wal`)).size; } catch { /* no WAL file: checkpointed and closed */ }
  }
  const stored = await sql(s.db, "SELECT count(*) FROM units WHERE code LIKE 'SIG-%'");
  assert.equal(stored.trim(), String(N), 'the import in flight was committed');
  await s.stop(); // exit 0, no sanitizer output
  assert.ok(late.error || late.status >= 500,
    `a new connection after SIGTERM was served (${late.status}); the listening socket should close\n${s.log()}`);
  assert.equal(wal, 0, 'the WAL was not checkpointed at shutdown');
});

test('the SQLite WAL is checkpointed into the database file at shutdown',
  { skip: onlyOn('sqlite', 'the write-ahead log file is SQLite\'s; PostgreSQL keeps its own WAL') },
  async () => {
    const s = await startServer();
    const admin = await adminClient(s);
    for (let i = 0; i < 20; i++) {
      expectStatus(await admin.post('/api/v1/units', { parent_id: admin.root.id, kind: 'subdistrict', code: `WAL-${i}`, name: `日志街道${i}` }), 201);
    }
    const exited = new Promise((r) => (s.exited() ? r() : s.proc.once('exit', r)));
    s.proc.kill('SIGTERM');
    await exited;
    let wal = 0;
    try { wal = (await fs.stat(`${s.db}-wal`)).size; } catch { /* no WAL file: checkpointed and closed */ }
    const stored = await sql(s.db, "SELECT count(*) FROM units WHERE code LIKE 'WAL-%'");
    await s.stop();
    assert.equal(stored.trim(), '20', 'the writes are in the database file');
    assert.equal(wal, 0, 'the WAL was not checkpointed at shutdown');
  });
