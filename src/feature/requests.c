/* Supply requests (物资申领, DOMAIN.md §9): the front line asks the
 * warehouse for items and quantities; the warehouse serves the front line
 * first. A request's priority comes from its requester's kind (epidemic
 * points and isolation sites, then checkpoints, then medical teams, then
 * communities) and the queue is sorted by it, then by age. Approving
 * issues stock, all or part, from one warehouse, inside the request's
 * transaction: the summary row of each item is locked before it is read
 * (supplies_lock), so two approvals racing for the last units are
 * serialised and the second sees what the first left — never below zero,
 * on SQLite and on PostgreSQL. Directed donations' lots are drawn first
 * where their direction allows, never where it does not. A request belongs
 * to the requesting unit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/scope.h"
#include "funds.h"
#include "supplies.h"

#define MAX_LINES 50
#define MAX_LOTS SUPPLIES_MAX_LOTS

static int list_requests(struct req *r);
static int create_request(struct req *r);
static int get_request(struct req *r);
static int approve_request(struct req *r);
static int close_request(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/supply-requests", list_requests, PERM_SIGNED_IN, 0, 0,
	 "the request queue, front line first (supplies.read or supplies.request)"},
	{"POST", "/api/v1/supply-requests", create_request, P_SUPPLIES_REQUEST, 0,
	 ROUTE_IDEMPOTENT, "ask the warehouse for supplies (retry-safe by client_id)"},
	{"GET", "/api/v1/supply-requests/{id}", get_request, PERM_SIGNED_IN, 0, 0,
	 "one request with its lines"},
	{"POST", "/api/v1/supply-requests/{id}/approve", approve_request, P_SUPPLIES_WRITE, 0, 0,
	 "issue stock for a request, all or part"},
	{"POST", "/api/v1/supply-requests/{id}/close", close_request, P_SUPPLIES_WRITE, 0, 0,
	 "close a request without issuing the rest"},
};
ROUTE_TABLE(requests_routes, routes);

/* ---------- the request as JSON ---------- */

#define REQ_COLS                                                                      \
	"SELECT r.id, r.unit_id, u.name, r.kind, r.priority, r.requester, r.note,"      \
	" r.status, r.created_at, r.closed_at FROM supply_requests r"                   \
	" JOIN units u ON u.id = r.unit_id"

static json_t *request_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:i,s:s,s:o,s:s,s:I,s:o}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
			 "unit_name", db_text(q, 2), "kind", db_text(q, 3), "priority",
			 (int)db_int(q, 4), "requester", db_text(q, 5), "note",
			 jx_text_or_null(db_text(q, 6)), "status", db_text(q, 7), "created_at",
			 (json_int_t)db_int(q, 8), "closed_at", jx_col_int(q, 9));
}

/* Appends one line (columns off.. : item_id, item, unit, quantity, issued)
 * to a request's "lines", and to "lines_text" for exports. */
static void append_line(json_t *o, struct dbq *q, int off)
{
	json_t *lines = json_object_get(o, "lines");
	if (!lines) {
		lines = json_array();
		json_object_set_new(o, "lines", lines);
	}
	json_array_append_new(lines, json_pack("{s:I,s:s,s:s,s:I,s:I}", "item_id",
					       (json_int_t)db_int(q, off), "item", db_text(q, off + 1),
					       "unit", db_text(q, off + 2), "quantity",
					       (json_int_t)db_int(q, off + 3), "issued",
					       (json_int_t)db_int(q, off + 4)));
	const char *was = json_string_value(json_object_get(o, "lines_text"));
	char text[1024];
	snprintf(text, sizeof text, "%s%s%s %lld/%lld%s", was ? was : "", was && *was ? "；" : "",
		 db_text(q, off + 1), (long long)db_int(q, off + 4), (long long)db_int(q, off + 3),
		 db_text(q, off + 2));
	json_object_set_new(o, "lines_text", json_string(text));
}

/* Adds "lines" and "lines_text" to a request. */
static int add_lines(struct dbc *c, json_t *o)
{
	struct dbq *q = db_query(c,
				 "SELECT l.item_id, i.name, i.unit, l.quantity, l.issued FROM"
				 " supply_request_lines l JOIN items i ON i.id = l.item_id"
				 " WHERE l.request_id = $1 ORDER BY l.item_id",
				 "i", (int64_t)json_integer_value(json_object_get(o, "id")));
	if (!q)
		return ERR_DB;
	json_object_set_new(o, "lines", json_array());
	json_object_set_new(o, "lines_text", json_string(""));
	int rc;
	while ((rc = db_step(q)) == 1)
		append_line(o, q, 0);
	db_done(q);
	return rc < 0 ? rc : 0;
}

static int respond_request(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, REQ_COLS " WHERE r.id = $1", "i", id), request_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	if ((rc = add_lines(c, o))) {
		json_decref(o);
		return rc;
	}
	return resp_json(r, status, o);
}

/* ---------- create ---------- */

int requests_create(struct dbc *c, int64_t unit_id, const char *kind, const char *requester,
		    const char *note, const struct supply_line *lines, size_t n, int64_t at,
		    int64_t user_id, const char *client_id, int64_t *id, struct err_info *ei)
{
	int prio = supplies_priority(kind);
	if (!prio)
		return err_set(ei, ERR_INVALID, "kind",
			       "must be epidemic_point, isolation_site, checkpoint, medical_team"
			       " or community");
	if (n == 0)
		return err_set(ei, ERR_INVALID, "lines", "name at least one item");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (lines[i].item_id == lines[j].item_id)
				return err_set(ei, ERR_INVALID, "lines",
					       "item %lld is listed twice",
					       (long long)lines[i].item_id);
	int rc = db_one_int(c, id,
			    "INSERT INTO supply_requests(unit_id, kind, priority, requester, note,"
			    " status, open, created_by, created_at, client_id)"
			    " VALUES ($1, $2, $3, $4, $5, 'open', 1, $6, $7, $8) RETURNING id",
			    "itittIit", unit_id, kind, (int64_t)prio, requester, note, user_id, at,
			    client_id);
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "client_id",
			       "this client id was already used for another write");
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	for (size_t i = 0; i < n; i++) {
		int64_t k = db_run(c,
				   "INSERT INTO supply_request_lines(request_id, item_id, quantity,"
				   " issued) VALUES ($1, $2, $3, 0)",
				   "iii", *id, lines[i].item_id, lines[i].quantity);
		if (k < 0)
			return (int)k;
	}
	return 0;
}

/* Reads "lines":[{"item_id","quantity","donation_id"?}] into out (at most
 * MAX_LINES), naming "lines[i].field" on bad input. */
static int read_lines(struct req *r, int with_donation, struct supply_line *out, size_t *n)
{
	json_t *a = json_object_get(r->json, "lines");
	if (!json_is_array(a))
		return err_set(&r->err, ERR_INVALID, "lines", "must be a list of items and quantities");
	if (json_array_size(a) == 0)
		return err_set(&r->err, ERR_INVALID, "lines", "name at least one item");
	if (json_array_size(a) > MAX_LINES)
		return err_set(&r->err, ERR_INVALID, "lines", "at most %d items", MAX_LINES);
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
	{
		char f[64];
		struct supply_line *l = &out[i];
		memset(l, 0, sizeof *l);
		if (!json_is_object(o)) {
			snprintf(f, sizeof f, "lines[%zu]", i);
			return err_set(&r->err, ERR_INVALID, f, "must be an object");
		}
		int rc = jx_id(r, o, "item_id", 1, 0, &l->item_id, NULL);
		if (!rc)
			rc = jx_int(r, o, "quantity", 1, 1, INT32_MAX, &l->quantity, NULL);
		if (!rc && with_donation)
			rc = jx_id(r, o, "donation_id", 0, 1, &l->donation_id, NULL);
		if (rc) {
			char name[16];
			memcpy(name, r->err.field, sizeof name - 1);
			name[sizeof name - 1] = 0;
			snprintf(f, sizeof f, "lines[%zu].%s", i, name);
			snprintf(r->err.field, sizeof r->err.field, "%s", f);
			return rc;
		}
	}
	*n = json_array_size(a);
	return 0;
}

static int create_request(struct req *r)
{
	int64_t unit = 0;
	const char *kind = NULL, *requester = NULL, *note = NULL;
	struct supply_line lines[MAX_LINES];
	size_t n = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 0, 32, &kind, NULL);
	if (!rc && kind && !supplies_priority(kind))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be epidemic_point, isolation_site, checkpoint, medical_team"
			     " or community");
	if (!rc)
		rc = jx_str(r, r->json, "requester", 0, 64, &requester, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 500, &note, NULL);
	if (!rc)
		rc = read_lines(r, 0, lines, &n);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char ukind[16] = "", uname[256] = "";
	struct dbq *q = db_query(c, "SELECT kind, name FROM units WHERE id = $1", "i", unit);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		snprintf(ukind, sizeof ukind, "%s", db_text(q, 0));
		snprintf(uname, sizeof uname, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	/* Communities, villages and what lies in them ask as a community;
	 * anyone else says which front line they are. */
	if (!kind) {
		if (strcmp(ukind, "community") == 0 || strcmp(ukind, "village") == 0 ||
		    strcmp(ukind, "compound") == 0 || strcmp(ukind, "building") == 0)
			kind = "community";
		else
			return err_set(&r->err, ERR_INVALID, "kind",
				       "is required for a request of a %s", ukind);
	}
	if (!requester || !*requester)
		requester = uname;
	for (size_t i = 0; i < n; i++) {
		char f[64];
		snprintf(f, sizeof f, "lines[%zu].item_id", i);
		if ((rc = supplies_item_check(c, r->who.scope_unit_id, lines[i].item_id, f, &r->err)))
			return rc;
	}
	int64_t id = 0;
	if ((rc = requests_create(c, unit, kind, requester, note && *note ? note : NULL, lines, n,
				  clock_now(), r->who.user_id, r->client_id, &id, &r->err)))
		return rc;
	req_audit_record(r, "supply_request", id);
	return respond_request(r, c, id, 201);
}

/* ---------- read ---------- */

static int may_read(struct req *r)
{
	if (req_can(r, P_SUPPLIES_READ) || req_can(r, P_SUPPLIES_REQUEST))
		return 0;
	return err_set(&r->err, ERR_FORBIDDEN, "", "you may not see supply requests");
}

static const struct list_col request_export[] = {
	{"id", "申领单号"}, {"priority", "优先级"}, {"kind", "申领类别"}, {"unit_name", "申领单位"},
	{"requester", "申领人/点位"}, {"lines_text", "物资（已发/申领）"}, {"status", "状态"},
	{"created_at", "申领时间"}, {"closed_at", "完成时间"}, {"note", "备注"}, {0, 0},
};

static int list_requests(struct req *r)
{
	static const char open_sql[] =
		REQ_COLS " WHERE r.open = 1 AND " SCOPE_SQL("r.unit_id", "1")
		" ORDER BY r.priority, r.created_at, r.id LIMIT $2 OFFSET $3";
	static const char status_sql[] =
		REQ_COLS " WHERE ($4 = 'all' OR r.status = $4) AND " SCOPE_SQL("r.unit_id", "1")
		" ORDER BY r.id DESC LIMIT $2 OFFSET $3";
#define LINES_OF(sel)                                                                 \
	"SELECT l.request_id, l.item_id, i.name, i.unit, l.quantity, l.issued"       \
	" FROM supply_request_lines l JOIN items i ON i.id = l.item_id"              \
	" WHERE l.request_id IN (" sel ") ORDER BY l.request_id, l.item_id"
	static const char open_lines_sql[] = LINES_OF(
		"SELECT r.id FROM supply_requests r WHERE r.open = 1 AND " SCOPE_SQL("r.unit_id", "1")
		" ORDER BY r.priority, r.created_at, r.id LIMIT $2 OFFSET $3");
	static const char status_lines_sql[] = LINES_OF(
		"SELECT r.id FROM supply_requests r WHERE ($4 = 'all' OR r.status = $4) AND "
		SCOPE_SQL("r.unit_id", "1") " ORDER BY r.id DESC LIMIT $2 OFFSET $3");
#undef LINES_OF
	int rc = may_read(r);
	if (rc)
		return rc;
	struct page pg;
	if ((rc = req_page(r, &pg)))
		return rc;
	const char *status = req_query(r, "status");
	if (!status || !*status)
		status = "open";
	if (strcmp(status, "open") != 0 && strcmp(status, "partial") != 0 &&
	    strcmp(status, "done") != 0 && strcmp(status, "closed") != 0 &&
	    strcmp(status, "all") != 0)
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be open, partial, done, closed or all");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	/* The queue is in priority order, so its cursor is an offset. */
	int open = strcmp(status, "open") == 0;
	struct dbq *q = db_query(c, open ? open_sql : status_sql, open ? "iii" : "iiit",
				 r->who.scope_unit_id, pg.limit + 1, pg.after, status);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t k = 0, next = 0;
	while ((rc = db_step(q)) == 1) {
		if (k++ == pg.limit) {
			next = pg.after + pg.limit;
			break;
		}
		json_array_append_new(items, request_row(q));
	}
	db_done(q);
	/* The page's lines in one query, by the same selection. */
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o)
	{
		json_object_set_new(o, "lines", json_array());
		json_object_set_new(o, "lines_text", json_string(""));
	}
	if (rc >= 0 && json_array_size(items)) {
		q = db_query(c, open ? open_lines_sql : status_lines_sql, open ? "iii" : "iiit",
			     r->who.scope_unit_id, pg.limit, pg.after, status);
		if (!q)
			rc = ERR_DB;
		while (q && (rc = db_step(q)) == 1) {
			int64_t rid = db_int(q, 0);
			json_array_foreach(items, i, o)
			{
				if (json_integer_value(json_object_get(o, "id")) == rid) {
					append_line(o, q, 1);
					break;
				}
			}
		}
		db_done(q);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, &pg, items, next, request_export, "supply-requests");
}

/* The request of the path, in scope: 0 with its unit, or 404. */
static int request_param(struct req *r, struct dbc *c, int64_t *id)
{
	int64_t unit = 0;
	if (req_param_id(r, "id", id))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such supply request");
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM supply_requests WHERE id = $1", "i", *id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such supply request");
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_NOT_FOUND, "", "no such supply request");
}

static int get_request(struct req *r)
{
	int rc = may_read(r);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	if ((rc = request_param(r, c, &id)))
		return rc;
	return respond_request(r, c, id, 200);
}

/* ---------- approve ---------- */

struct sorted_line {
	struct supply_line l;
	size_t orig;
};

static int by_item(const void *a, const void *b)
{
	const struct sorted_line *x = a, *y = b;
	return x->l.item_id < y->l.item_id ? -1 : x->l.item_id > y->l.item_id;
}

/* Why goods of a directed donation may not go to a requester of kind
 * req_kind: ERR_RULE naming the donation and its direction. */
static int direction_refused(struct dbc *c, int64_t donation_id, const char *donor,
			     int64_t dir_unit, const char *dir_kind, const char *req_kind,
			     struct err_info *ei)
{
	char unit_name[256] = "";
	struct dbq *q;
	if (dir_unit && (q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", dir_unit))) {
		if (db_step(q) == 1)
			snprintf(unit_name, sizeof unit_name, "%s", db_text(q, 0));
		db_done(q);
	}
	return err_set(ei, ERR_RULE, "donation_id",
		       "donation %lld from %s is directed to %s%s%s: it may not go to a %s",
		       (long long)donation_id, donor, unit_name,
		       unit_name[0] && dir_kind[0] ? " / " : "", dir_kind, req_kind);
}

struct lot_row {
	int64_t dir_unit;  /* 0: no unit named */
	char dir_kind[32]; /* "" when no kind named */
};

/* Issues one line: the lots it may draw from, directed lots first (oldest
 * first) and general stock last, the plan, the moves. */
static int issue_line(struct dbc *c, int64_t scope_unit, int64_t request_id, int64_t req_unit,
		      const char *req_kind, int64_t warehouse_id, const struct supply_line *l,
		      int64_t at, int64_t user_id, struct err_info *ei)
{
	static const char lots_sql[] =
		"SELECT s.lot_id, s.quantity, d.directed_unit_id, d.directed_kind"
		" FROM stock_lots s LEFT JOIN donations d ON d.id = s.lot_id"
		" WHERE s.warehouse_id = $1 AND s.item_id = $2 AND s.quantity > 0"
		" ORDER BY CASE WHEN s.lot_id = 0 THEN 1 ELSE 0 END, s.lot_id";
	char item[128] = "";
	int64_t on = 0;
	int rc;
	struct dbq *q = db_query(c, "SELECT name FROM items WHERE id = $1", "i", l->item_id);
	if (q && db_step(q) == 1)
		snprintf(item, sizeof item, "%s", db_text(q, 0));
	db_done(q);
	/* Lock the item's stock in this warehouse before reading its lots. */
	if ((rc = supplies_lock(c, warehouse_id, l->item_id, &on)))
		return rc;
	struct donation_info named;
	if (l->donation_id) {
		if ((rc = donations_get(c, scope_unit, l->donation_id, "donation_id", &named, ei)))
			return rc;
		int in_unit = -1;
		if (named.directed_unit_id &&
		    (in_unit = scope_contains(c, named.directed_unit_id, req_unit)) < 0)
			return in_unit;
		if (named.directed &&
		    !supplies_direction_allows(named.directed_kind, in_unit, req_kind))
			return direction_refused(c, l->donation_id, named.donor_name,
						 named.directed_unit_id, named.directed_kind,
						 req_kind, ei);
	}
	struct supplies_lot lots[MAX_LOTS];
	struct lot_row info[MAX_LOTS];
	int64_t take[MAX_LOTS];
	size_t n = 0;
	if (!(q = db_query(c, lots_sql, "ii", warehouse_id, l->item_id)))
		return ERR_DB;
	while (n < MAX_LOTS && (rc = db_step(q)) == 1) {
		lots[n].lot_id = db_int(q, 0);
		lots[n].quantity = db_int(q, 1);
		info[n].dir_unit = db_null(q, 2) ? 0 : db_int(q, 2);
		snprintf(info[n].dir_kind, sizeof info[n].dir_kind, "%s",
			 db_null(q, 3) ? "" : db_text(q, 3));
		n++;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (l->donation_id) {
			/* A named donation draws from its own lot only, or from
			 * general stock when it was not directed. */
			lots[i].allowed = named.directed ? lots[i].lot_id == l->donation_id
							 : lots[i].lot_id == 0;
			continue;
		}
		if (lots[i].lot_id == 0) {
			lots[i].allowed = 1;
			continue;
		}
		int in_unit = -1;
		if (info[i].dir_unit && (in_unit = scope_contains(c, info[i].dir_unit, req_unit)) < 0)
			return in_unit;
		lots[i].allowed = supplies_direction_allows(info[i].dir_kind, in_unit, req_kind);
	}
	int64_t avail = supplies_plan(lots, n, l->quantity, take);
	if (avail < l->quantity)
		return err_set(ei, ERR_RULE, "quantity", "not enough %s in stock: available %lld",
			       item, (long long)avail);
	for (size_t i = 0; i < n; i++) {
		if (!take[i])
			continue;
		struct stock_move m = {
			.warehouse_id = warehouse_id, .item_id = l->item_id, .lot_id = lots[i].lot_id,
			.kind = "issue", .quantity = -take[i], .at = at, .user_id = user_id,
			.donation_id = lots[i].lot_id, .request_id = request_id, .to_unit_id = req_unit,
		};
		if ((rc = supplies_move(c, &m, NULL, NULL, ei)))
			return rc;
	}
	return 0;
}

int requests_approve(struct dbc *c, int64_t scope_unit, int64_t id, int64_t warehouse_id,
		     struct supply_line *lines, size_t n, int64_t at, int64_t user_id,
		     struct err_info *ei)
{
	/* The request's row first: two approvals of one request wait here. */
	struct dbq *q = db_query(c,
				 "UPDATE supply_requests SET open = open WHERE id = $1"
				 " RETURNING unit_id, kind, status",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t unit = 0;
	char kind[32] = "", status[16] = "";
	if (rc == 1) {
		unit = db_int(q, 0);
		snprintf(kind, sizeof kind, "%s", db_text(q, 1));
		snprintf(status, sizeof status, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (rc = scope_contains(c, scope_unit, unit)) == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such supply request");
	if (rc < 0)
		return rc;
	if (strcmp(status, "open") != 0 && strcmp(status, "partial") != 0)
		return err_set(ei, ERR_CONFLICT, "", "this request is already %s", status);
	if ((rc = supplies_warehouse(c, scope_unit, warehouse_id, "warehouse_id", NULL, ei)))
		return rc;
	struct sorted_line s[MAX_LINES];
	if (n == 0 || n > MAX_LINES)
		return err_set(ei, ERR_INVALID, "lines", "name at least one item");
	for (size_t i = 0; i < n; i++) {
		s[i].l = lines[i];
		s[i].orig = i;
	}
	/* Items in one order in every transaction: no two approvals wait on
	 * each other's rows. */
	qsort(s, n, sizeof s[0], by_item);
	for (size_t i = 0; i < n; i++) {
		char f[64];
		if (i && s[i].l.item_id == s[i - 1].l.item_id) {
			snprintf(f, sizeof f, "lines[%zu].item_id", s[i].orig);
			return err_set(ei, ERR_INVALID, f, "item %lld is listed twice",
				       (long long)s[i].l.item_id);
		}
		int64_t left = 0;
		rc = db_one_int(c, &left,
				"SELECT quantity - issued FROM supply_request_lines WHERE"
				" request_id = $1 AND item_id = $2",
				"ii", id, s[i].l.item_id);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			snprintf(f, sizeof f, "lines[%zu].item_id", s[i].orig);
			return err_set(ei, ERR_INVALID, f, "this item was not requested");
		}
		if (s[i].l.quantity > left)
			return err_set(ei, ERR_RULE, "quantity",
				       "only %lld of item %lld are still to be issued",
				       (long long)left, (long long)s[i].l.item_id);
		if ((rc = issue_line(c, scope_unit, id, unit, kind, warehouse_id, &s[i].l, at,
				     user_id, ei)))
			return rc;
		int64_t k = db_run(c,
				   "UPDATE supply_request_lines SET issued = issued + $3"
				   " WHERE request_id = $1 AND item_id = $2 AND issued + $3 <= quantity",
				   "iii", id, s[i].l.item_id, s[i].l.quantity);
		if (k < 0)
			return (int)k;
		if (k == 0)
			return err_set(ei, ERR_CONFLICT, "quantity",
				       "the request changed meanwhile: load it again");
	}
	int64_t open = 0;
	rc = db_one_int(c, &open,
			"SELECT COUNT(*) FROM supply_request_lines WHERE request_id = $1"
			" AND issued < quantity",
			"i", id);
	if (rc < 0)
		return rc;
	int64_t k = db_run(c,
			   "UPDATE supply_requests SET status = $2, open = $3,"
			   " closed_at = CASE WHEN $3 = 0 THEN $4 ELSE NULL END WHERE id = $1",
			   "itii", id, open ? "partial" : "done", (int64_t)(open ? 1 : 0), at);
	return k < 0 ? (int)k : 0;
}

static int approve_request(struct req *r)
{
	int64_t id = 0, wh = 0;
	struct supply_line lines[MAX_LINES];
	size_t n = 0;
	if (req_param_id(r, "id", &id))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such supply request");
	req_audit_record(r, "supply_request", id);
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "warehouse_id", 1, 0, &wh, NULL);
	if (!rc)
		rc = read_lines(r, 1, lines, &n);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = requests_approve(c, r->who.scope_unit_id, id, wh, lines, n, clock_now(),
				   r->who.user_id, &r->err)))
		return rc;
	return respond_request(r, c, id, 200);
}

static int close_request(struct req *r)
{
	int64_t id = 0;
	const char *reason = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "reason", 1, 200, &reason, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = request_param(r, c, &id)))
		return rc;
	req_audit_record(r, "supply_request", id);
	r->audit_detail = reason;
	int64_t k = db_run(c,
			   "UPDATE supply_requests SET status = 'closed', open = 0, closed_at = $2,"
			   " note = CASE WHEN note IS NULL THEN $3 ELSE note || ' / ' || $3 END"
			   " WHERE id = $1 AND open = 1",
			   "iit", id, clock_now(), reason);
	if (k < 0)
		return (int)k;
	if (k == 0)
		return err_set(&r->err, ERR_CONFLICT, "", "this request is no longer open");
	return respond_request(r, c, id, 200);
}
