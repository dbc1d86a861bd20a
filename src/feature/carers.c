/* 4包1 carers and their services (DOMAIN.md §8): each isolated person has a
 * leader, a party member, a medical worker and a community cadre; each
 * carer's "my people" list shows today's checks done and due, open alerts
 * and open requests; service requests (health, psychological support,
 * shopping, meals) are made by the person or a carer, assigned and done,
 * and overdue past a due time set per kind. */
#include "isolation.h"

#include <stdio.h>
#include <string.h>

#include "../http/scope.h"
#include "../http/settings.h"

static int my_people(struct req *r);
static int list_requests(struct req *r);
static int create_request(struct req *r);
static int assign_request(struct req *r);
static int done_request(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/my-people", my_people, PERM_SIGNED_IN, 0, 0,
	 "a carer's isolated persons: today's checks done and due, open alerts and requests"},
	{"GET", "/api/v1/service-requests", list_requests, P_ISOLATION_READ, 0, 0,
	 "service requests in scope by status, kind, overdue; export"},
	{"POST", "/api/v1/service-requests", create_request, P_HEALTH_CHECK, 4096, 0,
	 "ask for a service (health, psychological, shopping, meals) for an isolated person"},
	{"POST", "/api/v1/service-requests/{id}/assign", assign_request, P_HEALTH_CHECK, 1024, 0,
	 "assign a request to a carer (default: the caller)"},
	{"POST", "/api/v1/service-requests/{id}/done", done_request, P_HEALTH_CHECK, 1024, 0,
	 "mark a request done"},
};
ROUTE_TABLE(carers_routes, routes);

static const char *const kinds[] = {"health", "psychological", "shopping", "meals"};

int carers_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < 4; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

int carers_request_add(struct dbc *c, const struct request_in *in, int64_t *id,
		       struct err_info *ei)
{
	*id = 0;
	if (!carers_kind_valid(in->kind))
		return err_set(ei, ERR_INVALID, "kind", "must be health, psychological, shopping or meals");
	int64_t now = in->at ? in->at : clock_now();
	if (in->client_id) {
		int rc = db_one_int(c, id,
				    "SELECT id FROM service_requests WHERE isolation_id = $1 AND client_id = $2",
				    "it", in->isolation_id, in->client_id);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	struct dbq *q = db_query(c, "SELECT status, person_id, unit_id FROM isolations WHERE id = $1",
				 "i", in->isolation_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	char status[16] = "";
	int64_t person = 0, unit = 0;
	if (rc == 1) {
		snprintf(status, sizeof status, "%s", db_text(q, 0));
		person = db_int(q, 1);
		unit = db_int(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, "isolation_id", "no such isolation order");
	if (strcmp(status, "active") != 0)
		return err_set(ei, ERR_CONFLICT, "isolation_id", "the order is %s, not active", status);
	char key[48];
	snprintf(key, sizeof key, "service_due_hours_%s", in->kind);
	int64_t due = now + settings_int(c, key) * 3600;
	q = db_query(c,
		     "INSERT INTO service_requests(isolation_id, person_id, unit_id, kind, note, status,"
		     " by_self, created_by, created_at, due_at, client_id)"
		     " VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10)"
		     " ON CONFLICT (isolation_id, client_id) DO NOTHING RETURNING id",
		     "iiittiIiit", in->isolation_id, person, unit, in->kind,
		     in->note && *in->note ? in->note : NULL, (int64_t)in->by_self, in->by_user, now,
		     due, in->client_id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	if (rc == 0) /* a concurrent retry stored it first */
		return db_one_int(c, id,
				  "SELECT id FROM service_requests WHERE isolation_id = $1 AND client_id = $2",
				  "it", in->isolation_id, in->client_id) < 0
			       ? ERR_DB
			       : 0;
	return rc < 0 ? rc : 0;
}

#define REQ_COLS                                                                              \
	"SELECT sr.id, sr.isolation_id, sr.person_id, p.name, sr.unit_id, u.name, sr.kind,"     \
	" sr.note, sr.status, sr.by_self, cb.name, sr.created_at, sr.due_at, sr.assigned_to,"   \
	" ua.name, sr.assigned_at, sr.done_at, ud.name FROM service_requests sr"               \
	" JOIN persons p ON p.id = sr.person_id JOIN units u ON u.id = sr.unit_id"              \
	" LEFT JOIN users cb ON cb.id = sr.created_by LEFT JOIN users ua ON ua.id = sr.assigned_to" \
	" LEFT JOIN users ud ON ud.id = sr.done_by"

static json_t *req_row(struct dbq *q)
{
	int64_t now = clock_now();
	int overdue = strcmp(db_text(q, 8), "done") != 0 && db_int(q, 12) < now;
	return json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:o,s:s,s:b,s:o,s:I,s:I,s:o,s:o,s:o,s:o,s:o,"
			 "s:b}",
			 "id", (json_int_t)db_int(q, 0), "isolation_id", (json_int_t)db_int(q, 1),
			 "person_id", (json_int_t)db_int(q, 2), "person_name", db_text(q, 3),
			 "unit_id", (json_int_t)db_int(q, 4), "unit_name", db_text(q, 5), "kind",
			 db_text(q, 6), "note", jx_text_or_null(db_text(q, 7)), "status",
			 db_text(q, 8), "by_self", (int)db_int(q, 9), "created_by_name",
			 jx_text_or_null(db_text(q, 10)), "created_at", (json_int_t)db_int(q, 11),
			 "due_at", (json_int_t)db_int(q, 12), "assigned_to", jx_col_int(q, 13),
			 "assigned_name", jx_text_or_null(db_text(q, 14)), "assigned_at",
			 jx_col_int(q, 15), "done_at", jx_col_int(q, 16), "done_by_name",
			 jx_text_or_null(db_text(q, 17)), "overdue", overdue);
}

static const struct list_col req_export[] = {
	{"id", "编号"},        {"person_name", "姓名"},     {"unit_name", "所在单位"},
	{"kind", "服务类型"},  {"note", "说明"},            {"status", "状态"},
	{"created_at", "提出时间"}, {"due_at", "应办结时间"}, {"assigned_name", "承办人"},
	{"done_at", "办结时间"}, {0, 0},
};

static int list_requests(struct req *r)
{
	static const char sql[] =
		REQ_COLS " WHERE (" SCOPE_SQL("sr.unit_id", "1")
		" OR sr.isolation_id IN (SELECT isolation_id FROM isolation_carers WHERE user_id = $9))"
		" AND sr.id > $2"
		" AND ($3 = '' OR ($3 = 'open' AND sr.status <> 'done') OR sr.status = $3)"
		" AND ($4 = '' OR sr.kind = $4)"
		" AND ($5 = 0 OR (sr.status <> 'done' AND sr.due_at < $6))"
		" AND ($7 = 0 OR sr.isolation_id = $7)"
		" AND ($8 = 0 OR sr.isolation_id IN (SELECT isolation_id FROM isolation_carers"
		"   WHERE user_id = $8))"
		" ORDER BY sr.id LIMIT $10";
	struct page pg;
	int64_t overdue = 0, iso = 0, carer = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "overdue", 0, 1, 0, &overdue);
	if (!rc)
		rc = req_query_int(r, "isolation_id", 1, INT64_MAX, 0, &iso);
	if (rc)
		return rc;
	const char *c_me = req_query(r, "carer");
	if (c_me && !strcmp(c_me, "me"))
		carer = r->who.user_id;
	const char *status = req_query(r, "status"), *kind = req_query(r, "kind");
	if (status && *status && strcmp(status, "open") && strcmp(status, "assigned") &&
	    strcmp(status, "done"))
		return err_set(&r->err, ERR_INVALID, "status", "must be open, assigned or done");
	if (kind && *kind && !carers_kind_valid(kind))
		return err_set(&r->err, ERR_INVALID, "kind",
			       "must be health, psychological, shopping or meals");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iittiiiiii", r->who.scope_unit_id, pg.after,
				 status ? status : "", kind ? kind : "", overdue, clock_now(), iso,
				 carer, r->who.user_id, pg.limit + 1);
	return resp_query_list(r, &pg, q, req_row, req_export, "service-requests");
}

static int respond_request(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, REQ_COLS " WHERE sr.id = $1", "i", id), req_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such service request");
	return resp_json(r, status, o);
}

static int create_request(struct req *r)
{
	struct request_in in = {0};
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "isolation_id", 1, 0, &in.isolation_id, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 20, &in.kind, NULL);
	if (!rc && !carers_kind_valid(in.kind))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be health, psychological, shopping or meals");
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &in.note, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 64, &in.client_id, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, in.isolation_id, 1, NULL, NULL, NULL))) {
		if (rc == ERR_NOT_FOUND)
			rc = err_set(&r->err, ERR_INVALID, "isolation_id", "no such isolation order");
		return rc;
	}
	in.by_user = r->who.user_id;
	if (in.client_id && !*in.client_id)
		in.client_id = NULL;
	int64_t id = 0;
	if ((rc = carers_request_add(c, &in, &id, &r->err)))
		return rc;
	req_audit_record(r, "service_request", id);
	return respond_request(r, c, id, 201);
}

/* A request's order, with the caller's right to change it (scope or carer). */
static int request_for_write(struct req *r, struct dbc *c, int64_t id, char status[16])
{
	int64_t iso = 0;
	struct dbq *q = db_query(c, "SELECT isolation_id, status FROM service_requests WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		iso = db_int(q, 0);
		snprintf(status, 16, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such service request");
	return isolation_load(r, c, iso, 1, NULL, NULL, NULL);
}

static int assign_request(struct req *r)
{
	int64_t id = 0, to = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc && r->body_len)
		rc = req_json(r);
	if (!rc && r->json)
		rc = jx_id(r, r->json, "user_id", 0, 0, &to, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char status[16];
	if ((rc = request_for_write(r, c, id, status)))
		return rc;
	if (!strcmp(status, "done"))
		return err_set(&r->err, ERR_CONFLICT, "", "the request is already done");
	if (!to)
		to = r->who.user_id;
	int64_t disabled = 0;
	rc = db_one_int(c, &disabled, "SELECT disabled FROM users WHERE id = $1", "i", to);
	if (rc < 0)
		return rc;
	if (rc == 0 || disabled)
		return err_set(&r->err, ERR_INVALID, "user_id", "user %lld is not an active account",
			       (long long)to);
	if (db_run(c,
		   "UPDATE service_requests SET status = 'assigned', assigned_to = $2, assigned_at = $3"
		   " WHERE id = $1",
		   "iii", id, to, clock_now()) < 0)
		return ERR_DB;
	req_audit_record(r, "service_request", id);
	return respond_request(r, c, id, 200);
}

static int done_request(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char status[16];
	if ((rc = request_for_write(r, c, id, status)))
		return rc;
	if (!strcmp(status, "done"))
		return respond_request(r, c, id, 200); /* done once; a retry changes nothing */
	int64_t now = clock_now();
	if (db_run(c,
		   "UPDATE service_requests SET status = 'done', done_at = $2, done_by = $3,"
		   " assigned_to = COALESCE(assigned_to, $3), assigned_at = COALESCE(assigned_at, $2)"
		   " WHERE id = $1",
		   "iii", id, now, r->who.user_id) < 0)
		return ERR_DB;
	req_audit_record(r, "service_request", id);
	return respond_request(r, c, id, 200);
}

/* ---------- my people ---------- */

static int my_people(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	struct check_windows w;
	monitor_windows(c, &w);
	int64_t start = day_start(today);
	int hour = (int)((now - start) / 3600);
	struct dbq *q = db_query(
		c,
		"SELECT i.id, i.person_id, p.name, p.phone, i.kind, i.reason, i.planned_end_day,"
		" s.name, rm.number, ic.role, COALESCE(cd.morning, 0), COALESCE(cd.evening, 0),"
		" COALESCE(cd.max_temp, 0), i.created_at,"
		" (SELECT COUNT(*) FROM health_alerts a WHERE a.isolation_id = i.id"
		"   AND a.status <> 'closed'),"
		" (SELECT COUNT(*) FROM service_requests sr WHERE sr.isolation_id = i.id"
		"   AND sr.status <> 'done'),"
		" (SELECT COUNT(*) FROM service_requests sr WHERE sr.isolation_id = i.id"
		"   AND sr.status <> 'done' AND sr.due_at < $3), u.name"
		" FROM isolation_carers ic JOIN isolations i ON i.id = ic.isolation_id"
		" JOIN persons p ON p.id = i.person_id JOIN units u ON u.id = i.unit_id"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"
		" LEFT JOIN check_days cd ON cd.isolation_id = i.id AND cd.day = $2"
		" WHERE ic.user_id = $1 AND i.status = 'active' ORDER BY i.id LIMIT 500",
		"iti", r->who.user_id, today, now);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t due = 0, done = 0, missed = 0, alerts = 0, reqs = 0, overdue = 0;
	int rc;
	while ((rc = db_step(q)) == 1) {
		int m = (int)db_int(q, 10), e = (int)db_int(q, 11);
		int64_t created = db_int(q, 13);
		int since = created < start ? -1 : (int)((created - start) / 3600);
		int miss = monitor_missed(hour, m, e, since, &w);
		int owe = (since < w.morning_until) + (since < w.evening_until);
		due += owe;
		done += m + e;
		missed += (miss & 1) + ((miss & 2) >> 1);
		alerts += db_int(q, 14);
		reqs += db_int(q, 15);
		overdue += db_int(q, 16);
		json_array_append_new(
			items,
			json_pack("{s:I,s:I,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:s,s:b,s:b,s:o,s:b,s:b,s:I,s:I,"
				  "s:I,s:s}",
				  "id", (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
				  "person_name", db_text(q, 2), "phone", jx_text_or_null(db_text(q, 3)),
				  "kind", db_text(q, 4), "reason", db_text(q, 5), "planned_end_day",
				  db_text(q, 6), "site_name", jx_text_or_null(db_text(q, 7)),
				  "room_number", jx_text_or_null(db_text(q, 8)), "role", db_text(q, 9),
				  "morning_done", m, "evening_done", e, "max_temp_today",
				  db_int(q, 12) ? json_real(db_int(q, 12) / 10.0) : json_null(),
				  "morning_missed", (miss & 1) != 0, "evening_missed", (miss & 2) != 0,
				  "open_alerts", (json_int_t)db_int(q, 14), "open_requests",
				  (json_int_t)db_int(q, 15), "overdue_requests",
				  (json_int_t)db_int(q, 16), "unit_name", db_text(q, 17)));
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_json(r, 200,
			 json_pack("{s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I}}", "day", today, "items",
				   items, "totals", "people", (json_int_t)json_array_size(items),
				   "checks_due", (json_int_t)due, "checks_done", (json_int_t)done,
				   "checks_missed", (json_int_t)missed, "open_alerts",
				   (json_int_t)alerts, "open_requests", (json_int_t)reqs,
				   "overdue_requests", (json_int_t)overdue));
}
