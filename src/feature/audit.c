/* Reading the audit log. The server writes one row for every write (method,
 * route, record, who, when, status), every sign-in and sign-out, every
 * refused write and every read of a whole ID number or phone; this file only
 * lists them, newest first, with filters and export. There is deliberately no
 * route that changes or deletes a row. */
#include "audit.h"

#include <stdint.h>
#include <string.h>

#include "../http/scope.h"

static int list_audit(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/audit", list_audit, P_AUDIT_READ, 0, 0,
	 "the audit log, newest first, filtered"},
};
ROUTE_TABLE(audit_routes, routes);

int audit_action_valid(const char *action)
{
	static const char *const actions[] = {"write", "read", "login", "logout", "denied"};
	if (!action)
		return 0;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i], action) == 0)
			return 1;
	return 0;
}

static json_t *audit_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:o,s:o,s:s,s:s,s:s,s:I,s:o,s:o,s:s,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "at", (json_int_t)db_int(q, 1), "actor",
			 db_text(q, 2), "user_id", jx_col_int(q, 3), "device_id",
			 jx_col_int(q, 4), "method", db_text(q, 5), "route", db_text(q, 6),
			 "path", db_text(q, 7), "status", (json_int_t)db_int(q, 8),
			 "record_type", jx_text_or_null(db_text(q, 9)), "record_id",
			 jx_col_int(q, 10), "action", db_text(q, 11), "detail",
			 jx_text_or_null(db_text(q, 12)), "ip", jx_text_or_null(db_text(q, 13)));
}

static const struct list_col audit_export[] = {
	{"id", "编号"},          {"at", "时间"},          {"actor", "操作人"},
	{"user_id", "用户编号"},  {"device_id", "设备编号"}, {"method", "方法"},
	{"route", "路由"},        {"path", "路径"},        {"status", "状态码"},
	{"record_type", "记录类型"}, {"record_id", "记录编号"}, {"action", "动作"},
	{"detail", "详情"},       {"ip", "地址"},          {0, 0},
};

/* A text filter from the query: "" when absent; ERR_INVALID when longer
 * than max. */
static int text_filter(struct req *r, const char *key, size_t max, const char **out)
{
	const char *v = req_query(r, key);
	*out = v ? v : "";
	if (strlen(*out) > max)
		return err_set(&r->err, ERR_INVALID, key, "must be at most %zu characters", max);
	return 0;
}

static int list_audit(struct req *r)
{
	/* Newest first: the cursor is the last id seen and the next page holds
	 * the ids below it, so a deep page is still one index range. */
	static const char sql[] =
		"SELECT id, at, actor, user_id, device_id, method, route, path, status,"
		" record_type, record_id, action, detail, ip FROM audit_log"
		" WHERE id < $1 AND ($2 = '' OR actor = $2) AND ($3 = 0 OR user_id = $3)"
		" AND ($4 = '' OR record_type = $4) AND ($5 = 0 OR record_id = $5)"
		" AND ($6 = '' OR action = $6) AND at >= $7 AND at <= $8"
		/* Within the reader's scope: rows of users and devices whose area
		 * lies in it; rows of nobody (failed sign-ins of unknown names)
		 * only for the district. */
		" AND ($10 = 1 OR user_id IN (SELECT id FROM users WHERE "
		SCOPE_SQL("scope_unit_id", "11") ") OR device_id IN (SELECT id FROM device_tokens"
		" WHERE " SCOPE_SQL("scope_unit_id", "11") "))"
		" ORDER BY id DESC LIMIT $9";
	struct page pg;
	int64_t user = 0, rec = 0, since = 0, until = INT64_MAX;
	const char *actor = "", *rtype = "", *action = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = text_filter(r, "actor", 128, &actor);
	if (!rc)
		rc = req_query_int(r, "user_id", 1, INT64_MAX, 0, &user);
	if (!rc)
		rc = text_filter(r, "record_type", 32, &rtype);
	if (!rc)
		rc = req_query_int(r, "record_id", 1, INT64_MAX, 0, &rec);
	if (!rc)
		rc = text_filter(r, "action", 16, &action);
	if (!rc && *action && !audit_action_valid(action))
		rc = err_set(&r->err, ERR_INVALID, "action",
			     "must be one of write, read, login, logout, denied");
	if (!rc)
		rc = req_query_int(r, "since", 0, INT64_MAX, 0, &since);
	if (!rc)
		rc = req_query_int(r, "until", 0, INT64_MAX, INT64_MAX, &until);
	if (rc)
		return rc;
	if (since > until)
		return err_set(&r->err, ERR_INVALID, "until", "must not be before since");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int district = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1 AND parent_id IS NULL",
				  "i", r->who.scope_unit_id);
	if (district < 0)
		return district;
	struct dbq *q = db_query(c, sql, "itititiii" "ii", pg.after ? pg.after : INT64_MAX, actor,
				 user, rtype, rec, action, since, until, pg.limit + 1,
				 (int64_t)district, r->who.scope_unit_id);
	return resp_query_list(r, &pg, q, audit_row, audit_export, "audit");
}
