// Bad input and the error body: malformed JSON, wrong types, missing fields,
// rules, duplicates, size limits, unknown routes and methods; the service
// routes (/healthz, /metrics) and the embedded browser app with ETags.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, expectStatus, expectError, show, rawRequest, Client,
} from './lib.mjs';

let srv;
let admin;
let root;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
  root = admin.root;
});

after(async () => {
  await srv?.stop();
});

const post = (body, opts) => admin.post('/api/v1/units', body, opts);

test('malformed JSON is 400 on "body" and says where', async () => {
  const res = await post(`{"parent_id": ${root.id}, "kind": "subdistrict",, "code": "X"}`);
  const e = expectError(res, 400, 'invalid', 'body', 'malformed JSON');
  assert.match(e.message, /line|position|column|offset|char/i, `the message should say where: ${e.message}`);
  expectError(await post('[1,2,3]'), 400, 'invalid', 'body', 'a JSON array instead of an object');
  expectError(await post('{"name": "unterminated'), 400, 'invalid', 'body', 'truncated JSON');
  expectError(await post(''), 400, 'invalid', 'body', 'empty body');
});

test('a field of the wrong type is 400 naming it', async () => {
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 'E-T1', name: 5 }), 400, 'invalid', 'name', 'name: 5');
  expectError(await post({ parent_id: 'one', kind: 'subdistrict', code: 'E-T2', name: 'x' }), 400, 'invalid', 'parent_id', 'parent_id: "one"');
  expectError(await post({ parent_id: root.id, kind: ['subdistrict'], code: 'E-T3', name: 'x' }), 400, 'invalid', 'kind', 'kind: array');
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 12345, name: 'x' }), 400, 'invalid', 'code', 'code: number');
});

test('a missing required field is 400 naming it', async () => {
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', name: '无代码' }), 400, 'invalid', 'code', 'no code');
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 'E-M1' }), 400, 'invalid', 'name', 'no name');
  expectError(await post({ parent_id: root.id, code: 'E-M2', name: 'x' }), 400, 'invalid', 'kind', 'no kind');
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 'E-M3', name: '' }), 400, 'invalid', 'name', 'empty name');
});

test('bad kinds and codes are refused naming the field', async () => {
  expectError(await post({ parent_id: root.id, kind: 'spaceship', code: 'E-K1', name: 'x' }), 400, 'invalid', 'kind', 'unknown kind');
  const misfit = await post({ parent_id: root.id, kind: 'compound', code: 'E-K2', name: '直属小区' });
  expectError(misfit, [400, 422], undefined, 'kind', 'compound directly under the district');
  assert.ok(['invalid', 'rule'].includes(misfit.body.error.code), show(misfit));
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 'bad code!', name: 'x' }), 400, 'invalid', 'code', 'code with a space and !');
  expectError(await post({ parent_id: root.id, kind: 'subdistrict', code: 'C'.repeat(33), name: 'x' }), 400, 'invalid', 'code', '33-character code');
  expectStatus(await post({ parent_id: root.id, kind: 'subdistrict', code: 'C'.repeat(32), name: '三十二位代码' }), 201, '32-character code');
  const nope = await post({ parent_id: 999999, kind: 'subdistrict', code: 'E-K3', name: 'x' });
  expectError(nope, [400, 404], undefined, 'parent_id', 'a parent that does not exist');
  const second = await post({ kind: 'district', code: 'E-K4', name: '第二个区' });
  expectError(second, [400, 403, 409, 422], undefined, undefined, 'a second root district');
  // none of these stored anything
  const list = await admin.get('/api/v1/units?q=E-K');
  assert.equal(list.body.items.length, 0, `refused units were stored: ${show(list)}`);
});

test('a duplicate code is 409 naming the existing unit', async () => {
  const first = await mkUnit(admin, root.id, 'subdistrict', 'E-DUP', '原有街道');
  const dup = await post({ parent_id: root.id, kind: 'subdistrict', code: 'E-DUP', name: '重复街道' });
  const e = expectError(dup, 409, 'conflict', undefined, 'duplicate code');
  assert.ok(e.message.includes('原有街道') || e.message.includes(String(first.id)) || e.message.includes('E-DUP'),
    `409 should name the existing unit: ${e.message}`);
  // a rename to an existing code is a conflict too
  const other = await mkUnit(admin, root.id, 'subdistrict', 'E-DUP2', '另一街道');
  expectError(await admin.patch(`/api/v1/units/${other.id}`, { code: 'E-DUP' }), 409, 'conflict', undefined, 'PATCH to a used code');
});

test('moving a unit under itself is refused', async () => {
  const a = await mkUnit(admin, root.id, 'subdistrict', 'E-MV', '搬迁街道');
  const a1 = await mkUnit(admin, a.id, 'community', 'E-MV1', '搬迁社区');
  const res = await admin.patch(`/api/v1/units/${a.id}`, { parent_id: a1.id });
  expectError(res, [400, 422], undefined, 'parent_id', 'move under its own child');
  const self = await admin.patch(`/api/v1/units/${a.id}`, { parent_id: a.id });
  expectError(self, [400, 422], undefined, 'parent_id', 'move under itself');
  assert.equal((await admin.get(`/api/v1/units/${a.id}`)).body.parent_id, root.id, 'the unit did not move');
});

test('a JSON body over 1 MiB is 413', async () => {
  const big = JSON.stringify({ parent_id: root.id, kind: 'subdistrict', code: 'E-BIG', name: 'x'.repeat(1100 * 1024) });
  const res = await rawRequest(srv.base, 'POST', '/api/v1/units', {
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(big),
      Cookie: admin.cookie,
      'X-CSRF-Token': admin.csrf,
    },
    body: big,
    expectContinue: true,
  });
  assert.equal(res.status, 413, `expected 413, got ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.body?.error?.code, 'too_large', `413 body: ${res.text.slice(0, 300)}`);
  // the server is still fine afterwards
  expectStatus(await admin.get('/api/v1/me'), 200, 'after a 413');
});

test('a CSV import over 1 MiB is not refused as too large (the limit there is 64 MiB)', async () => {
  const pad = 'p'.repeat(4000);
  let csv = 'parent_code,kind,code,name,property_company\n';
  for (let i = 0; i < 300; i++) csv += `${root.code},subdistrict,E-CSV-${i},导入${i},${pad}\n`;
  assert.ok(Buffer.byteLength(csv) > 1024 * 1024);
  const res = await admin.post('/api/v1/imports/units', csv, { type: 'text/csv' });
  expectStatus(res, 200, '1.2 MiB CSV import');
  assert.equal(res.body.created + res.body.updated + res.body.rejected, 300, show(res));
});

test('unknown routes, wrong methods and non-numeric ids', async () => {
  const nope = await admin.get('/api/v1/nope');
  expectError(nope, 404, 'not_found', undefined, 'GET /api/v1/nope');
  assert.match(nope.headers.get('content-type') || '', /application\/json/);
  const m = await admin.del('/api/v1/units');
  expectError(m, 405, 'method_not_allowed', undefined, 'DELETE /api/v1/units');
  assert.equal(m.headers.get('allow'), 'GET, POST', 'a 405 names the methods the path answers to');
  expectError(await admin.get('/api/v1/units/abc'), 404, 'not_found', undefined, 'GET /api/v1/units/abc');
  expectError(await admin.get('/api/v1/units/0'), 404, 'not_found', undefined, 'GET /api/v1/units/0');
  expectError(await admin.get('/api/v1/units/99999999999999999999999'), 404, 'not_found', undefined, 'an id beyond int64');
  expectError(await admin.get('/api/v1/units/424242'), 404, 'not_found', undefined, 'a unit that does not exist');
  expectError(await admin.patch('/api/v1/units/424242', { name: 'x' }), 404, 'not_found', undefined, 'PATCH a unit that does not exist');
});

test('query parameters are checked', async () => {
  expectError(await admin.get('/api/v1/units?limit=0'), 400, 'invalid', 'limit', 'limit=0');
  expectError(await admin.get('/api/v1/units?limit=501'), 400, 'invalid', 'limit', 'limit=501');
  expectError(await admin.get('/api/v1/units?limit=abc'), 400, 'invalid', 'limit', 'limit=abc');
  expectError(await admin.get('/api/v1/units?format=pdf'), 400, 'invalid', 'format', 'format=pdf');
  expectError(await admin.get('/api/v1/units?kind=spaceship'), 400, 'invalid', 'kind', 'kind=spaceship');
  expectStatus(await admin.get('/api/v1/units?limit=500'), 200, 'limit=500');
});

test('API routes need a sign-in', async () => {
  const anon = new Client(srv.base);
  expectError(await anon.get('/api/v1/units'), 401, 'unauthenticated', undefined, 'GET units anonymously');
  expectError(await anon.post('/api/v1/units', { parent_id: root.id, kind: 'subdistrict', code: 'E-ANON', name: 'x' }),
    401, 'unauthenticated', undefined, 'POST units anonymously');
});

test('GET /healthz and /metrics', async () => {
  const anon = new Client(srv.base);
  const h = await anon.get('/healthz');
  expectStatus(h, 200, '/healthz');
  assert.equal(h.body.status, 'ok');
  assert.equal(typeof h.body.schema, 'number', `healthz schema: ${show(h)}`);
  assert.ok(h.body.schema >= 1);
  assert.equal(typeof h.body.version, 'string');

  const m = await anon.get('/metrics');
  expectStatus(m, 200, '/metrics');
  assert.match(m.headers.get('content-type') || '', /text\/plain/);
  assert.match(m.text, /cordon_http_requests_total/);
  assert.match(m.text, /^# TYPE cordon_http_requests_total counter/m);
  assert.match(m.text, /_bucket\{[^}]*le="\+Inf"/, 'a latency histogram');
  // labels follow the route pattern, not the raw path, so ids do not explode the series
  assert.ok(!/\/api\/v1\/units\/424242/.test(m.text), 'metrics should label by route pattern, not raw path');
  assert.match(m.text, /^cordon_http_requests_total\{[^}]*\/api\/v1\/units\/\{id\}[^}]*\} \d+/m,
    'requests to /api/v1/units/{id} are counted under the route pattern');
  // database writer and reader figures
  assert.match(m.text, /^cordon_db_\w*writer\w* /m, 'a database writer figure');
  assert.match(m.text, /^cordon_db_\w*reader\w* /m, 'a database reader figure');
  // the group commit: batch sizes and where a write's time goes
  for (const name of ['cordon_batch_jobs_total', 'cordon_batch_queue', 'cordon_batch_commit_seconds_total',
    'cordon_batch_wait_seconds_total', 'cordon_batch_size_count', 'cordon_batch_size_sum'])
    assert.match(m.text, new RegExp(`^${name} [0-9.]+$`, 'm'), `${name} on /metrics`);
  assert.match(m.text, /^cordon_batch_size_bucket\{le="256"\} \d+$/m, 'the batch size histogram');
  const inf = +m.text.match(/^cordon_batch_size_bucket\{le="\+Inf"\} (\d+)$/m)[1];
  assert.equal(inf, +m.text.match(/^cordon_batch_size_count (\d+)$/m)[1], 'every batch in the histogram');
});

test('the browser app is served with an ETag and answers 304 to If-None-Match', async () => {
  const anon = new Client(srv.base);
  const res = await anon.get('/');
  expectStatus(res, 200, 'GET /');
  assert.match(res.headers.get('content-type') || '', /text\/html/);
  assert.match(res.text, /<html/i);
  const etag = res.headers.get('etag');
  assert.ok(etag, 'GET / has no ETag');
  const again = await anon.get('/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304, `If-None-Match → ${show(again)}`);
  assert.equal(again.text, '', '304 has no body');
  const changed = await anon.get('/', { headers: { 'If-None-Match': '"not-the-etag"' } });
  assert.equal(changed.status, 200);
  const idx = await anon.get('/index.html');
  expectStatus(idx, 200, 'GET /index.html');
  assert.match(idx.headers.get('content-type') || '', /text\/html/);
  expectStatus(await anon.get('/js/no-such-file.js'), 404, 'a missing asset');
});

test('errors are worded in the reader\'s language: Accept-Language, else the account\'s', async () => {
  // zh asked for: the Chinese message, the English kept beside it
  const zh = await admin.post('/api/v1/units', { parent_id: root.id, kind: 'subdistrict', code: 'E-LANG', name: 5 },
    { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
  const e = expectError(zh, 400, 'invalid', 'name', 'a Chinese reader');
  assert.equal(e.message, '必须是文本', show(zh));
  assert.equal(e.message_en, 'must be a string', show(zh));
  const en = await admin.post('/api/v1/units', { parent_id: root.id, kind: 'subdistrict', code: 'E-LANG', name: 5 },
    { headers: { 'Accept-Language': 'en-US' } });
  assert.equal(en.body.error.message, 'must be a string', show(en));
  // no language asked for: the account's saved language (zh-CN by default)
  const none = await admin.post('/api/v1/units', { parent_id: root.id, kind: 'subdistrict', code: 'E-LANG', name: 5 },
    { headers: { 'Accept-Language': '*' } });
  assert.equal(none.body.error.message, '必须是文本', show(none));
  // signed out: Chinese unless English is asked for; a scope record's name is translated too
  const anon = new Client(srv.base);
  anon.lang = 'zh-CN';
  const r401 = await anon.get('/api/v1/units');
  assert.equal(r401.status, 401);
  assert.equal(r401.body.error.message, '请先登录', show(r401));
});

test('a server started with --clock says so on /healthz and works in that day', async () => {
  const s2 = await startServer({ sameDbAs: srv, clock: '2020-02-15T23:30' });
  try {
    const hz = await (await fetch(s2.base + '/healthz')).json();
    assert.equal(hz.clock?.today, '2020-02-15', JSON.stringify(hz));
    assert.match(hz.clock.now, /^2020-02-15 23:3/);
    const plain = await (await fetch(srv.base + '/healthz')).json();
    assert.equal(plain.clock, undefined, 'no clock key on a server with the real clock');
  } finally {
    await s2.stop();
  }
});
