// Harness for the API suites: starts the real `cordon` binary on a fresh
// temporary database and a free port, and gives the tests a small HTTP client
// that carries the session cookie and the CSRF token the way the browser app
// does. The backend is SQLite (a file per server), or PostgreSQL when
// CORDON_TEST_PG names a server (a fresh database per server; `make api-pg`
// starts a throwaway one): every suite runs on both, and sql(srv.db, ...)
// reaches either database. A test that is about one backend only says so
// with {skip: onlyOn('sqlite', 'why')}. stop() fails the suite when the server exited badly or when
// AddressSanitizer / UndefinedBehaviorSanitizer wrote anything: the API tests
// are how sanitizer errors in the server get caught.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import assert from 'node:assert/strict';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const BIN = path.resolve(ROOT, process.env.CORDON_BIN || 'build/cordon');
export const ADMIN_PASSWORD = 'admin-pass-Секрет-1';
/** Every demo account's password (src/demo/demo.h). */
export const DEMO_PASSWORD = 'demo2020';

const SANITIZER_RE = /AddressSanitizer|LeakSanitizer|runtime error:/;

/** Runs a command; resolves {code, stdout, stderr} (never rejects on exit code). */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: opts.timeout ?? 30000, maxBuffer: 16 << 20, ...opts },
      (err, stdout, stderr) => {
        let code = 0;
        if (err) code = typeof err.code === 'number' ? err.code : (err.signal ? 128 : 1);
        resolve({ code, stdout: String(stdout), stderr: String(stderr), signal: err?.signal ?? null });
      });
  });
}

/** Runs the cordon binary. */
export function cordon(args, opts = {}) {
  return run(BIN, args, opts);
}

/** Fails when a CLI run's stderr carries sanitizer output. */
export function assertNoSanitizer(out, what = 'cordon') {
  const text = `${out.stdout ?? ''}\n${out.stderr ?? ''}`;
  assert.ok(!SANITIZER_RE.test(text), `${what} reported a sanitizer error:\n${text}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * The backend the suite runs on. With CORDON_TEST_PG set to a PostgreSQL base
 * URL (scripts/pg.sh prints one: postgresql:///postgres?host=DIR&user=postgres)
 * every server gets a fresh database of its own on that PostgreSQL server;
 * otherwise a fresh SQLite file.
 */
export const PG_BASE = process.env.CORDON_TEST_PG || null;
export const BACKEND = PG_BASE ? 'postgresql' : 'sqlite';
export const ON_PG = BACKEND === 'postgresql';

/** True when db (a server's srv.db) names a PostgreSQL database. */
export function isPgUrl(db) {
  return /^postgres(ql)?:\/\//.test(String(db));
}

/** The command-line flag pair that names db: ['--pg', URL] or ['--db', PATH]. */
export function dbArgs(db) {
  return isPgUrl(db) ? ['--pg', db] : ['--db', db];
}

/** The PostgreSQL URL of database `name` on the server of URL `base`. */
export function pgUrlFor(base, name) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error(`CORDON_TEST_PG is not a postgresql:// URL: ${base}`);
  return `${m[1]}/${encodeURIComponent(name)}${m[2] || ''}`;
}

/** The database name in a PostgreSQL URL. */
function pgDbName(url) {
  const m = /^postgres(?:ql)?:\/\/[^/?]*\/([^?]*)/.exec(url);
  return m ? decodeURIComponent(m[1]) : '';
}

/** Runs one statement with psql on the database at url; resolves {code, stdout, stderr}. */
function psql(url, statement, timeout = 30000) {
  return run('psql', ['-X', '-Atq', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', statement], { timeout });
}

let pgSeq = 0;
/** Creates a fresh, uniquely named database on the PG_BASE server; returns its URL. */
async function createPgDb() {
  pgSeq += 1;
  const name = `cordon_t${process.pid}_${pgSeq}_${Math.random().toString(36).slice(2, 8)}`;
  let out;
  // Concurrent CREATE DATABASE from several test files may briefly collide
  // on template1; retry a few times.
  for (let i = 0; i < 5; i++) {
    out = await psql(PG_BASE, `CREATE DATABASE "${name}"`);
    if (out.code === 0) return pgUrlFor(PG_BASE, name);
    await new Promise((r) => setTimeout(r, 100 * (i + 1)));
  }
  throw new Error(`CREATE DATABASE ${name} failed (CORDON_TEST_PG=${PG_BASE}): ${out.stderr}`);
}

async function dropPgDb(url) {
  const name = pgDbName(url);
  if (!name || !PG_BASE) return;
  await psql(PG_BASE, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/**
 * Runs one SQL statement against a server's database — srv.db, a SQLite path
 * (sqlite3 CLI, busy timeout 5 s) or a PostgreSQL URL (psql -Atq) — and
 * returns its output: rows one a line, columns separated by '|', the same
 * shape on both. Fails the test when the statement fails. Write portable
 * SQL (DESIGN.md: integer booleans, no date functions).
 */
export async function sql(db, statement) {
  const out = isPgUrl(db)
    ? await psql(db, statement)
    : await run('sqlite3', ['-cmd', '.timeout 5000', db, statement]);
  assert.equal(out.code, 0, `${isPgUrl(db) ? 'psql' : 'sqlite3'} failed on ${statement}: ${out.stderr}`);
  return out.stdout;
}

/** The old name of sql(): kept so that older suites keep working on both backends. */
export const sqlite = sql;

/** Why a test does not run on this backend, or false when it does: {skip: onlyOn('sqlite', '...')}. */
export function onlyOn(backend, reason) {
  return BACKEND === backend ? false : `${backend} only: ${reason}`;
}

/**
 * Starts `cordon serve` on a new database (a SQLite file in a temporary
 * directory, or a new PostgreSQL database when CORDON_TEST_PG is set).
 * Returns {base, db, dir, port, proc, adminPassword, backend, dbArgs, stop(),
 * log()}: db is the SQLite path or the PostgreSQL URL, dbArgs the flags that
 * name it on the command line (['--db', path] or ['--pg', url]).
 * opts: initArgs, serveArgs, env; sameDbAs: a running server whose database
 * this one serves too (no init: a second `cordon serve` on the same
 * database); demo: build the demo district into the new database instead
 * of init (`cordon demo --no-serve`, a minute or more under the sanitizers;
 * its accounts' password is adminPassword). The database is removed when
 * the last server on it stops.
 */
export async function startServer(opts = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cordon-api-'));
  const pwFile = path.join(dir, 'admin.pw');
  await fs.writeFile(pwFile, ADMIN_PASSWORD + '\n', { mode: 0o600 });
  try {
    await fs.access(BIN);
  } catch {
    throw new Error(`cordon binary not found at ${BIN} (set CORDON_BIN or run make)`);
  }
  let store;
  if (opts.sameDbAs) {
    store = opts.sameDbAs.store;
    if (!store) throw new Error('startServer: sameDbAs needs a server made by startServer');
    store.refs += 1;
  } else {
    store = ON_PG
      ? { db: await createPgDb(), dir: null, refs: 1 }
      : { db: path.join(dir, 't.db'), dir, refs: 1 };
  }
  const { db } = store;
  let released = false;
  async function release() {
    if (released) return;
    released = true;
    store.refs -= 1;
    if (process.env.CORDON_KEEP_TMP) return;
    if (dir !== store.dir) await fs.rm(dir, { recursive: true, force: true });
    if (store.refs > 0) return;
    if (isPgUrl(store.db)) await dropPgDb(store.db);
    if (store.dir) await fs.rm(store.dir, { recursive: true, force: true });
  }

  if (!opts.sameDbAs) {
    const initArgs = opts.demo
      ? ['demo', ...dbArgs(db), '--no-serve']
      : ['init', ...dbArgs(db), '--admin-password-file', pwFile, ...(opts.initArgs || [])];
    const init = await cordon(initArgs, { timeout: opts.demo ? 1_200_000 : 120000 });
    if (init.code !== 0 || SANITIZER_RE.test(init.stderr)) {
      await release();
      throw new Error(`cordon ${initArgs.join(' ')} exited ${init.code}\n${init.stdout}\n${init.stderr}`);
    }
  }

  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  // opts.clock: "today" is a chosen local time ('2020-02-15T09:00'), the
  // server's clock running on from it (cordon serve --clock).
  const clockArgs = opts.clock ? ['--clock', opts.clock] : [];
  const proc = spawn(BIN, ['serve', ...dbArgs(db), '--listen', listen, ...clockArgs, ...(opts.serveArgs || [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(opts.env || {}) },
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  let exited = null;
  const exitP = new Promise((resolve) => {
    proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });
  const log = () => `--- cordon serve ${dbArgs(db).join(' ')} --listen ${listen} ---\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;

  const needle = `listening on http://${listen}`;
  const t0 = Date.now();
  while (!out.includes(needle) && !err.includes(needle)) {
    if (exited) {
      await release();
      throw new Error(`cordon serve exited (${exited.code ?? exited.signal}) before listening\n${log()}`);
    }
    if (Date.now() - t0 > 20000) {
      proc.kill('SIGKILL');
      await exitP;
      await release();
      throw new Error(`cordon serve did not say "${needle}" within 20 s\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  const base = `http://${listen}`;
  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (!exited) proc.kill('SIGTERM');
    let tm;
    const timer = new Promise((r) => { tm = setTimeout(() => r('timeout'), 40000); });
    const res = await Promise.race([exitP, timer]);
    clearTimeout(tm);
    if (res === 'timeout') {
      proc.kill('SIGKILL');
      await exitP;
      await release();
      throw new Error(`cordon serve did not exit within 40 s of SIGTERM\n${log()}`);
    }
    try {
      assert.ok(!SANITIZER_RE.test(err) && !SANITIZER_RE.test(out),
        `the server reported a sanitizer error\n${log()}`);
      assert.equal(res.code, 0,
        `cordon serve exited with ${res.code ?? 'signal ' + res.signal} (expected 0 after SIGTERM)\n${log()}`);
    } finally {
      await release();
    }
  }
  return { base, db, dir, port, proc, adminPassword: opts.demo ? DEMO_PASSWORD : ADMIN_PASSWORD, backend: BACKEND,
    dbArgs: dbArgs(db), store, stop, log, exited: () => exited, output: () => ({ stdout: out, stderr: err }) };
}

/** An HTTP client that behaves like the browser app (cookie + CSRF) or a device (Bearer). */
export class Client {
  constructor(base, { token } = {}) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.token = token || null;
    this.user = null;
  }

  /** Signs in; returns the response. On 200 keeps the cookie and the CSRF token. */
  async login(username, password) {
    const res = await this.req('POST', '/api/v1/session', { username, password }, { csrf: false, cookie: false });
    if (res.status === 200) {
      const c = sessionCookie(res.headers);
      if (c) this.cookie = c;
      this.csrf = res.body?.csrf_token ?? null;
      this.user = res.body?.user ?? null;
    }
    return res;
  }

  /** Signs in and asserts it worked. */
  async signIn(username, password) {
    const res = await this.login(username, password);
    assert.equal(res.status, 200, `login ${username}: ${show(res)}`);
    assert.ok(this.cookie, `login ${username}: no cordon_session cookie in ${JSON.stringify(res.setCookie)}`);
    return res;
  }

  /**
   * Sends a request. body: an object (sent as JSON), a string/Buffer (sent as
   * is; give Content-Type in opts.headers or opts.type), or undefined.
   * opts: {headers, csrf (default true), cookie (default true), raw (return a
   * Buffer body), type}. Accept-Language is this.lang (default 'en'). Returns {status, body, headers, text, setCookie}.
   */
  async req(method, p, body, opts = {}) {
    // The tests read the English messages unless they ask for another
    // language (the server answers in Accept-Language's language).
    const headers = { 'Accept-Language': this.lang || 'en', ...(opts.headers || {}) };
    if (opts.cookie !== false && this.cookie) headers.Cookie = this.cookie;
    if (this.token && opts.auth !== false) headers.Authorization = `Bearer ${this.token}`;
    if (opts.csrf !== false && this.csrf && method !== 'GET' && method !== 'HEAD') {
      headers['X-CSRF-Token'] = this.csrf;
    }
    let payload;
    if (body !== undefined && body !== null) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        payload = body;
        if (opts.type) headers['Content-Type'] = opts.type;
        else if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
      } else {
        payload = JSON.stringify(body);
        if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
      }
    }
    const res = await fetch(this.base + p, { method, headers, body: payload, redirect: 'manual' });
    return decode(res, opts.raw);
  }

  /**
   * The same sign-in (cookie, CSRF token, device token) speaking to another
   * server, e.g. a second `cordon serve` on the same database.
   */
  at(base) {
    const c = new Client(base, { token: this.token });
    c.cookie = this.cookie;
    c.csrf = this.csrf;
    c.user = this.user;
    c.me = this.me;
    c.root = this.root;
    c.account = this.account;
    return c;
  }

  get(p, opts) { return this.req('GET', p, undefined, opts); }
  post(p, body, opts) { return this.req('POST', p, body, opts); }
  patch(p, body, opts) { return this.req('PATCH', p, body, opts); }
  del(p, opts) { return this.req('DELETE', p, undefined, opts); }
}

function hasHeader(h, name) {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

/**
 * The Set-Cookie lines of a response, one a cookie. Node 18 (Debian 12's) has
 * no Headers.getSetCookie: its get('set-cookie') joins them with ", ". A comma
 * followed by `name=` starts the next cookie; the comma inside an Expires date
 * is followed by a day number and a space, so it never splits one.
 */
export function setCookies(headers) {
  const v = headers.get('set-cookie');
  return v ? v.split(/,(?=\s*[^;,=\s]+=)/).map((c) => c.trim()) : [];
}

// The district's zone, Asia/Shanghai, has been UTC+8 without daylight saving
// since 1991. Days and times are computed from the offset, never from Intl
// locale formats: Debian's Node 18 with the system ICU formats 'en-CA' dates
// differently, which made arrivals send a wrong day.
const DISTRICT_OFFSET = 8 * 3600;
/** The district's local day 'YYYY-MM-DD' of Unix time t (default: now). */
export function localDay(t = Math.floor(Date.now() / 1000)) {
  return new Date((t + DISTRICT_OFFSET) * 1000).toISOString().slice(0, 10);
}
/** The district's local 'YYYY-MM-DD HH:MM:SS' of Unix time t. */
export function localTime(t) {
  return new Date((t + DISTRICT_OFFSET) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The `cordon_session=...` pair from a response's Set-Cookie, or null. */
export function sessionCookie(headers) {
  for (const c of setCookies(headers)) {
    const pair = c.split(';')[0].trim();
    if (pair.startsWith('cordon_session=') && pair.length > 'cordon_session='.length) return pair;
  }
  return null;
}

async function decode(res, raw) {
  const buf = Buffer.from(await res.arrayBuffer());
  const ctype = res.headers.get('content-type') || '';
  let body;
  let text = null;
  if (raw) {
    body = buf;
  } else {
    text = buf.toString('utf8');
    if (/json/i.test(ctype) || /^\s*[{[]/.test(text)) {
      try { body = JSON.parse(text); } catch { body = text; }
    } else {
      body = text;
    }
  }
  const setCookie = setCookies(res.headers);
  return { status: res.status, body, headers: res.headers, text, setCookie };
}

/** A short description of a response for assertion messages. */
export function show(res) {
  let b = res.text ?? (Buffer.isBuffer(res.body) ? `<${res.body.length} bytes>` : JSON.stringify(res.body));
  if (b && b.length > 600) b = b.slice(0, 600) + '…';
  return `HTTP ${res.status} ${b}`;
}

/** Asserts status; on mismatch shows the body. */
export function expectStatus(res, status, what = '') {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  assert.ok(ok, `${what ? what + ': ' : ''}expected HTTP ${status}, got ${show(res)}`);
  return res;
}

/** Asserts an error answer: status, error.code, and (optionally) error.field. */
export function expectError(res, status, code, field, what = '') {
  expectStatus(res, status, what);
  assert.equal(typeof res.body, 'object', `${what}: error body is not JSON: ${show(res)}`);
  assert.ok(res.body && res.body.error, `${what}: no "error" object: ${show(res)}`);
  if (code) assert.equal(res.body.error.code, code, `${what}: error.code in ${show(res)}`);
  if (field !== undefined) assert.equal(res.body.error.field, field, `${what}: error.field in ${show(res)}`);
  assert.equal(typeof res.body.error.message, 'string', `${what}: error.message in ${show(res)}`);
  return res.body.error;
}

/** Signs in as the admin created by init; also loads its scope (the district). */
export async function adminClient(srv) {
  const c = new Client(srv.base);
  await c.signIn('admin', srv.adminPassword);
  const me = expectStatus(await c.get('/api/v1/me'), 200, 'admin /me');
  c.me = me.body;
  c.root = me.body.scope_unit;
  assert.ok(c.root && c.root.id, `admin /me has no scope_unit: ${show(me)}`);
  return c;
}

/** Creates a unit as `c`; asserts 201 and returns the UNIT. */
export async function mkUnit(c, parent_id, kind, code, name, extra = {}) {
  const res = await c.post('/api/v1/units', { parent_id, kind, code, name, ...extra });
  expectStatus(res, 201, `create unit ${kind} ${code}`);
  assert.ok(res.body.id, `created unit has no id: ${show(res)}`);
  return res.body;
}

let userSeq = 0;
/** Creates a user as admin `c`; asserts 201. Returns {...user, password}. */
export async function mkUser(c, { username, name, role, scope_unit_id, password, enterprise_id } = {}) {
  userSeq += 1;
  const u = {
    username: username || `user${process.pid % 1000}_${userSeq}`,
    name: name || `测试用户${userSeq}`,
    role,
    scope_unit_id,
    password: password || `pass-word-${userSeq}-ok`,
    ...(enterprise_id ? { enterprise_id } : {}),
  };
  const res = await c.post('/api/v1/users', u);
  expectStatus(res, 201, `create user ${u.username} (${role})`);
  return { ...res.body, password: u.password };
}

/** Creates a user and returns a signed-in client for it. */
export async function userClient(srv, admin, spec) {
  const u = await mkUser(admin, spec);
  const c = new Client(srv.base);
  await c.signIn(u.username, u.password);
  c.account = u;
  return c;
}

/**
 * A raw HTTP/1.1 request via node:http, for cases fetch cannot express or
 * where the server may answer before reading the whole body (413). Resolves
 * {status, headers, text, body} once a response arrives, even when writing
 * the rest of the body then fails because the server closed the connection.
 */
// With expectContinue the body is sent only after the server's 100 Continue,
// as a client sending a large body should: a server that refuses it at once
// (413) answers before any of it is written, so no write races the close.
export function rawRequest(base, method, p, { headers = {}, body, expectContinue = false } = {}) {
  const u = new URL(base + p);
  return new Promise((resolve, reject) => {
    let settled = false;
    const rq = http.request({ host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        const done = () => {
          if (settled) return;
          settled = true;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
        };
        res.on('end', done);
        res.on('error', done);
        res.on('close', done);
      });
    rq.on('error', (e) => {
      // A reset after the response started is fine; before it, it is a failure.
      setTimeout(() => { if (!settled) { settled = true; reject(e); } }, 200);
    });
    if (expectContinue) {
      rq.setHeader('Expect', '100-continue');
      rq.on('continue', () => rq.end(body));
      rq.flushHeaders();
    } else if (body !== undefined) rq.end(body); else rq.end();
  });
}

/** The text of one file in a zip (an .xlsx) from its central directory. */
export function unzipEntry(buf, name) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const fname = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    if (fname === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + csize);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nlen + xlen + clen;
  }
  return null;
}

/** A resident ID number from its first 17 digits with its GB 11643 check
 * character (many test files still carry their own copy of this). */
export function residentId(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}
