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

test('a key binds to the whole path: the same key on another pass revokes that pass, not a replay of the first', async () => {
  const S = expectStatus(await admin.post('/api/v1/units', unit('IDEM6')), 201).body;
  const C = expectStatus(await admin.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'IDEM6C', name: '社区' }), 201).body;
  const K = expectStatus(await admin.post('/api/v1/units', { parent_id: C.id, kind: 'compound', code: 'IDEM6K', name: '小区' }), 201).body;
  const p = expectStatus(await admin.post('/api/v1/persons', { doc_number: '64010619800101301X'.slice(0, 17) + checkChar('64010619800101301'), name: '两证', unit_id: K.id }), 201).body;
  const p1 = expectStatus(await admin.post('/api/v1/passes', { person_id: p.id }), 201).body;
  const p2 = expectStatus(await admin.post('/api/v1/passes', { person_id: p.id }), 201).body;
  const headers = { 'Idempotency-Key': 'revoke-key-1' };
  const first = expectStatus(await admin.post(`/api/v1/passes/${p1.id}/revoke`, { reason: '搬走' }, { headers }), 200);
  assert.equal(first.body.id, p1.id);
  const second = expectStatus(await admin.post(`/api/v1/passes/${p2.id}/revoke`, { reason: '搬走' }, { headers }), 200);
  assert.equal(second.headers.get('idempotent-replay'), null, 'answered with the other pass\'s first answer');
  assert.equal(second.body.id, p2.id);
  assert.notEqual((await sql(srv.db, `SELECT COALESCE(revoked_at, 0) FROM passes WHERE id = ${p2.id}`)).trim(), '0', 'the second pass stayed active');
  // The same key and path with another body: 422.
  expectError(await admin.post(`/api/v1/passes/${p1.id}/revoke`, { reason: '别的理由' }, { headers }), 422, 'rule', 'client_id');
  // A true retry still replays.
  const again = expectStatus(await admin.post(`/api/v1/passes/${p1.id}/revoke`, { reason: '搬走' }, { headers }), 200);
  assert.equal(again.headers.get('idempotent-replay'), 'true');
});

function checkChar(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return '10X98765432'[sum % 11];
}
