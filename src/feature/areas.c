/* Divisions, risk areas and the grading of arrivals (DOMAIN.md §7, §8,
 * Rules: area risk). The grading is pure (areas_pick) over the rules the
 * command keeps in risk_areas; an origin no rule covers is "other_province"
 * outside the district's province and "local" inside it. */
#include "areas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/embed.h"
#include "../base/log.h"
#include "../http/scope.h"

static int list_divisions(struct req *r);
static int list_risk_areas(struct req *r);
static int create_risk_area(struct req *r);
static int patch_risk_area(struct req *r);
static int delete_risk_area(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/divisions", list_divisions, P_PEOPLE_READ, 0, 0,
	 "GB/T 2260 provinces, prefectures and counties by name or code"},
	{"GET", "/api/v1/risk-areas", list_risk_areas, P_PEOPLE_READ, 0, 0,
	 "the graded areas, optionally those applying on a day"},
	{"POST", "/api/v1/risk-areas", create_risk_area, P_AREAS_WRITE, 0, 0,
	 "list an area with a grade and dates; recorded arrivals are re-graded"},
	{"PATCH", "/api/v1/risk-areas/{id}", patch_risk_area, P_AREAS_WRITE, 0, 0,
	 "change an area's grade, dates or note; recorded arrivals are re-graded"},
	{"DELETE", "/api/v1/risk-areas/{id}", delete_risk_area, P_AREAS_WRITE, 0, 0,
	 "remove an area from the list; recorded arrivals are re-graded"},
};
ROUTE_TABLE(areas_routes, routes);

static const char *const grades[] = {"severe", "heavy", "other_province", "local",
				     "high",   "medium", "low"};

int areas_grade_valid(const char *g)
{
	if (!g)
		return 0;
	for (size_t i = 0; i < sizeof grades / sizeof grades[0]; i++)
		if (strcmp(grades[i], g) == 0)
			return 1;
	return 0;
}

const char *areas_handling(const char *g)
{
	/* DOMAIN.md §8: the worst-hit and heavily hit areas (and, from
	 * mid-February, high-risk counties) go to centralized quarantine;
	 * other provinces (medium risk) isolate at home; the rest are
	 * monitored. */
	if (!strcmp(g, "severe") || !strcmp(g, "heavy") || !strcmp(g, "high"))
		return "centralized";
	if (!strcmp(g, "other_province") || !strcmp(g, "medium"))
		return "home";
	return "monitor";
}

int areas_code_level(const char *code)
{
	if (!code || strlen(code) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	if (strcmp(code + 2, "0000") == 0)
		return 1;
	if (strcmp(code + 4, "00") == 0)
		return 2;
	return 3;
}

/* Does rule code `rule` cover origin code `origin`? */
static int covers(const char *rule, const char *origin)
{
	switch (areas_code_level(rule)) {
	case 1: return strncmp(rule, origin, 2) == 0;
	case 2: return strncmp(rule, origin, 4) == 0;
	case 3: return strcmp(rule, origin) == 0;
	default: return 0;
	}
}

const struct area_rule *areas_pick(const struct area_rule *rules, size_t n, const char *origin,
				   const char *day)
{
	const struct area_rule *best = NULL;
	int best_level = 0;
	for (size_t i = 0; i < n; i++) {
		const struct area_rule *r = &rules[i];
		if (!covers(r->code, origin) || strcmp(day, r->from) < 0 ||
		    (r->to && strcmp(day, r->to) > 0))
			continue;
		int lv = areas_code_level(r->code);
		if (lv > best_level || (lv == best_level && strcmp(r->from, best->from) > 0)) {
			best = r;
			best_level = lv;
		}
	}
	return best;
}

const char *areas_default_grade(const char *origin, const char *home_code)
{
	if (home_code && strlen(home_code) >= 2 && strncmp(origin, home_code, 2) == 0)
		return "local";
	return "other_province";
}

int areas_grade_of(struct dbc *c, const char *origin, const char *day, char grade[16],
		   const char **handling, int64_t *rule_id)
{
	/* The rules that could cover this origin: its county, prefecture and
	 * province codes. */
	char pre[7], prov[7];
	snprintf(pre, sizeof pre, "%.4s00", origin);
	snprintf(prov, sizeof prov, "%.2s0000", origin);
	struct dbq *q = db_query(c,
				 "SELECT id, code, grade, valid_from, valid_to FROM risk_areas"
				 " WHERE code IN ($1, $2, $3) AND valid_from <= $4",
				 "tttt", origin, pre, prov, day);
	if (!q)
		return ERR_DB;
	struct area_rule rules[32];
	char text[32][4][16];
	size_t n = 0;
	int rc;
	while ((rc = db_step(q)) == 1 && n < 32) {
		rules[n].id = db_int(q, 0);
		snprintf(text[n][0], 16, "%s", db_text(q, 1));
		snprintf(text[n][1], 16, "%s", db_text(q, 2));
		snprintf(text[n][2], 16, "%s", db_text(q, 3));
		snprintf(text[n][3], 16, "%s", db_null(q, 4) ? "" : db_text(q, 4));
		rules[n].code = text[n][0];
		rules[n].grade = text[n][1];
		rules[n].from = text[n][2];
		rules[n].to = text[n][3][0] ? text[n][3] : NULL;
		n++;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	const struct area_rule *r = areas_pick(rules, n, origin, day);
	if (r) {
		snprintf(grade, 16, "%s", r->grade);
		*rule_id = r->id;
	} else {
		/* The district's own code is the root unit's. */
		char home[40] = "";
		struct dbq *h = db_query(c, "SELECT code FROM units WHERE parent_id IS NULL", "");
		if (h && db_step(h) == 1)
			snprintf(home, sizeof home, "%s", db_text(h, 0));
		db_done(h);
		snprintf(grade, 16, "%s", areas_default_grade(origin, home));
		*rule_id = 0;
	}
	*handling = areas_handling(grade);
	return 0;
}

int areas_resolve(struct dbc *c, const char *text, char code[7], char name[64])
{
	if (!text || !*text)
		return 0;
	struct dbq *q;
	if (areas_code_level(text)) {
		/* A code no longer listed (an abolished county, as in old ID
		 * numbers) is kept, named after the nearest listed level above it
		 * in the same province. */
		char pre[7], prov[7];
		snprintf(pre, sizeof pre, "%.4s00", text);
		snprintf(prov, sizeof prov, "%.2s0000", text);
		q = db_query(c,
			     "SELECT code, name FROM divisions WHERE code IN ($1, $2, $3)"
			     " ORDER BY level DESC LIMIT 1",
			     "ttt", text, pre, prov);
		if (!q)
			return ERR_DB;
		int rc = db_step(q);
		if (rc == 1) {
			snprintf(code, 7, "%s", text);
			snprintf(name, 64, "%s", db_text(q, 1));
		}
		db_done(q);
		return rc;
	} else {
		/* A name: exact, then a county or city name written with its
		 * province in front (湖北省武汉市), then a short form (武汉). The
		 * most specific level wins. */
		q = db_query(c,
			     "SELECT code, name FROM divisions WHERE name = $1 OR $1 LIKE '%' || name"
			     " OR name LIKE $1 || '%' ORDER BY CASE WHEN name = $1 THEN 0"
			     " WHEN $1 LIKE '%' || name THEN 1 ELSE 2 END, level DESC, code LIMIT 1",
			     "t", text);
	}
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		snprintf(code, 7, "%s", db_text(q, 0));
		snprintf(name, 64, "%s", db_text(q, 1));
	}
	db_done(q);
	return rc;
}

int areas_load_divisions(struct dbc *c)
{
	int64_t n = 0;
	if (db_one_int(c, &n, "SELECT COUNT(*) FROM divisions", "") < 0)
		return ERR_DB;
	if (n > 0)
		return 0;
	for (size_t i = 0; i < embedded_data_count; i++)
		if (strcmp(embedded_data[i].name, "divisions.sql") == 0)
			return db_exec(c, (const char *)embedded_data[i].data);
	log_warn("areas: no divisions data in this binary");
	return 0;
}


/* ---------- routes: divisions ---------- */

static json_t *division_row(struct dbq *q)
{
	return json_pack("{s:s,s:s,s:I,s:o}", "code", db_text(q, 0), "name", db_text(q, 1), "level",
			 (json_int_t)db_int(q, 2), "parent_code", jx_text_or_null(db_text(q, 3)));
}

static const struct list_col division_export[] = {
	{"code", "代码"}, {"name", "名称"}, {"level", "级别"}, {"parent_code", "上级代码"}, {0, 0},
};

static int list_divisions(struct req *r)
{
	/* Codes are six digits, so the cursor (an integer) is the code. */
	static const char sql[] =
		"SELECT code, name, level, parent_code FROM divisions WHERE code > $1"
		" AND ($2 = 0 OR level = $2)"
		" AND ($3 = '' OR lower(name) LIKE $3 ESCAPE '\\' OR code LIKE $3 ESCAPE '\\')"
		" ORDER BY code LIMIT $4";
	struct page pg;
	int64_t level = 0;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "level", 1, 3, 0, &level);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	char after[24] = "";
	if (pg.after)
		snprintf(after, sizeof after, "%06lld", (long long)pg.after);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "titi", after, level, pat, pg.limit + 1);
	return resp_query_list(r, &pg, q, division_row, division_export, "divisions");
}

/* ---------- routes: risk areas ---------- */

#define RISK_COLS                                                                        \
	"SELECT ra.id, ra.code, ra.name, d.level, ra.grade, ra.valid_from, ra.valid_to,"  \
	" ra.note, ra.unit_id, ra.created_at, ra.updated_at FROM risk_areas ra"           \
	" LEFT JOIN divisions d ON d.code = ra.code"

static json_t *risk_row(struct dbq *q)
{
	const char *grade = db_text(q, 4);
	return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "code", db_text(q, 1), "name", db_text(q, 2),
			 "level", (json_int_t)areas_code_level(db_text(q, 1)), "grade", grade,
			 "handling", areas_handling(grade), "valid_from", db_text(q, 5), "valid_to",
			 jx_text_or_null(db_text(q, 6)), "note", jx_text_or_null(db_text(q, 7)),
			 "unit_id", (json_int_t)db_int(q, 8), "created_at", (json_int_t)db_int(q, 9),
			 "updated_at", (json_int_t)db_int(q, 10));
}

static const struct list_col risk_export[] = {
	{"id", "编号"},         {"code", "区划代码"},     {"name", "地区"},
	{"grade", "等级"},      {"handling", "处置方式"}, {"valid_from", "起始日期"},
	{"valid_to", "截止日期"}, {"note", "备注"},        {0, 0},
};

static int list_risk_areas(struct req *r)
{
	/* The list is the district's: grading reads all of it, so every reader
	 * sees all of it. */
	static const char sql[] =
		RISK_COLS " WHERE ra.id > $1"
		" AND ($2 = '' OR (ra.valid_from <= $2 AND (ra.valid_to IS NULL OR ra.valid_to >= $2)))"
		" AND ($3 = '' OR ra.grade = $3)"
		" AND ($4 = '' OR lower(ra.name) LIKE $4 ESCAPE '\\' OR ra.code LIKE $4 ESCAPE '\\')"
		" ORDER BY ra.id LIMIT $5";
	struct page pg;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	const char *on = req_query(r, "on");
	if (on && *on && day_valid(on))
		return err_set(&r->err, ERR_INVALID, "on", "must be a date YYYY-MM-DD");
	const char *grade = req_query(r, "grade");
	if (grade && *grade && !areas_grade_valid(grade))
		return err_set(&r->err, ERR_INVALID, "grade",
			       "must be severe, heavy, other_province, local, high, medium or low");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "itttI", pg.after, on ? on : "", grade ? grade : "", pat,
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, risk_row, risk_export, "risk-areas");
}

static int respond_risk_area(struct req *r, struct dbc *c, int64_t id, int status,
			     int64_t regraded)
{
	int rc;
	json_t *o = query_row(db_query(c, RISK_COLS " WHERE ra.id = $1", "i", id), risk_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	json_object_set_new(o, "regraded", json_integer(regraded));
	return resp_json(r, status, o);
}

struct pair {
	char origin[8];
	char day[DAY_LEN];
};

/* arrival_counts (people.h) for arrivals of origin and day about to be set
 * to grade: those whose grade changes move from their grade to the new one,
 * at their unit and every unit above, in key order (PostgreSQL locks). */
static int count_regrade(struct dbc *c, const char *origin, const char *day, const char *grade)
{
	/* Those that change grade leave their old one ... */
	int64_t n = db_run(c,
			   "INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			   " SELECT t.ancestor_id, a.arrival_date, a.grade, -COUNT(*)"
			   " FROM arrivals a JOIN unit_tree t ON t.unit_id = a.unit_id"
			   " WHERE a.origin_code = $1 AND a.arrival_date = $2 AND a.grade <> $3"
			   " GROUP BY t.ancestor_id, a.arrival_date, a.grade"
			   " ORDER BY t.ancestor_id, a.grade ON CONFLICT (unit_id, arrival_date, grade)"
			   " DO UPDATE SET n = arrival_counts.n + excluded.n",
			   "ttt", origin, day, grade);
	/* ... and join the new one (one day: grouped by unit and day only). */
	if (n >= 0)
		n = db_run(c,
			   "INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			   " SELECT t.ancestor_id, a.arrival_date, $3, COUNT(*)"
			   " FROM arrivals a JOIN unit_tree t ON t.unit_id = a.unit_id"
			   " WHERE a.origin_code = $1 AND a.arrival_date = $2 AND a.grade <> $3"
			   " GROUP BY t.ancestor_id, a.arrival_date ORDER BY t.ancestor_id"
			   " ON CONFLICT (unit_id, arrival_date, grade) DO UPDATE SET"
			   " n = arrival_counts.n + excluded.n",
			   "ttt", origin, day, grade);
	return n < 0 ? (int)n : 0;
}

/* After the list changed for `code`: re-grades every recorded arrival that
 * a listing of that code can cover, so the grades shown are what the list
 * says now for each arrival's own date. *changed gets the arrivals whose
 * grade or listing changed. The rules are read once (all listings in the
 * code's province) and areas_pick grades each distinct (origin, day). */
static int regrade(struct dbc *c, const char *code, int64_t *changed)
{
	*changed = 0;
	int lv = areas_code_level(code);
	if (!lv)
		return 0;
	char prov[8], pat[8];
	snprintf(prov, sizeof prov, "%.2s%%", code);
	snprintf(pat, sizeof pat, "%.*s%%", lv == 1 ? 2 : lv == 2 ? 4 : 6, code);

	struct area_rule *rules = NULL;
	char (*text)[4][16] = NULL;
	struct pair *pairs = NULL;
	size_t nr = 0, cr = 0, np = 0, cp = 0;
	int rc = 0;
	struct dbq *q = db_query(c,
				 "SELECT id, code, grade, valid_from, valid_to FROM risk_areas"
				 " WHERE code LIKE $1",
				 "t", prov);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1) {
		if (nr == cr) {
			size_t n = cr ? cr * 2 : 16;
			struct area_rule *nr2 = realloc(rules, n * sizeof *rules);
			if (nr2)
				rules = nr2;
			char(*nt)[4][16] = nr2 ? realloc(text, n * sizeof *text) : NULL;
			if (!nr2 || !nt) {
				rc = ERR_NOMEM;
				break;
			}
			text = nt;
			cr = n;
		}
		rules[nr].id = db_int(q, 0);
		snprintf(text[nr][0], 16, "%s", db_text(q, 1));
		snprintf(text[nr][1], 16, "%s", db_text(q, 2));
		snprintf(text[nr][2], 16, "%s", db_text(q, 3));
		snprintf(text[nr][3], 16, "%s", db_null(q, 4) ? "" : db_text(q, 4));
		nr++;
	}
	db_done(q);
	/* Pointers only once the arrays stop moving. */
	for (size_t i = 0; rc == 0 && i < nr; i++) {
		rules[i].code = text[i][0];
		rules[i].grade = text[i][1];
		rules[i].from = text[i][2];
		rules[i].to = text[i][3][0] ? text[i][3] : NULL;
	}
	char home[40] = "";
	if (rc == 0) {
		q = db_query(c, "SELECT code FROM units WHERE parent_id IS NULL", "");
		if (!q)
			rc = ERR_DB;
		else if (db_step(q) == 1)
			snprintf(home, sizeof home, "%s", db_text(q, 0));
		db_done(q);
	}
	if (rc == 0) {
		q = db_query(c, "SELECT DISTINCT origin_code, arrival_date FROM arrivals"
				" WHERE origin_code LIKE $1", "t", pat);
		if (!q)
			rc = ERR_DB;
		while (q && (rc = db_step(q)) == 1) {
			if (np == cp) {
				size_t n = cp ? cp * 2 : 64;
				struct pair *p2 = realloc(pairs, n * sizeof *pairs);
				if (!p2) {
					rc = ERR_NOMEM;
					break;
				}
				pairs = p2;
				cp = n;
			}
			snprintf(pairs[np].origin, sizeof pairs[np].origin, "%s", db_text(q, 0));
			snprintf(pairs[np].day, sizeof pairs[np].day, "%s", db_text(q, 1));
			np++;
		}
		db_done(q);
	}
	for (size_t i = 0; rc == 0 && i < np; i++) {
		const struct area_rule *rule = areas_pick(rules, nr, pairs[i].origin, pairs[i].day);
		const char *grade = rule ? rule->grade : areas_default_grade(pairs[i].origin, home);
		int64_t rid = rule ? rule->id : 0;
		if ((rc = count_regrade(c, pairs[i].origin, pairs[i].day, grade)))
			break;
		int64_t n = db_run(c,
				   "UPDATE arrivals SET grade = $3, handling = $4, risk_area_id = $5"
				   " WHERE origin_code = $1 AND arrival_date = $2"
				   " AND NOT (grade = $3 AND COALESCE(risk_area_id, 0) = $6)",
				   "ttttIi", pairs[i].origin, pairs[i].day, grade, areas_handling(grade),
				   rid, rid);
		if (n < 0)
			rc = (int)n;
		else
			*changed += n;
	}
	free(rules);
	free(text);
	free(pairs);
	return rc < 0 ? rc : 0;
}

/* Reads an optional date field: absent leaves *has 0; null clears (*out
 * NULL) when nullable. */
static int date_field(struct req *r, const char *key, int required, int nullable,
		      const char **out, int *has)
{
	int rc = jx_str(r, r->json, key, required, 10, out, has);
	if (rc)
		return rc;
	if (*has && !*out && !nullable)
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	if (*out && day_valid(*out))
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	return 0;
}

static int grade_field(struct req *r, int required, const char **out, int *has)
{
	int rc = jx_str(r, r->json, "grade", required, 16, out, has);
	if (rc)
		return rc;
	if (*has && !areas_grade_valid(*out))
		return err_set(&r->err, ERR_INVALID, "grade",
			       "must be severe, heavy, other_province, local, high, medium or low");
	return 0;
}

/* 409 when another listing of code starts on the same day (the grading
 * could not choose between them). */
static int same_start(struct req *r, struct dbc *c, const char *code, const char *from,
		      int64_t self)
{
	int64_t other = 0;
	int rc = db_one_int(c, &other,
			    "SELECT id FROM risk_areas WHERE code = $1 AND valid_from = $2 AND id <> $3",
			    "tti", code, from, self);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "valid_from",
			       "%s is already listed from %s (risk area %lld); change that one",
			       code, from, (long long)other);
	return 0;
}

static int create_risk_area(struct req *r)
{
	const char *code = NULL, *grade = NULL, *from = NULL, *to = NULL, *note = NULL;
	int has = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "code", 1, 6, &code, NULL);
	if (!rc && !areas_code_level(code))
		rc = err_set(&r->err, ERR_INVALID, "code",
			     "must be a 6-digit GB/T 2260 code (province 420000, prefecture 420100,"
			     " county 420102)");
	if (!rc)
		rc = grade_field(r, 1, &grade, &has);
	if (!rc)
		rc = date_field(r, "valid_from", 1, 0, &from, &has);
	if (!rc)
		rc = date_field(r, "valid_to", 0, 1, &to, &has);
	if (!rc && to && strcmp(to, from) < 0)
		rc = err_set(&r->err, ERR_INVALID, "valid_to", "must not be before valid_from (%s)",
			     from);
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &note, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char name[64] = "";
	struct dbq *q = db_query(c, "SELECT name FROM divisions WHERE code = $1", "t", code);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		snprintf(name, sizeof name, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "code", "%s is not a GB/T 2260 division code",
			       code);
	if ((rc = same_start(r, c, code, from, 0)))
		return rc;
	int64_t now = clock_now(), id = 0;
	q = db_query(c,
		     "INSERT INTO risk_areas(unit_id, code, name, grade, valid_from, valid_to, note,"
		     " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
		     " RETURNING id",
		     "itttttti", r->who.scope_unit_id, code, name, grade, from, to,
		     note && *note ? note : NULL, now);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	int64_t changed = 0;
	if ((rc = regrade(c, code, &changed)))
		return rc;
	req_audit_record(r, "risk_area", id);
	r->audit_detail = arena_printf(&r->arena, "%s %s from %s, %lld arrivals regraded", code,
				       grade, from, (long long)changed);
	return respond_risk_area(r, c, id, 201, changed);
}

/* Loads a risk area's code, unit and dates for a change; 404 when absent,
 * 403 when its unit is outside the caller's scope. */
static int load_for_write(struct req *r, struct dbc *c, int64_t id, char code[8],
			  char from[DAY_LEN], char to[DAY_LEN])
{
	struct dbq *q = db_query(c,
				 "SELECT code, unit_id, valid_from, valid_to FROM risk_areas WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t unit = 0;
	if (rc == 1) {
		snprintf(code, 8, "%s", db_text(q, 0));
		unit = db_int(q, 1);
		snprintf(from, DAY_LEN, "%s", db_text(q, 2));
		snprintf(to, DAY_LEN, "%s", db_null(q, 3) ? "" : db_text(q, 3));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such risk area");
	return scope_check(r, unit, 1, "risk area");
}

/* ?dry_run=1 on a change or a delete: it is made inside a savepoint,
 * the arrivals it regrades are counted and it is undone, so the dialog
 * can say how many before a person confirms. */
static int dry_begin(struct req *r, struct dbc *c, int *dry)
{
	int64_t v = 0;
	int rc = req_query_int(r, "dry_run", 0, 1, 0, &v);
	if (rc)
		return rc;
	*dry = v == 1;
	return *dry && db_run(c, "SAVEPOINT dry_run", "") < 0 ? ERR_DB : 0;
}

static int dry_answer(struct req *r, struct dbc *c, int64_t changed)
{
	if (db_run(c, "ROLLBACK TO SAVEPOINT dry_run", "") < 0 ||
	    db_run(c, "RELEASE SAVEPOINT dry_run", "") < 0)
		return ERR_DB;
	r->no_audit = 1; /* nothing changed */
	return resp_json(r, 200, json_pack("{s:b,s:I}", "dry_run", 1, "regraded",
					   (json_int_t)changed));
}

static int patch_risk_area(struct req *r)
{
	int64_t id = 0;
	const char *grade = NULL, *from = NULL, *to = NULL, *note = NULL;
	int has_grade = 0, has_from = 0, has_to = 0, has_note = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = grade_field(r, 0, &grade, &has_grade);
	if (!rc && has_grade && !grade)
		rc = err_set(&r->err, ERR_INVALID, "grade", "must not be null");
	if (!rc)
		rc = date_field(r, "valid_from", 0, 0, &from, &has_from);
	if (!rc)
		rc = date_field(r, "valid_to", 0, 1, &to, &has_to);
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &note, &has_note);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char code[8], ofrom[DAY_LEN], oto[DAY_LEN];
	if ((rc = load_for_write(r, c, id, code, ofrom, oto)))
		return rc;
	const char *nfrom = has_from ? from : ofrom;
	const char *nto = has_to ? to : (oto[0] ? oto : NULL);
	if (nto && strcmp(nto, nfrom) < 0)
		return err_set(&r->err, ERR_INVALID, has_to ? "valid_to" : "valid_from",
			       "valid_to (%s) must not be before valid_from (%s)", nto, nfrom);
	if (has_from && (rc = same_start(r, c, code, nfrom, id)))
		return rc;
	int dry = 0;
	if ((rc = dry_begin(r, c, &dry)))
		return rc;
	int64_t n = db_run(c,
			   "UPDATE risk_areas SET grade = COALESCE($2, grade), valid_from = $3,"
			   " valid_to = $4, note = CASE WHEN $5 = 1 THEN $6 ELSE note END,"
			   " updated_at = $7 WHERE id = $1",
			   "itttiti", id, has_grade ? grade : NULL, nfrom, nto, (int64_t)has_note,
			   note && *note ? note : NULL, clock_now());
	if (n < 0)
		return (int)n;
	int64_t changed = 0;
	if ((rc = regrade(c, code, &changed)))
		return rc;
	if (dry)
		return dry_answer(r, c, changed);
	req_audit_record(r, "risk_area", id);
	r->audit_detail =
		arena_printf(&r->arena, "%lld arrivals regraded", (long long)changed);
	return respond_risk_area(r, c, id, 200, changed);
}

static int delete_risk_area(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char code[8], from[DAY_LEN], to[DAY_LEN];
	if ((rc = load_for_write(r, c, id, code, from, to)))
		return rc;
	int dry = 0;
	if ((rc = dry_begin(r, c, &dry)))
		return rc;
	/* Arrivals graded by it let go of it first, then take what the list
	 * says without it. */
	if (db_run(c, "UPDATE arrivals SET risk_area_id = NULL WHERE risk_area_id = $1", "i",
		   id) < 0 ||
	    db_run(c, "DELETE FROM risk_areas WHERE id = $1", "i", id) < 0)
		return ERR_DB;
	int64_t changed = 0;
	if ((rc = regrade(c, code, &changed)))
		return rc;
	if (dry)
		return dry_answer(r, c, changed);
	req_audit_record(r, "risk_area", id);
	r->audit_detail = arena_printf(&r->arena, "%s from %s removed, %lld arrivals regraded",
				       code, from, (long long)changed);
	/* How many it regraded, for the page to say. */
	return resp_json(r, 200, json_pack("{s:I}", "regraded", (json_int_t)changed));
}
