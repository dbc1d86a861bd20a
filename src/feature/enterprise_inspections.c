/* Operating inspections (DOMAIN.md §11): an enterprise that has resumed is
 * inspected against the eight prohibitions (a setting with a default,
 * enterprise_checklist_items); each breach is a finding with a deadline,
 * followed up until fixed. An open finding past its deadline is overdue and
 * listed as such. An enterprise account sees its own inspections and
 * findings. */
#include "enterprises.h"

#include <stdio.h>
#include <string.h>

#include "../http/scope.h"

static int list_inspections(struct req *r);
static int create_inspection(struct req *r);
static int list_findings(struct req *r);
static int follow_up(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/enterprises/inspections", list_inspections, P_ENTERPRISES_READ, 0, 0,
	 "operating inspections with their findings counted"},
	{"POST", "/api/v1/enterprises/{id}/inspections", create_inspection,
	 P_ENTERPRISES_INSPECT, 0, 0, "record an inspection against the eight prohibitions"},
	{"GET", "/api/v1/enterprises/findings", list_findings, P_ENTERPRISES_READ, 0, 0,
	 "findings: open, fixed or overdue"},
	{"POST", "/api/v1/enterprises/findings/{id}/follow-up", follow_up,
	 P_ENTERPRISES_INSPECT, 0, 0, "follow a finding up: a note, and the day it was fixed"},
};
ROUTE_TABLE(enterprise_inspections_routes, routes);

#define INSP_COLS                                                                          \
	"SELECT i.id, i.enterprise_id, e.name, i.unit_id, un.name, i.day, i.inspector,"      \
	" i.note, (SELECT COUNT(*) FROM enterprise_findings f WHERE f.inspection_id = i.id)," \
	" (SELECT COUNT(*) FROM enterprise_findings f WHERE f.inspection_id = i.id AND"      \
	"  f.fixed_day IS NULL),"                                                            \
	" (SELECT COUNT(*) FROM enterprise_findings f WHERE f.inspection_id = i.id AND"      \
	"  f.fixed_day IS NULL AND f.deadline < $T)"                                         \
	" FROM enterprise_inspections i JOIN enterprises e ON e.id = i.enterprise_id"       \
	" JOIN units un ON un.id = i.unit_id"

static json_t *insp_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:o,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "enterprise_id", (json_int_t)db_int(q, 1),
			 "enterprise_name", db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3),
			 "unit_name", db_text(q, 4), "day", db_text(q, 5), "inspector",
			 db_text(q, 6), "note", jx_text_or_null(db_text(q, 7)), "findings",
			 (json_int_t)db_int(q, 8), "open", (json_int_t)db_int(q, 9), "overdue",
			 (json_int_t)db_int(q, 10));
}

static const struct list_col insp_export[] = {
	{"id", "编号"},       {"day", "检查日期"},     {"enterprise_name", "企业"},
	{"unit_name", "所属单位"}, {"inspector", "检查人"}, {"findings", "问题数"},
	{"open", "未整改"},    {"overdue", "逾期未整改"}, {"note", "备注"},
	{0, 0},
};

/* Replaces the marker $T (today's day) in a statement with parameter $n. */
static const char *with_today(struct req *r, const char *sql, int n)
{
	const char *m = strstr(sql, "$T");
	if (!m)
		return sql;
	char *out = arena_printf(&r->arena, "%.*s$%d%s", (int)(m - sql), sql, n, m + 2);
	return out ? with_today(r, out, n) : NULL;
}

static int list_inspections(struct req *r)
{
	static const char sql[] =
		INSP_COLS " WHERE " SCOPE_SQL("i.unit_id", "1") " AND i.id > $2"
		" AND ($3 = 0 OR i.enterprise_id = $3) AND ($4 = 0 OR i.enterprise_id = $4)"
		" AND ($5 = '' OR i.day = $5)"
		" ORDER BY i.id LIMIT $6";
	struct page pg;
	int64_t ent = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "enterprise_id", 1, INT64_MAX, 0, &ent);
	if (rc)
		return rc;
	const char *day = req_query(r, "day");
	if (day && *day && day_valid(day))
		return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	char today[DAY_LEN];
	enterprises_today(today);
	int64_t own = enterprises_principal(r);
	const char *s = with_today(r, sql, 7);
	struct dbc *c = req_db(r);
	if (!c || !s)
		return ERR_DB;
	struct dbq *q = db_query(c, s, "iiiitit", r->who.scope_unit_id, pg.after, ent, own,
				 day ? day : "", pg.limit + 1, today);
	return resp_query_list(r, &pg, q, insp_row, insp_export, "inspections");
}

static int respond_inspection(struct req *r, struct dbc *c, int64_t id, int status)
{
	char today[DAY_LEN];
	enterprises_today(today);
	const char *s = with_today(r, INSP_COLS " WHERE i.id = $1", 2);
	if (!s)
		return ERR_NOMEM;
	int rc;
	json_t *o = query_row(db_query(c, s, "it", id, today), insp_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, o);
}

static int create_inspection(struct req *r)
{
	int64_t ent = 0;
	const char *day = NULL, *inspector = NULL, *note = NULL;
	int rc = req_param_id(r, "id", &ent);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "day", 1, 10, &day, NULL);
	if (!rc && day_valid(day))
		rc = err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_str(r, r->json, "inspector", 0, 64, &inspector, NULL);
	if (!rc)
		rc = enterprises_text(r, r->json, "note", 0, 2000, &note);
	json_t *fs = json_object_get(r->json, "findings");
	if (!rc && fs && !json_is_null(fs) && (!json_is_array(fs) || json_array_size(fs) > 50))
		rc = err_set(&r->err, ERR_INVALID, "findings", "must be a list of at most 50 findings");
	if (rc)
		return rc;
	size_t nf = json_is_array(fs) ? json_array_size(fs) : 0;
	const char **item = arena_alloc(&r->arena, sizeof *item * (nf + 1) * 4);
	if (!item)
		return ERR_NOMEM;
	const char **fnote = item + nf + 1, **deadline = fnote + nf + 1, **text = deadline + nf + 1;
	for (size_t i = 0; i < nf; i++) {
		json_t *o = json_array_get(fs, i);
		if (!json_is_object(o))
			return err_set(&r->err, ERR_INVALID, "findings", "finding %zu must be an object",
				       i + 1);
		if ((rc = jx_str(r, o, "item", 1, 32, &item[i], NULL)) ||
		    (rc = enterprises_text(r, o, "note", 1, 1000, &fnote[i])) ||
		    (rc = jx_str(r, o, "deadline", 1, 10, &deadline[i], NULL))) {
			enterprises_field_in(r, "findings", i);
			return rc;
		}
		if (day_valid(deadline[i]) || strcmp(deadline[i], day) < 0) {
			rc = err_set(&r->err, ERR_INVALID, "deadline",
				     "must be a date YYYY-MM-DD on or after the inspection day");
			enterprises_field_in(r, "findings", i);
			return rc;
		}
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	if ((rc = enterprises_check(r, c, ent, 1, &unit)))
		return rc;
	struct checklist_item *items;
	size_t ni;
	if ((rc = enterprises_checklist(r, c, "prohibition", &items, &ni)))
		return rc;
	for (size_t i = 0; i < nf; i++) {
		text[i] = NULL;
		for (size_t k = 0; k < ni; k++)
			if (strcmp(items[k].code, item[i]) == 0)
				text[i] = items[k].text_zh;
		if (!text[i]) {
			rc = err_set(&r->err, ERR_INVALID, "item",
				     "no such item \"%s\" in the eight prohibitions", item[i]);
			enterprises_field_in(r, "findings", i);
			return rc;
		}
	}
	char today[DAY_LEN];
	enterprises_today(today);
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_RULE, "day", "must not be in the future (today is %s)",
			       today);
	rc = db_one_int(c, NULL,
			"SELECT 1 FROM enterprise_resumptions WHERE enterprise_id = $1 AND day <= $2",
			"it", ent, day);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_RULE, "day",
			       "the enterprise had not resumed work by %s: only operating"
			       " enterprises are inspected",
			       day);
	if (!inspector || !*inspector)
		inspector = r->who.name;
	int64_t now = clock_now(), id = 0;
	rc = db_one_int(c, &id,
			"INSERT INTO enterprise_inspections(enterprise_id, unit_id, day, inspector,"
			" note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
			" RETURNING id",
			"iitttIi", ent, unit, day, inspector, note, r->who.user_id, now);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	for (size_t i = 0; i < nf; i++) {
		int64_t x = db_run(c,
				   "INSERT INTO enterprise_findings(inspection_id, enterprise_id,"
				   " unit_id, item_code, item_text, note, deadline, created_at,"
				   " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
				   "iiitttti", id, ent, unit, item[i], text[i], fnote[i], deadline[i],
				   now);
		if (x < 0)
			return (int)x;
	}
	req_audit_record(r, "inspection", id);
	return respond_inspection(r, c, id, 201);
}

#define FIND_COLS                                                                         \
	"SELECT f.id, f.inspection_id, f.enterprise_id, e.name, un.name, i.day, f.item_code," \
	" f.item_text, f.note, f.deadline, f.fixed_day, f.follow_up, f.unit_id, $T"         \
	" FROM enterprise_findings f JOIN enterprise_inspections i ON i.id = f.inspection_id" \
	" JOIN enterprises e ON e.id = f.enterprise_id JOIN units un ON un.id = f.unit_id"

/* The status of a finding needs today: rows carry it in a trailing column. */
static json_t *find_row(struct dbq *q)
{
	const char *fixed = db_text(q, 10), *deadline = db_text(q, 9), *today = db_text(q, 13);
	const char *status = fixed ? "fixed" : strcmp(deadline, today) < 0 ? "overdue" : "open";
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "id",
			 (json_int_t)db_int(q, 0), "inspection_id", (json_int_t)db_int(q, 1),
			 "enterprise_id", (json_int_t)db_int(q, 2), "enterprise_name",
			 db_text(q, 3), "unit_name", db_text(q, 4), "day", db_text(q, 5), "item",
			 db_text(q, 6), "item_text", db_text(q, 7), "note", db_text(q, 8),
			 "deadline", deadline, "fixed_day", jx_text_or_null(fixed), "follow_up",
			 jx_text_or_null(db_text(q, 11)), "status", status);
}

static const struct list_col find_export[] = {
	{"id", "编号"},         {"day", "检查日期"},     {"enterprise_name", "企业"},
	{"unit_name", "所属单位"}, {"item_text", "违反事项"}, {"note", "问题"},
	{"deadline", "整改期限"},  {"status", "状态"},      {"fixed_day", "整改日期"},
	{"follow_up", "跟进情况"}, {0, 0},
};

static int list_findings(struct req *r)
{
	static const char sql[] =
		FIND_COLS " WHERE " SCOPE_SQL("f.unit_id", "1")
		" AND f.id > $2 AND ($3 = 0 OR f.enterprise_id = $3)"
		" AND ($4 = 0 OR f.enterprise_id = $4)"
		" AND ($5 = '' OR ($5 = 'fixed' AND f.fixed_day IS NOT NULL)"
		"  OR ($5 = 'open' AND f.fixed_day IS NULL)"
		"  OR ($5 = 'overdue' AND f.fixed_day IS NULL AND f.deadline < $7))"
		" AND ($6 = 0 OR f.inspection_id = $6)"
		" ORDER BY f.id LIMIT $8";
	struct page pg;
	int64_t ent = 0, insp = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "enterprise_id", 1, INT64_MAX, 0, &ent);
	if (!rc)
		rc = req_query_int(r, "inspection_id", 1, INT64_MAX, 0, &insp);
	if (rc)
		return rc;
	const char *status = req_query(r, "status");
	if (status && *status && strcmp(status, "open") && strcmp(status, "fixed") &&
	    strcmp(status, "overdue"))
		return err_set(&r->err, ERR_INVALID, "status", "must be open, fixed or overdue");
	char today[DAY_LEN];
	enterprises_today(today);
	int64_t own = enterprises_principal(r);
	const char *s = with_today(r, sql, 7);
	struct dbc *c = req_db(r);
	if (!c || !s)
		return ERR_DB;
	struct dbq *q = db_query(c, s, "iiiititi", r->who.scope_unit_id, pg.after, ent, own,
				 status ? status : "", insp, today, pg.limit + 1);
	return resp_query_list(r, &pg, q, find_row, find_export, "findings");
}

static int follow_up(struct req *r)
{
	int64_t id = 0;
	const char *note = NULL, *fixed = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "finding", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = enterprises_text(r, r->json, "note", 1, 1000, &note);
	if (!rc)
		rc = jx_str(r, r->json, "fixed_day", 0, 10, &fixed, NULL);
	if (!rc && fixed && *fixed && day_valid(fixed))
		rc = err_set(&r->err, ERR_INVALID, "fixed_day", "must be a date YYYY-MM-DD");
	if (rc)
		return rc;
	if (fixed && !*fixed)
		fixed = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t ent = 0;
	rc = db_one_int(c, &ent, "SELECT enterprise_id FROM enterprise_findings WHERE id = $1", "i",
			id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such finding");
	if ((rc = enterprises_check(r, c, ent, 1, NULL)))
		return rc;
	char today[DAY_LEN];
	enterprises_today(today);
	if (fixed && strcmp(fixed, today) > 0)
		return err_set(&r->err, ERR_RULE, "fixed_day", "must not be in the future (today is %s)",
			       today);
	int64_t x = db_run(c,
			   "UPDATE enterprise_findings SET follow_up = CASE WHEN follow_up IS NULL"
			   " THEN $2 ELSE follow_up || '\n' || $2 END,"
			   " fixed_day = COALESCE($3, fixed_day), updated_at = $4 WHERE id = $1",
			   "itti", id, note, fixed, clock_now());
	if (x < 0)
		return (int)x;
	const char *one = with_today(r, FIND_COLS " WHERE f.id = $1", 2);
	if (!one)
		return ERR_NOMEM;
	json_t *o = query_row(db_query(c, one, "it", id, today), find_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, o);
}
