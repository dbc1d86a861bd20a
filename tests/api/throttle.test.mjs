// Sign-in throttling (issue 9 §6), after OWASP's authentication guidance:
// failures slow a (username, address) pair with growing delays; an address is
// slowed for spraying many usernames, not for one person's typos behind a
// shared NAT; the owner signing in from an address that has not been failing
// is never locked out; attempts are counted atomically (sent at once, no more
// than the limit are checked); and the address is the right-most
// X-Forwarded-For entry, so rotating the left-most one changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, mkUser, expectStatus, Client } from './lib.mjs';

let srv; let admin; let limit;
const users = {};

function login(username, password, ip) {
  return new Client(srv.base).req('POST', '/api/v1/session', { username, password },
    { csrf: false, cookie: false, headers: { 'X-Forwarded-For': ip } });
}

before(async () => {
  srv = await startServer({ serveArgs: ['--trust-proxy'] });
  admin = await adminClient(srv);
  expectStatus(await admin.patch('/api/v1/settings', { login_max_failures_address: 5 }), 200);
  limit = (await admin.get('/api/v1/settings')).body.items.find((x) => x.key === 'login_max_failures').value;
  for (const n of ['owner', 'typo', 'other', 'burst', 'rot', 's1', 's2', 's3', 's4', 's5', 's6', 'victim']) {
    users[n] = await mkUser(admin, { username: `th.${n}`, role: 'officer', scope_unit_id: admin.root.id });
  }
});
after(async () => { await srv?.stop(); });

test("failures from one address never lock the owner out from another; that address is slowed", async () => {
  const u = users.owner;
  for (let i = 0; i < limit + 3; i++) await login(u.username, 'wrong-password-1', '203.0.113.66');
  const attacker = await login(u.username, u.password, '203.0.113.66');
  assert.equal(attacker.status, 429, 'the failing address gets in with the password');
  assert.match(attacker.headers.get('retry-after') || '', /^[1-9]\d*$/);
  const owner = await login(u.username, u.password, '198.51.100.10');
  assert.equal(owner.status, 200, `the owner is locked out: ${owner.text}`);
});

test("one person's typos behind a NAT do not lock the other users of that address", async () => {
  const nat = '192.0.2.80';
  for (let i = 0; i < limit + 5; i++) await login(users.typo.username, 'typo-typo', nat);
  assert.equal((await login(users.other.username, users.other.password, nat)).status, 200);
});

test('spraying many usernames from one address slows that address', async () => {
  const sprayer = '192.0.2.99';
  for (const n of ['s1', 's2', 's3', 's4', 's5']) assert.equal((await login(users[n].username, 'spray-1', sprayer)).status, 401);
  assert.equal((await login(users.s6.username, 'spray-1', sprayer)).status, 429, 'the 6th username from the sprayer');
  assert.equal((await login(users.victim.username, users.victim.password, '192.0.2.100')).status, 200, 'another address');
});

test('attempts sent at once are counted atomically: no more than the limit are checked', async () => {
  const answers = await Promise.all(Array.from({ length: 30 }, () => login(users.burst.username, 'burst-wrong', '203.0.113.5')));
  const checked = answers.filter((a) => a.status === 401).length;
  assert.ok(checked <= limit, `${checked} of 30 concurrent wrong passwords were checked (limit ${limit})`);
  assert.ok(answers.every((a) => a.status === 401 || a.status === 429), answers.map((a) => a.status).join(','));
});

test("rotating the left-most X-Forwarded-For entry does not escape the limit", async () => {
  let checked = 0;
  for (let i = 0; i < 20; i++) {
    const res = await login(users.rot.username, 'rot-wrong', `10.${i}.${i}.${i}, 198.51.100.77`);
    if (res.status === 401) checked++;
  }
  assert.ok(checked <= limit, `${checked} of 20 checked`);
});
