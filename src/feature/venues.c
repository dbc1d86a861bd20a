/* Venue closures (DOMAIN.md §3): venues by kind (mall, religious site,
 * internet cafe, serviced apartment, market, live-poultry trade, other),
 * each closed from a day and reopened from a later day, optionally by the
 * notice that ordered it. A venue's status on any day follows from its two
 * dates (venues_status), so the count of closed venues by kind is known for
 * every day, past ones included. A venue belongs to the unit it lies in and
 * follows the ordinary scope rule. */
#include <stdio.h>
#include <string.h>

#include "../http/scope.h"
#include "daily.h"

static int list_venues(struct req *r);
static int venue_counts(struct req *r);
static int create_venue(struct req *r);
static int close_venue(struct req *r);
static int reopen_venue(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/venues", list_venues, P_UNITS_READ, 0, 0,
	 "venues with their status on a day"},
	{"GET", "/api/v1/venues/counts", venue_counts, P_UNITS_READ, 0, 0,
	 "closed venues by kind on a day"},
	{"POST", "/api/v1/venues", create_venue, P_NOTICES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "register a venue"},
	{"POST", "/api/v1/venues/{id}/close", close_venue, P_NOTICES_WRITE, 0, 0,
	 "close a venue from a day, optionally by a notice"},
	{"POST", "/api/v1/venues/{id}/reopen", reopen_venue, P_NOTICES_WRITE, 0, 0,
	 "reopen a closed venue from a day"},
};
ROUTE_TABLE(venues_routes, routes);

static const char *const kinds[] = {"mall",   "religious", "internet_cafe", "serviced_apartment",
				    "market", "poultry",   "other"};
#define NKINDS (sizeof kinds / sizeof kinds[0])

int venues_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < NKINDS; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

const char *venues_status(const char *closed_day, const char *reopened_day, const char *day)
{
	if (reopened_day && *reopened_day && strcmp(reopened_day, day) <= 0)
		return "reopened";
	if (closed_day && *closed_day && strcmp(closed_day, day) <= 0)
		return "closed";
	return "open";
}

/* Bind the day at $1: the venue's status on that day, in SQL. */
#define CLOSED_ON(d)                                                                   \
	"(v.closed_day IS NOT NULL AND v.closed_day <= " d                             \
	" AND (v.reopened_day IS NULL OR v.reopened_day > " d "))"

#define VENUE_COLS                                                                      \
	"SELECT v.id, v.unit_id, u.name, v.name, v.kind, v.address, v.closed_day,"      \
	" v.reopened_day, v.notice_id, n.number, n.title"                               \
	" FROM venues v JOIN units u ON u.id = v.unit_id"                               \
	" LEFT JOIN notices n ON n.id = v.notice_id"

/* The day the statuses are computed for; set by the handler before the rows. */
static _Thread_local char status_day[DAY_LEN];

static json_t *venue_row(struct dbq *q)
{
	const char *closed = db_text(q, 6), *reopened = db_text(q, 7);
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "name", db_text(q, 3), "kind", db_text(q, 4), "address",
			 jx_text_or_null(db_text(q, 5)), "closed_day", jx_text_or_null(closed),
			 "reopened_day", jx_text_or_null(reopened), "status",
			 venues_status(closed, reopened, status_day), "notice_id",
			 jx_col_int(q, 8), "notice_number", jx_col_int(q, 9), "notice_title",
			 jx_text_or_null(db_text(q, 10)));
}

static const struct list_col venue_export[] = {
	{"id", "编号"},           {"name", "场所"},          {"kind", "类型"},
	{"unit_name", "所在单位"}, {"address", "地址"},       {"status", "状态"},
	{"closed_day", "关停日期"}, {"reopened_day", "恢复日期"}, {"notice_number", "公告号"},
	{0, 0},
};

static int list_venues(struct req *r)
{
	static const char sql[] =
		VENUE_COLS " WHERE " SCOPE_SQL("v.unit_id", "2") " AND v.id > $3"
		" AND ($4 = '' OR v.kind = $4)"
		" AND ($5 = '' OR ($5 = 'closed' AND " CLOSED_ON("$1") ")"
		" OR ($5 = 'reopened' AND v.reopened_day IS NOT NULL AND v.reopened_day <= $1)"
		" OR ($5 = 'open' AND (v.closed_day IS NULL OR v.closed_day > $1)))"
		" AND ($6 = '' OR lower(v.name) LIKE $6 ESCAPE '\\')"
		" AND ($7 = 0 OR v.notice_id = $7) ORDER BY v.id LIMIT $8";
	struct page pg;
	char today[DAY_LEN], day[DAY_LEN];
	const char *kind = req_query(r, "kind"), *status = req_query(r, "status"), *pat = "";
	int64_t notice = 0;
	daily_today(today);
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "day", today, day);
	if (!rc && kind && *kind && !venues_kind_valid(kind))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be mall, religious, internet_cafe, serviced_apartment, market,"
			     " poultry or other");
	if (!rc && status && *status && strcmp(status, "open") && strcmp(status, "closed") &&
	    strcmp(status, "reopened"))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be open, closed or reopened");
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (!rc)
		rc = req_query_int(r, "notice_id", 1, INT64_MAX, 0, &notice);
	if (rc)
		return rc;
	snprintf(status_day, sizeof status_day, "%s", day);
	struct dbq *q = db_query(req_db(r), sql, "tiitttii", day, r->who.scope_unit_id, pg.after,
				 kind ? kind : "", status ? status : "", pat, notice, pg.limit + 1);
	return resp_query_list(r, &pg, q, venue_row, venue_export, "venues");
}

static int venue_counts(struct req *r)
{
	static const char sql[] =
		"SELECT v.kind, SUM(CASE WHEN " CLOSED_ON("$1") " THEN 1 ELSE 0 END), COUNT(*)"
		" FROM venues v WHERE " SCOPE_SQL("v.unit_id", "2") " GROUP BY v.kind";
	char today[DAY_LEN], day[DAY_LEN];
	daily_today(today);
	int rc = daily_query_day(r, "day", today, day);
	if (rc)
		return rc;
	struct dbq *q = db_query(req_db(r), sql, "ti", day, r->who.scope_unit_id);
	if (!q)
		return ERR_DB;
	json_t *by = json_object(), *all = json_object();
	for (size_t i = 0; i < NKINDS; i++) {
		json_object_set_new(by, kinds[i], json_integer(0));
		json_object_set_new(all, kinds[i], json_integer(0));
	}
	int64_t closed = 0, total = 0;
	while ((rc = db_step(q)) == 1) {
		json_object_set_new(by, db_text(q, 0), json_integer(db_int(q, 1)));
		json_object_set_new(all, db_text(q, 0), json_integer(db_int(q, 2)));
		closed += db_int(q, 1);
		total += db_int(q, 2);
	}
	db_done(q);
	if (rc < 0) {
		json_decref(by);
		json_decref(all);
		return rc;
	}
	return resp_json(r, 200, json_pack("{s:s,s:I,s:I,s:o,s:o}", "day", day, "closed",
					   (json_int_t)closed, "venues", (json_int_t)total,
					   "closed_by_kind", by, "venues_by_kind", all));
}

static int respond_venue(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	daily_today(status_day);
	json_t *v = query_row(db_query(c, VENUE_COLS " WHERE v.id = $1", "i", id), venue_row, &rc);
	if (!v)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, v);
}

static int create_venue(struct req *r)
{
	static const char sql[] =
		"INSERT INTO venues(unit_id, name, kind, address, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	int64_t unit = 0;
	const char *name = NULL, *kind = NULL, *address = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 100, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 32, &kind, NULL);
	if (!rc && !venues_kind_valid(kind))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be mall, religious, internet_cafe, serviced_apartment, market,"
			     " poultry or other");
	if (!rc)
		rc = jx_str(r, r->json, "address", 0, 200, &address, NULL);
	if (rc)
		return rc;
	if (address && !*address)
		address = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = daily_unit_for_write(r, c, unit, "unit_id", NULL)))
		return rc;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "itttI", unit, name, kind, address, clock_now()), &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "name", "a venue named %s exists in this unit",
			       name);
	if (rc)
		return rc;
	req_audit_record(r, "venue", id);
	return respond_venue(r, c, id, 201);
}

/* The venue's dates for a change, after the scope check (404 outside it:
 * the venue is not revealed). */
static int venue_for_write(struct req *r, struct dbc *c, int64_t id, char closed[DAY_LEN],
			   char reopened[DAY_LEN])
{
	struct dbq *q = db_query(c, "SELECT unit_id, closed_day, reopened_day FROM venues"
				    " WHERE id = $1", "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t unit = 0;
	if (rc == 1) {
		unit = db_int(q, 0);
		snprintf(closed, DAY_LEN, "%s", db_null(q, 1) ? "" : db_text(q, 1));
		snprintf(reopened, DAY_LEN, "%s", db_null(q, 2) ? "" : db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = scope_contains(c, r->who.scope_unit_id, unit)) < 0)
		return rc;
	if (rc != 1)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such venue");
	return 0;
}

static int close_venue(struct req *r)
{
	int64_t id = 0, notice = 0;
	char day[DAY_LEN], closed[DAY_LEN], reopened[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "venue", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = daily_json_day(r, "day", 0, day);
	if (!rc)
		rc = jx_id(r, r->json, "notice_id", 0, 1, &notice, NULL);
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = venue_for_write(r, c, id, closed, reopened)))
		return rc;
	if (closed[0])
		return err_set(&r->err, ERR_CONFLICT, "",
			       "this venue was closed on %s already", closed);
	if (notice) {
		int64_t ok = 0;
		rc = db_one_int(c, &ok,
				"SELECT 1 FROM notices WHERE id = $1 AND status = 'published' AND "
				DAILY_VISIBLE_SQL("unit_id", "2"),
				"ii", notice, r->who.scope_unit_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "notice_id", "no such published notice");
	}
	int64_t n = db_run(c, "UPDATE venues SET closed_day = $2, notice_id = $3 WHERE id = $1",
			   "itI", id, day, notice);
	if (n < 0)
		return (int)n;
	r->audit_detail = "closed";
	return respond_venue(r, c, id, 200);
}

static int reopen_venue(struct req *r)
{
	int64_t id = 0;
	char day[DAY_LEN], closed[DAY_LEN], reopened[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "venue", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = daily_json_day(r, "day", 0, day);
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = venue_for_write(r, c, id, closed, reopened)))
		return rc;
	if (!closed[0] || reopened[0])
		return err_set(&r->err, ERR_CONFLICT, "", "this venue is not closed");
	if (strcmp(day, closed) <= 0)
		return err_set(&r->err, ERR_RULE, "day", "must be after the closing day %s", closed);
	int64_t n = db_run(c, "UPDATE venues SET reopened_day = $2 WHERE id = $1", "it", id, day);
	if (n < 0)
		return (int)n;
	r->audit_detail = "reopened";
	return respond_venue(r, c, id, 200);
}
