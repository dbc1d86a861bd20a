// Retries of a write carry the same client-made id: the retry gets the first
// answer (marked Idempotent-Replay) and nothing is stored twice — also when
// the two copies race. A key reused by someone else is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, expectStatus, expectError, sql } from './lib.mjs';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = new Client(srv.base);
  await admin.signIn('admin', srv.adminPassword);
});
after(async () => { await srv?.stop(); });

const unit = (code) => ({ parent_id: 1, kind: 'subdistrict', code, name: `街道${code}` });

test('a retried create with the same Idempotency-Key stores one unit and replays the answer', async () => {
  const headers = { 'Idempotency-Key': 'tablet-7-0001' };
  const first = expectStatus(await admin.post('/api/v1/units', unit('IDEM1'), { headers }), 201);
  const again = expectStatus(await admin.post('/api/v1/units', unit('IDEM1'), { headers }), 201);
  assert.equal(again.headers.get('idempotent-replay'), 'true');
  assert.deepEqual(again.body, first.body);
  assert.equal(first.headers.get('idempotent-replay'), null);
  const n = await sql(srv.db, "SELECT COUNT(*) FROM units WHERE code = 'IDEM1'");
  assert.equal(n.trim(), '1');
});

test('without a key, a repeated create is a conflict, not a second record', async () => {
  expectStatus(await admin.post('/api/v1/units', unit('IDEM2')), 201);
  expectError(await admin.post('/api/v1/units', unit('IDEM2')), 409, 'conflict', 'code');
});

test('ten racing copies of one request store one record and all get the first answer', async () => {
  const headers = { 'Idempotency-Key': 'race-key-1' };
  const answers = await Promise.all(Array.from({ length: 10 },
    () => admin.post('/api/v1/units', unit('IDEM3'), { headers })));
  for (const a of answers) expectStatus(a, 201);
  const ids = new Set(answers.map((a) => a.body.id));
  assert.equal(ids.size, 1);
  const n = await sql(srv.db, "SELECT COUNT(*) FROM units WHERE code = 'IDEM3'");
  assert.equal(n.trim(), '1');
});

test('a failed request stores no answer: fixing the input and retrying with the key works', async () => {
  const headers = { 'Idempotency-Key': 'fix-then-retry' };
  expectError(await admin.post('/api/v1/units', { ...unit('IDEM4'), kind: 'planet' }, { headers }),
    400, 'invalid', 'kind');
  expectStatus(await admin.post('/api/v1/units', unit('IDEM4'), { headers }), 201);
});

test('a key already used by another user is refused', async () => {
  expectStatus(await admin.post('/api/v1/users', {
    username: 'officer1', name: '干部一', role: 'officer', scope_unit_id: 1, password: 'officer-pass-1',
  }), 201);
  const officer = new Client(srv.base);
  await officer.signIn('officer1', 'officer-pass-1');
  const headers = { 'Idempotency-Key': 'tablet-7-0001' };
  expectError(await officer.post('/api/v1/units', unit('IDEM5'), { headers }), 409, 'conflict', 'client_id');
});
