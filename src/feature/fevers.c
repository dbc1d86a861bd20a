/* Fevers: the list in scope, one fever, and a medic closing one; see
 * fevers.h. Fevers are written by the checkpoint and gate screenings
 * (checkpoints.c, gates.c); passes.c reads the open ones for the colour. */
#include "fevers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../http/scope.h"
#include "../http/settings.h"

static int list_fevers(struct req *r);
static int get_fever(struct req *r);
static int close_fever(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/fevers", list_fevers, P_PEOPLE_READ, 0, 0,
	 "fevers in scope, open or closed, by unit or person, newest first"},
	{"GET", "/api/v1/fevers/{id}", get_fever, P_PEOPLE_READ, 0, 0,
	 "one fever with the person and how it was closed"},
	{"POST", "/api/v1/fevers/{id}/close", close_fever, P_FEVERS_WRITE, 0, 0,
	 "a medic closes a fever: re-measured normal at rest, or ruled out at the clinic"},
};
ROUTE_TABLE(fevers_routes, routes);

/* ---------- the rule ---------- */

int fevers_outcome_valid(const char *outcome)
{
	return outcome && (!strcmp(outcome, "remeasured_normal") || !strcmp(outcome, "ruled_out"));
}

int fevers_close_check(const char *outcome, int has_temp, int tenths, int threshold,
		       struct err_info *ei)
{
	if (!fevers_outcome_valid(outcome))
		return err_set(ei, ERR_INVALID, "outcome", "must be remeasured_normal or ruled_out");
	if (!strcmp(outcome, "remeasured_normal")) {
		if (!has_temp)
			return err_set(ei, ERR_INVALID, "temperature",
				       "is required: the temperature re-measured at rest");
		if (tenths >= threshold)
			return err_set(ei, ERR_RULE, "temperature",
				       "%.1f °C is still a fever (%.1f or more): the fever stays open",
				       tenths / 10.0, threshold / 10.0);
	}
	return 0;
}

int fevers_close(struct dbc *c, int64_t id, const char *outcome, int tenths, const char *note,
		 int64_t by, int64_t at)
{
	int64_t n = db_run(c,
			   "UPDATE fevers SET cleared_at = $2, cleared_by = $3, outcome = $4,"
			   " closing_temperature = $5, note = $6 WHERE id = $1 AND cleared_at IS NULL",
			   "iiItIt", id, at, by, outcome, (int64_t)tenths, note);
	return n < 0 ? (int)n : n > 0;
}

/* ---------- routes ---------- */

#define FEVER_COLS                                                                          \
	"SELECT f.id, f.person_id, p.name, p.unit_id, u.name, f.at, f.temperature, f.source,"     \
	" f.source_id, f.cleared_at, f.cleared_by, cu.name, f.outcome, f.closing_temperature,"   \
	" f.note FROM fevers f JOIN persons p ON p.id = f.person_id"                             \
	" JOIN units u ON u.id = p.unit_id LEFT JOIN users cu ON cu.id = f.cleared_by"

static json_t *tenths_or_null(struct dbq *q, int col)
{
	return db_null(q, col) ? json_null() : json_real(db_int(q, col) / 10.0);
}

static json_t *fever_row(struct dbq *q)
{
	char day[DAY_LEN];
	clock_day(db_int(q, 5), day);
	int open = db_null(q, 9);
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:I,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}",
			 "id", (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
			 "person_name", db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3),
			 "unit_name", db_text(q, 4), "at", (json_int_t)db_int(q, 5), "day", day,
			 "temperature", tenths_or_null(q, 6), "source", db_text(q, 7), "source_id",
			 jx_col_int(q, 8), "status", open ? "open" : "closed", "closed_at",
			 jx_col_int(q, 9), "closed_by", jx_col_int(q, 10), "closed_by_name",
			 jx_text_or_null(db_text(q, 11)), "outcome", jx_text_or_null(db_text(q, 12)),
			 "closing_temperature", tenths_or_null(q, 13), "note",
			 jx_text_or_null(db_text(q, 14)));
}

static const struct list_col fever_export[] = {
	{"id", "编号"},          {"person_name", "姓名"},     {"unit_name", "所在单位"},
	{"at", "时间"},          {"temperature", "体温"},     {"source", "来源"},
	{"status", "状态"},      {"outcome", "处置结果"},     {"closing_temperature", "复测体温"},
	{"closed_by_name", "解除人"}, {"closed_at", "解除时间"}, {"note", "备注"},
	{0, 0},
};

static int list_fevers(struct req *r)
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
	const char *status = req_query(r, "status");
	if (status && *status && strcmp(status, "open") && strcmp(status, "closed"))
		return err_set(&r->err, ERR_INVALID, "status", "must be open or closed");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t where = r->who.scope_unit_id;
	if (unit && unit != where) {
		if ((rc = scope_contains(c, where, unit)) < 0)
			return rc;
		if (rc == 0)
			return resp_list(r, &pg, json_array(), 0, fever_export, "fevers");
		where = unit;
	}
	/* Newest first: the cursor is the last id of the page before. */
	struct buf b = {0};
	buf_puts(&b, FEVER_COLS " WHERE " SCOPE_SQL("p.unit_id", "1"));
	buf_puts(&b, " AND ($2 = 0 OR f.id < $2)");
	if (status && !strcmp(status, "open"))
		buf_puts(&b, " AND f.cleared_at IS NULL");
	else if (status && !strcmp(status, "closed"))
		buf_puts(&b, " AND f.cleared_at IS NOT NULL");
	if (person)
		buf_puts(&b, " AND f.person_id = $3");
	buf_puts(&b, " ORDER BY f.id DESC LIMIT $4");
	const char *sql = buf_str(&b);
	struct dbq *q = sql ? db_query(c, sql, "iiii", where, pg.after, person, pg.limit + 1) : NULL;
	buf_free(&b);
	return resp_query_list(r, &pg, q, fever_row, fever_export, "fevers");
}

/* Loads fever id's row, applying the scope to the person's unit. */
static json_t *load_fever(struct req *r, struct dbc *c, int64_t id, int write, int *rc)
{
	json_t *o = query_row(db_query(c, FEVER_COLS " WHERE f.id = $1", "i", id), fever_row, rc);
	if (!o) {
		if (*rc == 0)
			*rc = err_set(&r->err, ERR_NOT_FOUND, "", "no such fever");
		return NULL;
	}
	if ((*rc = scope_check(r, json_integer_value(json_object_get(o, "unit_id")), write,
			       "fever"))) {
		json_decref(o);
		return NULL;
	}
	*rc = 0;
	return o;
}

static int get_fever(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such fever");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *o = load_fever(r, c, id, 0, &rc);
	return o ? resp_json(r, 200, o) : rc;
}

static int close_fever(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such fever");
	const char *outcome = NULL, *note = NULL;
	int has_temp = 0, tenths = 0;
	if ((rc = req_json(r)))
		return rc;
	if ((rc = jx_str(r, r->json, "outcome", 1, 32, &outcome, NULL)))
		return rc;
	if ((rc = jx_str(r, r->json, "note", 0, 200, &note, NULL)))
		return rc;
	json_t *t = json_object_get(r->json, "temperature");
	if (t && !json_is_null(t)) {
		double v = json_is_number(t) ? json_number_value(t) : NAN;
		if (!isfinite(v) || v < 34.0 || v > 43.0)
			return err_set(&r->err, ERR_INVALID, "temperature",
				       "must be a body temperature in °C, e.g. 36.5");
		has_temp = 1;
		tenths = (int)lround(v * 10.0);
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *o = load_fever(r, c, id, 1, &rc);
	if (!o)
		return rc;
	req_audit_record(r, "fever", id);
	if (!json_is_null(json_object_get(o, "closed_at"))) {
		const char *by = json_string_value(json_object_get(o, "closed_by_name"));
		char when[TIME_LEN];
		clock_time(json_integer_value(json_object_get(o, "closed_at")), when);
		rc = err_set(&r->err, ERR_CONFLICT, "", "this fever was closed on %s by %s", when,
			     by ? by : "-");
		json_decref(o); /* after: by points into it */
		return rc;
	}
	json_decref(o);
	int threshold = (int)settings_int(c, "fever_threshold_tenths");
	if ((rc = fevers_close_check(outcome, has_temp, tenths, threshold, &r->err)))
		return rc;
	rc = fevers_close(c, id, outcome, has_temp ? tenths : 0, note && *note ? note : NULL,
			  r->who.user_id, clock_now());
	if (rc < 0)
		return rc;
	if (rc == 0) /* closed by another medic at the same moment */
		return err_set(&r->err, ERR_CONFLICT, "", "this fever was closed meanwhile");
	o = load_fever(r, c, id, 1, &rc);
	return o ? resp_json(r, 200, o) : rc;
}
