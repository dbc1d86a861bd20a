/* Volunteers (志愿者, DOMAIN.md §12): party members, cadres and volunteers
 * register (name, phone, skills, unit, party member or not), are posted to
 * compounds, gates, epidemic points or services for a span of days, and
 * their shifts served (from, to) are recorded; hours are summed per
 * volunteer and per unit. A volunteer can be made a user (a grid worker of
 * the volunteer's unit) for the field pages. Phones are masked in lists
 * unless a role with id.reveal asks (audited). A volunteer belongs to the
 * unit registered with; a shift to the unit where it was served. */
#include <stdio.h>
#include <string.h>

#include "../http/auth.h"
#include "../http/scope.h"
#include "command.h"
#include "daily.h"
#include "users.h"

static int list_volunteers(struct req *r);
static int get_volunteer(struct req *r);
static int create_volunteer(struct req *r);
static int add_post(struct req *r);
static int add_shift(struct req *r);
static int make_user(struct req *r);
static int hours(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/volunteers", list_volunteers, P_UNITS_READ, 0, 0,
	 "volunteers with their hours, phones masked"},
	{"GET", "/api/v1/volunteers/hours", hours, P_UNITS_READ, 0, 0,
	 "hours served per unit or per volunteer over a period"},
	{"GET", "/api/v1/volunteers/{id}", get_volunteer, P_UNITS_READ, 0, 0,
	 "one volunteer with posts and shifts"},
	{"POST", "/api/v1/volunteers", create_volunteer, P_VOLUNTEERS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "register a volunteer"},
	{"POST", "/api/v1/volunteers/{id}/posts", add_post, P_VOLUNTEERS_WRITE, 0, 0,
	 "post a volunteer to a compound, gate, epidemic point or service"},
	{"POST", "/api/v1/volunteers/{id}/shifts", add_shift, P_VOLUNTEERS_WRITE, 0,
	 ROUTE_IDEMPOTENT, "record a shift served"},
	{"POST", "/api/v1/volunteers/{id}/user", make_user, P_USERS_ADMIN, 0, 0,
	 "make a volunteer a user for the field pages"},
};
ROUTE_TABLE(volunteers_routes, routes);

#define SHIFT_MAX_SECONDS (24 * 3600)

int64_t volunteers_minutes(int64_t start, int64_t end)
{
	return end > start ? (end - start) / 60 : 0;
}

/* ---------- list and one ---------- */

#define VOL_COLS                                                                        \
	"SELECT v.id, v.unit_id, u.name, v.name, v.phone, v.skills, v.party_member,"    \
	" v.user_id, v.created_at,"                                                     \
	" (SELECT COALESCE(SUM(s.end_at - s.start_at), 0) FROM volunteer_shifts s"      \
	" WHERE s.volunteer_id = v.id),"                                                \
	" (SELECT COUNT(*) FROM volunteer_shifts s WHERE s.volunteer_id = v.id),"       \
	" (SELECT COUNT(*) FROM volunteer_posts p WHERE p.volunteer_id = v.id)"         \
	" FROM volunteers v JOIN units u ON u.id = v.unit_id"

static json_t *vol_json(struct dbq *q, int whole)
{
	char masked[32];
	const char *phone = db_text(q, 4);
	int64_t secs = db_int(q, 9);
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:b,s:o,s:I,s:f,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "name", db_text(q, 3), "phone",
			 whole ? phone : command_mask_phone(phone, masked, sizeof masked), "skills",
			 jx_text_or_null(db_text(q, 5)), "party_member", (int)db_int(q, 6),
			 "user_id", jx_col_int(q, 7), "created_at", (json_int_t)db_int(q, 8),
			 "hours", (double)(secs / 60) / 60.0, "shifts", (json_int_t)db_int(q, 10),
			 "posts", (json_int_t)db_int(q, 11));
}

static json_t *vol_row(struct dbq *q)
{
	return vol_json(q, 0);
}

static const struct list_col vol_export[] = {
	{"id", "编号"},      {"name", "姓名"},        {"phone", "电话"},
	{"unit_name", "单位"}, {"party_member", "党员"}, {"skills", "特长"},
	{"posts", "岗位数"},  {"shifts", "服务次数"},  {"hours", "服务时长(小时)"},
	{0, 0},
};

static int list_volunteers(struct req *r)
{
	static const char sql[] =
		VOL_COLS " WHERE " SCOPE_SQL("v.unit_id", "1") " AND v.id > $2"
		" AND ($3 = '' OR lower(v.name) LIKE $3 ESCAPE '\\' OR lower(v.skills) LIKE $3 ESCAPE '\\')"
		" AND ($4 < 0 OR v.party_member = $4) AND ($5 = 0 OR v.unit_id = $5)"
		" ORDER BY v.id LIMIT $6";
	struct page pg;
	const char *pat = "";
	int64_t party = -1, unit = 0, reveal = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (!rc)
		rc = req_query_int(r, "party_member", 0, 1, -1, &party);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "reveal", 0, 1, 0, &reveal);
	if (rc)
		return rc;
	int whole = reveal && req_can(r, P_ID_REVEAL);
	struct dbq *q = db_query(req_db(r), sql, "iitiii", r->who.scope_unit_id, pg.after, pat,
				 party, unit, pg.limit + 1);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t n = 0, last = 0, next = 0;
	while ((rc = db_step(q)) == 1) {
		if (n++ == pg.limit) {
			next = last;
			break;
		}
		last = db_int(q, 0);
		json_array_append_new(items, vol_json(q, whole));
		if (whole)
			req_audit_read(r, "volunteer", last, "phone");
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, &pg, items, next, vol_export, "volunteers");
}

/* The volunteer's unit, after the scope check: 404 outside it. */
static int vol_unit(struct req *r, struct dbc *c, int64_t id, int64_t *unit)
{
	int rc = db_one_int(c, unit, "SELECT unit_id FROM volunteers WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = scope_contains(c, r->who.scope_unit_id, *unit)) < 0)
		return rc;
	return rc == 1 ? 0 : err_set(&r->err, ERR_NOT_FOUND, "", "no such volunteer");
}

static int respond_volunteer(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *v = query_row(db_query(c, VOL_COLS " WHERE v.id = $1", "i", id), vol_row, &rc);
	if (!v)
		return rc < 0 ? rc : ERR_DB;
	json_t *posts = json_array(), *shifts = json_array();
	struct dbq *q = db_query(c,
				 "SELECT p.id, p.kind, p.unit_id, u.name, p.label, p.from_day, p.to_day"
				 " FROM volunteer_posts p JOIN units u ON u.id = p.unit_id"
				 " WHERE p.volunteer_id = $1 ORDER BY p.id",
				 "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(posts, json_pack("{s:I,s:s,s:I,s:s,s:o,s:s,s:o}", "id",
						       (json_int_t)db_int(q, 0), "kind",
						       db_text(q, 1), "unit_id",
						       (json_int_t)db_int(q, 2), "unit_name",
						       db_text(q, 3), "label",
						       jx_text_or_null(db_text(q, 4)), "from_day",
						       db_text(q, 5), "to_day",
						       jx_text_or_null(db_text(q, 6))));
	db_done(q);
	q = db_query(c,
		     "SELECT s.id, s.unit_id, u.name, s.post_id, s.start_at, s.end_at"
		     " FROM volunteer_shifts s JOIN units u ON u.id = s.unit_id"
		     " WHERE s.volunteer_id = $1 ORDER BY s.start_at DESC LIMIT 200",
		     "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(shifts,
				      json_pack("{s:I,s:I,s:s,s:o,s:I,s:I,s:I}", "id",
						(json_int_t)db_int(q, 0), "unit_id",
						(json_int_t)db_int(q, 1), "unit_name", db_text(q, 2),
						"post_id", jx_col_int(q, 3), "start_at",
						(json_int_t)db_int(q, 4), "end_at",
						(json_int_t)db_int(q, 5), "minutes",
						(json_int_t)volunteers_minutes(db_int(q, 4),
									       db_int(q, 5))));
	db_done(q);
	json_object_set_new(v, "post_list", posts);
	json_object_set_new(v, "shift_list", shifts);
	return resp_json(r, status, v);
}

static int get_volunteer(struct req *r)
{
	int64_t id = 0, unit = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = vol_unit(r, req_db(r), id, &unit);
	return rc ? rc : respond_volunteer(r, req_db(r), id, 200);
}

/* ---------- writes ---------- */

static int create_volunteer(struct req *r)
{
	static const char sql[] =
		"INSERT INTO volunteers(unit_id, name, phone, skills, party_member, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	int64_t unit = 0;
	const char *name = NULL, *raw = NULL, *skills = NULL;
	int party = 0;
	char phone[12];
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "phone", 1, 32, &raw, NULL);
	if (!rc && !command_phone_normalize(raw, phone))
		rc = err_set(&r->err, ERR_INVALID, "phone",
			     "must be an 11-digit mobile number such as 13812345678"
			     " (+86 and spaces allowed)");
	if (!rc)
		rc = jx_str(r, r->json, "skills", 0, 200, &skills, NULL);
	if (!rc)
		rc = jx_bool(r, r->json, "party_member", 0, &party, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = daily_unit_for_write(r, c, unit, "unit_id", NULL)))
		return rc;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "itttii", unit, name, phone,
				   skills && *skills ? skills : NULL, (int64_t)party, clock_now()),
			  &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "phone",
			       "a volunteer with this phone is registered in this unit already");
	if (rc)
		return rc;
	req_audit_record(r, "volunteer", id);
	return respond_volunteer(r, c, id, 201);
}

static int add_post(struct req *r)
{
	static const char sql[] =
		"INSERT INTO volunteer_posts(volunteer_id, kind, unit_id, label, from_day, to_day,"
		" created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
	int64_t id = 0, vunit = 0, unit = 0;
	const char *kind = NULL, *label = NULL;
	char from[DAY_LEN], to[DAY_LEN], today[DAY_LEN], ukind[16] = "";
	daily_today(today);
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "volunteer", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 20, &kind, NULL);
	if (!rc && strcmp(kind, "compound") && strcmp(kind, "gate") &&
	    strcmp(kind, "epidemic_point") && strcmp(kind, "service"))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be compound, gate, epidemic_point or service");
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "label", 0, 100, &label, NULL);
	if (!rc)
		rc = daily_json_day(r, "from_day", 0, from);
	if (!rc)
		rc = daily_json_day(r, "to_day", 0, to);
	if (rc)
		return rc;
	if (!from[0])
		snprintf(from, sizeof from, "%s", today);
	if (to[0] && strcmp(to, from) < 0)
		return err_set(&r->err, ERR_INVALID, "to_day", "must not be before from_day");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = vol_unit(r, c, id, &vunit)))
		return rc;
	if ((rc = daily_unit_for_write(r, c, unit, "unit_id", ukind)))
		return rc;
	if ((!strcmp(kind, "compound") || !strcmp(kind, "gate")) && strcmp(ukind, "compound") &&
	    strcmp(ukind, "building"))
		return err_set(&r->err, ERR_RULE, "unit_id",
			       "a compound or gate post is at a compound, not a %s", ukind);
	int64_t n = db_run(c, sql, "itittti", id, kind, unit, label && *label ? label : NULL, from,
			   to[0] ? to : NULL, clock_now());
	if (n < 0)
		return (int)n;
	return respond_volunteer(r, c, id, 201);
}

static int add_shift(struct req *r)
{
	static const char overlap_sql[] =
		"SELECT 1 FROM volunteer_shifts WHERE volunteer_id = $1 AND start_at < $3"
		" AND end_at > $2";
	static const char sql[] =
		"INSERT INTO volunteer_shifts(volunteer_id, unit_id, post_id, start_at, end_at,"
		" created_at) VALUES ($1, $2, $3, $4, $5, $6)";
	int64_t id = 0, vunit = 0, post = 0, unit = 0, start = 0, end = 0;
	const char *s1 = NULL, *s2 = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "volunteer", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "start_at", 1, 19, &s1, NULL);
	if (!rc && clock_parse_local(s1, &start))
		rc = err_set(&r->err, ERR_INVALID, "start_at", "must be a local time YYYY-MM-DDTHH:MM");
	if (!rc)
		rc = jx_str(r, r->json, "end_at", 1, 19, &s2, NULL);
	if (!rc && clock_parse_local(s2, &end))
		rc = err_set(&r->err, ERR_INVALID, "end_at", "must be a local time YYYY-MM-DDTHH:MM");
	if (!rc && end <= start)
		rc = err_set(&r->err, ERR_INVALID, "end_at", "must be after start_at");
	if (!rc && end - start > SHIFT_MAX_SECONDS)
		rc = err_set(&r->err, ERR_INVALID, "end_at", "a shift is at most 24 hours");
	if (!rc)
		rc = jx_id(r, r->json, "post_id", 0, 1, &post, NULL);
	if (rc)
		return rc;
	if (end > clock_now() + 300)
		return err_set(&r->err, ERR_RULE, "end_at", "a shift is recorded once served");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = vol_unit(r, c, id, &vunit)))
		return rc;
	unit = vunit;
	if (post) {
		rc = db_one_int(c, &unit,
				"SELECT unit_id FROM volunteer_posts WHERE id = $1 AND volunteer_id = $2",
				"ii", post, id);
		if (rc <= 0)
			return rc < 0 ? rc : err_set(&r->err, ERR_INVALID, "post_id", "no such post");
	}
	rc = db_one_int(c, NULL, overlap_sql, "iii", id, start, end);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "start_at",
			       "this volunteer has a shift at that time already");
	int64_t n = db_run(c, sql, "iiIiii", id, unit, post, start, end, clock_now());
	if (n < 0)
		return (int)n;
	return respond_volunteer(r, c, id, 201);
}

static int make_user(struct req *r)
{
	static const char sql[] =
		"INSERT INTO users(username, name, role, scope_unit_id, phone, pw_hash, created_at,"
		" updated_at) VALUES ($1, $2, 'grid_worker', $3, $4, $5, $6, $6) RETURNING id";
	int64_t id = 0, unit = 0, user = 0;
	const char *username = NULL, *password = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "volunteer", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "username", 1, 0, &username, NULL);
	if (!rc && !users_username_valid(username))
		rc = err_set(&r->err, ERR_INVALID, "username",
			     "must be 3 to 32 characters: lower-case letters a-z, digits, '_', '.'"
			     " or '-'");
	if (!rc) {
		json_t *pw = json_object_get(r->json, "password");
		if (!json_is_string(pw))
			rc = err_set(&r->err, ERR_INVALID, "password", "is required");
		else
			password = json_string_value(pw);
	}
	if (!rc && (strlen(password) < 8 || strlen(password) > 128))
		rc = err_set(&r->err, ERR_INVALID, "password", "must be 8 to 128 characters");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = vol_unit(r, c, id, &unit)))
		return rc;
	char name[128] = "", phone[16] = "";
	struct dbq *q = db_query(c, "SELECT name, phone, user_id FROM volunteers WHERE id = $1", "i",
				 id);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		snprintf(name, sizeof name, "%s", db_text(q, 0));
		snprintf(phone, sizeof phone, "%s", db_text(q, 1));
		user = db_null(q, 2) ? 0 : db_int(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (user)
		return err_set(&r->err, ERR_CONFLICT, "", "this volunteer is a user already");
	char hash[AUTH_HASH_LEN];
	if (auth_hash_password(password, hash))
		return ERR_NOMEM;
	rc = daily_insert(db_query(c, sql, "ttitti", username, name, unit, phone, hash,
				   clock_now()),
			  &user);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "username", "username %s is taken", username);
	if (rc)
		return rc;
	int64_t n = db_run(c, "UPDATE volunteers SET user_id = $2 WHERE id = $1", "ii", id, user);
	if (n < 0)
		return (int)n;
	r->audit_detail = "made a user";
	return respond_volunteer(r, c, id, 201);
}

/* ---------- hours ---------- */

static int hours(struct req *r)
{
	static const char by_unit_sql[] =
		"SELECT s.unit_id, u.name, COUNT(DISTINCT s.volunteer_id), COUNT(*),"
		" SUM(s.end_at - s.start_at) FROM volunteer_shifts s JOIN units u ON u.id = s.unit_id"
		" WHERE " SCOPE_SQL("s.unit_id", "1") " AND s.start_at >= $2 AND s.start_at < $3"
		" GROUP BY s.unit_id, u.name ORDER BY s.unit_id";
	static const char by_vol_sql[] =
		"SELECT v.id, v.name, 1, COUNT(*), SUM(s.end_at - s.start_at)"
		" FROM volunteer_shifts s JOIN volunteers v ON v.id = s.volunteer_id"
		" WHERE " SCOPE_SQL("s.unit_id", "1") " AND s.start_at >= $2 AND s.start_at < $3"
		" GROUP BY v.id, v.name ORDER BY v.id";
	char from[DAY_LEN], to[DAY_LEN], next[DAY_LEN];
	const char *by = req_query(r, "by");
	struct page pg;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "from", "2000-01-01", from);
	if (!rc) {
		char today[DAY_LEN];
		daily_today(today);
		rc = daily_query_day(r, "to", today, to);
	}
	if (!rc && by && *by && strcmp(by, "unit") && strcmp(by, "volunteer"))
		rc = err_set(&r->err, ERR_INVALID, "by", "must be unit or volunteer");
	if (rc)
		return rc;
	int per_vol = by && !strcmp(by, "volunteer");
	day_add(to, 1, next);
	struct dbq *q = db_query(req_db(r), per_vol ? by_vol_sql : by_unit_sql, "iii",
				 r->who.scope_unit_id, day_start(from), day_start(next));
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t total = 0;
	while ((rc = db_step(q)) == 1) {
		int64_t secs = db_int(q, 4);
		total += secs;
		json_array_append_new(items,
				      json_pack("{s:I,s:s,s:I,s:I,s:f}", "id", (json_int_t)db_int(q, 0),
						"name", db_text(q, 1), "volunteers",
						(json_int_t)db_int(q, 2), "shifts",
						(json_int_t)db_int(q, 3), "hours",
						(double)(secs / 60) / 60.0));
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	if (pg.export) {
		static const struct list_col cols[] = {
			{"id", "编号"},       {"name", "单位/志愿者"}, {"volunteers", "志愿者数"},
			{"shifts", "服务次数"}, {"hours", "服务时长(小时)"}, {0, 0},
		};
		pg.limit = (int64_t)json_array_size(items) + 1;
		return resp_list(r, &pg, items, 0, cols, "volunteer-hours");
	}
	return resp_json(r, 200, json_pack("{s:s,s:s,s:s,s:f,s:o}", "from", from, "to", to, "by",
					   per_vol ? "volunteer" : "unit", "hours",
					   (double)(total / 60) / 60.0, "items", items));
}
