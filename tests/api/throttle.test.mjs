// Sign-in throttling (issue 9 §6, after OWASP's authentication guidance):
// only failures count, per (username, address) pair, with growing locks; an
// address is slowed for spraying many usernames, not for one person's typos
// behind a shared NAT; the owner signing in from an address that has not been
// failing is never locked out; correct passwords sent at once are all let in,
// wrong ones sent at once get no more checks than the limit; and the address
// is taken from X-Forwarded-For only when the request comes from a trusted
// proxy, as its right-most entry that is not one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUser, expectStatus, expectError, Client } from './lib.mjs';

let srv; let admin; let limit;
const users = {};

// A sign-in as a client at address ip would make it through our proxy (the
// test server trusts its loopback peer as that proxy).
function login(username, password, ip, { lang = 'en', base = srv.base } = {}) {
  const c = new Client(base);
  c.lang = lang;
  return c.req('POST', '/api/v1/session', { username, password },
    { csrf: false, cookie: false, headers: ip ? { 'X-Forwarded-For': ip } : {} });
}

function retryAfter(res) {
  const ra = res.headers.get('retry-after');
  assert.match(ra || '', /^[1-9]\d*$/, `Retry-After: ${ra}`);
  return Number(ra);
}

before(async () => {
  srv = await startServer({ serveArgs: ['--trust-proxy'] });
  admin = await adminClient(srv);
  limit = (await admin.get('/api/v1/settings')).body.items.find((x) => x.key === 'login_max_failures').value;
  for (const n of ['owner', 'typo', 'natmate', 'par', 'parf', 'burst', 'rot', 'untrusted',
    's1', 's2', 's3', 's4', 's5', 's6']) {
    users[n] = await mkUser(admin, { username: `th.${n}`, role: 'officer', scope_unit_id: admin.root.id });
  }
});
after(async () => { await srv?.stop(); });

test('an attacker failing from one address is throttled there; the owner signs in from another', async () => {
  const u = users.owner;
  const A = '203.0.113.66'; const B = '198.51.100.10';
  for (let i = 1; i <= limit; i++) {
    expectError(await login(u.username, `wrong-password-${i}`, A), 401, 'unauthenticated', 'password', `failure ${i}`);
  }
  // from A even the right password is refused now, with the wait to respect
  const locked = await login(u.username, u.password, A);
  const e = expectError(locked, 429, 'throttled', 'username', 'the right password from the failing address');
  const wait = retryAfter(locked);
  assert.ok(e.message.includes(String(wait)), `the message names the wait: ${e.message}`);
  const zh = expectError(await login(u.username, 'wrong-again', A, { lang: 'zh-CN' }), 429, 'throttled');
  assert.match(zh.message, /登录失败次数过多/, zh.message);
  // the owner from an address that has not been failing gets in, while the
  // attacker keeps trying
  const owner = expectStatus(await login(u.username, u.password, B), 200, 'the owner from another address');
  assert.equal(owner.body.user.username, u.username);
  expectError(await login(u.username, u.password, A), 429, 'throttled', undefined, 'A stays locked after the owner signed in');
  expectStatus(await login(u.username, u.password, B), 200, 'the owner again');
});

test("one person's typos behind a NAT lock that person there, not the others behind it", async () => {
  const nat = '192.0.2.80';
  for (let i = 0; i < limit + 3; i++) await login(users.typo.username, `typo-${i}`, nat);
  expectError(await login(users.typo.username, users.typo.password, nat), 429, 'throttled');
  expectStatus(await login(users.natmate.username, users.natmate.password, nat), 200, 'another user behind the same NAT');
});

test('correct passwords sent at once are all let in, even after some failures', async () => {
  const ip = '198.51.100.20';
  const all = await Promise.all(Array.from({ length: 16 }, () => login(users.par.username, users.par.password, ip)));
  assert.deepEqual(all.map((r) => r.status), Array(16).fill(200), all.map((r) => r.text).join('\n'));
  // one failure short of the lock: attempts are checked one at a time, and
  // the right ones all get in
  const u = users.parf;
  for (let i = 0; i < limit - 1; i++) expectError(await login(u.username, `nearly-${i}`, ip), 401, 'unauthenticated');
  const near = await Promise.all(Array.from({ length: 16 }, () => login(u.username, u.password, ip)));
  assert.deepEqual(near.map((r) => r.status), Array(16).fill(200), near.map((r) => r.text).join('\n'));
  // a success forgets the pair's failures: one more typo is a 401, not a lock
  expectError(await login(u.username, 'one-typo', ip), 401, 'unauthenticated');
  expectStatus(await login(u.username, u.password, ip), 200);
});

test('wrong passwords sent at once get no more checks than the limit', async () => {
  const ip = '203.0.113.5';
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(users.burst.username, `burst-${i}`, ip)));
  const statuses = answers.map((a) => a.status);
  const checked = statuses.filter((s) => s === 401).length;
  assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
  assert.ok(checked <= limit, `${checked} of 30 wrong passwords sent at once were checked (limit ${limit})`);
  assert.ok(checked >= 1, statuses.join(','));
  expectError(await login(users.burst.username, users.burst.password, ip), 429, 'throttled');
  expectStatus(await login(users.burst.username, users.burst.password, '203.0.113.6'), 200, 'the owner elsewhere');
});

test('spraying many usernames from one address slows that address, not others', async () => {
  const old = (await admin.get('/api/v1/settings')).body.items.find((x) => x.key === 'login_max_failures_address').value;
  expectStatus(await admin.patch('/api/v1/settings', { login_max_failures_address: 5 }), 200);
  try {
    const sprayer = '192.0.2.99';
    for (const n of ['s1', 's2', 's3', 's4', 's5']) {
      expectError(await login(users[n].username, 'Spring2020!', sprayer), 401, 'unauthenticated', 'password', n);
    }
    const res = await login(users.s6.username, users.s6.password, sprayer);
    expectError(res, 429, 'throttled', undefined, 'a 6th username from the sprayer, even with its password');
    retryAfter(res);
    expectStatus(await login(users.s6.username, users.s6.password, '192.0.2.100'), 200, 's6 from its own address');
  } finally {
    expectStatus(await admin.patch('/api/v1/settings', { login_max_failures_address: old }), 200);
  }
});

test('rotating the left-most X-Forwarded-For entry does not escape the limit', async () => {
  const statuses = [];
  for (let i = 0; i < limit + 5; i++) {
    statuses.push((await login(users.rot.username, `rot-${i}`, `10.${i}.${i}.${i}, 198.51.100.77`)).status);
  }
  assert.equal(statuses.filter((s) => s === 401).length, limit, statuses.join(','));
  expectError(await login(users.rot.username, users.rot.password, '10.99.99.99, 198.51.100.77'), 429, 'throttled');
});

test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
  // a second server on the same database that trusts only 192.0.2.254: its
  // loopback peer (this test) is not that proxy
  const other = await startServer({ sameDbAs: srv, serveArgs: ['--trust-proxy'], env: { CORDON_TRUSTED_PROXIES: '192.0.2.254' } });
  try {
    const u = users.untrusted;
    for (let i = 0; i < limit; i++) {
      expectError(await login(u.username, `fake-${i}`, `203.0.113.${100 + i}`, { base: other.base }), 401, 'unauthenticated');
    }
    // every attempt counted on the real address, whatever the header said
    expectError(await login(u.username, u.password, '203.0.113.200', { base: other.base }), 429, 'throttled',
      undefined, 'a fresh forged address');
    const audit = expectStatus(await admin.get(`/api/v1/audit?action=login&limit=${limit}`), 200).body.items;
    assert.ok(audit.length && audit.every((a) => a.ip === '127.0.0.1'), JSON.stringify(audit.map((a) => a.ip)));
    // the same header through the trusted proxy names the client
    expectStatus(await login(u.username, u.password, '203.0.113.200'), 200, 'through the trusted proxy');
  } finally {
    await other.stop();
  }
});
