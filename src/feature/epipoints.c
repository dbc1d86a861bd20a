/* Epidemic points (疫点, DOMAIN.md §6, Rules: epidemic point): a place where
 * a case stayed — a building, a compound, a hotel — opened with its cases,
 * worked through the 9-step procedure (a setting: epipoint_procedure),
 * staffed by three work groups on a four-team, three-shift roster, and
 * lifted once 14 days have passed with no new case linked to it and every
 * linked contact's observation has ended. An open point on a compound
 * closes its gates to everyone but the point's staff (gates.c asks
 * epipoints_sealed). */
#include "cases.h"

#include <stdio.h>
#include <string.h>

/* ---------- pure rules ---------- */

int epipoints_lift_blockers(const char *day, const char *last_case_day, int quiet_days,
			    const char *const *obs_end, const int64_t *persons, size_t n,
			    struct epi_blocker *out, size_t cap)
{
	if (day_valid(day) || (last_case_day && day_valid(last_case_day)))
		return -1;
	size_t k = 0;
	if (last_case_day && day_diff(last_case_day, day) < quiet_days) {
		if (k < cap) {
			out[k] = (struct epi_blocker){.kind = "quiet_days"};
			day_add(last_case_day, quiet_days, out[k].until);
		}
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!obs_end[i] || day_valid(obs_end[i]))
			continue;
		/* Observed through its end day inclusive (DOMAIN.md: observation
		 * lasts 14 days from the last exposure): ended the day after. */
		if (strcmp(obs_end[i], day) >= 0) {
			if (k < cap) {
				out[k] = (struct epi_blocker){.kind = "observation",
							      .person_id = persons[i]};
				day_add(obs_end[i], 1, out[k].until);
			}
			k++;
		}
	}
	return (int)k;
}

/* ---------- routes ---------- */

#include <stdlib.h>

#include "../http/scope.h"
#include "../http/settings.h"
#include "checkpoints.h"

static int open_point(struct req *r);
static int list_points(struct req *r);
static int get_point(struct req *r);
static int do_step(struct req *r);
static int add_member(struct req *r);
static int lay_roster(struct req *r);
static int lift(struct req *r);
static int summary(struct req *r);
static int get_procedure(struct req *r);
static int put_procedure(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/epidemic-points", open_point, P_EPIPOINTS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "open an epidemic point for a place where cases stayed"},
	{"GET", "/api/v1/epidemic-points", list_points, P_CASES_READ, 0, 0,
	 "epidemic points in scope, with export"},
	{"GET", "/api/v1/epidemic-points/summary", summary, P_CASES_READ, 0, 0,
	 "points open and lifted, their staff and the people on duty now"},
	{"GET", "/api/v1/epidemic-points/procedure", get_procedure, P_CASES_READ, 0, 0,
	 "the 9-step procedure a new point copies (a setting)"},
	{"PUT", "/api/v1/epidemic-points/procedure", put_procedure, P_SETTINGS_ADMIN, 0, 0,
	 "replace the procedure; points opened before keep their steps"},
	{"GET", "/api/v1/epidemic-points/{id}", get_point, P_CASES_READ, 0, 0,
	 "one point: cases, steps, groups, roster and what blocks lifting"},
	{"POST", "/api/v1/epidemic-points/{id}/steps/{pos}", do_step, P_EPIPOINTS_WRITE, 0,
	 ROUTE_IDEMPOTENT, "mark a step of the 9-step procedure done"},
	{"POST", "/api/v1/epidemic-points/{id}/members", add_member, P_EPIPOINTS_WRITE, 0,
	 ROUTE_IDEMPOTENT, "add a member to one of the point's three work groups"},
	{"POST", "/api/v1/epidemic-points/{id}/roster", lay_roster, P_EPIPOINTS_WRITE, 0,
	 ROUTE_IDEMPOTENT, "lay out four teams over three shifts (四班三运转)"},
	{"POST", "/api/v1/epidemic-points/{id}/lift", lift, P_EPIPOINTS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "lift an eligible point (422 with the blockers otherwise)"},
};
ROUTE_TABLE(epipoints_routes, routes);

static const char *const work_groups[] = {"incident", "health", "supply"};

int epipoints_figures_as_of(struct dbc *c, int64_t scope, const char *day, struct epi_figures *out)
{
	memset(out, 0, sizeof *out);
	if (day_valid(day))
		return ERR_INVALID;
	struct dbq *q = db_query(
		c,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN lifted_day <= $2 THEN 1 ELSE 0 END), 0),"
		" MIN(CASE WHEN lifted_day <= $2 THEN lifted_day END),"
		" MAX(CASE WHEN lifted_day <= $2 THEN lifted_day END)"
		" FROM epidemic_points WHERE opened_day <= $2 AND " SCOPE_SQL("unit_id", "1"),
		"it", scope, day);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		out->total = db_int(q, 0);
		out->lifted = db_int(q, 1);
		out->open = out->total - out->lifted;
		snprintf(out->first_lifted_day, DAY_LEN, "%s", db_text(q, 2) ? db_text(q, 2) : "");
		snprintf(out->last_lifted_day, DAY_LEN, "%s", db_text(q, 3) ? db_text(q, 3) : "");
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

int epipoints_sealed(struct dbc *c, int64_t unit_id, int64_t person_id, int64_t *point_id,
		     int *staff)
{
	*point_id = 0;
	*staff = 0;
	int rc = db_one_int(c, point_id,
			    "SELECT MIN(id) FROM epidemic_points WHERE unit_id = $1 AND status = 'open'"
			    " HAVING COUNT(*) > 0",
			    "i", unit_id);
	if (rc <= 0)
		return rc;
	if (!person_id)
		return 1;
	rc = db_one_int(c, NULL,
			"SELECT 1 FROM epipoint_members m JOIN epidemic_points p ON p.id = m.point_id"
			" WHERE p.unit_id = $1 AND p.status = 'open' AND m.person_id = $2",
			"ii", unit_id, person_id);
	if (rc < 0)
		return rc;
	*staff = rc == 1;
	return 1;
}

/* ---------- lifting ---------- */

/* The blockers of lifting point id on day, as JSON (an array), and *n. */
static int blockers_of(struct dbc *c, int64_t id, const char *day, json_t **out, int *n)
{
	*out = NULL;
	char last[DAY_LEN] = "";
	struct dbq *q = db_query(c,
				 "SELECT MAX(k.report_day) FROM epipoint_cases ec"
				 " JOIN cases k ON k.id = ec.case_id WHERE ec.point_id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1 && db_text(q, 0))
		snprintf(last, sizeof last, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	/* The linked cases' close and general contacts. */
	q = db_query(c,
		     "SELECT d.person_id, d.observation_end_day, p.name FROM epipoint_cases ec"
		     " JOIN contacts d ON d.case_id = ec.case_id JOIN persons p ON p.id = d.person_id"
		     " WHERE ec.point_id = $1 AND d.decision <> 'none' ORDER BY d.observation_end_day"
		     " DESC, d.person_id",
		     "i", id);
	if (!q)
		return ERR_DB;
	size_t cap = 0, m = 0;
	char **ends = NULL, **names = NULL;
	int64_t *who = NULL;
	while ((rc = db_step(q)) == 1) {
		if (m == cap) {
			cap = cap ? cap * 2 : 32;
			char **ne = realloc(ends, cap * sizeof *ne);
			if (ne)
				ends = ne;
			char **nn = realloc(names, cap * sizeof *nn);
			if (nn)
				names = nn;
			int64_t *nw = realloc(who, cap * sizeof *nw);
			if (nw)
				who = nw;
			if (!ne || !nn || !nw) {
				rc = ERR_NOMEM;
				break;
			}
		}
		who[m] = db_int(q, 0);
		ends[m] = strdup(db_text(q, 1) ? db_text(q, 1) : "");
		names[m] = strdup(db_text(q, 2));
		m++;
	}
	db_done(q);
	struct epi_blocker b[EPI_MAX_BLOCKERS];
	int k = 0;
	if (rc >= 0) {
		k = epipoints_lift_blockers(day, last[0] ? last : NULL,
					    (int)settings_int(c, "epipoint_quiet_days"),
					    (const char *const *)ends, who, m, b, EPI_MAX_BLOCKERS);
		if (k < 0)
			rc = ERR_INVALID;
	}
	if (rc >= 0) {
		json_t *arr = json_array();
		for (int i = 0; i < k && i < EPI_MAX_BLOCKERS; i++) {
			if (strcmp(b[i].kind, "quiet_days") == 0) {
				json_array_append_new(
					arr, json_pack("{s:s,s:s,s:s,s:s+}", "kind", b[i].kind,
						       "until", b[i].until, "last_case_day", last,
						       "message", "14 days without a new case are"
						       " reached on ", b[i].until));
			} else {
				const char *nm = "";
				for (size_t j = 0; j < m; j++)
					if (who[j] == b[i].person_id)
						nm = names[j];
				/* until: the first day the point may be lifted, the day
				 * after the observation's last */
				char end[DAY_LEN];
				day_add(b[i].until, -1, end);
				json_array_append_new(
					arr, json_pack("{s:s,s:s,s:s,s:I,s:s,s:s+}", "kind", b[i].kind,
						       "until", b[i].until, "observation_end_day", end,
						       "person_id", (json_int_t)b[i].person_id,
						       "person_name", nm, "message",
						       "a contact is under observation through ", end));
			}
		}
		*out = arr;
		*n = k;
	}
	for (size_t j = 0; j < m; j++) {
		free(ends[j]);
		free(names[j]);
	}
	free(ends);
	free(names);
	free(who);
	return rc < 0 ? rc : 0;
}

/* ---------- one point ---------- */

#define POINT_COLS                                                                       \
	"SELECT p.id, p.unit_id, u.name, u.kind, p.name, p.opened_day, p.status, p.lifted_day," \
	" us.name, p.created_at, (SELECT COUNT(*) FROM epipoint_cases ec"                \
	" WHERE ec.point_id = p.id), (SELECT COUNT(*) FROM epipoint_steps s"             \
	" WHERE s.point_id = p.id AND s.done_at IS NOT NULL), (SELECT COUNT(*)"           \
	" FROM epipoint_members m WHERE m.point_id = p.id)"                              \
	" FROM epidemic_points p JOIN units u ON u.id = p.unit_id"                       \
	" LEFT JOIN users us ON us.id = p.lifted_by"

static json_t *point_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
			 "unit_name", db_text(q, 2), "unit_kind", db_text(q, 3), "name",
			 db_text(q, 4), "opened_day", db_text(q, 5), "status", db_text(q, 6),
			 "lifted_day", jx_text_or_null(db_text(q, 7)), "lifted_by_name",
			 jx_text_or_null(db_text(q, 8)), "created_at", (json_int_t)db_int(q, 9),
			 "cases", (json_int_t)db_int(q, 10), "steps_done",
			 (json_int_t)db_int(q, 11), "members", (json_int_t)db_int(q, 12));
}

static int point_unit(struct req *r, struct dbc *c, int64_t id, int write)
{
	int64_t unit = 0;
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM epidemic_points WHERE id = $1", "i",
			    id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such epidemic point");
	return scope_check(r, unit, write, "epidemic point");
}

/* Appends the rows of q as objects built by row to o[key]. */
static int attach_rows(json_t *o, const char *key, struct dbq *q, json_t *(*row)(struct dbq *))
{
	if (!q)
		return ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(q)) == 1)
		json_array_append_new(a, row(q));
	db_done(q);
	json_object_set_new(o, key, a);
	return rc < 0 ? rc : 0;
}

static json_t *pcase_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)db_int(q, 0), "person_id",
			 (json_int_t)db_int(q, 1), "person_name", db_text(q, 2), "status",
			 db_text(q, 3), "report_day", db_text(q, 4));
}

static json_t *step_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "pos", (json_int_t)db_int(q, 0), "name",
			 db_text(q, 1), "name_en", db_text(q, 2), "done_at", jx_col_int(q, 3),
			 "done_by_name", jx_text_or_null(db_text(q, 4)), "note",
			 jx_text_or_null(db_text(q, 5)));
}

static json_t *member_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:I}", "id", (json_int_t)db_int(q, 0),
			 "work_group", db_text(q, 1), "name", db_text(q, 2), "person_id",
			 jx_col_int(q, 3), "phone", jx_text_or_null(db_text(q, 4)), "team",
			 (json_int_t)db_int(q, 5));
}

static json_t *shift_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I}", "team", (json_int_t)db_int(q, 0), "starts_at",
			 (json_int_t)db_int(q, 1), "ends_at", (json_int_t)db_int(q, 2));
}

static int respond_point(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, POINT_COLS " WHERE p.id = $1", "i", id), point_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such epidemic point");
	int64_t now = clock_now();
	char today[DAY_LEN];
	clock_day(now, today);
	if (!(rc = attach_rows(o, "case_list",
			       db_query(c,
					"SELECT k.id, k.person_id, pe.name, k.status, k.report_day"
					" FROM epipoint_cases ec JOIN cases k ON k.id = ec.case_id"
					" JOIN persons pe ON pe.id = k.person_id"
					" WHERE ec.point_id = $1 ORDER BY k.report_day, k.id",
					"i", id),
			       pcase_row)) &&
	    !(rc = attach_rows(o, "steps",
			       db_query(c,
					"SELECT s.pos, s.name, s.name_en, s.done_at, us.name, s.note"
					" FROM epipoint_steps s LEFT JOIN users us ON us.id = s.done_by"
					" WHERE s.point_id = $1 ORDER BY s.pos",
					"i", id),
			       step_row)) &&
	    !(rc = attach_rows(o, "member_list",
			       db_query(c,
					"SELECT id, work_group, name, person_id, phone, team"
					" FROM epipoint_members WHERE point_id = $1"
					" ORDER BY work_group, team, id",
					"i", id),
			       member_row)) &&
	    !(rc = attach_rows(o, "roster",
			       db_query(c,
					"SELECT team, starts_at, ends_at FROM epipoint_shifts"
					" WHERE point_id = $1 AND ends_at > $2 ORDER BY starts_at"
					" LIMIT 12",
					"ii", id, now),
			       shift_row))) {
		/* The next step: the first not done. */
		json_t *steps = json_object_get(o, "steps"), *s;
		size_t i;
		json_t *next = json_null();
		json_array_foreach(steps, i, s) if (json_is_null(json_object_get(s, "done_at")))
		{
			next = json_incref(s);
			break;
		}
		json_object_set_new(o, "next_step", next);
		json_t *bl = NULL;
		int n = 0;
		const char *st = json_string_value(json_object_get(o, "status"));
		if (st && strcmp(st, "open") == 0) {
			rc = blockers_of(c, id, today, &bl, &n);
			if (!rc)
				json_object_set_new(o, "lift",
						    json_pack("{s:b,s:s,s:o}", "eligible", n == 0,
							      "day", today, "blockers", bl));
		} else {
			json_object_set_new(o, "lift", json_pack("{s:b,s:o,s:[]}", "eligible", 0,
								 "day", json_null(), "blockers"));
		}
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	return resp_json(r, status, o);
}

static int get_point(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = point_unit(r, c, id, 0)))
		return rc;
	return respond_point(r, c, id, 200);
}

/* ---------- the write paths (the API and the demo) ---------- */

int epipoints_open(struct dbc *c, int64_t unit_id, const char *name, const int64_t *case_ids,
		   size_t ncases, const char *opened_day, int64_t user, int64_t now, int64_t *id)
{
	struct dbq *q = db_query(c,
				 "INSERT INTO epidemic_points(unit_id, name, opened_day, status,"
				 " created_by, created_at) VALUES ($1, $2, $3, 'open', $4, $5)"
				 " RETURNING id",
				 "ittIi", unit_id, name, opened_day, user, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	for (size_t i = 0; i < ncases; i++) {
		int64_t n = db_run(c,
				   "INSERT INTO epipoint_cases(point_id, case_id) VALUES ($1, $2)"
				   " ON CONFLICT (point_id, case_id) DO NOTHING",
				   "ii", *id, case_ids[i]);
		if (n < 0)
			return (int)n;
	}
	int64_t n = db_run(c,
			   "INSERT INTO epipoint_steps(point_id, pos, name, name_en)"
			   " SELECT $1, pos, name, name_en FROM epipoint_procedure",
			   "i", *id);
	return n < 0 ? (int)n : 0;
}

int epipoints_step_done(struct dbc *c, int64_t id, int pos, const char *note, int64_t user,
			int64_t at)
{
	int64_t n = db_run(c,
			   "UPDATE epipoint_steps SET done_at = $3, done_by = $4, note = $5"
			   " WHERE point_id = $1 AND pos = $2 AND done_at IS NULL",
			   "iiiIt", id, (int64_t)pos, at, user, note);
	return n < 0 ? (int)n : (int)n;
}

int epipoints_add_member(struct dbc *c, int64_t id, const char *group, const char *name,
			 int64_t person_id, const char *phone, int team, int64_t now, int64_t *mid)
{
	struct dbq *q = db_query(c,
				 "INSERT INTO epipoint_members(point_id, work_group, name, person_id,"
				 " phone, team, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
				 " RETURNING id",
				 "ittItii", id, group, name, person_id, phone, (int64_t)team, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*mid = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int epipoints_roster(struct dbc *c, int64_t id, const char *from, int days)
{
	struct roster_shift sh[3 * 60];
	int n = checkpoints_roster(from, days, 4, 8, 0, sh, sizeof sh / sizeof sh[0]);
	if (n < 0)
		return ERR_INVALID;
	for (int i = 0; i < n; i++) {
		int64_t k = db_run(c,
				   "INSERT INTO epipoint_shifts(point_id, team, starts_at, ends_at)"
				   " VALUES ($1, $2, $3, $4) ON CONFLICT (point_id, starts_at)"
				   " DO UPDATE SET team = excluded.team, ends_at = excluded.ends_at",
				   "iiii", id, (int64_t)sh[i].team, sh[i].starts_at, sh[i].ends_at);
		if (k < 0)
			return (int)k;
	}
	return n;
}

int epipoints_lift(struct dbc *c, int64_t id, const char *day, int64_t user, json_t **blockers,
		   struct err_info *ei)
{
	*blockers = NULL;
	int n = 0;
	int rc = blockers_of(c, id, day, blockers, &n);
	if (rc)
		return rc;
	if (n > 0)
		return err_set(ei, ERR_RULE, "day",
			       "the point cannot be lifted on %s: %d blocker(s) remain", day, n);
	int64_t k = db_run(c,
			   "UPDATE epidemic_points SET status = 'lifted', lifted_day = $2,"
			   " lifted_by = $3 WHERE id = $1 AND status = 'open'",
			   "itI", id, day, user);
	if (k < 0)
		return (int)k;
	if (k == 0)
		return err_set(ei, ERR_CONFLICT, "", "the point is lifted already");
	return 0;
}

/* ---------- handlers ---------- */

static int open_point(struct req *r)
{
	int rc = req_json(r);
	if (rc)
		return rc;
	json_t *j = r->json;
	int64_t unit;
	const char *day, *name = NULL;
	if ((rc = jx_id(r, j, "unit_id", 1, 0, &unit, NULL)) ||
	    (rc = jx_str(r, j, "opened_day", 1, 10, &day, NULL)) ||
	    (rc = jx_str(r, j, "name", 0, 100, &name, NULL)))
		return rc;
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	if (day_valid(day))
		return err_set(&r->err, ERR_INVALID, "opened_day", "must be a date YYYY-MM-DD");
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_INVALID, "opened_day", "is after today (%s)", today);
	json_t *ids = json_object_get(j, "case_ids");
	if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 100)
		return err_set(&r->err, ERR_INVALID, "case_ids",
			       "must be a list of 1 to 100 case ids");
	int64_t cases[100];
	size_t nc = json_array_size(ids);
	for (size_t i = 0; i < nc; i++) {
		json_t *v = json_array_get(ids, i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return err_set(&r->err, ERR_INVALID, "case_ids", "must be case ids");
		cases[i] = json_integer_value(v);
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char uname[200] = "";
	struct dbq *q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", unit);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1)
		snprintf(uname, sizeof uname, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	for (size_t i = 0; i < nc; i++) {
		if ((rc = cases_check_access(r, c, cases[i], 1))) {
			if (rc == ERR_NOT_FOUND)
				return err_set(&r->err, ERR_INVALID, "case_ids", "no such case: %lld",
					       (long long)cases[i]);
			return rc;
		}
	}
	int64_t open = 0;
	if ((rc = db_one_int(c, &open,
			     "SELECT id FROM epidemic_points WHERE unit_id = $1 AND status = 'open'",
			     "i", unit)) < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "unit_id",
			       "this place is already open epidemic point %lld", (long long)open);
	int64_t id = 0;
	if ((rc = epipoints_open(c, unit, name && *name ? name : uname, cases, nc, day,
				 r->who.user_id, now, &id)))
		return rc;
	req_audit_record(r, "epidemic_point", id);
	return respond_point(r, c, id, 201);
}

static const struct list_col point_export[] = {
	{"id", "编号"},         {"name", "疫点"},       {"unit_name", "所在单位"},
	{"opened_day", "启用日期"}, {"status", "状态"}, {"lifted_day", "解除日期"},
	{"cases", "关联病例"},   {"steps_done", "已完成步骤"}, {"members", "工作人员"},
	{0, 0},
};

static int list_points(struct req *r)
{
	static const char sql[] =
		POINT_COLS " WHERE " SCOPE_SQL("p.unit_id", "1") " AND p.id > $2"
		" AND ($3 = '' OR p.status = $3) ORDER BY p.id LIMIT $4";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *st = req_query(r, "status");
	if (st && *st && strcmp(st, "open") && strcmp(st, "lifted"))
		return err_set(&r->err, ERR_INVALID, "status", "must be open or lifted");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	return resp_query_list(r, &pg,
			       db_query(c, sql, "iiti", r->who.scope_unit_id, pg.after,
					st ? st : "", pg.limit + 1),
			       point_row, point_export, "epidemic-points");
}

static int summary(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	struct dbq *q = db_query(
		c,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.status = 'open' THEN 1 ELSE 0 END), 0),"
		" (SELECT COUNT(*) FROM epipoint_members m JOIN epidemic_points x"
		" ON x.id = m.point_id WHERE x.status = 'open' AND " SCOPE_SQL("x.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM epipoint_members m JOIN epidemic_points x"
		" ON x.id = m.point_id JOIN epipoint_shifts s ON s.point_id = x.id"
		" AND s.team = m.team AND s.starts_at <= $2 AND s.ends_at > $2"
		" WHERE x.status = 'open' AND " SCOPE_SQL("x.unit_id", "1") ")"
		" FROM epidemic_points p WHERE " SCOPE_SQL("p.unit_id", "1"),
		"ii", r->who.scope_unit_id, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	json_t *o = NULL;
	if (rc == 1)
		o = json_pack("{s:I,s:I,s:I,s:I,s:I}", "total", (json_int_t)db_int(q, 0), "open",
			      (json_int_t)db_int(q, 1), "lifted",
			      (json_int_t)(db_int(q, 0) - db_int(q, 1)), "staff",
			      (json_int_t)db_int(q, 2), "on_duty_now", (json_int_t)db_int(q, 3));
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, o);
}

static int do_step(struct req *r)
{
	int64_t id, pos;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_param_id(r, "pos", &pos)))
		return rc;
	const char *note = NULL;
	if (r->body_len && ((rc = req_json(r)) || (rc = jx_str(r, r->json, "note", 0, 200, &note, NULL))))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = point_unit(r, c, id, 1)))
		return rc;
	int64_t done = 0;
	rc = db_one_int(c, &done,
			"SELECT CASE WHEN done_at IS NULL THEN 0 ELSE 1 END FROM epipoint_steps"
			" WHERE point_id = $1 AND pos = $2",
			"ii", id, pos);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such step");
	if (done)
		return err_set(&r->err, ERR_CONFLICT, "", "this step is done already");
	if ((rc = epipoints_step_done(c, id, (int)pos, note, r->who.user_id, clock_now())) < 0)
		return rc;
	req_audit_record(r, "epidemic_point", id);
	return respond_point(r, c, id, 201);
}

static int add_member(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	json_t *j = r->json;
	const char *group, *name, *phone = NULL;
	int64_t person = 0, team;
	if ((rc = jx_str(r, j, "work_group", 1, 16, &group, NULL)) ||
	    (rc = jx_str(r, j, "name", 1, 64, &name, NULL)) ||
	    (rc = jx_str(r, j, "phone", 0, 20, &phone, NULL)) ||
	    (rc = jx_id(r, j, "person_id", 0, 1, &person, NULL)) ||
	    (rc = jx_int(r, j, "team", 1, 0, 3, &team, NULL)))
		return rc;
	size_t g;
	for (g = 0; g < 3 && strcmp(group, work_groups[g]); g++)
		;
	if (g == 3)
		return err_set(&r->err, ERR_INVALID, "work_group", "must be incident, health or supply");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = point_unit(r, c, id, 1)))
		return rc;
	if (person) {
		if ((rc = db_one_int(c, NULL, "SELECT 1 FROM persons WHERE id = $1", "i", person)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "person_id", "no such person");
	}
	int64_t mid;
	if ((rc = epipoints_add_member(c, id, group, name, person, phone, (int)team, clock_now(),
				       &mid)))
		return rc;
	req_audit_record(r, "epidemic_point", id);
	return respond_point(r, c, id, 201);
}

static int lay_roster(struct req *r)
{
	int64_t id, days;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	const char *from;
	if ((rc = jx_str(r, r->json, "from", 1, 10, &from, NULL)) ||
	    (rc = jx_int(r, r->json, "days", 1, 1, 60, &days, NULL)))
		return rc;
	if (day_valid(from))
		return err_set(&r->err, ERR_INVALID, "from", "must be a date YYYY-MM-DD");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = point_unit(r, c, id, 1)))
		return rc;
	if ((rc = epipoints_roster(c, id, from, (int)days)) < 0)
		return rc;
	req_audit_record(r, "epidemic_point", id);
	return respond_point(r, c, id, 201);
}

static int lift(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	const char *day;
	if ((rc = jx_str(r, r->json, "day", 1, 10, &day, NULL)))
		return rc;
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	if (day_valid(day))
		return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_INVALID, "day", "is after today (%s)", today);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = point_unit(r, c, id, 1)))
		return rc;
	json_t *bl = NULL;
	rc = epipoints_lift(c, id, day, r->who.user_id, &bl, &r->err);
	if (rc == ERR_RULE) {
		/* 422 with the blockers beside the message. */
		json_t *body = json_pack("{s:{s:s,s:s,s:s,s:s,s:o}}", "error", "code", "rule",
					 "field", "day", "message", r->err.message, "message_en",
					 r->err.message, "blockers", bl);
		if (r->err.message_zh[0] && strcmp(req_lang(r), "en") != 0)
			json_object_set_new(json_object_get(body, "error"), "message",
					    json_string(r->err.message_zh));
		return resp_json(r, 422, body); /* nothing was written */
	}
	json_decref(bl);
	if (rc)
		return rc;
	req_audit_record(r, "epidemic_point", id);
	return respond_point(r, c, id, 200);
}

/* ---------- the procedure (a setting) ---------- */

static json_t *proc_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s}", "pos", (json_int_t)db_int(q, 0), "name", db_text(q, 1),
			 "name_en", db_text(q, 2));
}

static int get_procedure(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *o = json_object();
	int rc = attach_rows(
		o, "items",
		db_query(c, "SELECT pos, name, name_en FROM epipoint_procedure ORDER BY pos", ""),
		proc_row);
	if (rc) {
		json_decref(o);
		return rc;
	}
	return resp_json(r, 200, o);
}

/* PUT {"items":[{"name","name_en"}]}: the procedure becomes exactly these
 * steps in this order. Points already open keep the steps they copied, so
 * a step done is never renamed or lost under them. */
static int put_procedure(struct req *r)
{
	/* A rule for the whole district: not changed from below it. */
	int rc = scope_district_wide(r);
	if (!rc)
		rc = req_json(r);
	if (rc)
		return rc;
	json_t *items = json_object_get(r->json, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > 20)
		return err_set(&r->err, ERR_INVALID, "items", "must be a list of 1 to 20 steps");
	size_t n = json_array_size(items);
	const char **zh = arena_alloc(&r->arena, sizeof *zh * n * 2);
	if (!zh)
		return ERR_NOMEM;
	const char **en = zh + n;
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(items, i);
		if (!json_is_object(it))
			return err_set(&r->err, ERR_INVALID, "items", "step %zu must be an object",
				       i + 1);
		if ((rc = jx_str(r, it, "name", 1, 100, &zh[i], NULL)) ||
		    (rc = jx_str(r, it, "name_en", 1, 200, &en[i], NULL))) {
			return err_set(&r->err, ERR_INVALID, "items",
				       "step %zu needs a Chinese and an English name (up to 100 and"
				       " 200 characters)",
				       i + 1);
		}
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (db_run(c, "DELETE FROM epipoint_procedure", "") < 0)
		return ERR_DB;
	for (size_t i = 0; i < n; i++) {
		int64_t x = db_run(c,
				   "INSERT INTO epipoint_procedure(pos, name, name_en)"
				   " VALUES ($1, $2, $3)",
				   "itt", (int64_t)(i + 1), zh[i], en[i]);
		if (x < 0)
			return (int)x;
	}
	r->audit_detail = arena_printf(&r->arena, "epidemic point procedure: %zu steps", n);
	req_audit_record(r, "settings", 0);
	return get_procedure(r);
}
