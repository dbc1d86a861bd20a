/* Accounts and device tokens (the Access convention of DESIGN.md): an admin
 * creates, changes and disables the users of their own scope and issues
 * device tokens for checkpoint and gate tablets. Passwords are hashed with
 * argon2id before the write connection is taken, so a slow hash never holds
 * the database's write lock; device tokens are shown once and stored only as
 * a hash with a short hint. Disabling an account or resetting its password
 * ends its sessions. Password hashes never leave this file. */
#include "users.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../http/auth.h"
#include "../http/scope.h"

static int list_users(struct req *r);
static int get_user(struct req *r);
static int create_user(struct req *r);
static int patch_user(struct req *r);
static int list_devices(struct req *r);
static int create_device(struct req *r);
static int revoke_device(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/users", list_users, P_USERS_ADMIN, 0, 0, "users in the admin's scope"},
	{"POST", "/api/v1/users", create_user, P_USERS_ADMIN, 8192, 0, "create a user"},
	{"GET", "/api/v1/users/{id}", get_user, P_USERS_ADMIN, 0, 0, "one user"},
	{"PATCH", "/api/v1/users/{id}", patch_user, P_USERS_ADMIN, 8192, 0,
	 "change, disable or reset the password of a user"},
	{"GET", "/api/v1/devices", list_devices, P_USERS_ADMIN, 0, 0,
	 "device tokens in the admin's scope"},
	{"POST", "/api/v1/devices", create_device, P_USERS_ADMIN, 8192, 0,
	 "issue a device token (shown once)"},
	{"POST", "/api/v1/devices/{id}/revoke", revoke_device, P_USERS_ADMIN, 0, 0,
	 "revoke a device token"},
};
ROUTE_TABLE(users_routes, routes);

/* ---------- pure rules ---------- */

int users_username_valid(const char *username)
{
	size_t n = username ? strlen(username) : 0;
	if (n < 3 || n > 32)
		return 0;
	for (const char *p = username; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return 0;
	return 1;
}

/* ---------- helpers ---------- */

/* Checks that a scope unit given as `field` exists (400) and lies inside
 * the admin's own scope (403). */
static int check_scope_unit(struct req *r, struct dbc *c, int64_t unit, const char *field)
{
	int rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i", unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, field, "no such unit");
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, field,
			       "this unit is outside your own area (scope)");
	return 0;
}

/* Reads a password field as given (no trimming): 8..128 characters. */
static int password_field(struct req *r, const char *key, int required, const char **out,
			  int *present)
{
	json_t *v = json_object_get(r->json, key);
	if (present)
		*present = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v))
		return required ? err_set(&r->err, ERR_INVALID, key, "is required") : 0;
	if (!json_is_string(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a string");
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return err_set(&r->err, ERR_INVALID, key, "must not contain NUL characters");
	int rc = auth_password_ok(s, key, &r->err);
	if (!rc)
		*out = s;
	return rc;
}

static int role_field(struct req *r, int required, const char **out, int *present)
{
	int rc = jx_str(r, r->json, "role", required, 32, out, present);
	if (rc)
		return rc;
	if (present && *present && !*out)
		return err_set(&r->err, ERR_INVALID, "role", "must be a role name, not null");
	if (*out && !perm_role(*out))
		return err_set(&r->err, ERR_INVALID, "role", "no such role \"%s\"", *out);
	return 0;
}

/* An enterprise account's enterprise (role 'enterprise'): it must exist
 * (400) and lie in the admin's scope (403); its unit becomes the account's
 * scope unit. Other roles have none (400 when one is given). */
static int check_enterprise(struct req *r, struct dbc *c, const char *role, int64_t ent,
			    int64_t *scope)
{
	int is_ent = strcmp(role, "enterprise") == 0;
	if (!is_ent)
		return ent ? err_set(&r->err, ERR_INVALID, "enterprise_id",
				     "only an enterprise account belongs to an enterprise")
			   : 0;
	if (!ent)
		return err_set(&r->err, ERR_INVALID, "enterprise_id",
			       "an enterprise account needs its enterprise");
	int rc = db_one_int(c, scope, "SELECT unit_id FROM enterprises WHERE id = $1", "i", ent);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "enterprise_id", "no such enterprise");
	rc = scope_contains(c, r->who.scope_unit_id, *scope);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_FORBIDDEN, "enterprise_id",
				"this enterprise is outside your area (scope)");
}

/* ---------- users ---------- */

#define USER_COLS                                                                       \
	"SELECT u.id, u.username, u.name, u.role, u.scope_unit_id, un.name, u.disabled,"  \
	" u.lang, u.created_at, u.enterprise_id FROM users u"                             \
	" JOIN units un ON un.id = u.scope_unit_id"

static json_t *user_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:b,s:s,s:I,s:o}", "id",
			 (json_int_t)db_int(q, 0), "username", db_text(q, 1), "name",
			 db_text(q, 2), "role", db_text(q, 3), "scope_unit_id",
			 (json_int_t)db_int(q, 4), "scope_unit_name", db_text(q, 5), "disabled",
			 db_int(q, 6) != 0, "lang", db_text(q, 7), "created_at",
			 (json_int_t)db_int(q, 8), "enterprise_id", jx_col_int(q, 9));
}

static const char user_in_scope_sql[] =
	USER_COLS " WHERE u.id = $1 AND " SCOPE_SQL("u.scope_unit_id", "2");

/* Answers the user `id` if it lies in the caller's scope, else 404. */
static int respond_user(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *u = query_row(db_query(c, user_in_scope_sql, "ii", id, r->who.scope_unit_id),
			      user_row, &rc);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such user");
	return resp_json(r, status, u);
}

static const struct list_col user_export[] = {
	{"id", "编号"},           {"username", "用户名"},     {"name", "姓名"},
	{"role", "角色"},         {"scope_unit_id", "管辖单位编号"}, {"scope_unit_name", "管辖单位"},
	{"disabled", "已停用"},    {"lang", "语言"},          {"created_at", "创建时间"},
	{0, 0},
};

static int list_users(struct req *r)
{
	static const char sql[] =
		USER_COLS " WHERE " SCOPE_SQL("u.scope_unit_id", "1") " AND u.id > $2"
		" AND ($3 = '' OR lower(u.username) LIKE $3 ESCAPE '\\'"
		" OR lower(u.name) LIKE $3 ESCAPE '\\')"
		" AND ($4 = '' OR u.role = $4) ORDER BY u.id LIMIT $5";
	struct page pg;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	const char *role = req_query(r, "role");
	if (role && *role && !perm_role(role))
		return err_set(&r->err, ERR_INVALID, "role", "no such role");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iitti", r->who.scope_unit_id, pg.after, pat,
				 role ? role : "", pg.limit + 1);
	return resp_query_list(r, &pg, q, user_row, user_export, "users");
}

static int get_user(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	return respond_user(r, c, id, 200);
}

static int create_user(struct req *r)
{
	static const char sql[] =
		"INSERT INTO users(username, name, role, scope_unit_id, pw_hash, created_at,"
		" updated_at, enterprise_id) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id";
	const char *username = NULL, *name = NULL, *role = NULL, *password = NULL;
	int64_t scope = 0, ent = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "username", 1, 0, &username, NULL);
	if (!rc && !users_username_valid(username))
		rc = err_set(&r->err, ERR_INVALID, "username",
			     "must be 3 to 32 characters: lower-case letters a-z, digits, '_', '.'"
			     " or '-'");
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = role_field(r, 1, &role, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "enterprise_id", 0, 1, &ent, NULL);
	/* An enterprise account's scope is its enterprise's unit. */
	if (!rc)
		rc = jx_id(r, r->json, "scope_unit_id", strcmp(role, "enterprise") != 0, 0, &scope,
			   NULL);
	if (!rc)
		rc = password_field(r, "password", 1, &password, NULL);
	if (rc)
		return rc;
	/* Checks on the read connection; the slow hash before the writer. */
	struct dbc *rd = req_reader(r);
	if (!rd)
		return ERR_DB;
	if ((rc = check_enterprise(r, rd, role, ent, &scope)))
		return rc;
	if ((rc = check_scope_unit(r, rd, scope, "scope_unit_id")))
		return rc;
	rc = db_one_int(rd, NULL, "SELECT 1 FROM users WHERE username = $1", "t", username);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "username", "the username %s is taken",
			       username);
	char hash[AUTH_HASH_LEN];
	if (auth_hash_password(password, hash))
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "tttitiI", username, name, role, scope, hash, clock_now(),
				 ent);
	if (!q)
		return ERR_DB;
	int64_t id = 0;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "username", "the username %s is taken",
			       username);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "user", id);
	r->audit_detail = arena_printf(&r->arena, "created %s (%s)", username, role);
	return respond_user(r, c, id, 201);
}

static int patch_user(struct req *r)
{
	static const char sql[] =
		"UPDATE users SET name = CASE WHEN $2 = 1 THEN $3 ELSE name END,"
		" role = CASE WHEN $4 = 1 THEN $5 ELSE role END,"
		" scope_unit_id = CASE WHEN $6 = 1 THEN $7 ELSE scope_unit_id END,"
		" disabled = CASE WHEN $8 = 1 THEN $9 ELSE disabled END,"
		" pw_hash = CASE WHEN $10 = 1 THEN $11 ELSE pw_hash END,"
		" enterprise_id = CASE WHEN $13 = 1 THEN $14 ELSE enterprise_id END,"
		" updated_at = $12 WHERE id = $1";
	int64_t id = 0, scope = 0, ent = 0;
	int has_ent = 0;
	const char *name = NULL, *role = NULL, *password = NULL;
	int has_name = 0, has_role = 0, has_scope = 0, has_dis = 0, has_pw = 0, disabled = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "user", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "name", 0, 64, &name, &has_name);
	if (!rc && has_name && (!name || !*name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = role_field(r, 0, &role, &has_role);
	if (!rc)
		rc = jx_id(r, r->json, "scope_unit_id", 0, 0, &scope, &has_scope);
	if (!rc)
		rc = jx_id(r, r->json, "enterprise_id", 0, 1, &ent, &has_ent);
	if (!rc)
		rc = jx_bool(r, r->json, "disabled", 0, &disabled, &has_dis);
	if (!rc)
		rc = password_field(r, "password", 0, &password, &has_pw);
	if (rc)
		return rc;
	struct dbc *rd = req_reader(r);
	if (!rd)
		return ERR_DB;
	int64_t cur_scope = 0;
	rc = db_one_int(rd, &cur_scope, "SELECT scope_unit_id FROM users WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such user");
	rc = scope_contains(rd, r->who.scope_unit_id, cur_scope);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this user is outside your area (scope)");
	if (has_dis && disabled && id == r->who.user_id)
		return err_set(&r->err, ERR_RULE, "disabled", "you cannot disable your own account");
	if (has_role || has_ent) {
		/* An enterprise account follows its enterprise; another role has none. */
		int64_t cur_ent = 0;
		char cur_role[32] = "";
		struct dbq *q = db_query(rd, "SELECT role, enterprise_id FROM users WHERE id = $1",
					 "i", id);
		if (!q)
			return ERR_DB;
		if (db_step(q) == 1) {
			snprintf(cur_role, sizeof cur_role, "%s", db_text(q, 0));
			cur_ent = db_null(q, 1) ? 0 : db_int(q, 1);
		}
		db_done(q);
		const char *new_role = has_role ? role : cur_role;
		int is_ent = strcmp(new_role, "enterprise") == 0;
		if (!has_ent)
			ent = is_ent ? cur_ent : 0;
		int64_t escope = 0;
		if ((rc = check_enterprise(r, rd, new_role, ent, &escope)))
			return rc;
		has_ent = 1;
		if (is_ent) {
			has_scope = 1;
			scope = escope;
		}
	}
	if (has_scope && (rc = check_scope_unit(r, rd, scope, "scope_unit_id")))
		return rc;
	char hash[AUTH_HASH_LEN] = "";
	if (has_pw && auth_hash_password(password, hash))
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t n = db_run(c, sql, "iititiiiiitiiI", id, (int64_t)has_name, name,
			   (int64_t)has_role, role, (int64_t)has_scope, scope, (int64_t)has_dis,
			   (int64_t)disabled, (int64_t)has_pw, has_pw ? hash : NULL, clock_now(),
			   (int64_t)has_ent, ent);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such user");
	/* A disabled account or a reset password ends the user's sessions
	 * (but not the one making this change). */
	if (((has_dis && disabled) || has_pw) &&
	    db_run(c, "DELETE FROM sessions WHERE user_id = $1 AND id <> $2", "ii", id,
		   r->who.session_id) < 0)
		return ERR_DB;
	r->audit_detail = arena_printf(
		&r->arena, "changed%s%s%s%s%s%s%s%s", has_name ? " name" : "",
		has_role ? " role=" : "", has_role ? role : "",
		has_scope ? arena_printf(&r->arena, " scope_unit_id=%lld", (long long)scope) : "",
		has_dis && disabled ? " disabled" : "", has_dis && !disabled ? " enabled" : "",
		has_pw ? " password" : "", has_name || has_role || has_scope || has_dis || has_pw
						   ? ""
						   : " nothing");
	return respond_user(r, c, id, 200);
}

/* ---------- device tokens ---------- */

#define DEVICE_COLS                                                                    \
	"SELECT d.id, d.name, d.role, d.scope_unit_id, un.name, d.token_hint,"          \
	" d.created_at, d.last_used_at, d.revoked_at FROM device_tokens d"              \
	" JOIN units un ON un.id = d.scope_unit_id"

static json_t *device_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:I,s:o,s:o}", "id", (json_int_t)db_int(q, 0),
			 "name", db_text(q, 1), "role", db_text(q, 2), "scope_unit_id",
			 (json_int_t)db_int(q, 3), "scope_unit_name", db_text(q, 4),
			 "token_hint", db_text(q, 5), "created_at", (json_int_t)db_int(q, 6),
			 "last_used_at", jx_col_int(q, 7), "revoked_at", jx_col_int(q, 8));
}

static json_t *load_device(struct dbc *c, int64_t id, int *err)
{
	int rc;
	json_t *d = query_row(db_query(c, DEVICE_COLS " WHERE d.id = $1", "i", id), device_row, &rc);
	*err = d ? 0 : rc < 0 ? rc : ERR_DB;
	return d;
}

static const struct list_col device_export[] = {
	{"id", "编号"},          {"name", "设备名称"},        {"role", "角色"},
	{"scope_unit_id", "管辖单位编号"}, {"scope_unit_name", "管辖单位"}, {"token_hint", "令牌提示"},
	{"created_at", "创建时间"}, {"last_used_at", "最近使用"},  {"revoked_at", "吊销时间"},
	{0, 0},
};

static int list_devices(struct req *r)
{
	static const char sql[] =
		DEVICE_COLS " WHERE " SCOPE_SQL("d.scope_unit_id", "1") " AND d.id > $2"
		" AND ($3 = '' OR lower(d.name) LIKE $3 ESCAPE '\\') ORDER BY d.id LIMIT $4";
	return resp_search_list(r, sql, device_row, device_export, "devices");
}

/* Names the roles a device may carry, for the error message. */
static const char *device_roles(struct req *r)
{
	struct buf b = {0};
	for (const struct role_def *d = perm_roles; d->name; d++)
		if (d->device_ok)
			buf_printf(&b, "%s%s", b.len ? ", " : "", d->name);
	const char *s = buf_str(&b);
	char *out = arena_strdup(&r->arena, s ? s : "");
	buf_free(&b);
	return out ? out : "";
}

static int create_device(struct req *r)
{
	static const char sql[] =
		"INSERT INTO device_tokens(name, token_hash, token_hint, role, scope_unit_id,"
		" created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
	const char *name = NULL, *role = NULL;
	int64_t scope = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "role", 1, 32, &role, NULL);
	if (!rc) {
		const struct role_def *rd = perm_role(role);
		if (!rd || !rd->device_ok)
			rc = err_set(&r->err, ERR_INVALID, "role",
				     "%s \"%s\": a device may carry only one of %s",
				     rd ? "not a device role" : "no such role", role,
				     device_roles(r));
	}
	if (!rc)
		rc = jx_id(r, r->json, "scope_unit_id", 1, 0, &scope, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = check_scope_unit(r, c, scope, "scope_unit_id")))
		return rc;
	char token[96], hash[65], hint[USERS_TOKEN_HINT_LEN + 1];
	auth_new_token(token, sizeof token, 32);
	auth_token_hash(token, hash);
	memcpy(hint, token, USERS_TOKEN_HINT_LEN);
	hint[USERS_TOKEN_HINT_LEN] = 0;
	struct dbq *q = db_query(c, sql, "ttttiIi", name, hash, hint, role, scope, r->who.user_id,
				 clock_now());
	if (!q)
		return ERR_DB;
	int64_t id = 0;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "device", id);
	r->audit_detail = arena_printf(&r->arena, "issued %s (%s)", hint, role);
	json_t *d = load_device(c, id, &rc);
	if (!d)
		return rc;
	json_object_set_new(d, "token", json_string(token));
	return resp_json(r, 201, d);
}

static int revoke_device(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	req_audit_record(r, "device", id);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, "SELECT scope_unit_id, revoked_at FROM device_tokens"
				    " WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int64_t unit = 0;
	int revoked = 0;
	rc = db_step(q);
	if (rc == 1) {
		unit = db_int(q, 0);
		revoked = !db_null(q, 1);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such device");
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this device is outside your area (scope)");
	if (revoked)
		return err_set(&r->err, ERR_CONFLICT, "", "this device token is already revoked");
	int64_t n = db_run(c, "UPDATE device_tokens SET revoked_at = $1 WHERE id = $2", "ii",
			   clock_now(), id);
	if (n < 0)
		return (int)n;
	r->audit_detail = "revoked";
	json_t *d = load_device(c, id, &rc);
	return d ? resp_json(r, 200, d) : rc;
}
