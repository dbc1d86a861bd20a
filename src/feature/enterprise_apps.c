/* Applications to resume work (DOMAIN.md §11): an enterprise files from its
 * portal a planned start at least resumption_lead_days (2) local days after
 * filing, its prevention plan, the seven-musts checklist answered item by
 * item with evidence, and its employee list (typed or a CSV import with
 * line-numbered rejects). Employees are persons; each one's arrival is
 * graded by the population rules (people_add_arrival), and one who must
 * still stay isolated on the planned day (the graded arrival's observation,
 * or an active isolation order ending later) is flagged with its end day,
 * so the application shows how many may start. The order is read when the
 * list is read, not copied at filing: an order placed or released after
 * the employee was entered changes the flag. The responsible
 * department approves, rejects with a reason or returns it for more (the
 * enterprise then changes and refiles it); an approved enterprise records
 * the day it resumed and its staff at work, which is what the resumption
 * rate counts. */
#include "enterprises.h"

#include <stdio.h>
#include <string.h>

#include "../base/csvx.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "areas.h"
#include "people.h"

static int list_applications(struct req *r);
static int create_application(struct req *r);
static int get_application(struct req *r);
static int patch_application(struct req *r);
static int review_application(struct req *r);
static int list_employees(struct req *r);
static int add_employee(struct req *r);
static int import_employees(struct req *r);
static int post_resumed(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/applications", list_applications, P_ENTERPRISES_READ, 0, 0,
	 "applications to resume (an enterprise account: its own)"},
	{"POST", "/api/v1/enterprises/{id}/applications", create_application,
	 P_ENTERPRISES_APPLY, 256 * 1024, 0,
	 "file an application: planned start, plan, the seven musts, employees"},
	{"GET", "/api/v1/applications/{id}", get_application, P_ENTERPRISES_READ, 0, 0,
	 "one application with its checklist and who may start"},
	{"PATCH", "/api/v1/applications/{id}", patch_application, P_ENTERPRISES_APPLY, 0, 0,
	 "change and refile a returned (or pending) application"},
	{"POST", "/api/v1/applications/{id}/review", review_application, P_ENTERPRISES_WRITE, 0,
	 0, "approve, reject with a reason, or return for more"},
	{"GET", "/api/v1/applications/{id}/employees", list_employees, P_ENTERPRISES_READ, 0, 0,
	 "an application's employees, graded, flagged while they must isolate"},
	{"POST", "/api/v1/applications/{id}/employees", add_employee, P_ENTERPRISES_APPLY, 0, 0,
	 "add an employee with origin and arrival"},
	{"POST", "/api/v1/applications/{id}/employees/import", import_employees,
	 P_ENTERPRISES_APPLY, 4 * 1024 * 1024, 0,
	 "import employees from CSV; rejects by line"},
	{"POST", "/api/v1/enterprises/{id}/resumed", post_resumed, P_ENTERPRISES_APPLY, 0, 0,
	 "record the day the enterprise resumed and its staff at work"},
};
ROUTE_TABLE(enterprise_apps_routes, routes);

/* ---------- applications ---------- */

#define APP_COLS                                                                          \
	"SELECT a.id, a.enterprise_id, e.name, a.unit_id, un.name, a.filed_at, a.filed_day,"  \
	" a.planned_start_day, a.plan, a.status, a.reason, a.reviewed_at, rv.name,"         \
	" (SELECT COUNT(*) FROM enterprise_employees m WHERE m.application_id = a.id),"     \
	" (SELECT COUNT(*) FROM enterprise_employees m LEFT JOIN isolations i"             \
	"  ON i.person_id = m.person_id AND i.status = 'active'"                            \
	"  WHERE m.application_id = a.id AND (m.isolate_until > a.planned_start_day"        \
	"  OR i.planned_end_day > a.planned_start_day)),"                                   \
	" e.credit_code, e.headcount"                                                        \
	" FROM enterprise_applications a JOIN enterprises e ON e.id = a.enterprise_id"      \
	" JOIN units un ON un.id = a.unit_id LEFT JOIN users rv ON rv.id = a.reviewed_by"

static json_t *app_row(struct dbq *q)
{
	int64_t n = db_int(q, 13), iso = db_int(q, 14);
	char filed[TIME_LEN];
	clock_time(db_int(q, 5), filed);
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:I,s:I,s:s,"
			 "s:I}",
			 "id", (json_int_t)db_int(q, 0), "enterprise_id",
			 (json_int_t)db_int(q, 1), "enterprise_name", db_text(q, 2), "unit_id",
			 (json_int_t)db_int(q, 3), "unit_name", db_text(q, 4), "filed_at", filed,
			 "filed_day", db_text(q, 6), "planned_start_day", db_text(q, 7), "plan",
			 db_text(q, 8), "status", db_text(q, 9), "reason",
			 jx_text_or_null(db_text(q, 10)), "reviewed_at", jx_col_int(q, 11),
			 "reviewer_name", jx_text_or_null(db_text(q, 12)), "employees",
			 (json_int_t)n, "must_isolate", (json_int_t)iso, "may_start",
			 (json_int_t)(n - iso), "credit_code", db_text(q, 15), "headcount",
			 (json_int_t)db_int(q, 16));
}

static const struct list_col app_export[] = {
	{"id", "编号"},
	{"enterprise_name", "企业"},
	{"credit_code", "统一社会信用代码"},
	{"unit_name", "所属单位"},
	{"filed_at", "申请时间"},
	{"planned_start_day", "计划复工日"},
	{"status", "状态"},
	{"reason", "意见"},
	{"reviewer_name", "审核人"},
	{"employees", "返岗员工"},
	{"must_isolate", "仍需隔离"},
	{"may_start", "可按期上岗"},
	{0, 0},
};

static int status_valid(const char *s)
{
	return strcmp(s, "pending") == 0 || strcmp(s, "approved") == 0 ||
	       strcmp(s, "rejected") == 0 || strcmp(s, "returned") == 0;
}

static int list_applications(struct req *r)
{
	static const char sql[] =
		APP_COLS " WHERE " SCOPE_SQL("a.unit_id", "1") " AND a.id > $2"
		" AND ($3 = '' OR a.status = $3) AND ($4 = 0 OR a.enterprise_id = $4)"
		" AND ($5 = 0 OR a.enterprise_id = $5)"
		" AND ($6 = '' OR lower(e.name) LIKE $6 ESCAPE '\\')"
		" ORDER BY a.id LIMIT $7";
	struct page pg;
	int64_t ent = 0;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "enterprise_id", 1, INT64_MAX, 0, &ent);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	const char *status = req_query(r, "status");
	if (status && *status && !status_valid(status))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be pending, approved, rejected or returned");
	int64_t own = enterprises_principal(r);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iitiiti", r->who.scope_unit_id, pg.after,
				 status ? status : "", ent, own, pat, pg.limit + 1);
	return resp_query_list(r, &pg, q, app_row, app_export, "applications");
}

/* Loads an application the request may read (write 0) or change (write 1):
 * its enterprise, unit, status and planned start. */
struct app_ref {
	int64_t id, enterprise_id, unit_id;
	char status[16];
	char planned[DAY_LEN];
};

static int load_app(struct req *r, struct dbc *c, int64_t id, int write, struct app_ref *a)
{
	struct dbq *q = db_query(c,
				 "SELECT enterprise_id, unit_id, status, planned_start_day FROM"
				 " enterprise_applications WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		a->id = id;
		a->enterprise_id = db_int(q, 0);
		a->unit_id = db_int(q, 1);
		snprintf(a->status, sizeof a->status, "%s", db_text(q, 2));
		snprintf(a->planned, sizeof a->planned, "%s", db_text(q, 3));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	int64_t own = enterprises_principal(r);
	if (rc == 0 || (own && own != a->enterprise_id))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such application");
	return scope_check(r, a->unit_id, write, "application");
}

static int respond_app(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *a = query_row(db_query(c, APP_COLS " WHERE a.id = $1", "i", id), app_row, &rc);
	if (!a)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such application");
	json_t *list = json_array();
	struct dbq *q = db_query(c,
				 "SELECT item_code, item_text, evidence FROM"
				 " enterprise_checklist_answers WHERE application_id = $1 ORDER BY"
				 " (SELECT k.position FROM enterprise_checklist_items k WHERE k.kind ="
				 " 'must' AND k.code = item_code), item_code",
				 "i", id);
	if (!q) {
		json_decref(a);
		json_decref(list);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "item", db_text(q, 0),
						      "text", db_text(q, 1), "evidence",
						      db_text(q, 2)));
	db_done(q);
	json_object_set_new(a, "checklist", list);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	return resp_json(r, status, a);
}

static int get_application(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 0, &a)))
		return rc;
	return respond_app(r, c, id, 200);
}

/* The planned start against the 2-day rule for filing now: 400 for a
 * malformed day, 422 naming the earliest allowed day. */
static int check_planned(struct req *r, struct dbc *c, const char *planned)
{
	if (day_valid(planned))
		return err_set(&r->err, ERR_INVALID, "planned_start_day", "must be a date YYYY-MM-DD");
	int lead = (int)settings_int(c, "resumption_lead_days");
	char earliest[DAY_LEN];
	enterprises_earliest_start(clock_now(), lead, earliest);
	if (strcmp(planned, earliest) < 0)
		return err_set(&r->err, ERR_RULE, "planned_start_day",
			       "apply at least %d days before the planned start: the earliest"
			       " start for an application filed today is %s",
			       lead, earliest);
	return 0;
}

/* Checks a checklist answer list against the active seven musts: every
 * item answered once with evidence, no unknown item. On success
 * texts[i] is the item text stored with answer i. */
static int check_checklist(struct req *r, struct dbc *c, json_t *list, const char ***codes,
			   const char ***evidence, const char ***texts, size_t *n)
{
	struct checklist_item *items;
	size_t ni;
	int rc = enterprises_checklist(r, c, "must", &items, &ni);
	if (rc)
		return rc;
	if (!json_is_array(list))
		return err_set(&r->err, ERR_INVALID, "checklist",
			       "must be a list of {\"item\",\"evidence\"}");
	*n = json_array_size(list);
	*codes = arena_alloc(&r->arena, sizeof **codes * (*n + 1) * 3);
	if (!*codes)
		return ERR_NOMEM;
	*evidence = *codes + *n + 1;
	*texts = *evidence + *n + 1;
	for (size_t i = 0; i < *n; i++) {
		json_t *o = json_array_get(list, i);
		if (!json_is_object(o))
			return err_set(&r->err, ERR_INVALID, "checklist",
				       "item %zu must be an object {\"item\",\"evidence\"}", i + 1);
		if ((rc = jx_str(r, o, "item", 1, 32, &(*codes)[i], NULL)) ||
		    (rc = enterprises_text(r, o, "evidence", 1, 1000, &(*evidence)[i]))) {
			enterprises_field_in(r, "checklist", i);
			return rc;
		}
		(*texts)[i] = NULL;
		for (size_t k = 0; k < ni; k++)
			if (strcmp(items[k].code, (*codes)[i]) == 0)
				(*texts)[i] = items[k].text_zh;
		if (!(*texts)[i]) {
			rc = err_set(&r->err, ERR_INVALID, "item", "no such item \"%s\" in the seven musts",
				     (*codes)[i]);
			enterprises_field_in(r, "checklist", i);
			return rc;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp((*codes)[i], (*codes)[j]) == 0) {
				rc = err_set(&r->err, ERR_INVALID, "item", "the item %s is answered twice",
					     (*codes)[i]);
				enterprises_field_in(r, "checklist", i);
				return rc;
			}
	}
	for (size_t k = 0; k < ni; k++) {
		size_t i = 0;
		while (i < *n && strcmp(items[k].code, (*codes)[i]) != 0)
			i++;
		if (i == *n)
			return err_set(&r->err, ERR_INVALID, "checklist",
				       "the item %s (%s) needs its evidence", items[k].code,
				       enterprises_item_text(r, &items[k]));
	}
	return 0;
}

static int store_checklist(struct dbc *c, int64_t app, const char **codes,
			   const char **evidence, const char **texts, size_t n)
{
	if (db_run(c, "DELETE FROM enterprise_checklist_answers WHERE application_id = $1", "i",
		   app) < 0)
		return ERR_DB;
	for (size_t i = 0; i < n; i++) {
		int64_t x = db_run(c,
				   "INSERT INTO enterprise_checklist_answers(application_id,"
				   " item_code, item_text, evidence) VALUES ($1, $2, $3, $4)",
				   "ittt", app, codes[i], texts[i], evidence[i]);
		if (x < 0)
			return (int)x;
	}
	return 0;
}

/* ---------- employees ---------- */

/* One employee as typed or imported. */
struct emp_in {
	const char *name, *doc_type, *doc_number, *phone, *origin, *arrival_date;
};

/* Validates an employee, then writes the person (a new one in the
 * enterprise's unit, not located; one already registered is linked as it
 * is), the graded arrival and the employee row. Errors go to ei naming the
 * field (ERR_CONFLICT when already on the application). The caller holds
 * the transaction; a validation error writes nothing. */
static int write_employee(struct dbc *c, const struct app_ref *a, const struct emp_in *e,
			  int64_t *emp_id, struct err_info *ei)
{
	char today[DAY_LEN];
	enterprises_today(today);
	if (!e->name || !*e->name)
		return err_set(ei, ERR_INVALID, "name", "is required");
	if (!e->doc_number || !*e->doc_number)
		return err_set(ei, ERR_INVALID, "doc_number", "is required");
	const char *origin = e->origin && *e->origin ? e->origin : NULL;
	const char *arrival = e->arrival_date && *e->arrival_date ? e->arrival_date : NULL;
	if (origin && !arrival)
		return err_set(ei, ERR_INVALID, "arrival_date", "is required with an origin");
	if (arrival && !origin)
		return err_set(ei, ERR_INVALID, "origin", "is required with an arrival date");
	if (arrival && day_valid(arrival))
		return err_set(ei, ERR_INVALID, "arrival_date", "must be a date YYYY-MM-DD");
	if (arrival && strcmp(arrival, today) > 0)
		return err_set(ei, ERR_INVALID, "arrival_date", "must not be in the future");
	struct person_in p = {.doc_type = e->doc_type && *e->doc_type ? e->doc_type : NULL,
			      .doc_number = e->doc_number,
			      .name = e->name,
			      .phone = e->phone && *e->phone ? e->phone : NULL,
			      .unit_id = a->unit_id,
			      .located = 0,
			      .source = "enterprise",
			      .source_id = a->id,
			      .scope_unit_id = a->unit_id};
	struct person_norm norm;
	int rc = people_validate_into(&p, today, &norm, ei);
	if (rc)
		return rc;
	p.norm = &norm;
	const char *type = p.doc_type ? p.doc_type : "resident_id";
	char code[7], oname[64];
	if (origin) {
		rc = areas_resolve(c, origin, code, oname);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_INVALID, "origin",
				       "\"%s\" is not a known place (a GB/T 2260 code or name)",
				       origin);
	}
	rc = db_one_int(c, NULL,
			"SELECT 1 FROM enterprise_employees WHERE application_id = $1 AND"
			" doc_type = $2 AND doc_number = $3",
			"itt", a->id, type, norm.doc_number);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(ei, ERR_CONFLICT, "doc_number",
			       "this employee is already on the application");
	/* A person registered anywhere is linked as registered: the portal
	 * neither changes nor reveals a record outside the enterprise. */
	int64_t pid = 0, now = clock_now();
	rc = db_one_int(c, &pid,
			"SELECT id FROM persons WHERE doc_type = $1 AND doc_number = $2", "tt",
			type, norm.doc_number);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		int created = 0;
		if ((rc = people_upsert(c, &p, now, &pid, &created, ei)))
			return rc;
	}
	int64_t arr = 0;
	char grade[16] = "", handling[16] = "", until[DAY_LEN] = "";
	if (origin) {
		if ((rc = people_add_arrival(c, pid, a->unit_id, code, arrival, "other",
					     "enterprise", a->id, now, &arr, ei)))
			return rc;
		struct dbq *q = db_query(c, "SELECT grade, handling FROM arrivals WHERE id = $1",
					 "i", arr);
		if (!q)
			return ERR_DB;
		if ((rc = db_step(q)) == 1) {
			snprintf(grade, sizeof grade, "%s", db_text(q, 0));
			snprintf(handling, sizeof handling, "%s", db_text(q, 1));
		}
		db_done(q);
		if (rc < 0)
			return rc;
		/* Observation runs from the arrival to arrival + observation days
		 * (DOMAIN.md Rules) for every grade that calls for isolation. */
		if (strcmp(handling, "monitor") != 0 &&
		    day_add(arrival, (int)settings_int(c, "observation_days"), until))
			until[0] = 0;
	}
	rc = db_one_int(c, emp_id,
			"INSERT INTO enterprise_employees(application_id, enterprise_id, unit_id,"
			" person_id, arrival_id, name, doc_type, doc_number, phone, origin_code,"
			" origin_name, arrival_date, grade, handling, isolate_until, created_at)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
			" $16) RETURNING id",
			"iiiiItttttttttti", a->id, a->enterprise_id, a->unit_id, pid, arr,
			e->name, type, norm.doc_number, norm.phone[0] ? norm.phone : NULL,
			origin ? code : NULL, origin ? oname : NULL, arrival,
			grade[0] ? grade : NULL, handling[0] ? handling : NULL,
			until[0] ? until : NULL, now);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

/* Reads an employee object's fields (400 naming the field). */
static int emp_fields(struct req *r, json_t *o, struct emp_in *e)
{
	memset(e, 0, sizeof *e);
	int rc = jx_str(r, o, "name", 1, 64, &e->name, NULL);
	if (!rc)
		rc = jx_str(r, o, "doc_type", 0, 32, &e->doc_type, NULL);
	if (!rc)
		rc = jx_str(r, o, "doc_number", 1, 40, &e->doc_number, NULL);
	if (!rc)
		rc = jx_str(r, o, "phone", 0, 32, &e->phone, NULL);
	if (!rc)
		rc = jx_str(r, o, "origin", 0, 64, &e->origin, NULL);
	if (!rc)
		rc = jx_str(r, o, "arrival_date", 0, 10, &e->arrival_date, NULL);
	return rc;
}

/* May employees still be added or the application changed? */
static int check_open(struct req *r, const struct app_ref *a)
{
	if (strcmp(a->status, "pending") == 0 || strcmp(a->status, "returned") == 0)
		return 0;
	return err_set(&r->err, ERR_CONFLICT, "", "the application is %s: it can no longer change",
		       a->status);
}

static int create_application(struct req *r)
{
	int64_t ent = 0;
	const char *planned = NULL, *plan = NULL;
	int rc = req_param_id(r, "id", &ent);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "planned_start_day", 1, 10, &planned, NULL);
	if (!rc)
		rc = enterprises_text(r, r->json, "plan", 1, 4000, &plan);
	json_t *emps = json_object_get(r->json, "employees");
	if (!rc && emps && !json_is_null(emps) &&
	    (!json_is_array(emps) || json_array_size(emps) > 2000))
		rc = err_set(&r->err, ERR_INVALID, "employees",
			     "must be a list of at most 2,000 employees (import a CSV for more)");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	if ((rc = enterprises_check(r, c, ent, 1, &unit)))
		return rc;
	const char **codes, **evidence, **texts;
	size_t n;
	if ((rc = check_checklist(r, c, json_object_get(r->json, "checklist"), &codes, &evidence,
				  &texts, &n)))
		return rc;
	if ((rc = check_planned(r, c, planned)))
		return rc;
	struct dbq *q = db_query(c,
				 "SELECT id, status FROM enterprise_applications WHERE"
				 " enterprise_id = $1 AND status <> 'rejected' ORDER BY id DESC"
				 " LIMIT 1",
				 "i", ent);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1)
		rc = err_set(&r->err, ERR_CONFLICT, "",
			     "this enterprise already has application %lld (%s)",
			     (long long)db_int(q, 0), db_text(q, 1));
	db_done(q);
	if (rc)
		return rc;
	int64_t now = clock_now(), id = 0;
	char today[DAY_LEN];
	clock_day(now, today);
	rc = db_one_int(c, &id,
			"INSERT INTO enterprise_applications(enterprise_id, unit_id, filed_at,"
			" filed_day, planned_start_day, plan, status, filed_by, created_at,"
			" updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $3, $3)"
			" RETURNING id",
			"iiitttI", ent, unit, now, today, planned, plan, r->who.user_id);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if ((rc = store_checklist(c, id, codes, evidence, texts, n)))
		return rc;
	struct app_ref a = {.id = id, .enterprise_id = ent, .unit_id = unit};
	snprintf(a.planned, sizeof a.planned, "%s", planned);
	for (size_t i = 0; emps && i < json_array_size(emps); i++) {
		json_t *o = json_array_get(emps, i);
		struct emp_in e;
		int64_t eid;
		if (!json_is_object(o))
			rc = err_set(&r->err, ERR_INVALID, "employees", "employee %zu must be an object",
				     i + 1);
		else if (!(rc = emp_fields(r, o, &e)))
			rc = write_employee(c, &a, &e, &eid, &r->err);
		if (rc) {
			if (json_is_object(o))
				enterprises_field_in(r, "employees", i);
			return rc;
		}
	}
	req_audit_record(r, "application", id);
	return respond_app(r, c, id, 201);
}

static int patch_application(struct req *r)
{
	int64_t id = 0;
	const char *planned = NULL, *plan = NULL;
	int has_planned = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "application", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "planned_start_day", 0, 10, &planned, &has_planned);
	if (!rc)
		rc = enterprises_text(r, r->json, "plan", 0, 4000, &plan);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 1, &a)) || (rc = check_open(r, &a)))
		return rc;
	json_t *list = json_object_get(r->json, "checklist");
	const char **codes = NULL, **evidence = NULL, **texts = NULL;
	size_t n = 0;
	if (list && (rc = check_checklist(r, c, list, &codes, &evidence, &texts, &n)))
		return rc;
	/* Refiling starts the 2-day count again from today. */
	if ((rc = check_planned(r, c, planned ? planned : a.planned)))
		return rc;
	int64_t now = clock_now();
	char today[DAY_LEN];
	clock_day(now, today);
	int64_t x = db_run(c,
			   "UPDATE enterprise_applications SET planned_start_day = COALESCE($2,"
			   " planned_start_day), plan = COALESCE($3, plan), status = 'pending',"
			   " filed_at = $4, filed_day = $5, updated_at = $4 WHERE id = $1",
			   "ittit", id, planned, plan, now, today);
	if (x < 0)
		return (int)x;
	if (list && (rc = store_checklist(c, id, codes, evidence, texts, n)))
		return rc;
	r->audit_detail = "refiled";
	return respond_app(r, c, id, 200);
}

static int review_application(struct req *r)
{
	int64_t id = 0;
	const char *decision = NULL, *reason = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "application", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "decision", 1, 16, &decision, NULL);
	if (!rc && strcmp(decision, "approve") && strcmp(decision, "reject") &&
	    strcmp(decision, "return"))
		rc = err_set(&r->err, ERR_INVALID, "decision", "must be approve, reject or return");
	if (!rc)
		rc = enterprises_text(r, r->json, "reason", 0, 1000, &reason);
	if (!rc && !reason && strcmp(decision, "approve") != 0)
		rc = err_set(&r->err, ERR_INVALID, "reason",
			     "is required to reject or return an application");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 1, &a)))
		return rc;
	if (strcmp(a.status, "pending") != 0)
		return err_set(&r->err, ERR_CONFLICT, "decision",
			       "the application is %s, not pending: it was already decided or"
			       " returned",
			       a.status);
	const char *status = decision[0] == 'a' ? "approved" : decision[2] == 'j' ? "rejected"
										   : "returned";
	int64_t now = clock_now();
	int64_t x = db_run(c,
			   "UPDATE enterprise_applications SET status = $2, reason = $3,"
			   " reviewed_by = $4, reviewed_at = $5, updated_at = $5 WHERE id = $1 AND"
			   " status = 'pending'",
			   "ittIi", id, status, reason, r->who.user_id, now);
	if (x < 0)
		return (int)x;
	if (x == 0)
		return err_set(&r->err, ERR_CONFLICT, "decision",
			       "the application is %s, not pending: it was already decided or"
			       " returned",
			       "changed");
	r->audit_detail = arena_printf(&r->arena, "%s", status);
	return respond_app(r, c, id, 200);
}

#define EMP_COLS                                                                           \
	"SELECT m.id, m.name, m.doc_type, m.doc_number, m.phone, m.origin_code, m.origin_name," \
	" m.arrival_date, m.grade, m.handling, m.isolate_until, a.planned_start_day,"         \
	" m.person_id, i.id, i.planned_end_day FROM enterprise_employees m"                   \
	" JOIN enterprise_applications a ON a.id = m.application_id"                          \
	" LEFT JOIN isolations i ON i.person_id = m.person_id AND i.status = 'active'"

static json_t *emp_row(struct dbq *q)
{
	char doc[48], phone[24] = "";
	people_mask_doc(db_text(q, 2), db_text(q, 3), doc, sizeof doc);
	if (db_text(q, 4))
		people_mask_phone(db_text(q, 4), phone, sizeof phone);
	/* The later of the arrival's observation end and an active order's
	 * planned end is the day the employee may start. */
	const char *until = db_text(q, 10), *planned = db_text(q, 11), *order_end = db_text(q, 14);
	if (order_end && (!until || strcmp(order_end, until) > 0))
		until = order_end;
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "name", db_text(q, 1), "doc_type",
			 db_text(q, 2), "doc_number", doc, "phone",
			 jx_text_or_null(phone[0] ? phone : NULL), "origin_code",
			 jx_text_or_null(db_text(q, 5)), "origin_name",
			 jx_text_or_null(db_text(q, 6)), "arrival_date",
			 jx_text_or_null(db_text(q, 7)), "grade", jx_text_or_null(db_text(q, 8)),
			 "handling", jx_text_or_null(db_text(q, 9)), "isolate_until",
			 jx_text_or_null(until), "must_isolate",
			 until && planned && strcmp(until, planned) > 0, "person_id",
			 jx_col_int(q, 12), "isolation_id", jx_col_int(q, 13), "isolation_end_day",
			 jx_text_or_null(order_end));
}

static const struct list_col emp_export[] = {
	{"id", "编号"},          {"name", "姓名"},         {"doc_type", "证件类型"},
	{"doc_number", "证件号码"}, {"phone", "电话"},        {"origin_name", "来源地"},
	{"arrival_date", "到达日期"}, {"grade", "风险等级"},   {"handling", "处置方式"},
	{"isolate_until", "观察期满"}, {"must_isolate", "计划复工日仍需隔离"},
	{"isolation_end_day", "隔离令期满"}, {0, 0},
};

static int list_employees(struct req *r)
{
	static const char sql[] =
		EMP_COLS " WHERE m.application_id = $1 AND m.id > $2"
		" AND ($3 = 0 OR m.isolate_until > a.planned_start_day"
		" OR i.planned_end_day > a.planned_start_day)"
		" ORDER BY m.id LIMIT $4";
	int64_t id = 0, flagged = 0;
	struct page pg;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "must_isolate", 0, 1, 0, &flagged);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 0, &a)))
		return rc;
	struct dbq *q = db_query(c, sql, "iiii", id, pg.after, flagged, pg.limit + 1);
	return resp_query_list(r, &pg, q, emp_row, emp_export, "employees");
}

static int respond_employee(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *e = query_row(db_query(c, EMP_COLS " WHERE m.id = $1", "i", id), emp_row, &rc);
	if (!e)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, e);
}

static int add_employee(struct req *r)
{
	int64_t id = 0;
	struct emp_in e;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = emp_fields(r, r->json, &e);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 1, &a)) || (rc = check_open(r, &a)))
		return rc;
	int64_t eid = 0;
	if ((rc = write_employee(c, &a, &e, &eid, &r->err)))
		return rc;
	req_audit_record(r, "application", id);
	return respond_employee(r, c, eid, 201);
}

/* The CSV import: a header row names the columns (English or Chinese),
 * every other row is one employee; a bad row is a reject with its line and
 * the others are added. */
enum { COL_NAME, COL_TYPE, COL_DOC, COL_PHONE, COL_ORIGIN, COL_ARRIVAL, NCOLS };

struct import_ctx {
	struct req *r;
	struct dbc *c;
	struct app_ref *a;
	int col[NCOLS];
	int header_seen;
	int64_t added;
	json_t *rejects;
	int fatal;
};

static int header_col(const char *h)
{
	static const struct {
		const char *name;
		int col;
	} names[] = {
		{"name", COL_NAME},	      {"姓名", COL_NAME},	  {"doc_type", COL_TYPE},
		{"证件类型", COL_TYPE},	      {"doc_number", COL_DOC},	  {"证件号码", COL_DOC},
		{"身份证号", COL_DOC},	      {"phone", COL_PHONE},	  {"电话", COL_PHONE},
		{"手机号", COL_PHONE},	      {"origin", COL_ORIGIN},	  {"来源地", COL_ORIGIN},
		{"arrival_date", COL_ARRIVAL}, {"到达日期", COL_ARRIVAL}, {"返回日期", COL_ARRIVAL},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(h, names[i].name) == 0)
			return names[i].col;
	return -1;
}

static int import_row(void *ctx, int line, char **f, size_t nf)
{
	struct import_ctx *x = ctx;
	if (!x->header_seen) {
		for (int i = 0; i < NCOLS; i++)
			x->col[i] = -1;
		for (size_t i = 0; i < nf; i++) {
			int k = header_col(f[i]);
			if (k >= 0)
				x->col[k] = (int)i;
		}
		x->header_seen = 1;
		if (x->col[COL_NAME] < 0 || x->col[COL_DOC] < 0) {
			x->fatal = err_set(&x->r->err, ERR_INVALID, "file",
					   "the first row must name the columns: name, doc_number"
					   " (and doc_type, phone, origin, arrival_date)");
			return 1;
		}
		return 0;
	}
	const char *v[NCOLS];
	for (int i = 0; i < NCOLS; i++)
		v[i] = x->col[i] >= 0 && (size_t)x->col[i] < nf ? f[x->col[i]] : NULL;
	struct emp_in e = {v[COL_NAME], v[COL_TYPE], v[COL_DOC], v[COL_PHONE], v[COL_ORIGIN],
			   v[COL_ARRIVAL]};
	struct err_info ei;
	err_clear(&ei);
	int64_t eid;
	int rc = write_employee(x->c, x->a, &e, &eid, &ei);
	if (rc == 0) {
		x->added++;
		return 0;
	}
	if (rc != ERR_INVALID && rc != ERR_CONFLICT && rc != ERR_FORBIDDEN) {
		x->fatal = rc;
		return 1;
	}
	const char *msg = strcmp(req_lang(x->r), "en") != 0 && ei.message_zh[0] ? ei.message_zh
										 : ei.message;
	json_array_append_new(x->rejects, json_pack("{s:i,s:s,s:s}", "line", line, "field",
						    ei.field, "message", msg));
	return 0;
}

static int import_employees(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	const char *ct = req_header(r, "Content-Type");
	if (!ct || (strncmp(ct, "text/csv", 8) != 0 && strncmp(ct, "text/plain", 10) != 0))
		return err_set(&r->err, ERR_INVALID, "Content-Type", "must be text/csv");
	if (!r->body || r->body_len == 0)
		return err_set(&r->err, ERR_INVALID, "file", "the file is empty");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct app_ref a;
	if ((rc = load_app(r, c, id, 1, &a)) || (rc = check_open(r, &a)))
		return rc;
	struct import_ctx x = {.r = r, .c = c, .a = &a, .rejects = json_array()};
	const char *enc = NULL;
	char perr[160] = "";
	rc = csvx_parse(r->body, r->body_len, import_row, &x, &enc, perr, sizeof perr);
	if (x.fatal) {
		json_decref(x.rejects);
		return x.fatal;
	}
	if (rc < 0) {
		json_decref(x.rejects);
		return err_set(&r->err, ERR_INVALID, "file", "cannot read the file: %s", perr);
	}
	if (!x.header_seen) {
		json_decref(x.rejects);
		return err_set(&r->err, ERR_INVALID, "file", "the file is empty");
	}
	req_audit_record(r, "application", id);
	r->audit_detail = arena_printf(&r->arena, "imported %lld employees, %zu rejected",
				       (long long)x.added, json_array_size(x.rejects));
	return resp_json(r, 200, json_pack("{s:I,s:I,s:o,s:s}", "added", (json_int_t)x.added,
					   "rejected", (json_int_t)json_array_size(x.rejects),
					   "rejects", x.rejects, "encoding", enc ? enc : "utf-8"));
}

/* ---------- the day resumed ---------- */

static int post_resumed(struct req *r)
{
	int64_t ent = 0, staff = 0;
	const char *day = NULL;
	int rc = req_param_id(r, "id", &ent);
	if (!rc) {
		req_audit_record(r, "enterprise", ent);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "day", 1, 10, &day, NULL);
	if (!rc && day_valid(day))
		rc = err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_int(r, r->json, "staff_at_work", 1, 0, 1000000, &staff, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	if ((rc = enterprises_check(r, c, ent, 1, &unit)))
		return rc;
	char today[DAY_LEN];
	enterprises_today(today);
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_RULE, "day", "must not be in the future (today is %s)",
			       today);
	int64_t app = 0, headcount = 0;
	char planned[DAY_LEN] = "";
	struct dbq *q = db_query(c,
				 "SELECT a.id, a.planned_start_day, e.headcount FROM"
				 " enterprise_applications a JOIN enterprises e ON e.id ="
				 " a.enterprise_id WHERE a.enterprise_id = $1 AND a.status ="
				 " 'approved' ORDER BY a.id DESC LIMIT 1",
				 "i", ent);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		app = db_int(q, 0);
		snprintf(planned, sizeof planned, "%s", db_text(q, 1));
		headcount = db_int(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (!app)
		return err_set(&r->err, ERR_RULE, "",
			       "the enterprise has no approved application to resume work");
	if (strcmp(day, planned) < 0)
		return err_set(&r->err, ERR_RULE, "day",
			       "the application approved a start on %s at the earliest", planned);
	if (headcount > 0 && staff > headcount)
		return err_set(&r->err, ERR_INVALID, "staff_at_work",
			       "must be at most the headcount, %lld", (long long)headcount);
	int64_t x = db_run(c,
			   "INSERT INTO enterprise_resumptions(enterprise_id, unit_id,"
			   " application_id, day, staff_at_work, created_by, created_at) VALUES"
			   " ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enterprise_id, day) DO UPDATE"
			   " SET staff_at_work = excluded.staff_at_work,"
			   " created_by = excluded.created_by, created_at = excluded.created_at",
			   "iiitiIi", ent, unit, app, day, staff, r->who.user_id, clock_now());
	if (x < 0)
		return (int)x;
	r->audit_detail = arena_printf(&r->arena, "resumed %s, %lld at work", day,
				       (long long)staff);
	return resp_json(r, 200,
			 json_pack("{s:I,s:s,s:I,s:I}", "enterprise_id", (json_int_t)ent, "day",
				   day, "staff_at_work", (json_int_t)staff, "application_id",
				   (json_int_t)app));
}
