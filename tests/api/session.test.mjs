// Signing in and out, the session cookie, CSRF, expiry, throttling of
// repeated failures, the language preference and changing one's password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Client, adminClient, mkUser, expectStatus, expectError, show, sql,
} from './lib.mjs';

let srv;
let admin;

before(async () => {
  srv = await startServer();
  admin = await adminClient(srv);
});

after(async () => {
  await srv?.stop();
});

test('login sets an HttpOnly SameSite=Strict cookie and returns the user and a CSRF token', async () => {
  const c = new Client(srv.base);
  const res = await c.login('admin', srv.adminPassword);
  expectStatus(res, 200, 'login');
  const cookie = res.setCookie.find((s) => s.startsWith('cordon_session='));
  assert.ok(cookie, `no cordon_session cookie in ${JSON.stringify(res.setCookie)}`);
  assert.match(cookie, /;\s*HttpOnly/i, `cookie not HttpOnly: ${cookie}`);
  assert.match(cookie, /;\s*SameSite=Strict/i, `cookie not SameSite=Strict: ${cookie}`);
  assert.match(cookie, /;\s*Path=\//i, `cookie has no Path=/: ${cookie}`);
  const u = res.body.user;
  assert.ok(u, `no user in ${show(res)}`);
  for (const k of ['id', 'username', 'name', 'role', 'scope_unit_id']) {
    assert.ok(u[k] !== undefined && u[k] !== null, `user.${k} missing in ${show(res)}`);
  }
  assert.equal(u.username, 'admin');
  assert.equal(u.role, 'admin');
  assert.ok(Array.isArray(u.permissions) && u.permissions.includes('users.admin'),
    `admin's permissions should include users.admin: ${show(res)}`);
  assert.equal(typeof res.body.csrf_token, 'string');
  assert.ok(res.body.csrf_token.length >= 16, 'csrf_token is too short to be unguessable');
  // The session token itself must not be in the body.
  const token = cookie.split(';')[0].split('=')[1];
  assert.ok(!JSON.stringify(res.body).includes(token), 'the session token leaks into the response body');
});

test('wrong password is 401 naming the password; unknown user gets the same answer', async () => {
  const alice = await mkUser(admin, { username: 'alice', role: 'inspector', scope_unit_id: admin.root.id });
  const c = new Client(srv.base);
  const wrong = await c.login('alice', 'not-her-password');
  const e1 = expectError(wrong, 401, 'unauthenticated', 'password', 'wrong password');
  assert.equal(c.cookie, null);
  assert.ok(!wrong.setCookie.some((s) => /^cordon_session=[^;]+/.test(s) && !/^cordon_session=;/.test(s)),
    'a failed login must not set a session cookie');
  const unknown = await c.login('nobody-here', 'whatever-password');
  const e2 = expectError(unknown, 401, 'unauthenticated', 'password', 'unknown user');
  assert.equal(e2.message, e1.message, 'unknown user and wrong password must be indistinguishable');
  // and the right password still works (one failure does not lock)
  expectStatus(await c.login('alice', alice.password), 200, 'right password after one failure');
});

test('GET /api/v1/me with and without the cookie', async () => {
  const me = await admin.get('/api/v1/me');
  expectStatus(me, 200, '/me');
  assert.equal(me.body.user.username, 'admin');
  assert.equal(typeof me.body.csrf_token, 'string');
  assert.equal(me.body.csrf_token, admin.csrf, '/me returns the session CSRF token');
  assert.equal(me.body.scope_unit.kind, 'district');
  assert.ok(me.body.scope_unit.name, '/me scope_unit has a name');
  assert.equal(me.body.user.scope_unit_id, me.body.scope_unit.id);

  const anon = new Client(srv.base);
  expectError(await anon.get('/api/v1/me'), 401, 'unauthenticated', undefined, '/me without cookie');
  const forged = new Client(srv.base);
  forged.cookie = 'cordon_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  expectError(await forged.get('/api/v1/me'), 401, 'unauthenticated', undefined, '/me with a forged cookie');
});

test('logout ends the session', async () => {
  const c = new Client(srv.base);
  await c.signIn('admin', srv.adminPassword);
  expectStatus(await c.get('/api/v1/me'), 200);
  const out = await c.del('/api/v1/session');
  expectStatus(out, 204, 'logout');
  const cleared = out.setCookie.find((s) => s.startsWith('cordon_session='));
  assert.ok(cleared, 'logout should clear the cookie');
  assert.ok(/^cordon_session=;/.test(cleared) || /Max-Age=0/i.test(cleared) || /Expires=Thu, 01 Jan 1970/i.test(cleared),
    `logout cookie does not clear it: ${cleared}`);
  expectError(await c.get('/api/v1/me'), 401, 'unauthenticated', undefined, '/me after logout');
  // the other admin session is untouched
  expectStatus(await admin.get('/api/v1/me'), 200, 'another session survives a logout');
});

test('a session read again and again still sees a change made by another process at once', async () => {
  // The server keeps a session's row between requests while nothing is
  // committed; a change made outside it (the sqlite3 shell or psql here,
  // an operator's cordon command in the field) must end it on the next
  // request all the same.
  const u = await mkUser(admin, { username: 'carol', role: 'inspector', scope_unit_id: admin.root.id });
  const c = new Client(srv.base);
  await c.signIn('carol', u.password);
  for (let i = 0; i < 3; i++) expectStatus(await c.get('/api/v1/me'), 200, `read ${i + 1}`);
  await sql(srv.db, "UPDATE users SET disabled = 1 WHERE username = 'carol'");
  const off = await c.get('/api/v1/me');
  expectError(off, 401, 'unauthenticated', undefined, 'a session of an account disabled by another process');
  assert.match(off.body.error.message_en, /disabled/, show(off));
  await sql(srv.db, "UPDATE users SET disabled = 0 WHERE username = 'carol'");
  const d = new Client(srv.base);
  await d.signIn('carol', u.password);
  for (let i = 0; i < 3; i++) expectStatus(await d.get('/api/v1/me'), 200, `read ${i + 1} of a new session`);
  await sql(srv.db, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'carol')");
  expectError(await d.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'a session deleted by another process');
});

test('an expired session is refused', async () => {
  const c = new Client(srv.base);
  await c.signIn('admin', srv.adminPassword);
  expectStatus(await c.get('/api/v1/me'), 200);
  // Age every session (as if a day had passed), then sign the shared admin in again.
  const count = await sql(srv.db, 'SELECT count(*) FROM sessions');
  assert.ok(Number(count) >= 2, `sessions are not stored in the sessions table (${count.trim()} rows)`);
  await sql(srv.db, 'UPDATE sessions SET last_seen = last_seen - 100000, expires_at = expires_at - 100000');
  const res = await c.get('/api/v1/me');
  expectError(res, 401, 'unauthenticated', undefined, 'expired session');
  await admin.signIn('admin', srv.adminPassword);
  expectStatus(await admin.get('/api/v1/me'), 200, 'a fresh login works after expiry');
});

test('CSRF: a cookie write without the token is 403, with a wrong one 403, with the right one 201', async () => {
  const root = admin.root.id;
  const none = await admin.post('/api/v1/units', { parent_id: root, kind: 'subdistrict', code: 'CSRF-1', name: '无令牌街道' }, { csrf: false });
  expectError(none, 403, 'forbidden', 'X-CSRF-Token', 'no CSRF header');
  const wrong = await admin.post('/api/v1/units', { parent_id: root, kind: 'subdistrict', code: 'CSRF-1', name: '错令牌街道' },
    { csrf: false, headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
  expectError(wrong, 403, 'forbidden', 'X-CSRF-Token', 'wrong CSRF header');
  // neither of them stored anything
  const list = await admin.get('/api/v1/units?q=CSRF-1');
  expectStatus(list, 200);
  assert.equal(list.body.items.length, 0, `a refused write stored a unit: ${show(list)}`);
  const ok = await admin.post('/api/v1/units', { parent_id: root, kind: 'subdistrict', code: 'CSRF-1', name: '正确令牌街道' });
  expectStatus(ok, 201, 'right CSRF header');
  assert.equal(ok.body.code, 'CSRF-1');
  // The token of one session does not work for another.
  const other = new Client(srv.base);
  await other.signIn('admin', srv.adminPassword);
  assert.notEqual(other.csrf, admin.csrf, 'two sessions share a CSRF token');
  const cross = await other.post('/api/v1/units', { parent_id: root, kind: 'subdistrict', code: 'CSRF-2', name: 'x' },
    { csrf: false, headers: { 'X-CSRF-Token': admin.csrf } });
  expectError(cross, 403, 'forbidden', 'X-CSRF-Token', "another session's CSRF token");
  // DELETE needs it too
  expectError(await other.del('/api/v1/session', { csrf: false }), 403, 'forbidden', 'X-CSRF-Token', 'logout without CSRF');
});

test('PATCH /api/v1/me remembers the language', async () => {
  const u = await mkUser(admin, { username: 'lang.user', role: 'inspector', scope_unit_id: admin.root.id });
  const c = new Client(srv.base);
  await c.signIn(u.username, u.password);
  assert.equal(c.user.lang, 'zh-CN', 'the default language is zh-CN');
  const p = await c.patch('/api/v1/me', { lang: 'en' });
  expectStatus(p, 200, 'PATCH /me');
  assert.equal(p.body.user.lang, 'en');
  const me = await c.get('/api/v1/me');
  assert.equal(me.body.user.lang, 'en');
  // remembered across sign-ins
  const c2 = new Client(srv.base);
  await c2.signIn(u.username, u.password);
  assert.equal(c2.user.lang, 'en', 'the language is remembered for the next sign-in');
  expectError(await c.patch('/api/v1/me', { lang: 'fr' }), 400, 'invalid', 'lang', 'unsupported language');
  expectError(await c.patch('/api/v1/me', { lang: 5 }), 400, 'invalid', 'lang', 'lang of the wrong type');
});

test('changing the password: the old one is refused, the new one works, other sessions end', async () => {
  const u = await mkUser(admin, { username: 'pw.user', role: 'inspector', scope_unit_id: admin.root.id, password: 'first-password-1' });
  const c = new Client(srv.base);
  await c.signIn(u.username, 'first-password-1');
  const other = new Client(srv.base);
  await other.signIn(u.username, 'first-password-1');

  expectError(await c.post('/api/v1/me/password', { current_password: 'not-it-at-all', new_password: 'second-password-2' }),
    [400, 401, 403], undefined, 'current_password', 'wrong current password');
  expectError(await c.post('/api/v1/me/password', { current_password: 'first-password-1', new_password: 'short' }),
    400, 'invalid', 'new_password', 'too short a new password');

  const ch = await c.post('/api/v1/me/password', { current_password: 'first-password-1', new_password: 'second-password-2' });
  expectStatus(ch, 204, 'password change');
  expectError(await new Client(srv.base).login(u.username, 'first-password-1'), 401, 'unauthenticated', 'password', 'old password');
  expectStatus(await new Client(srv.base).login(u.username, 'second-password-2'), 200, 'new password');
  expectError(await other.get('/api/v1/me'), 401, 'unauthenticated', undefined, 'the other session after a password change');
});

test('repeated failures for one username are throttled (429 with Retry-After), even for the right password', async () => {
  const u = await mkUser(admin, { username: 'throttled', role: 'inspector', scope_unit_id: admin.root.id });
  const c = new Client(srv.base);
  const statuses = [];
  let throttled = null;
  for (let i = 1; i <= 7; i++) {
    const res = await c.login(u.username, `wrong-password-${i}`);
    statuses.push(res.status);
    if (res.status === 429) { throttled = res; break; }
    expectError(res, 401, 'unauthenticated', 'password', `failure ${i}`);
  }
  assert.ok(throttled, `no 429 after 7 wrong passwords: statuses ${statuses.join(',')}`);
  assert.ok(statuses.length >= 6, `throttled too early (attempt ${statuses.length}): ${statuses.join(',')}`);
  expectError(throttled, 429, 'throttled', undefined, 'throttled login');
  const retryAfter = (res) => {
    const ra = res.headers.get('retry-after');
    assert.ok(ra && /^\d+$/.test(ra) && Number(ra) > 0, `Retry-After should be a positive number of seconds, got ${ra}`);
    return Number(ra);
  };
  let wait = retryAfter(throttled);

  // The lock may start short and grow with each further failure; keep failing
  // (after each lock ends) until the lock is long enough to test reliably
  // that the right password is refused too.
  for (let round = 0; wait < 3 && round < 4; round++) {
    await new Promise((r) => setTimeout(r, wait * 1000 + 150));
    const res = await c.login(u.username, `wrong-again-${round}`);
    if (res.status === 429) { wait = retryAfter(res); continue; }
    expectError(res, 401, 'unauthenticated', 'password', `failure after the lock ${round}`);
    const next = await c.login(u.username, `wrong-again-${round}b`);
    expectError(next, 429, 'throttled', undefined, 'a failure right after a failure at the limit');
    wait = retryAfter(next);
  }
  assert.ok(wait >= 3, `the lock does not grow with further failures (Retry-After ${wait})`);

  const right = await c.login(u.username, u.password);
  expectError(right, 429, 'throttled', undefined, 'right password while locked');
  assert.equal(c.cookie, null, 'no session while locked');
  // other users are not locked by it
  expectStatus(await new Client(srv.base).login('admin', srv.adminPassword), 200, 'another user while one is locked');
});
