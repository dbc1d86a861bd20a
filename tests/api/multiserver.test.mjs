// Two `cordon serve` processes on one PostgreSQL database, as behind a load
// balancer: requests go to both alternately. Nothing may depend on which
// server answers: a session made on one works on the other; a write on one is
// read on the other; an idempotent retry sent to the other server stores
// nothing twice (also when the copies race across servers); a revoked device
// token, a disabled user, a changed setting and failed sign-ins count on both;
// and stopping one server loses no write it acknowledged.
// PostgreSQL only: SQLite is one file served by one process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, adminClient, mkUnit, mkUser, Client, expectStatus, expectError, show, sql, onlyOn,
} from './lib.mjs';

const skip = onlyOn('postgresql', 'two cordon servers share a database only on PostgreSQL (set CORDON_TEST_PG; make api-pg)');

let A; // server A
let B; // server B, same database
let adminA; // an admin session made on A
let adminB; // the same session, sent to B
let S;

before(async () => {
  if (skip) return;
  A = await startServer();
  B = await startServer({ sameDbAs: A });
  adminA = await adminClient(A);
  adminB = adminA.at(B.base);
  S = await mkUnit(adminA, adminA.root.id, 'subdistrict', 'MS-S', '双机街道');
});

after(async () => {
  // B first: the database goes when the last server on it stops.
  await B?.stop();
  await A?.stop();
});

/** The server for the i-th request when alternating: A, B, A, B ... */
const alt = (i) => (i % 2 ? B : A);

test('a session made on A works on B: cookie, CSRF token and sign-out', { skip }, async () => {
  const onA = new Client(A.base);
  await onA.signIn('admin', A.adminPassword);
  const onB = onA.at(B.base);
  const me = expectStatus(await onB.get('/api/v1/me'), 200, "A's session on B");
  assert.equal(me.body.user.username, 'admin');
  assert.equal(me.body.csrf_token, onA.csrf, "B answers the CSRF token A issued");
  const made = await onB.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'MS-SESS', name: '会话社区' });
  expectStatus(made, 201, "a write on B with A's session and CSRF token");
  expectError(await onB.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'MS-SESS2', name: 'x' }, { csrf: false }),
    403, 'forbidden', 'X-CSRF-Token', "B without the CSRF token");
  // requests alternate between the servers on one session
  for (let i = 0; i < 6; i++) {
    expectStatus(await onA.at(alt(i).base).get(`/api/v1/units/${made.body.id}`), 200, `request ${i} on ${i % 2 ? 'B' : 'A'}`);
  }
  // signing out on B ends the session on A
  expectStatus(await onB.del('/api/v1/session'), 204, 'sign-out on B');
  expectError(await onA.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'the session on A after signing out on B');
});

test('a session made on B expires on A too (sessions live in the database)', { skip }, async () => {
  const onB = new Client(B.base);
  await onB.signIn('admin', B.adminPassword);
  const onA = onB.at(A.base);
  expectStatus(await onA.get('/api/v1/me'), 200);
  await sql(A.db, `UPDATE sessions SET last_seen = last_seen - 100000, expires_at = expires_at - 100000 WHERE csrf_token = '${onB.csrf}'`);
  expectError(await onA.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'an expired session on A');
  expectError(await onB.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'an expired session on B');
});

test('a write on one server is read on the other at once', { skip }, async () => {
  const ids = [];
  for (let i = 0; i < 8; i++) {
    const w = adminA.at(alt(i).base);
    const r = alt(i + 1) === A ? adminA : adminB;
    const made = await w.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: `MS-W${i}`, name: `写读社区${i}` });
    expectStatus(made, 201, `create on ${i % 2 ? 'B' : 'A'}`);
    const read = expectStatus(await r.get(`/api/v1/units/${made.body.id}`), 200, 'read on the other server');
    assert.equal(read.body.name, `写读社区${i}`);
    assert.deepEqual(read.body.ancestors.map((a) => a.id), [adminA.root.id, S.id], 'the closure table on the other server');
    ids.push(made.body.id);
  }
  // a change on B is read on A, and the other way round
  expectStatus(await adminB.patch(`/api/v1/units/${ids[0]}`, { name: '改名社区B' }), 200);
  assert.equal((await adminA.get(`/api/v1/units/${ids[0]}`)).body.name, '改名社区B');
  expectStatus(await adminA.patch(`/api/v1/units/${ids[0]}`, { name: '改名社区A' }), 200);
  assert.equal((await adminB.get(`/api/v1/units/${ids[0]}`)).body.name, '改名社区A');
  // lists and counts agree on both
  const la = expectStatus(await adminA.get(`/api/v1/units?parent=${S.id}&limit=500`), 200).body.items.map((u) => u.id).sort();
  const lb = expectStatus(await adminB.get(`/api/v1/units?parent=${S.id}&limit=500`), 200).body.items.map((u) => u.id).sort();
  assert.deepEqual(lb, la, 'the child list on B differs from A');
  assert.equal((await adminB.get(`/api/v1/units/${S.id}`)).body.children, la.length, 'children count on B');
});

test('an idempotent retry sent to the other server stores nothing twice and gets the first answer', { skip }, async () => {
  const headers = { 'Idempotency-Key': 'ms-tablet-1-0001' };
  const body = { parent_id: S.id, kind: 'community', code: 'MS-IDEM', name: '重试社区' };
  const first = expectStatus(await adminA.post('/api/v1/units', body, { headers }), 201, 'first on A');
  assert.equal(first.headers.get('idempotent-replay'), null, 'the first answer is not a replay');
  const again = expectStatus(await adminB.post('/api/v1/units', body, { headers }), 201, 'retry on B');
  assert.equal(again.headers.get('idempotent-replay'), 'true', `the retry on B is not marked as a replay: ${show(again)}`);
  assert.deepEqual(again.body, first.body, "B's replay differs from A's answer");
  const third = expectStatus(await adminA.post('/api/v1/units', body, { headers }), 201, 'a second retry, on A');
  assert.equal(third.headers.get('idempotent-replay'), 'true');
  assert.equal((await sql(A.db, "SELECT count(*) FROM units WHERE code = 'MS-IDEM'")).trim(), '1', 'unit rows');
  // the same key from another user is refused on either server
  const officer = await mkUser(adminA, { username: 'ms.officer', role: 'officer', scope_unit_id: S.id });
  const o = new Client(B.base);
  await o.signIn(officer.username, officer.password);
  expectError(await o.post('/api/v1/units', { ...body, code: 'MS-IDEM-O' }, { headers }), 409, 'conflict', 'client_id',
    "another user's key on B");
});

test('ten racing copies of one request, split across both servers, store one unit and all get one answer', { skip }, async () => {
  // a few rounds: the race is won by either server
  for (let round = 0; round < 4; round++) {
    const headers = { 'Idempotency-Key': `ms-race-${round}` };
    const code = `MS-RACE${round}`;
    const body = { parent_id: S.id, kind: 'community', code, name: `并发重试社区${round}` };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      (alt(i) === A ? adminA : adminB).post('/api/v1/units', body, { headers })));
    const desc = answers.map((a, i) => `${i % 2 ? 'B' : 'A'}: ${show(a)} replay=${a.headers.get('idempotent-replay')}`).join('\n');
    for (const a of answers) expectStatus(a, 201, `round ${round}\n${desc}`);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1, `round ${round}: different ids\n${desc}`);
    const fresh = answers.filter((a) => a.headers.get('idempotent-replay') !== 'true');
    assert.ok(fresh.length <= 1, `round ${round}: ${fresh.length} answers claim to be the first\n${desc}`);
    for (const a of answers) assert.deepEqual(a.body, answers[0].body, `round ${round}: answers differ\n${desc}`);
    assert.equal((await sql(A.db, `SELECT count(*) FROM units WHERE code = '${code}'`)).trim(), '1', `round ${round}: unit rows`);
    assert.equal((await sql(A.db, `SELECT count(*) FROM idempotency WHERE client_id = 'ms-race-${round}'`)).trim(), '1',
      `round ${round}: idempotency rows`);
  }
});

test('six creations of one code at once, split across both servers: one 201, five 409', { skip }, async () => {
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    (alt(i) === A ? adminA : adminB).post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'MS-SAME', name: `同码${i}` })));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409], results.map(show).join('\n'));
  assert.equal((await sql(A.db, "SELECT count(*) FROM units WHERE code = 'MS-SAME'")).trim(), '1');
});

// Passes (signed QR passes with a revocation list) do not exist yet; the
// revocation that exists today is the device token's. When passes come, a
// pass revoked on one server must be refused on the other the same way.
test('a device token revoked on A is refused (401) on B at once', { skip }, async () => {
  const made = expectStatus(await adminA.post('/api/v1/devices', { name: '双机卡点平板', role: 'checkpoint_staff', scope_unit_id: S.id }), 201);
  const dA = new Client(A.base, { token: made.body.token });
  const dB = new Client(B.base, { token: made.body.token });
  expectStatus(await dB.get('/api/v1/me'), 200, 'the device on B before the revocation');
  expectStatus(await dA.get(`/api/v1/units/${S.id}`), 200, 'the device on A before the revocation');
  expectStatus(await adminA.post(`/api/v1/devices/${made.body.id}/revoke`, {}), 200, 'revoke on A');
  expectError(await dB.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'the revoked token on B');
  expectError(await dB.get(`/api/v1/units/${S.id}`), 401, 'unauthenticated', undefined, 'the revoked token reading on B');
  expectError(await dA.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'the revoked token on A');
});

test('a user disabled on B loses the session made on A; a role change on A takes effect on B', { skip }, async () => {
  const u = await mkUser(adminA, { username: 'ms.user', role: 'officer', scope_unit_id: S.id });
  const onA = new Client(A.base);
  await onA.signIn(u.username, u.password);
  const onB = onA.at(B.base);
  expectStatus(await onB.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'MS-ROLE1', name: '角色社区' }), 201,
    'an officer writes on B');
  expectStatus(await adminA.patch(`/api/v1/users/${u.id}`, { role: 'inspector' }), 200, 'role change on A');
  expectError(await onB.post('/api/v1/units', { parent_id: S.id, kind: 'community', code: 'MS-ROLE2', name: 'x' }),
    403, 'forbidden', undefined, 'the old role on B after the change on A');
  expectStatus(await adminB.patch(`/api/v1/users/${u.id}`, { disabled: true }), 200, 'disable on B');
  expectError(await onA.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'the disabled user on A');
  expectError(await new Client(A.base).login(u.username, u.password), [401, 403], undefined, undefined, 'the disabled user signs in on A');
});

test('failed sign-ins count across servers: failures on A lock the username on B', { skip }, async () => {
  const limit = Number((await adminA.get('/api/v1/settings')).body.items.find((x) => x.key === 'login_max_failures').value);
  // all failures on A, the right password on B
  const u1 = await mkUser(adminA, { username: 'ms.lock1', role: 'officer', scope_unit_id: S.id });
  for (let i = 0; i < limit; i++) {
    expectError(await new Client(A.base).login(u1.username, `wrong-${i}`), 401, 'unauthenticated', 'password', `failure ${i} on A`);
  }
  const locked = await new Client(B.base).login(u1.username, u1.password);
  expectError(locked, 429, 'throttled', undefined, `the right password on B after ${limit} failures on A`);
  assert.match(locked.headers.get('retry-after') || '', /^[1-9]\d*$/, 'Retry-After on B');
  // failures alternating between the servers add up
  const u2 = await mkUser(adminA, { username: 'ms.lock2', role: 'officer', scope_unit_id: S.id });
  for (let i = 0; i < limit; i++) {
    expectError(await new Client(alt(i).base).login(u2.username, `wrong-${i}`), 401, 'unauthenticated', 'password',
      `failure ${i} on ${i % 2 ? 'B' : 'A'}`);
  }
  expectError(await new Client(A.base).login(u2.username, u2.password), 429, 'throttled', undefined,
    `the right password on A after ${limit} failures alternating A and B`);
  expectError(await new Client(B.base).login(u2.username, u2.password), 429, 'throttled', undefined, '... and on B');
  // another user is not locked
  expectStatus(await new Client(B.base).login('admin', B.adminPassword), 200, 'admin on B');
});

test('a setting changed on A takes effect on B', { skip }, async () => {
  const before = expectStatus(await adminB.get('/api/v1/settings'), 200).body.items.find((x) => x.key === 'login_max_failures');
  expectStatus(await adminA.patch('/api/v1/settings', { login_max_failures: 3 }), 200, 'set on A');
  try {
    const seen = expectStatus(await adminB.get('/api/v1/settings'), 200).body.items.find((x) => x.key === 'login_max_failures');
    assert.equal(seen.value, 3, 'B lists the value set on A');
    const u = await mkUser(adminA, { username: 'ms.lock3', role: 'officer', scope_unit_id: S.id });
    for (let i = 0; i < 3; i++) {
      expectError(await new Client(B.base).login(u.username, `wrong-${i}`), 401, 'unauthenticated', 'password', `failure ${i} on B`);
    }
    expectError(await new Client(B.base).login(u.username, u.password), 429, 'throttled', undefined,
      'B locks after the 3 failures set on A');
  } finally {
    expectStatus(await adminA.patch('/api/v1/settings', { login_max_failures: before.value }), 200, 'restoring the limit');
  }
});

test('failed sign-ins sent at once to both servers all count', { skip }, async () => {
  const N = 20;
  const u = await mkUser(adminA, { username: 'ms.guess', role: 'officer', scope_unit_id: S.id });
  const old = Object.fromEntries(expectStatus(await adminA.get('/api/v1/settings'), 200).body.items
    .filter((x) => x.key.startsWith('login_max_failures')).map((x) => [x.key, x.value]));
  expectStatus(await adminA.patch('/api/v1/settings', { login_max_failures: N, login_max_failures_address: 1000 }), 200);
  try {
    const results = await Promise.all(Array.from({ length: N }, (_, i) => new Client(alt(i).base).login(u.username, `guess-${i}`)));
    for (const r of results) expectError(r, 401, 'unauthenticated', 'password', 'a wrong password');
    const stored = await sql(A.db, "SELECT failures FROM login_failures WHERE key = 'p:ms.guess|127.0.0.1'");
    expectError(await new Client(B.base).login(u.username, u.password), 429, 'throttled', undefined,
      `the right password after ${N} wrong ones at once on A and B, limit ${N} (failures counted: ${stored.trim() || 'no row'})`);
  } finally {
    expectStatus(await adminA.patch('/api/v1/settings', old), 200, 'restoring the limits');
    // the address (127.0.0.1) counted these too; forget them so that later
    // sign-ins from it are not locked
    await sql(A.db, "DELETE FROM login_failures WHERE key LIKE 'a:%'");
  }
});

test('stopping A with SIGTERM while B keeps serving loses no acknowledged write; retries go to B', { skip, timeout: 90000 }, async (t) => {
  // Four tablets keep creating units on A, each write with its own
  // Idempotency-Key. A is told to stop while they are at it. Every write A
  // acknowledged (201) must be readable on B; every write that got no answer
  // is retried on B with the same key, as a tablet would, and is then stored
  // exactly once.
  const acked = new Map(); // code -> id
  const unanswered = [];
  let seq = 0;
  let stopping = false;
  const sent = () => seq;
  async function tablet(k) {
    for (;;) {
      const i = seq++;
      const code = `MS-STOP-${k}-${i}`;
      const body = { parent_id: S.id, kind: 'community', code, name: `停机社区${i}` };
      const headers = { 'Idempotency-Key': `ms-stop-${code}` };
      let res;
      try {
        res = await adminA.req('POST', '/api/v1/units', body, { headers });
      } catch {
        unanswered.push({ body, headers });
        return; // A is gone
      }
      if (res.status === 201) acked.set(code, res.body.id);
      else unanswered.push({ body, headers, res });
      if (stopping && res.status !== 201) return;
      if (seq > 2000) return;
    }
  }
  const tablets = [0, 1, 2, 3].map(tablet);
  for (let w = 0; acked.size < 20 && seq <= 2000 && w < 3000; w++) await new Promise((r) => setTimeout(r, 10));
  // B keeps serving reads while A stops
  const readsOnB = Array.from({ length: 10 }, () => adminB.get(`/api/v1/units?parent=${S.id}&limit=20`));
  stopping = true;
  A.proc.kill('SIGTERM');
  await Promise.all(tablets);
  for (const r of await Promise.all(readsOnB)) expectStatus(r, 200, 'a read on B while A stops');
  const gone = await Promise.race([
    new Promise((r) => (A.exited() ? r(true) : A.proc.once('exit', () => r(true)))),
    new Promise((r) => setTimeout(() => r(false), 20000).unref()),
  ]);
  assert.ok(gone, `A did not exit within 20 s of SIGTERM\n${A.log().slice(-3000)}`);
  t.diagnostic(`sent to A: ${sent()}, acknowledged: ${acked.size}, unanswered or refused: ${unanswered.length}`);
  assert.ok(acked.size >= 20, `acknowledged: ${acked.size} of ${sent()}`);

  // every acknowledged write is on B
  const missing = [];
  for (const [code, id] of acked) {
    const r = await adminB.get(`/api/v1/units/${id}`);
    if (r.status !== 200 || r.body.code !== code) missing.push(`${code} (id ${id}): ${show(r)}`);
  }
  assert.deepEqual(missing, [], `writes acknowledged by A and not found on B:\n${missing.join('\n')}\n${A.log().slice(-3000)}`);

  // the rest is retried on B and stored once
  for (const u of unanswered) {
    const r = await adminB.post('/api/v1/units', u.body, { headers: u.headers });
    expectStatus(r, 201, `the retry on B of ${u.body.code} (A answered ${u.res ? show(u.res) : 'nothing'})`);
  }
  const codes = [...acked.keys(), ...unanswered.map((u) => u.body.code)];
  const rows = await sql(B.db, "SELECT code, count(*) FROM units WHERE code LIKE 'MS-STOP-%' GROUP BY code HAVING count(*) > 1");
  assert.equal(rows.trim(), '', `codes stored twice: ${rows}`);
  const n = (await sql(B.db, "SELECT count(*) FROM units WHERE code LIKE 'MS-STOP-%'")).trim();
  assert.equal(Number(n), codes.length, `units stored (${n}) != writes sent (${codes.length})`);
  expectStatus(await new Client(B.base).get('/healthz'), 200, 'B after A stopped');
  await A.stop(); // A exited 0 after SIGTERM, with no sanitizer output
});
