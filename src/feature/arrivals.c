/* Arrivals (DOMAIN.md §7 and Rules): a person's arrival from an area, graded
 * by the risk area it came from with its handling; the arrivals in scope and
 * their counts by grade (kept per unit, day and grade). The person rules
 * are in people.c, the person and household routes in persons.c. */
#include "people.h"
#include "people_internal.h"
#include "discrepancies.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../http/scope.h"
#include "areas.h"
#include "isolation.h"

static int add_arrival(struct req *r);
static int list_arrivals(struct req *r);
static int arrivals_by_grade(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/persons/{id}/arrivals", add_arrival, P_PEOPLE_WRITE, 0, ROUTE_IDEMPOTENT,
	 "record an arrival, graded on its date"},
	{"GET", "/api/v1/arrivals", list_arrivals, P_PEOPLE_READ, 0, 0,
	 "arrivals in scope by grade, handling, unit, dates"},
	{"GET", "/api/v1/arrivals/by-grade", arrivals_by_grade, P_PEOPLE_READ, 0, 0,
	 "arrivals per grade for a unit's direct children and in total"},

};
ROUTE_TABLE(arrivals_routes, routes);

/* ---------- arrivals ---------- */

static int add_arrival(struct req *r)
{
	int64_t id = 0;
	const char *origin = NULL, *day = NULL, *mode = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "origin_code", 1, 64, &origin, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "arrival_date", 1, 10, &day, NULL);
	if (!rc && day_valid(day))
		rc = err_set(&r->err, ERR_INVALID, "arrival_date", "must be a date YYYY-MM-DD");
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	if (!rc && strcmp(day, today) > 0)
		rc = err_set(&r->err, ERR_INVALID, "arrival_date", "is in the future");
	if (!rc)
		rc = jx_str(r, r->json, "mode", 0, 8, &mode, NULL);
	if (!rc && mode && strcmp(mode, "car") && strcmp(mode, "train") && strcmp(mode, "plane") &&
	    strcmp(mode, "other"))
		rc = err_set(&r->err, ERR_INVALID, "mode", "must be car, train, plane or other");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char code[7], name[64];
	rc = areas_resolve(c, origin, code, name);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "origin_code",
			       "\"%s\" is not a known place (a GB/T 2260 code or name)", origin);
	struct person_now p;
	if ((rc = people_for_write(r, c, id, &p)))
		return rc;
	int64_t aid = 0;
	rc = db_one_int(c, &aid,
			"SELECT id FROM arrivals WHERE person_id = $1 AND arrival_date = $2"
			" AND origin_code = $3",
			"itt", id, day, code);
	if (rc < 0)
		return rc;
	int fresh = rc == 0;
	if (fresh && (rc = people_add_arrival(c, id, p.unit_id, code, day, mode, "manual", 0,
					      clock_now(), &aid, &r->err)))
		return rc;
	req_audit_record(r, "arrival", aid);
	struct dbq *q = db_query(c, ARRIVAL_COLS " WHERE a.id = $1", "i", aid);
	json_t *o = query_row(q, people_arrival_row, &rc);
	/* The same arrival again is the one recorded: 200, nothing added. */
	return o ? resp_json(r, fresh ? 201 : 200, o) : (rc < 0 ? rc : ERR_DB);
}

static const struct list_col arrival_export[] = {
	{"id", "编号"},          {"person_name", "姓名"},     {"origin_code", "来源地代码"},
	{"origin_name", "来源地"}, {"arrival_date", "抵达日期"}, {"mode", "交通方式"},
	{"grade", "等级"},        {"handling", "处置方式"},    {"unit_name", "所在单位"},
	{0, 0},
};

static int list_arrivals(struct req *r)
{
	struct page pg;
	int64_t unit = 0, person = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "person_id", 1, INT64_MAX, 0, &person);
	if (rc)
		return rc;
	const char *grade = req_query(r, "grade"), *handling = req_query(r, "handling");
	const char *since = req_query(r, "since"), *until = req_query(r, "until");
	if (grade && *grade && !areas_grade_valid(grade))
		return err_set(&r->err, ERR_INVALID, "grade",
			       "must be severe, heavy, other_province, local, high, medium or low");
	if (handling && *handling && strcmp(handling, "centralized") &&
	    strcmp(handling, "home") && strcmp(handling, "monitor"))
		return err_set(&r->err, ERR_INVALID, "handling", "must be centralized, home or monitor");
	if (since && *since && day_valid(since))
		return err_set(&r->err, ERR_INVALID, "since", "must be a date YYYY-MM-DD");
	if (until && *until && day_valid(until))
		return err_set(&r->err, ERR_INVALID, "until", "must be a date YYYY-MM-DD");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t where = 0;
	if ((rc = people_list_where(r, c, unit, &where)))
		return rc < 0 ? rc : people_empty_list(r, &pg, arrival_export, "arrivals");
	/* The page's ids are found first, from the unit index alone (it
	 * holds the id), and only those 50 rows are read and joined to their
	 * person and unit, not every arrival of the scope before the sort. */
	struct buf b = {0};
	buf_puts(&b, ARRIVAL_COLS " WHERE a.id IN (SELECT a.id FROM arrivals a WHERE ");
	/* One person's arrivals are found through the person. */
	buf_puts(&b, person ? "+" SCOPE_SQL("a.unit_id", "1")
			    : people_subtree_sql(c, where, SCOPE_SQL("a.unit_id", "1"),
					  "+" SCOPE_SQL("a.unit_id", "1")));
	buf_puts(&b, " AND a.id > $2");
	if (grade && *grade)
		buf_puts(&b, " AND a.grade = $3");
	if (handling && *handling)
		buf_puts(&b, " AND a.handling = $4");
	if (since && *since)
		buf_puts(&b, " AND a.arrival_date >= $5");
	if (until && *until)
		buf_puts(&b, " AND a.arrival_date <= $6");
	if (person)
		buf_puts(&b, " AND a.person_id = $7");
	buf_puts(&b, " ORDER BY a.id LIMIT $8) ORDER BY a.id");
	const char *sql = buf_str(&b);
	struct dbq *q = sql ? db_query(c, sql, "iittttii", where, pg.after, grade ? grade : "",
				       handling ? handling : "", since ? since : "",
				       until ? until : "", person, pg.limit + 1)
			    : NULL;
	buf_free(&b);
	return resp_query_list(r, &pg, q, people_arrival_row, arrival_export, "arrivals");
}

static const char *const grade_keys[] = {"severe", "heavy", "other_province", "local",
					 "high",   "medium", "low"};
#define NGRADES (sizeof grade_keys / sizeof grade_keys[0])

static json_t *grade_row(int64_t unit, const char *name, const char *kind, int total)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:b}", "unit_id", (json_int_t)unit, "unit_name", name,
			      "kind", kind, "is_total", total);
	for (size_t i = 0; o && i < NGRADES; i++)
		json_object_set_new(o, grade_keys[i], json_integer(0));
	if (o) {
		json_object_set_new(o, "total", json_integer(0));
		json_object_set_new(o, "centralized", json_integer(0));
		json_object_set_new(o, "home", json_integer(0));
		json_object_set_new(o, "monitor", json_integer(0));
	}
	return o;
}

static void grade_add(json_t *row, const char *grade, int64_t n)
{
	if (!row)
		return;
	const char *keys[3] = {grade, "total", areas_handling(grade)};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(row, keys[i]);
		if (v)
			json_integer_set(v, json_integer_value(v) + n);
	}
}

static const struct list_col by_grade_export[] = {
	{"unit_name", "单位"},       {"severe", "疫情严重地区"}, {"heavy", "疫情较重地区"},
	{"other_province", "其他省份"}, {"local", "本省"},        {"high", "高风险"},
	{"medium", "中风险"},         {"low", "低风险"},         {"total", "合计"},
	{"centralized", "集中隔离"},   {"home", "居家隔离"},      {"monitor", "健康监测"},
	{0, 0},
};

static const struct list_col by_day_export[] = {
	{"day", "日期"},             {"severe", "疫情严重地区"}, {"heavy", "疫情较重地区"},
	{"other_province", "其他省份"}, {"local", "本省"},        {"high", "高风险"},
	{"medium", "中风险"},         {"low", "低风险"},         {"total", "合计"},
	{"centralized", "集中隔离"},   {"home", "居家隔离"},      {"monitor", "健康监测"},
	{0, 0},
};

/* ?by=day: the unit's subtree's arrivals per arrival day and grade (the
 * chart of arrivals by grade per day), days in order, only days with
 * arrivals; at most 366 days. Read from the unit's arrival_counts. */
static int arrivals_by_day(struct req *r, struct dbc *c, const struct page *pg, int64_t unit,
			   const char *since, const char *until)
{
	struct dbq *q = db_query(c,
				 "SELECT arrival_date, grade, n FROM arrival_counts WHERE unit_id = $1"
				 " AND n > 0 AND ($2 = '' OR arrival_date >= $2)"
				 " AND ($3 = '' OR arrival_date <= $3) ORDER BY arrival_date",
				 "itt", unit, since, until);
	if (!q)
		return ERR_DB;
	json_t *items = json_array(), *row = NULL;
	char day[DAY_LEN] = "";
	int rc;
	while ((rc = db_step(q)) == 1) {
		const char *d = db_text(q, 0);
		if (!d)
			continue;
		if (!row || strcmp(d, day) != 0) {
			if (json_array_size(items) >= 366)
				break;
			snprintf(day, sizeof day, "%s", d);
			row = grade_row(unit, "", "", 0);
			if (!row) {
				rc = ERR_NOMEM;
				break;
			}
			json_object_del(row, "unit_name");
			json_object_del(row, "kind");
			json_object_del(row, "is_total");
			json_object_set_new(row, "day", json_string(day));
			json_array_append_new(items, row);
		}
		grade_add(row, db_text(q, 1), db_int(q, 2));
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, pg, items, 0, by_day_export, "arrivals-by-day");
}

static int arrivals_by_grade(struct req *r)
{
	struct page pg;
	int64_t unit = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, r->who.scope_unit_id, &unit);
	if (rc)
		return rc;
	const char *since = req_query(r, "since"), *until = req_query(r, "until");
	if (since && *since && day_valid(since))
		return err_set(&r->err, ERR_INVALID, "since", "must be a date YYYY-MM-DD");
	if (until && *until && day_valid(until))
		return err_set(&r->err, ERR_INVALID, "until", "must be a date YYYY-MM-DD");
	if (!since)
		since = "";
	if (!until)
		until = "";
	const char *by = req_query(r, "by");
	if (by && *by && strcmp(by, "unit") != 0 && strcmp(by, "day") != 0)
		return err_set(&r->err, ERR_INVALID, "by", "must be unit or day");
	if ((rc = scope_check(r, unit, 0, "unit")))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (by && strcmp(by, "day") == 0)
		return arrivals_by_day(r, c, &pg, unit, since, until);
	json_t *total = NULL, *items = json_array(), *byid = json_object();
	int bad = 0;
	struct dbq *q = db_query(c, "SELECT id, name, kind FROM units WHERE id = $1", "i", unit);
	if (!q || (rc = db_step(q)) < 0)
		bad = q ? rc : ERR_DB;
	else if (rc == 1)
		total = grade_row(unit, db_text(q, 1), db_text(q, 2), 1);
	db_done(q);
	q = bad ? NULL
		: db_query(c, "SELECT id, name, kind FROM units WHERE parent_id = $1 ORDER BY id",
			   "i", unit);
	while (q && (rc = db_step(q)) == 1) {
		json_t *row = grade_row(db_int(q, 0), db_text(q, 1), db_text(q, 2), 0);
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_int(q, 0));
		json_object_set(byid, key, row);
		json_array_append_new(items, row);
	}
	if (!bad && (!q || rc < 0))
		bad = q ? rc : ERR_DB;
	db_done(q);
	/* The counts kept per unit (every unit above an arrival's unit counts
	 * it), day and grade: the unit's own rows give the total, each direct
	 * child's rows its line. */
	q = bad ? NULL
		: db_query(c,
			   "SELECT c.unit_id, c.grade, SUM(c.n) FROM arrival_counts c"
			   " WHERE (c.unit_id = $1 OR c.unit_id IN"
			   " (SELECT id FROM units WHERE parent_id = $1))"
			   " AND ($2 = '' OR c.arrival_date >= $2)"
			   " AND ($3 = '' OR c.arrival_date <= $3) GROUP BY c.unit_id, c.grade",
			   "itt", unit, since, until);
	while (q && (rc = db_step(q)) == 1) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_int(q, 0));
		grade_add(db_int(q, 0) == unit ? total : json_object_get(byid, key), db_text(q, 1),
			  db_int(q, 2));
	}
	if (!bad && (!q || rc < 0))
		bad = q ? rc : ERR_DB;
	db_done(q);
	json_decref(byid);
	if (bad || !total) {
		json_decref(items);
		json_decref(total);
		return bad ? bad : ERR_NOMEM;
	}
	json_array_append_new(items, total);
	return resp_list(r, &pg, items, 0, by_grade_export, "arrivals-by-grade");
}
