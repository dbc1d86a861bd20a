/* Sign-in and who is asking; see auth.h. Session and device tokens are 32
 * random bytes given to the client once and stored only as a BLAKE2b hash,
 * so a copy of the database signs nobody in. Failed sign-ins slow further
 * attempts (throttle.h). */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/csvx.h"
#include "../base/log.h"
#include "scope.h"
#include "server_internal.h"
#include "settings.h"
#include "throttle.h"

#define COOKIE "cordon_session"
#define TOUCH_EVERY 60 /* seconds between last_seen updates */

int auth_hash_password(const char *password, char out[AUTH_HASH_LEN])
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ERR_NOMEM;
	return 0;
}

int auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_password_ok(const char *password, const char *field, struct err_info *ei)
{
	size_t n = strlen(password);
	if (n < 8)
		return err_set(ei, ERR_INVALID, field, "must be at least 8 characters");
	if (n > 128)
		return err_set(ei, ERR_INVALID, field, "must be at most 128 characters");
	return 0;
}

void auth_new_token(char *out, size_t outlen, size_t bytes)
{
	unsigned char raw[64];
	if (bytes > sizeof raw)
		bytes = sizeof raw;
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, outlen, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_hash(const char *token, char hash_hex[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hash_hex, 65, h, sizeof h);
}

/* ---------- identifying the principal ---------- */

static int identify_device(struct req *r, const char *token)
{
	char hash[65];
	auth_token_hash(token, hash);
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c,
				 "SELECT id, name, role, scope_unit_id, revoked_at, last_used_at"
				 " FROM device_tokens WHERE token_hash = $1",
				 "t", hash);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc != 1 || !db_null(q, 4)) {
		db_done(q);
		return rc < 0 ? rc
			      : err_set(&r->err, ERR_AUTH, "Authorization",
					"this device token is not valid or was revoked");
	}
	struct principal *w = &r->who;
	w->device_id = db_int(q, 0);
	snprintf(w->username, sizeof w->username, "device:%s", db_text(q, 1));
	snprintf(w->name, sizeof w->name, "%s", db_text(q, 1));
	snprintf(w->role, sizeof w->role, "%s", db_text(q, 2));
	snprintf(w->lang, sizeof w->lang, "zh-CN");
	w->scope_unit_id = db_int(q, 3);
	int64_t last = db_null(q, 5) ? 0 : db_int(q, 5);
	db_done(q);
	const struct role_def *rd = perm_role(w->role);
	w->perms = rd && rd->device_ok ? rd->perms : 0;
	r->authed = 1;
	int64_t now = clock_now();
	if (now - last >= TOUCH_EVERY) {
		struct dbc *wc = db_acquire(r->db, DB_WRITE);
		if (wc) {
			db_run(wc, "UPDATE device_tokens SET last_used_at = $1 WHERE id = $2", "ii", now,
			       w->device_id);
			db_release(r->db, wc);
		}
	}
	return 0;
}

static int end_session(struct req *r, int64_t id)
{
	struct dbc *wc = db_acquire(r->db, DB_WRITE);
	if (!wc)
		return ERR_DB;
	db_run(wc, "DELETE FROM sessions WHERE id = $1", "i", id);
	db_release(r->db, wc);
	return 0;
}

/* Sessions as last read, each under the database's commit generation
 * (db_generation) read in the same snapshot as its row: asked again with
 * nothing committed since, the row and the idle setting are what the
 * database holds, so a small GET does not read them again (the session
 * join and the setting were a third of its statements). Any commit
 * anywhere (a sign-out, a disabled account, a changed setting, the minute's
 * last_seen touch) and the next request reads them afresh. Expiry and
 * idleness are judged on every request against the clock. Direct-mapped by
 * the token's hash. */
#define SCACHE_SLOTS 256
struct scache {
	char hash[65];
	char gen[96];
	int64_t last, expires, idle;
	int disabled;
	struct principal who;
};
static struct scache scache[SCACHE_SLOTS];
static pthread_mutex_t scache_mu = PTHREAD_MUTEX_INITIALIZER;

static struct scache *scache_slot(const char *hash)
{
	unsigned h = 0; /* the first two bytes of the hex hash */
	for (int i = 0; i < 4; i++)
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &scache[h % SCACHE_SLOTS];
}

static int scache_get(const char *hash, const char *gen, struct scache *out)
{
	struct scache *e = scache_slot(hash);
	pthread_mutex_lock(&scache_mu);
	int hit = e->gen[0] && strcmp(e->gen, gen) == 0 && strcmp(e->hash, hash) == 0;
	if (hit)
		*out = *e;
	pthread_mutex_unlock(&scache_mu);
	return hit;
}

static void scache_put(const struct scache *in)
{
	struct scache *e = scache_slot(in->hash);
	pthread_mutex_lock(&scache_mu);
	*e = *in;
	pthread_mutex_unlock(&scache_mu);
}

/* The session's row and the idle setting, into e (e->hash set); 0 when
 * there is no such session, 1 when found, <0 on error. */
static int session_read(struct dbc *c, struct scache *e)
{
	struct dbq *q = db_query(
		c,
		"SELECT s.id, s.csrf_token, s.last_seen, s.expires_at, u.id, u.username, u.name,"
		" u.role, u.scope_unit_id, u.disabled, u.lang"
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
		"t", e->hash);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc != 1) {
		db_done(q);
		return rc;
	}
	struct principal *w = &e->who;
	memset(w, 0, sizeof *w);
	w->session_id = db_int(q, 0);
	snprintf(w->csrf, sizeof w->csrf, "%s", db_text(q, 1));
	e->last = db_int(q, 2);
	e->expires = db_int(q, 3);
	w->user_id = db_int(q, 4);
	snprintf(w->username, sizeof w->username, "%s", db_text(q, 5));
	snprintf(w->name, sizeof w->name, "%s", db_text(q, 6));
	snprintf(w->role, sizeof w->role, "%s", db_text(q, 7));
	w->scope_unit_id = db_int(q, 8);
	e->disabled = (int)db_int(q, 9);
	snprintf(w->lang, sizeof w->lang, "%s", db_text(q, 10));
	db_done(q);
	w->perms = perm_of_role(w->role);
	w->via_cookie = 1;
	e->idle = settings_int(c, "session_idle_minutes") * 60;
	return 1;
}

static int identify_session(struct req *r, const char *token)
{
	struct scache e;
	auth_token_hash(token, e.hash);
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	int cacheable = db_generation(c, e.gen, sizeof e.gen) == 0;
	if (!cacheable || !scache_get(e.hash, e.gen, &e)) {
		int rc = session_read(c, &e);
		if (rc <= 0)
			return rc; /* unknown cookie: simply not signed in */
		if (cacheable)
			scache_put(&e);
	}
	int64_t now = clock_now();
	int64_t sid = e.who.session_id;
	if (e.disabled || now >= e.expires || now - e.last >= e.idle) {
		end_session(r, sid);
		return err_set(&r->err, ERR_AUTH, "", "%s",
			       e.disabled ? "this account is disabled"
					  : "your session has expired; sign in again");
	}
	r->who = e.who;
	r->authed = 1;
	if (now - e.last >= TOUCH_EVERY) {
		struct dbc *wc = db_acquire(r->db, DB_WRITE);
		if (wc) {
			db_run(wc, "UPDATE sessions SET last_seen = $1 WHERE id = $2", "ii", now, sid);
			db_release(r->db, wc);
		}
	}
	return 0;
}

int auth_identify(struct req *r)
{
	const char *authz = req_header(r, "Authorization");
	if (authz && *authz) {
		if (strncmp(authz, "Bearer ", 7) != 0 || !authz[7])
			return err_set(&r->err, ERR_AUTH, "Authorization",
				       "expected \"Bearer <device token>\"");
		return identify_device(r, authz + 7);
	}
	const char *cookie = req_cookie(r, COOKIE);
	if (cookie && *cookie)
		return identify_session(r, cookie);
	return 0;
}

int auth_check_csrf(struct req *r)
{
	if (!r->who.via_cookie)
		return 0;
	const char *h = req_header(r, "X-CSRF-Token");
	size_t n = strlen(r->who.csrf);
	if (!h || strlen(h) != n || n == 0 || sodium_memcmp(h, r->who.csrf, n) != 0)
		return err_set(&r->err, ERR_FORBIDDEN, "X-CSRF-Token",
			       h ? "the CSRF token does not match this session"
				 : "the X-CSRF-Token header is required");
	return 0;
}

/* ---------- session routes ---------- */

static json_t *user_json(const struct principal *w)
{
	json_t *perms = json_array();
	for (int p = 0; p < P_COUNT; p++)
		if (perm_has(w->perms, p))
			json_array_append_new(perms, json_string(perm_name(p)));
	json_t *u = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:o}", "id",
			      (json_int_t)(w->user_id ? w->user_id : w->device_id), "username",
			      w->username, "name", w->name, "role", w->role, "scope_unit_id",
			      (json_int_t)w->scope_unit_id, "lang", w->lang, "permissions", perms);
	if (w->device_id)
		json_object_set_new(u, "device", json_true());
	return u;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int check_password(struct req *r, const char *uname, const char *password,
			  struct throttle_keys *k);

static int login(struct req *r)
{
	const char *username = NULL, *password = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "username", 1, 64, &username, NULL);
	if (!rc) {
		json_t *pv = json_object_get(r->json, "password");
		if (!json_is_string(pv) || !json_string_length(pv))
			return err_set(&r->err, ERR_INVALID, "password",
				       pv ? "must be a non-empty string" : "is required");
		password = json_string_value(pv);
	}
	if (rc)
		return rc;
	char *uname = arena_strdup(&r->arena, username);
	if (!uname)
		return ERR_NOMEM;
	lower_ascii(uname);
	struct throttle_keys k;
	int64_t wait = 0;
	if ((rc = throttle_keys_init(r, uname, &k)))
		return rc;
	r->no_audit = 1;
	rc = throttle_enter(r, &k, &wait);
	if (rc < 0)
		return rc;
	if (rc) {
		r->retry_after = arena_printf(&r->arena, "%lld", (long long)wait);
		return err_set(&r->err, ERR_THROTTLED, "username",
			       "too many failed sign-ins; try again in %lld seconds",
			       (long long)wait);
	}
	rc = check_password(r, uname, password, &k);
	throttle_leave(&k);
	return rc;
}

/* The attempt let through by the throttle: checks the password, and either
 * counts the failure or starts the session. */
static int check_password(struct req *r, const char *uname, const char *password,
			  struct throttle_keys *k)
{
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	struct dbq *q = db_query(c,
				 "SELECT id, pw_hash, disabled, username, name, role, scope_unit_id,"
				 " lang FROM users WHERE username = $1",
				 "t", uname);
	if (!q)
		return ERR_DB;
	int found = db_step(q) == 1;
	/* Verify against a fixed hash when the user does not exist, so the
	 * answer takes as long and says the same either way. */
	static char dummy[AUTH_HASH_LEN];
	if (!dummy[0])
		auth_hash_password("not a password of anyone", dummy);
	int ok = auth_check_password(found ? db_text(q, 1) : dummy, password);
	int disabled = found && db_int(q, 2);
	struct principal *w = &r->who;
	if (found) {
		w->user_id = db_int(q, 0);
		snprintf(w->username, sizeof w->username, "%s", db_text(q, 3));
		snprintf(w->name, sizeof w->name, "%s", db_text(q, 4));
		snprintf(w->role, sizeof w->role, "%s", db_text(q, 5));
		w->scope_unit_id = db_int(q, 6);
		snprintf(w->lang, sizeof w->lang, "%s", db_text(q, 7));
	}
	db_done(q);
	if (!found || !ok || disabled) {
		struct dbc *wc = db_acquire(r->db, DB_WRITE);
		if (!wc)
			return ERR_DB;
		if (!db_begin(wc)) {
			if (!ok || !found)
				throttle_failed(wc, k, now);
			db_run(wc,
			       "INSERT INTO audit_log(at, user_id, actor, method, route, path, status,"
			       " record_type, record_id, action, detail, ip) VALUES ($1, $2, $3,"
			       " 'POST', '/api/v1/session', '/api/v1/session', 401, 'user', $2,"
			       " 'login', $4, $5)",
			       "iItt" "t", now, found ? w->user_id : (int64_t)0, uname,
			       disabled ? "refused: account disabled" : "failed: wrong password",
			       req_ip(r));
			db_commit(wc);
		}
		db_release(r->db, wc);
		memset(w, 0, sizeof *w);
		return err_set(&r->err, ERR_AUTH, "password", "%s",
			       disabled && ok ? "this account is disabled"
					      : "wrong username or password");
	}
	w->perms = perm_of_role(w->role);
	struct dbc *wc = req_db(r);
	if (!wc)
		return ERR_DB;
	char token[64], hash[65];
	auth_new_token(token, sizeof token, 32);
	auth_token_hash(token, hash);
	auth_new_token(w->csrf, sizeof w->csrf, 24);
	int64_t max_age = settings_int(wc, "session_max_hours") * 3600;
	const char *ua = req_header(r, "User-Agent");
	if (ua && !csvx_text_ok(ua, strlen(ua)))
		ua = NULL; /* kept only when it is text */
	int64_t sid = 0;
	struct dbq *ins = db_query(wc,
				   "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at,"
				   " last_seen, expires_at, ip, user_agent)"
				   " VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
				   "titiitt", hash, w->user_id, w->csrf, now, now + max_age, req_ip(r),
				   ua ? ua : "");
	if (!ins || db_step(ins) != 1) {
		db_done(ins);
		return ERR_DB;
	}
	sid = db_int(ins, 0);
	db_done(ins);
	w->session_id = sid;
	if (throttle_succeeded(wc, k))
		return ERR_DB;
	db_run(wc, "DELETE FROM sessions WHERE expires_at < $1", "i", now);
	r->set_cookie = NULL;
	char cookie[256];
	snprintf(cookie, sizeof cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		 token, (long long)max_age, r->srv && r->srv->cfg.secure_cookie ? "; Secure" : "");
	r->set_cookie = strdup(cookie);
	r->authed = 1;
	r->no_audit = 0;
	r->audit_action = "login";
	r->audit_detail = "signed in";
	req_audit_record(r, "user", w->user_id);
	return resp_json(r, 200,
			 json_pack("{s:o,s:s}", "user", user_json(w), "csrf_token", w->csrf));
}

static int logout(struct req *r)
{
	if (r->who.session_id) {
		struct dbc *c = req_db(r);
		if (!c || db_run(c, "DELETE FROM sessions WHERE id = $1", "i", r->who.session_id) < 0)
			return ERR_DB;
	}
	char cookie[128];
	snprintf(cookie, sizeof cookie, COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	r->set_cookie = strdup(cookie);
	r->audit_action = "logout";
	req_audit_record(r, "user", r->who.user_id);
	r->status = 204;
	return 0;
}

static int me(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *unit = json_null();
	struct dbq *q = db_query(c, "SELECT id, name, kind, code FROM units WHERE id = $1", "i",
				 r->who.scope_unit_id);
	if (q && db_step(q) == 1)
		unit = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_int(q, 0), "name",
				 db_text(q, 1), "kind", db_text(q, 2), "code", db_text(q, 3));
	db_done(q);
	json_t *out = json_pack("{s:o,s:o}", "user", user_json(&r->who), "scope_unit", unit);
	if (r->who.via_cookie)
		json_object_set_new(out, "csrf_token", json_string(r->who.csrf));
	return resp_json(r, 200, out);
}

static int me_patch(struct req *r)
{
	if (!r->who.user_id)
		return err_set(&r->err, ERR_FORBIDDEN, "", "a device has no account settings");
	int rc = req_json(r);
	const char *lang = NULL;
	if (!rc)
		rc = jx_str(r, r->json, "lang", 1, 8, &lang, NULL);
	if (rc)
		return rc;
	if (strcmp(lang, "zh-CN") != 0 && strcmp(lang, "en") != 0)
		return err_set(&r->err, ERR_INVALID, "lang", "must be zh-CN or en");
	struct dbc *c = req_db(r);
	if (!c || db_run(c, "UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3", "tii",
			 lang, clock_now(), r->who.user_id) < 0)
		return ERR_DB;
	snprintf(r->who.lang, sizeof r->who.lang, "%s", lang);
	req_audit_record(r, "user", r->who.user_id);
	return resp_json(r, 200, json_pack("{s:o}", "user", user_json(&r->who)));
}

static int me_password(struct req *r)
{
	if (!r->who.user_id)
		return err_set(&r->err, ERR_FORBIDDEN, "", "a device has no password");
	int rc = req_json(r);
	json_t *cur = rc ? NULL : json_object_get(r->json, "current_password");
	json_t *nw = rc ? NULL : json_object_get(r->json, "new_password");
	if (rc)
		return rc;
	if (!json_is_string(cur))
		return err_set(&r->err, ERR_INVALID, "current_password", "is required");
	if (!json_is_string(nw))
		return err_set(&r->err, ERR_INVALID, "new_password", "is required");
	if ((rc = auth_password_ok(json_string_value(nw), "new_password", &r->err)))
		return rc;
	struct dbc *c = req_reader(r);
	struct dbq *q = c ? db_query(c, "SELECT pw_hash FROM users WHERE id = $1", "i",
				     r->who.user_id)
			  : NULL;
	int ok = q && db_step(q) == 1 &&
		 auth_check_password(db_text(q, 0), json_string_value(cur));
	db_done(q);
	if (!ok)
		return err_set(&r->err, ERR_INVALID, "current_password", "is not your password");
	char hash[AUTH_HASH_LEN];
	if (auth_hash_password(json_string_value(nw), hash))
		return ERR_NOMEM;
	struct dbc *w = req_db(r);
	if (!w ||
	    db_run(w, "UPDATE users SET pw_hash = $1, updated_at = $2 WHERE id = $3", "tii", hash,
		   clock_now(), r->who.user_id) < 0 ||
	    db_run(w, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", "ii", r->who.user_id,
		   r->who.session_id) < 0)
		return ERR_DB;
	req_audit_record(r, "user", r->who.user_id);
	r->audit_detail = "changed own password";
	r->status = 204;
	return 0;
}

static int roles(struct req *r)
{
	json_t *items = json_array();
	for (const struct role_def *d = perm_roles; d->name; d++) {
		json_t *perms = json_array();
		for (int p = 0; p < P_COUNT; p++)
			if (perm_has(d->perms, p))
				json_array_append_new(perms, json_string(perm_name(p)));
		json_array_append_new(items, json_pack("{s:s,s:o,s:b}", "name", d->name,
						       "permissions", perms, "device_ok",
						       d->device_ok));
	}
	return resp_json(r, 200, json_pack("{s:o}", "items", items));
}

static const struct route routes[] = {
	{"POST", "/api/v1/session", login, PERM_PUBLIC, 4096, 0, "sign in"},
	{"DELETE", "/api/v1/session", logout, PERM_SIGNED_IN, 0, 0, "sign out"},
	{"GET", "/api/v1/me", me, PERM_SIGNED_IN, 0, 0, "the signed-in user and CSRF token"},
	{"PATCH", "/api/v1/me", me_patch, PERM_SIGNED_IN, 0, 0, "remember the user's language"},
	{"POST", "/api/v1/me/password", me_password, PERM_SIGNED_IN, 4096, 0,
	 "change one's own password"},
	{"GET", "/api/v1/roles", roles, PERM_SIGNED_IN, 0, 0, "roles and their permissions"},
};
ROUTE_TABLE(session_routes, routes);
