/* Divisions, risk areas and the grading of arrivals (DOMAIN.md §7, §8,
 * Rules: area risk). The grading is pure (areas_pick) over the rules the
 * command keeps in risk_areas; an origin no rule covers is "other_province"
 * outside the district's province and "local" inside it. */
#include "areas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/embed.h"
#include "../base/log.h"

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
		q = db_query(c, "SELECT code, name FROM divisions WHERE code = $1", "t", text);
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

/* placeholder routes: replaced by the real ones */
static int todo(struct req *r) { return err_set(&r->err, ERR_NOT_FOUND, "", "not yet"); }
static const struct route routes[] = {{"GET", "/api/v1/_areas", todo, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(areas_routes, routes);
