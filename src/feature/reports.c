/* Daily and zero reporting (日报告、零报告, DOMAIN.md §1 and the Rules): every
 * town and sub-district, and every unit marked a key unit, owes one report
 * per local day by the deadline (setting report_deadline_minutes, 16:00).
 * A report carries the day's figures, prefilled from Cordon's own records
 * for that unit and day (screening visits, arrivals by grade, fevers,
 * checkpoint traffic), and free text; a unit with nothing to report files a
 * zero report. A second report for the same unit and day replaces the first
 * and the first stays as history; timeliness counts the first filing. The
 * command sees for a day or a period who reported, who was late and who is
 * missing, with the reporting rate (filed / expected) and timeliness (filed
 * by the deadline / expected) as DHIS2 computes them: a unit is expected
 * only from its first day (its creation, or the day set for it). Leaders see
 * the missing reports of the units they are assigned to (?mine=1: the
 * leaders whose phone is the signed-in user's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "daily.h"

static int list_units(struct req *r);
static int set_unit(struct req *r);
static int get_status(struct req *r);
static int get_prefill(struct req *r);
static int list_reports(struct req *r);
static int get_report(struct req *r);
static int file_report(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/reports/units", list_units, P_REPORTS_READ, 0, 0,
	 "reporting units in scope: towns, sub-districts and key units"},
	{"POST", "/api/v1/reports/units", set_unit, P_COMMAND_WRITE, 0, 0,
	 "mark a key reporting unit, or set when a unit's duty starts or ends"},
	{"GET", "/api/v1/reports/status", get_status, P_REPORTS_READ, 0, 0,
	 "who reported, who was late, who is missing; rate and timeliness"},
	{"GET", "/api/v1/reports/prefill", get_prefill, P_REPORTS_READ, 0, 0,
	 "a unit's figures for a day from Cordon's records"},
	{"GET", "/api/v1/reports", list_reports, P_REPORTS_READ, 0, 0, "filed reports"},
	{"GET", "/api/v1/reports/{id}", get_report, P_REPORTS_READ, 0, 0,
	 "one report with its history"},
	{"POST", "/api/v1/reports", file_report, P_REPORTS_WRITE, 64 * 1024, ROUTE_IDEMPOTENT,
	 "file (or replace) a unit's daily or zero report"},
};
ROUTE_TABLE(reports_routes, routes);

const char *const reports_figure_keys[REPORT_NFIGURES] = {
	"visited_households", "persons_found",   "arrivals_severe",     "arrivals_heavy",
	"arrivals_other",     "isolations_new",  "releases",            "fever_referrals",
	"checkpoint_vehicles", "checkpoint_persons",
};
#define FIGURE_MAX 10000000

/* ---------- pure rules ---------- */

int reports_on_time(const char *day, int64_t at, int64_t deadline_min)
{
	int64_t start = day_start(day);
	if (start == INT64_MIN)
		return 0;
	return at <= start + deadline_min * 60;
}

static int cmp_unit(const void *a, const void *b)
{
	int64_t x = ((const struct rep_unit *)a)->id, y = ((const struct rep_unit *)b)->id;
	return x < y ? -1 : x > y;
}

void reports_tally(const struct rep_unit *units, size_t nunits, const struct rep_filing *f,
		   size_t nf, const char *from, const char *to, struct rep_tally *out)
{
	for (size_t i = 0; i < nunits; i++) {
		const char *a = strcmp(units[i].from, from) > 0 ? units[i].from : from;
		const char *b = units[i].until[0] && strcmp(units[i].until, to) < 0 ? units[i].until : to;
		int32_t n = day_diff(a, b);
		if (n != INT32_MIN && n >= 0)
			out->expected += n + 1;
	}
	for (size_t i = 0; nunits && i < nf; i++) {
		struct rep_unit key = {.id = f[i].unit_id};
		const struct rep_unit *u = bsearch(&key, units, nunits, sizeof *units, cmp_unit);
		if (!u || strcmp(f[i].day, from) < 0 || strcmp(f[i].day, to) > 0 ||
		    strcmp(f[i].day, u->from) < 0 || (u->until[0] && strcmp(f[i].day, u->until) > 0))
			continue;
		out->filed++;
		out->on_time += f[i].on_time != 0;
	}
}

int64_t reports_permille(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return 0;
	return (part * 1000 + whole / 2) / whole;
}

/* ---------- reporting units and filings from the database ---------- */

struct rep_set {
	struct rep_unit *u;
	char (*name)[96];
	char (*kind)[16];
	int *key;
	size_t n, cap;
	struct rep_filing *f;
	int64_t *fid; /* report id of each filing */
	size_t nf, fcap;
};

static void rep_free(struct rep_set *s)
{
	free(s->u);
	free(s->name);
	free(s->kind);
	free(s->key);
	free(s->f);
	free(s->fid);
	memset(s, 0, sizeof *s);
}

/* The reporting units in scope's subtree; with leader (a leader id) or
 * mine_user (a user id: the leaders with that user's phone) only those
 * assigned to them: a unit at, above or below one of their assignments. */
static int rep_load_units(struct dbc *c, int64_t scope, int64_t leader, int64_t mine_user,
			  struct rep_set *s)
{
	static const char sql[] =
		"SELECT u.id, u.name, u.kind, u.created_at, COALESCE(ru.key_unit, 0), ru.since_day,"
		" ru.until_day FROM units u LEFT JOIN report_units ru ON ru.unit_id = u.id"
		" WHERE (u.kind = 'town' OR u.kind = 'subdistrict' OR ru.key_unit = 1)"
		" AND " SCOPE_SQL("u.id", "1")
		" AND (($2 = 0 AND $3 = 0) OR EXISTS (SELECT 1 FROM assignments a"
		" JOIN unit_tree t ON ((t.ancestor_id = u.id AND t.unit_id = a.unit_id)"
		" OR (t.ancestor_id = a.unit_id AND t.unit_id = u.id))"
		" WHERE a.leader_id = $2 OR a.leader_id IN (SELECT l.id FROM leaders l"
		" JOIN users s ON s.phone = l.phone WHERE s.id = $3)))"
		" ORDER BY u.id";
	struct dbq *q = db_query(c, sql, "iii", scope, leader, mine_user);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;
			void *a = realloc(s->u, cap * sizeof *s->u);
			if (a)
				s->u = a;
			void *b = realloc(s->name, cap * sizeof *s->name);
			if (b)
				s->name = b;
			void *k = realloc(s->kind, cap * sizeof *s->kind);
			if (k)
				s->kind = k;
			void *e = realloc(s->key, cap * sizeof *s->key);
			if (e)
				s->key = e;
			if (!a || !b || !k || !e) {
				rc = ERR_NOMEM;
				break;
			}
			s->cap = cap;
		}
		struct rep_unit *u = &s->u[s->n];
		u->id = db_int(q, 0);
		snprintf(s->name[s->n], sizeof s->name[0], "%s", db_text(q, 1));
		snprintf(s->kind[s->n], sizeof s->kind[0], "%s", db_text(q, 2));
		s->key[s->n] = (int)db_int(q, 4);
		if (!db_null(q, 5))
			snprintf(u->from, DAY_LEN, "%s", db_text(q, 5));
		else
			clock_day(db_int(q, 3), u->from);
		snprintf(u->until, DAY_LEN, "%s", db_null(q, 6) ? "" : db_text(q, 6));
		s->n++;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

/* The current filings of the days from..to in scope. */
static int rep_load_filings(struct dbc *c, int64_t scope, const char *from, const char *to,
			    struct rep_set *s)
{
	static const char sql[] =
		"SELECT unit_id, day, late, id FROM daily_reports WHERE replaced_at IS NULL"
		" AND day >= $2 AND day <= $3 AND " SCOPE_SQL("unit_id", "1");
	struct dbq *q = db_query(c, sql, "itt", scope, from, to);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1) {
		if (s->nf == s->fcap) {
			size_t cap = s->fcap ? s->fcap * 2 : 256;
			void *a = realloc(s->f, cap * sizeof *s->f);
			if (a)
				s->f = a;
			void *b = realloc(s->fid, cap * sizeof *s->fid);
			if (b)
				s->fid = b;
			if (!a || !b) {
				rc = ERR_NOMEM;
				break;
			}
			s->fcap = cap;
		}
		s->f[s->nf].unit_id = db_int(q, 0);
		snprintf(s->f[s->nf].day, DAY_LEN, "%s", db_text(q, 1));
		s->f[s->nf].on_time = db_int(q, 2) == 0;
		s->fid[s->nf] = db_int(q, 3);
		s->nf++;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

int daily_reporting_as_of(struct dbc *c, int64_t scope_unit, const char *day,
			  struct daily_reporting *out)
{
	struct rep_set s = {0};
	struct rep_tally t = {0};
	memset(out, 0, sizeof *out);
	if (day_valid(day))
		return ERR_INVALID;
	int rc = rep_load_units(c, scope_unit, 0, 0, &s);
	if (!rc)
		rc = rep_load_filings(c, scope_unit, day, day, &s);
	if (!rc) {
		reports_tally(s.u, s.n, s.f, s.nf, day, day, &t);
		out->expected = t.expected;
		out->filed = t.filed;
		out->on_time = t.on_time;
	}
	rep_free(&s);
	return rc;
}

/* ---------- GET/POST /api/v1/reports/units ---------- */

static int list_units(struct req *r)
{
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct rep_set s = {0};
	rc = rep_load_units(req_db(r), r->who.scope_unit_id, 0, 0, &s);
	if (rc) {
		rep_free(&s);
		return rc;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < s.n; i++)
		json_array_append_new(items,
				      json_pack("{s:I,s:I,s:s,s:s,s:b,s:s,s:o}", "id",
						(json_int_t)s.u[i].id, "unit_id", (json_int_t)s.u[i].id,
						"name", s.name[i], "kind", s.kind[i], "key_unit",
						s.key[i], "since_day", s.u[i].from, "until_day",
						jx_text_or_null(s.u[i].until[0] ? s.u[i].until : NULL)));
	rep_free(&s);
	static const struct list_col cols[] = {
		{"unit_id", "单位编号"}, {"name", "报告单位"},   {"kind", "类型"},
		{"key_unit", "重点单位"}, {"since_day", "起报日"}, {"until_day", "止报日"},
		{0, 0},
	};
	pg.limit = (int64_t)json_array_size(items) + 1;
	return resp_list(r, &pg, items, 0, cols, "report-units");
}

static int set_unit(struct req *r)
{
	static const char sql[] =
		"INSERT INTO report_units(unit_id, key_unit, since_day, until_day, created_at)"
		" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE SET"
		" key_unit = excluded.key_unit, since_day = excluded.since_day,"
		" until_day = excluded.until_day";
	int64_t unit = 0;
	int key = 0;
	char since[DAY_LEN], until[DAY_LEN];
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_bool(r, r->json, "key_unit", 0, &key, NULL);
	if (!rc)
		rc = daily_json_day(r, "since_day", 0, since);
	if (!rc)
		rc = daily_json_day(r, "until_day", 0, until);
	if (!rc && since[0] && until[0] && strcmp(until, since) < 0)
		rc = err_set(&r->err, ERR_INVALID, "until_day", "must not be before since_day");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char kind[16] = "";
	if ((rc = daily_unit_for_write(r, c, unit, "unit_id", kind)))
		return rc;
	if (key && (!strcmp(kind, "compound") || !strcmp(kind, "building")))
		return err_set(&r->err, ERR_RULE, "unit_id",
			       "a key reporting unit is a town, sub-district, village or community,"
			       " not a %s", kind);
	int64_t n = db_run(c, sql, "iitti", unit, (int64_t)key, since[0] ? since : NULL,
			   until[0] ? until : NULL, clock_now());
	if (n < 0)
		return (int)n;
	req_audit_record(r, "report_unit", unit);
	return resp_json(r, 200, json_pack("{s:I,s:b,s:o,s:o}", "unit_id", (json_int_t)unit,
					   "key_unit", key, "since_day",
					   jx_text_or_null(since[0] ? since : NULL), "until_day",
					   jx_text_or_null(until[0] ? until : NULL)));
}

/* ---------- GET /api/v1/reports/status ---------- */

/* The unit-day's state: "on_time", "late" or "missing"; "" when the unit
 * was not expected that day. */
static const char *unit_day_state(const struct rep_set *s, size_t ui, const char *day,
				  int64_t *report_id)
{
	const struct rep_unit *u = &s->u[ui];
	*report_id = 0;
	if (strcmp(day, u->from) < 0 || (u->until[0] && strcmp(day, u->until) > 0))
		return "";
	for (size_t i = 0; i < s->nf; i++)
		if (s->f[i].unit_id == u->id && strcmp(s->f[i].day, day) == 0) {
			*report_id = s->fid[i];
			return s->f[i].on_time ? "on_time" : "late";
		}
	return "missing";
}

static void put_rates(json_t *o, const struct rep_tally *t)
{
	json_object_set_new(o, "expected", json_integer(t->expected));
	json_object_set_new(o, "filed", json_integer(t->filed));
	json_object_set_new(o, "on_time", json_integer(t->on_time));
	json_object_set_new(o, "late", json_integer(t->filed - t->on_time));
	json_object_set_new(o, "missing_n", json_integer(t->expected - t->filed));
	json_object_set_new(o, "rate",
			    json_real((double)reports_permille(t->filed, t->expected) / 10.0));
	json_object_set_new(o, "timeliness",
			    json_real((double)reports_permille(t->on_time, t->expected) / 10.0));
}

static int get_status(struct req *r)
{
	char today[DAY_LEN], day[DAY_LEN], from[DAY_LEN], to[DAY_LEN];
	int64_t leader = 0, mine = 0;
	struct page pg;
	daily_today(today);
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "day", today, day);
	if (!rc)
		rc = daily_query_day(r, "from", day, from);
	if (!rc)
		rc = daily_query_day(r, "to", req_query(r, "from") ? today : day, to);
	if (!rc && strcmp(from, to) > 0)
		rc = err_set(&r->err, ERR_INVALID, "to", "must not be before from");
	if (!rc && day_diff(from, to) > 366)
		rc = err_set(&r->err, ERR_INVALID, "from", "a period is at most a year");
	if (!rc)
		rc = req_query_int(r, "leader_id", 1, INT64_MAX, 0, &leader);
	if (!rc)
		rc = req_query_int(r, "mine", 0, 1, 0, &mine);
	const char *by = req_query(r, "by");
	if (!rc && by && strcmp(by, "day") != 0 && strcmp(by, "unit") != 0)
		rc = err_set(&r->err, ERR_INVALID, "by", "must be unit or day");
	if (rc)
		return rc;
	int by_day = by && strcmp(by, "day") == 0;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t deadline = settings_int(c, "report_deadline_minutes");
	struct rep_set s = {0};
	rc = rep_load_units(c, r->who.scope_unit_id, leader, mine ? r->who.user_id : 0, &s);
	if (!rc && mine && !r->who.user_id)
		s.n = 0; /* a device is no leader */
	if (!rc)
		rc = rep_load_filings(c, r->who.scope_unit_id, from, to, &s);
	if (rc) {
		rep_free(&s);
		return rc;
	}
	int one_day = strcmp(from, to) == 0;
	struct rep_tally total = {0};
	reports_tally(s.u, s.n, s.f, s.nf, from, to, &total);
	json_t *out = json_object();
	json_t *units = json_array();
	json_t *missing = json_array();
	for (size_t i = 0; i < s.n; i++) {
		struct rep_tally t = {0};
		reports_tally(&s.u[i], 1, s.f, s.nf, from, to, &t);
		json_t *u = json_pack("{s:I,s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)s.u[i].id,
				      "unit_id", (json_int_t)s.u[i].id, "name", s.name[i], "kind",
				      s.kind[i], "key_unit", s.key[i], "since_day", s.u[i].from);
		put_rates(u, &t);
		if (one_day) {
			int64_t rid = 0;
			const char *st = unit_day_state(&s, i, from, &rid);
			json_object_set_new(u, "state", json_string(*st ? st : "not_expected"));
			json_object_set_new(u, "report_id", rid ? json_integer(rid) : json_null());
		}
		if (t.expected > t.filed)
			json_array_append_new(missing,
					      json_pack("{s:I,s:s,s:I}", "unit_id",
							(json_int_t)s.u[i].id, "name", s.name[i],
							"days", (json_int_t)(t.expected - t.filed)));
		json_array_append_new(units, u);
	}
	/* Day by day over the period, for the chart of completeness and
	 * timeliness (and its table, exported with by=day). */
	json_t *days = json_array();
	char d[DAY_LEN];
	snprintf(d, sizeof d, "%s", from);
	for (;;) {
		struct rep_tally t = {0};
		reports_tally(s.u, s.n, s.f, s.nf, d, d, &t);
		json_t *o = json_pack("{s:s}", "day", d);
		put_rates(o, &t);
		json_array_append_new(days, o);
		if (strcmp(d, to) >= 0 || day_add(d, 1, d))
			break;
	}
	if (pg.export && by_day) {
		static const struct list_col cols[] = {
			{"day", "日期"},     {"expected", "应报"}, {"filed", "已报"},
			{"on_time", "按时"}, {"late", "迟报"},     {"missing_n", "缺报"},
			{"rate", "报告率(%)"}, {"timeliness", "及时率(%)"}, {0, 0},
		};
		json_decref(out);
		json_decref(missing);
		json_decref(units);
		rep_free(&s);
		pg.limit = (int64_t)json_array_size(days) + 1;
		return resp_list(r, &pg, days, 0, cols, "reporting_days");
	}
	if (pg.export) {
		json_decref(days);
		static const struct list_col cols[] = {
			{"unit_id", "单位编号"}, {"name", "报告单位"}, {"kind", "类型"},
			{"state", "状态"},       {"expected", "应报"},  {"filed", "已报"},
			{"on_time", "按时"},     {"late", "迟报"},     {"missing_n", "缺报"},
			{"rate", "报告率(%)"},   {"timeliness", "及时率(%)"}, {0, 0},
		};
		json_decref(out);
		json_decref(missing);
		rep_free(&s);
		pg.limit = (int64_t)json_array_size(units) + 1;
		return resp_list(r, &pg, units, 0, cols, "reporting");
	}
	int64_t deadline_at = day_start(to) + deadline * 60;
	json_object_set_new(out, "from", json_string(from));
	json_object_set_new(out, "to", json_string(to));
	if (one_day)
		json_object_set_new(out, "day", json_string(from));
	char hm[8];
	snprintf(hm, sizeof hm, "%02d:%02d", (int)(deadline / 60), (int)(deadline % 60));
	json_object_set_new(out, "deadline", json_string(hm));
	json_object_set_new(out, "deadline_passed", json_boolean(clock_now() > deadline_at));
	put_rates(out, &total);
	json_object_set_new(out, "missing", missing);
	json_object_set_new(out, "units", units);
	json_object_set_new(out, "days", days);
	rep_free(&s);
	return resp_json(r, 200, out);
}

/* ---------- figures from records ---------- */

int reports_prefill(struct dbc *c, int64_t unit, const char *day, int64_t v[REPORT_NFIGURES],
		     int known[REPORT_NFIGURES])
{
	static const char visits_sql[] =
		"SELECT COUNT(*), COALESCE(SUM(v.persons_found), 0) FROM visits v"
		" WHERE v.at >= $2 AND v.at < $3 AND v.result = 'visited' AND "
		SCOPE_SQL("v.unit_id", "1");
	static const char arrivals_sql[] =
		"SELECT COALESCE(SUM(CASE WHEN a.grade = 'severe' OR a.grade = 'high' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN a.grade = 'heavy' OR a.grade = 'medium' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN a.grade = 'other_province' OR a.grade = 'low' THEN 1 ELSE 0 END), 0)"
		" FROM arrivals a WHERE a.arrival_date = $2 AND " SCOPE_SQL("a.unit_id", "1");
	static const char fevers_sql[] =
		"SELECT COUNT(*) FROM fevers f JOIN persons p ON p.id = f.person_id"
		" WHERE f.at >= $2 AND f.at < $3 AND " SCOPE_SQL("p.unit_id", "1");
	static const char cp_sql[] =
		"SELECT COALESCE(SUM(d.vehicles), 0), COALESCE(SUM(d.person_trips), 0)"
		" FROM checkpoint_days d JOIN checkpoints k ON k.id = d.checkpoint_id"
		" WHERE d.day = $2 AND " SCOPE_SQL("k.unit_id", "1");
	/* New isolations are orders begun that day, but not the hospital order
	 * a transfer opens (the person was already counted); releases are
	 * orders released that day. Both by the person's unit when ordered. */
	static const char iso_sql[] =
		"SELECT COALESCE(SUM(CASE WHEN i.start_day = $2 AND i.source <> 'transfer'"
		" THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN i.status = 'released' AND i.end_day = $2 THEN 1 ELSE 0 END), 0)"
		" FROM isolations i WHERE (i.start_day = $2 OR i.end_day = $2) AND "
		SCOPE_SQL("i.unit_id", "1");
	memset(v, 0, sizeof(int64_t) * REPORT_NFIGURES);
	memset(known, 0, sizeof(int) * REPORT_NFIGURES);
	int64_t t0 = day_start(day);
	char next[DAY_LEN];
	day_add(day, 1, next);
	int64_t t1 = day_start(next);
	struct dbq *q = db_query(c, visits_sql, "iii", unit, t0, t1);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	v[0] = db_int(q, 0);
	v[1] = db_int(q, 1);
	known[0] = known[1] = 1;
	db_done(q);
	q = db_query(c, arrivals_sql, "it", unit, day);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	for (int i = 0; i < 3; i++) {
		v[2 + i] = db_int(q, i);
		known[2 + i] = 1;
	}
	db_done(q);
	q = db_query(c, fevers_sql, "iii", unit, t0, t1);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	v[7] = db_int(q, 0);
	known[7] = 1;
	db_done(q);
	q = db_query(c, cp_sql, "it", unit, day);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	v[8] = db_int(q, 0);
	v[9] = db_int(q, 1);
	known[8] = known[9] = 1;
	db_done(q);
	q = db_query(c, iso_sql, "it", unit, day);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	v[5] = db_int(q, 0);
	v[6] = db_int(q, 1);
	known[5] = known[6] = 1;
	db_done(q);
	return 0;
}

static json_t *figures_json(const int64_t v[REPORT_NFIGURES])
{
	json_t *o = json_object();
	for (int i = 0; i < REPORT_NFIGURES; i++)
		json_object_set_new(o, reports_figure_keys[i], json_integer(v[i]));
	return o;
}

static int get_prefill(struct req *r)
{
	char today[DAY_LEN], day[DAY_LEN];
	int64_t unit = 0;
	daily_today(today);
	int rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc && !unit)
		rc = err_set(&r->err, ERR_INVALID, "unit_id", "is required");
	if (!rc)
		rc = daily_query_day(r, "day", today, day);
	if (!rc)
		rc = scope_check(r, unit, 0, "unit");
	if (rc)
		return rc;
	int64_t v[REPORT_NFIGURES];
	int known[REPORT_NFIGURES];
	if ((rc = reports_prefill(req_db(r), unit, day, v, known)))
		return rc;
	json_t *from = json_array();
	for (int i = 0; i < REPORT_NFIGURES; i++)
		if (known[i])
			json_array_append_new(from, json_string(reports_figure_keys[i]));
	return resp_json(r, 200, json_pack("{s:I,s:s,s:o,s:o}", "unit_id", (json_int_t)unit,
					   "day", day, "figures", figures_json(v), "from_records",
					   from));
}

/* ---------- reports ---------- */

#define REPORT_COLS                                                                      \
	"SELECT d.id, d.unit_id, u.name, d.day, d.version, d.zero, d.figures, d.text,"   \
	" d.filed_at, d.first_at, d.late, d.filed_by, s.name, d.replaced_at"             \
	" FROM daily_reports d JOIN units u ON u.id = d.unit_id"                         \
	" LEFT JOIN users s ON s.id = d.filed_by"

static json_t *report_row(struct dbq *q)
{
	json_t *fig = NULL;
	const char *ftext = db_text(q, 6);
	if (ftext)
		fig = json_loads(ftext, 0, NULL);
	if (!fig)
		fig = json_object();
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:I,s:b,s:o,s:o,s:I,s:I,s:b,s:o,s:o,s:o}", "id",
			      (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
			      "unit_name", db_text(q, 2), "day", db_text(q, 3), "version",
			      (json_int_t)db_int(q, 4), "zero", (int)db_int(q, 5), "figures", fig,
			      "text", jx_text_or_null(db_text(q, 7)), "filed_at",
			      (json_int_t)db_int(q, 8), "first_at", (json_int_t)db_int(q, 9),
			      "late", (int)db_int(q, 10), "filed_by", jx_col_int(q, 11),
			      "filed_by_name", jx_text_or_null(db_text(q, 12)), "replaced_at",
			      jx_col_int(q, 13));
	/* the figures again at the top, for the columns of an export */
	for (int i = 0; o && i < REPORT_NFIGURES; i++) {
		json_t *x = json_object_get(fig, reports_figure_keys[i]);
		json_object_set_new(o, reports_figure_keys[i],
				    x ? json_incref(x) : json_integer(0));
	}
	return o;
}

static const struct list_col report_export[] = {
	{"id", "编号"},
	{"unit_name", "报告单位"},
	{"day", "日期"},
	{"zero", "零报告"},
	{"late", "迟报"},
	{"version", "版本"},
	{"first_at", "首次报告时间"},
	{"filed_at", "报告时间"},
	{"filed_by_name", "报告人"},
	{"visited_households", "走访户数"},
	{"persons_found", "摸排人数"},
	{"arrivals_severe", "来自严重地区"},
	{"arrivals_heavy", "来自较重地区"},
	{"arrivals_other", "来自其他省份"},
	{"isolations_new", "新增隔离"},
	{"releases", "解除隔离"},
	{"fever_referrals", "发热转诊"},
	{"checkpoint_vehicles", "卡点车辆"},
	{"checkpoint_persons", "卡点人次"},
	{"text", "情况说明"},
	{0, 0},
};

static int list_reports(struct req *r)
{
	static const char sql[] =
		REPORT_COLS " WHERE d.replaced_at IS NULL AND " SCOPE_SQL("d.unit_id", "1")
		" AND d.id > $2 AND ($3 = '' OR d.day >= $3) AND ($4 = '' OR d.day <= $4)"
		" AND ($5 = 0 OR d.unit_id = $5) AND ($6 < 0 OR d.late = $6)"
		" AND ($7 < 0 OR d.zero = $7) ORDER BY d.id LIMIT $8";
	struct page pg;
	char day[DAY_LEN], from[DAY_LEN], to[DAY_LEN];
	int64_t unit = 0, late = -1, zero = -1;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "day", NULL, day);
	if (!rc)
		rc = daily_query_day(r, "from", day, from);
	if (!rc)
		rc = daily_query_day(r, "to", day, to);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "late", 0, 1, -1, &late);
	if (!rc)
		rc = req_query_int(r, "zero", 0, 1, -1, &zero);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	struct dbq *q = db_query(c, sql, "iittiiii", r->who.scope_unit_id, pg.after, from, to,
				 unit, late, zero, pg.limit + 1);
	return resp_query_list(r, &pg, q, report_row, report_export, "reports");
}

static int get_report(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	json_t *rep = query_row(db_query(c, REPORT_COLS " WHERE d.id = $1", "i", id), report_row,
				&rc);
	if (!rep)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such report");
	int64_t unit = json_integer_value(json_object_get(rep, "unit_id"));
	if ((rc = scope_check(r, unit, 0, "report"))) {
		json_decref(rep);
		return rc;
	}
	struct dbq *q = db_query(c, REPORT_COLS " WHERE d.unit_id = $1 AND d.day = $2"
					     " AND d.id > $3 ORDER BY d.id LIMIT $4",
				 "itii", unit, json_string_value(json_object_get(rep, "day")),
				 (int64_t)0, (int64_t)1000);
	json_t *hist = json_array();
	struct page pg = {.limit = 1000};
	int64_t next = 0;
	rc = list_collect(q, &pg, hist, report_row, &next);
	if (rc < 0) {
		json_decref(rep);
		json_decref(hist);
		return rc;
	}
	json_object_set_new(rep, "history", hist);
	return resp_json(r, 200, rep);
}

/* Reads "figures": an object of the known keys, each a whole number from 0
 * to 10,000,000; unknown keys are refused (a typo is not a figure). *any
 * says whether any is above zero. The canonical JSON text goes to *out. */
static int figures_field(struct req *r, int64_t v[REPORT_NFIGURES], int *given, int *any)
{
	json_t *f = json_object_get(r->json, "figures");
	memset(v, 0, sizeof(int64_t) * REPORT_NFIGURES);
	*given = 0;
	*any = 0;
	if (!f || json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return err_set(&r->err, ERR_INVALID, "figures",
			       "must be an object of the day's figures");
	*given = 1;
	const char *k;
	json_t *x;
	json_object_foreach(f, k, x)
	{
		int i = 0;
		while (i < REPORT_NFIGURES && strcmp(reports_figure_keys[i], k) != 0)
			i++;
		char field[80];
		snprintf(field, sizeof field, "figures.%.60s", k);
		if (i == REPORT_NFIGURES)
			return err_set(&r->err, ERR_INVALID, field, "is not a figure of the daily report");
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > FIGURE_MAX)
			return err_set(&r->err, ERR_INVALID, field,
				       "must be a whole number from 0 to 10000000");
		v[i] = json_integer_value(x);
		*any |= v[i] > 0;
	}
	return 0;
}

static int file_report(struct req *r)
{
	static const char cur_sql[] =
		"SELECT id, version, first_at, late FROM daily_reports"
		" WHERE unit_id = $1 AND day = $2 AND replaced_at IS NULL";
	static const char replace_sql[] = "UPDATE daily_reports SET replaced_at = $2 WHERE id = $1";
	static const char ins_sql[] =
		"INSERT INTO daily_reports(unit_id, day, version, zero, figures, text, filed_at,"
		" first_at, late, filed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		" RETURNING id";
	int64_t unit = 0, v[REPORT_NFIGURES];
	int zero = 0, given = 0, any = 0;
	char day[DAY_LEN], today[DAY_LEN];
	const char *text = NULL;
	daily_today(today);
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = daily_json_day(r, "day", 1, day);
	if (!rc)
		rc = jx_bool(r, r->json, "zero", 0, &zero, NULL);
	if (!rc)
		rc = figures_field(r, v, &given, &any);
	if (!rc)
		rc = daily_json_text(r, "text", 0, 4000, &text, NULL);
	if (!rc && zero && any)
		rc = err_set(&r->err, ERR_INVALID, "figures",
			     "a zero report has no figures above zero");
	if (!rc && !zero && !given && !text)
		rc = err_set(&r->err, ERR_INVALID, "figures",
			     "give the day's figures or text, or file a zero report");
	if (!rc && strcmp(day, today) > 0)
		rc = err_set(&r->err, ERR_RULE, "day", "the day %s has not come yet", day);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = daily_unit_for_write(r, c, unit, "unit_id", NULL)))
		return rc;
	/* The unit must owe a report that day. */
	struct rep_set s = {0};
	rc = rep_load_units(c, unit, 0, 0, &s);
	int owes = 0;
	for (size_t i = 0; !rc && i < s.n; i++)
		if (s.u[i].id == unit)
			owes = strcmp(day, s.u[i].from) < 0 ? -1
			       : s.u[i].until[0] && strcmp(day, s.u[i].until) > 0 ? -2
										  : 1;
	rep_free(&s);
	if (rc)
		return rc;
	if (owes == 0)
		return err_set(&r->err, ERR_RULE, "unit_id",
			       "this unit does not file daily reports (towns, sub-districts and key"
			       " units do)");
	if (owes < 0)
		return err_set(&r->err, ERR_RULE, "day", "this unit did not owe a report on %s",
			       day);
	int64_t now = clock_now();
	char *ftext = NULL;
	if (given || zero) {
		json_t *f = figures_json(v);
		ftext = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(f);
		if (!ftext)
			return ERR_NOMEM;
	}
	char *ftext_a = ftext ? arena_strndup(&r->arena, ftext, strlen(ftext)) : NULL;
	free(ftext);
	if (ftext && !ftext_a)
		return ERR_NOMEM;
	int64_t old = 0, version = 1, first = now;
	int64_t late = !reports_on_time(day, now, settings_int(c, "report_deadline_minutes"));
	struct dbq *q = db_query(c, cur_sql, "it", unit, day);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1) {
		old = db_int(q, 0);
		version = db_int(q, 1) + 1;
		first = db_int(q, 2);
		late = db_int(q, 3);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (old) {
		int64_t n = db_run(c, replace_sql, "ii", old, now);
		if (n < 0)
			return (int)n;
	}
	int64_t id = 0;
	rc = daily_insert(db_query(c, ins_sql, "itiittiiiI", unit, day, version, (int64_t)zero,
				   ftext_a, text, now, first, late, r->who.user_id),
			  &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "day",
			       "another report for this unit and day was filed at the same moment;"
			       " try again");
	if (rc)
		return rc;
	req_audit_record(r, "daily_report", id);
	r->audit_detail = old ? "replaced" : zero ? "zero report" : NULL;
	json_t *rep = query_row(db_query(c, REPORT_COLS " WHERE d.id = $1", "i", id), report_row,
				&rc);
	if (!rep)
		return rc < 0 ? rc : ERR_DB;
	json_object_set_new(rep, "replaced", json_boolean(old != 0));
	return resp_json(r, old ? 200 : 201, rep);
}
