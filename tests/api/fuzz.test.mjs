// A bounded, seeded fuzz run (issue 9 §3) against the server under test
// (the sanitizer build in `make check`): malformed JSON bodies, query
// arguments of random bytes, and CSV of random bytes on the routes that take
// outside text. Every answer must be a 2xx or 4xx (never 5xx), every 4xx a
// JSON error, the lists must keep answering afterwards, and the server must
// end without a sanitizer report (stop() asserts that). FUZZ_SEED and
// FUZZ_N repeat or widen a run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, expectStatus, rawRequest } from './lib.mjs';

const SEED = Number(process.env.FUZZ_SEED || 20200215);
const N = Number(process.env.FUZZ_N || 240);

// mulberry32: small, seeded, the same sequence on every machine.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const pick = (a) => a[Math.floor(rand() * a.length)];
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
const nasty = () => pick([
  bytes(1 + Math.floor(rand() * 12)),
  Buffer.from('\xff\xfe', 'latin1'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]),
  Buffer.from('a\0b'), Buffer.from('\t\r\n'), Buffer.from('=cmd|" /C calc"!A0'),
  Buffer.from('张三'), Buffer.from('x'.repeat(300)), Buffer.from(''),
]);
const pct = (buf) => [...buf].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

let srv; let admin;
before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
});
after(async () => { await srv?.stop(); });

const GETS = ['/api/v1/units', '/api/v1/persons', '/api/v1/households', '/api/v1/imports', '/api/v1/audit',
  '/api/v1/visits', '/api/v1/discrepancies', '/api/v1/gates', '/api/v1/checkpoints', '/api/v1/risk-areas'];
const KEYS = ['q', 'source', 'filename', 'unit_id', 'format', 'after', 'limit', 'status', 'day', 'kind'];
const POSTS = ['/api/v1/units', '/api/v1/persons', '/api/v1/households', '/api/v1/visits', '/api/v1/risk-areas',
  '/api/v1/gates', '/api/v1/passes', '/api/v1/checkpoints'];
const FIELDS = ['name', 'code', 'kind', 'doc_number', 'phone', 'address', 'parent_id', 'unit_id', 'persons', 'note'];

function jsonBody() {
  const o = {};
  for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) {
    o[pick(FIELDS)] = pick([nasty().toString('latin1'), nasty().toString('utf8'), -1, 1e308, null, [], {}, true, '']);
  }
  const text = JSON.stringify(o);
  // Sometimes broken JSON or raw bytes in a string.
  return pick([Buffer.from(text), Buffer.from(text.slice(0, Math.floor(rand() * text.length))),
    Buffer.concat([Buffer.from('{"name":"'), nasty(), Buffer.from('"}')])]);
}

function csvBody() {
  const rows = ['name,id_number,phone,compound,address'];
  for (let i = 0; i < 1 + Math.floor(rand() * 5); i++) rows.push([0, 1, 2, 3, 4].map(() => nasty().toString('latin1')).join(','));
  return Buffer.from(rows.join(pick(['\n', '\r\n', '\r'])), 'latin1');
}

test(`fuzz: ${N} malformed requests (seed ${SEED}) answer 2xx or 4xx, never 5xx`, async () => {
  const headers = () => ({ Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'Accept-Language': 'en' });
  const failures = [];
  const statuses = {};
  for (let i = 0; i < N; i++) {
    const kind = pick(['query', 'json', 'csv', 'units-csv']);
    let res; let what;
    if (kind === 'query') {
      what = `GET ${pick(GETS)}?${pick(KEYS)}=${pct(nasty())}`;
      res = await rawRequest(srv.base, 'GET', what.slice(4), { headers: headers() });
    } else if (kind === 'json') {
      const p = pick(POSTS);
      const body = jsonBody();
      what = `POST ${p} ${body.toString('hex').slice(0, 80)}`;
      res = await rawRequest(srv.base, 'POST', p, { headers: { ...headers(), 'Content-Type': 'application/json' }, body });
    } else {
      const p = kind === 'csv' ? `/api/v1/imports/persons?source=${pct(nasty())}` : '/api/v1/imports/units';
      const body = csvBody();
      what = `POST ${p} ${body.toString('hex').slice(0, 80)}`;
      res = await rawRequest(srv.base, 'POST', p, { headers: { ...headers(), 'Content-Type': 'text/csv' }, body });
    }
    statuses[res.status] = (statuses[res.status] || 0) + 1;
    if (res.status >= 500 || (res.status >= 400 && !res.body?.error)) failures.push(`${res.status} ${what}: ${res.text.slice(0, 200)}`);
  }
  assert.deepEqual(failures, [], `seed ${SEED}`);
  // The run reached the handlers: signed in, not refused at the door.
  assert.ok(!statuses[401] || statuses[401] < N / 2, `mostly 401: ${JSON.stringify(statuses)}`);
  assert.ok(statuses[200] > 0 && statuses[400] > 0, JSON.stringify(statuses));
  for (const p of GETS) {
    for (const f of ['json', 'csv', 'xlsx']) {
      const r = await rawRequest(srv.base, 'GET', `${p}?format=${f}`, { headers: headers() });
      assert.ok(r.status < 500, `${p}?format=${f} answers ${r.status} after the run: ${r.text.slice(0, 200)}`);
    }
  }
  expectStatus(await admin.get('/api/v1/me'), 200);
});
