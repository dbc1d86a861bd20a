/* Discrepancies (issue 9 §1, issue 10 "Data integrity"): a field write — a
 * door-to-door visit, a checkpoint screening, a gate scan — that meets a
 * registered document changes nobody outside the caller's scope and, in
 * scope, neither renames nor moves a located person silently. What the field
 * saw (name, phone, household, temperature, arrival), who saw it, where and
 * when is kept here instead, and the officers of the person's own unit list
 * it, confirm it (what was seen is applied then, each change a fact with the
 * original source) or dismiss it. The look-up that decides it is
 * people_find (people.c); people_upsert records the discrepancies of visits
 * and screenings, gates.c and checkpoints.c the fevers. */
#include "discrepancies.h"

#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/scope.h"

static int list_discrepancies(struct req *r);
static int confirm_discrepancy(struct req *r);
static int dismiss_discrepancy(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/discrepancies", list_discrepancies, P_PEOPLE_READ, 0, 0,
	 "what field workers saw about persons of the caller's units that was not applied"},
	{"POST", "/api/v1/discrepancies/{id}/confirm", confirm_discrepancy, P_PEOPLE_WRITE, 0,
	 ROUTE_IDEMPOTENT, "apply what was seen to the person"},
	{"POST", "/api/v1/discrepancies/{id}/dismiss", dismiss_discrepancy, P_PEOPLE_WRITE, 0,
	 ROUTE_IDEMPOTENT, "close it without changing the person"},
};
ROUTE_TABLE(discrepancies_routes, routes);

/* ---------- pure rules ---------- */

int discrepancy_kind_valid(const char *kind)
{
	static const char *const kinds[] = {"out_of_scope", "name", "household", "fever"};
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

int discrepancy_status_filter_valid(const char *status)
{
	static const char *const st[] = {"open", "confirmed", "dismissed", "all"};
	for (size_t i = 0; status && i < sizeof st / sizeof st[0]; i++)
		if (strcmp(st[i], status) == 0)
			return 1;
	return 0;
}

/* ---------- recording ---------- */

static const char insert_sql[] =
	"INSERT INTO person_discrepancies(person_id, unit_id, kind, source, source_id,"
	" seen_unit_id, seen_household_id, seen_name, seen_phone, temperature, fever,"
	" origin_code, arrival_date, mode, seen_by, device_id, at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

int discrepancy_record(struct dbc *c, const struct person_found *f, const struct person_in *in,
		       const struct person_seen *seen, const char *kind, int64_t *id)
{
	char phone[12] = "";
	struct err_info ei = {0};
	if (in->phone && *in->phone && people_phone(in->phone, phone, "phone", &ei))
		phone[0] = 0;
	int64_t where = seen->seen_unit_id ? seen->seen_unit_id : in->unit_id;
	int rc = PEOPLE_INSERT_ID(
		c, id, insert_sql, "iittIIIttIittt" "IIi", f->id, f->unit_id, kind,
		in->source ? in->source : "manual", in->source_id, where,
		seen->trip ? (int64_t)0 : in->household_id, in->name, phone[0] ? phone : NULL,
		seen->tenths, (int64_t)(seen->fever ? 1 : 0), seen->origin_code,
		seen->origin_code ? seen->arrival_date : NULL, seen->origin_code ? seen->mode : NULL,
		seen->seen_by, seen->device_id, seen->at ? seen->at : clock_now());
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int discrepancy_fever(struct dbc *c, int64_t person_id, const char *source, int64_t source_id,
		      int64_t seen_unit_id, int64_t tenths, int64_t seen_by, int64_t device_id,
		      int64_t at, int64_t *id)
{
	int64_t unit = 0;
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM persons WHERE id = $1", "i", person_id);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	rc = PEOPLE_INSERT_ID(c, id, insert_sql, "iittIIIttiittt" "IIi", person_id, unit, "fever",
			      source, source_id, seen_unit_id, (int64_t)0, NULL, NULL, tenths,
			      (int64_t)1, NULL, NULL, NULL, seen_by, device_id, at);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

/* ---------- the list ---------- */

#define D_COLS                                                                               \
	"SELECT d.id, d.kind, d.status, d.person_id, p.name, p.doc_type, p.doc_number,"     \
	" d.seen_name, d.seen_phone, d.seen_unit_id, su.name, d.seen_household_id,"         \
	" h.address, d.temperature, d.fever, d.origin_code, d.arrival_date, d.source,"      \
	" d.source_id, d.seen_by, us.name, d.device_id, d.at, d.resolved_by, d.resolved_at," \
	" d.note, d.unit_id, u.name FROM person_discrepancies d"                              \
	" JOIN persons p ON p.id = d.person_id JOIN units u ON u.id = d.unit_id"             \
	" LEFT JOIN units su ON su.id = d.seen_unit_id"                                       \
	" LEFT JOIN households h ON h.id = d.seen_household_id"                               \
	" LEFT JOIN users us ON us.id = d.seen_by"

static json_t *d_row(struct dbq *q)
{
	char doc[64] = "", ph[24] = "";
	people_mask_doc(db_text(q, 5), db_text(q, 6), doc, sizeof doc);
	if (db_text(q, 8))
		people_mask_phone(db_text(q, 8), ph, sizeof ph);
	json_t *o = json_pack(
		"{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:s,s:o}",
		"id", (json_int_t)db_int(q, 0), "kind", db_text(q, 1), "status", db_text(q, 2),
		"person_id", (json_int_t)db_int(q, 3), "person_name", db_text(q, 4), "doc_type",
		db_text(q, 5), "doc_number", doc, "seen_name", jx_text_or_null(db_text(q, 7)),
		"seen_phone", ph[0] ? json_string(ph) : json_null(), "seen_unit_id", jx_col_int(q, 9),
		"seen_unit_name", jx_text_or_null(db_text(q, 10)), "seen_household_id",
		jx_col_int(q, 11), "seen_household_address", jx_text_or_null(db_text(q, 12)),
		"temperature", db_null(q, 13) ? json_null() : json_real((double)db_int(q, 13) / 10.0),
		"fever", (int)db_int(q, 14), "origin_code", jx_text_or_null(db_text(q, 15)),
		"arrival_date", jx_text_or_null(db_text(q, 16)), "source", db_text(q, 17),
		"source_id", jx_col_int(q, 18));
	if (!o)
		return NULL;
	json_object_set_new(o, "seen_by", jx_col_int(q, 19));
	json_object_set_new(o, "seen_by_name", jx_text_or_null(db_text(q, 20)));
	json_object_set_new(o, "device_id", jx_col_int(q, 21));
	json_object_set_new(o, "at", json_integer(db_int(q, 22)));
	json_object_set_new(o, "resolved_by", jx_col_int(q, 23));
	json_object_set_new(o, "resolved_at", jx_col_int(q, 24));
	json_object_set_new(o, "note", jx_text_or_null(db_text(q, 25)));
	json_object_set_new(o, "unit_id", json_integer(db_int(q, 26)));
	json_object_set_new(o, "unit_name", json_string(db_text(q, 27)));
	return o;
}

static const struct list_col d_export[] = {
	{"id", "编号"},
	{"kind", "类别"},
	{"status", "状态"},
	{"unit_name", "所属单位"},
	{"person_name", "登记姓名"},
	{"doc_number", "证件号码"},
	{"seen_name", "现场姓名"},
	{"seen_phone", "现场电话"},
	{"seen_unit_name", "现场地点"},
	{"seen_household_address", "现场住户"},
	{"temperature", "体温"},
	{"origin_code", "来源地"},
	{"arrival_date", "抵达日期"},
	{"source", "来源"},
	{"seen_by_name", "登记人"},
	{"at", "时间"},
	{0, 0},
};

static int list_discrepancies(struct req *r)
{
	static const char sql[] =
		D_COLS " WHERE " SCOPE_SQL("d.unit_id", "1") " AND d.id > $2"
		" AND ($3 = 'all' OR d.status = $3)"
		" AND ($4 = 0 OR d.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $4))"
		" AND ($5 = 0 OR d.person_id = $5) ORDER BY d.id LIMIT $6";
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
	if (!status || !*status)
		status = "open";
	if (!discrepancy_status_filter_valid(status))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be open, confirmed, dismissed or all");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iitiii", r->who.scope_unit_id, pg.after, status, unit,
				 person, pg.limit + 1);
	return resp_query_list(r, &pg, q, d_row, d_export, "discrepancies");
}

/* ---------- resolving ---------- */

/* The discrepancy {id} for a resolution: open, its person in the caller's
 * scope. 1 with *row (the caller decrefs), or an error in r->err. */
static int for_resolution(struct req *r, struct dbc *c, int64_t id, json_t **row)
{
	int rc;
	*row = query_row(db_query(c, D_COLS " WHERE d.id = $1", "i", id), d_row, &rc);
	if (!*row)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such discrepancy");
	int64_t person = json_integer_value(json_object_get(*row, "person_id"));
	int64_t unit = 0;
	if ((rc = db_one_int(c, &unit, "SELECT unit_id FROM persons WHERE id = $1", "i", person)) <
	    0)
		goto fail;
	/* A write outside the scope: 403, as every write (scope.h). */
	if ((rc = scope_check(r, unit, 1, "discrepancy")))
		goto fail;
	if (strcmp(json_string_value(json_object_get(*row, "status")), "open") != 0) {
		rc = err_set(&r->err, ERR_RULE, "status", "this discrepancy was already %s",
			     json_string_value(json_object_get(*row, "status")));
		goto fail;
	}
	return 1;
fail:
	json_decref(*row);
	*row = NULL;
	return rc;
}

static int read_note(struct req *r, const char **note)
{
	*note = NULL;
	if (!r->body_len)
		return 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 500, note, NULL);
	if (!rc && *note && !**note)
		*note = NULL;
	return rc;
}

static int resolve(struct req *r, int64_t id, const char *status, const char *note)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t n = db_run(c,
			   "UPDATE person_discrepancies SET status = $2, resolved_by = $3,"
			   " resolved_at = $4, note = COALESCE($5, note) WHERE id = $1 AND status = 'open'",
			   "itIit", id, status, r->who.user_id, clock_now(), note);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return err_set(&r->err, ERR_CONFLICT, "status", "this discrepancy was resolved meanwhile");
	req_audit_record(r, "discrepancy", id);
	int rc;
	json_t *o = query_row(db_query(c, D_COLS " WHERE d.id = $1", "i", id), d_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, o);
}

static int confirm_discrepancy(struct req *r)
{
	int64_t id;
	const char *note;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = read_note(r, &note);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *d = NULL;
	if ((rc = for_resolution(r, c, id, &d)) != 1)
		return rc;
	/* What was seen, as the source saw it: the record read whole. */
	struct dbq *q = db_query(c,
				 "SELECT p.doc_type, p.doc_number, d.seen_name, d.seen_phone,"
				 " d.seen_household_id, h.unit_id, d.temperature, d.fever, d.origin_code,"
				 " d.arrival_date, d.mode, d.source, d.source_id, d.at, d.person_id"
				 " FROM person_discrepancies d JOIN persons p ON p.id = d.person_id"
				 " LEFT JOIN households h ON h.id = d.seen_household_id WHERE d.id = $1",
				 "i", id);
	json_decref(d);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) != 1) {
		db_done(q);
		return rc < 0 ? rc : ERR_DB;
	}
	struct arena *a = &r->arena;
#define COPY(i) (db_null(q, i) ? NULL : arena_strdup(a, db_text(q, i)))
	const char *doc_type = COPY(0), *doc = COPY(1), *name = COPY(2), *phone = COPY(3);
	int64_t hh = db_null(q, 4) ? 0 : db_int(q, 4), hh_unit = db_null(q, 5) ? 0 : db_int(q, 5);
	int64_t tenths = db_null(q, 6) ? 0 : db_int(q, 6);
	int fever = (int)db_int(q, 7);
	const char *origin = COPY(8), *arrival = COPY(9), *mode = COPY(10), *source = COPY(11);
	int64_t source_id = db_null(q, 12) ? 0 : db_int(q, 12), at = db_int(q, 13);
	int64_t person = db_int(q, 14);
#undef COPY
	db_done(q);
	if (!doc_type || !doc || !source)
		return ERR_NOMEM;
	int64_t now = clock_now(), pid = 0;
	int created = 0;
	struct person_in in = {.doc_type = doc_type,
			       .doc_number = doc,
			       .name = name,
			       .phone = phone,
			       .unit_id = hh ? hh_unit : 0,
			       .household_id = hh,
			       .located = hh != 0,
			       .source = source,
			       .source_id = source_id};
	if ((rc = people_upsert(c, &in, now, &pid, &created, &r->err)))
		return rc;
	if (fever && tenths &&
	    db_run(c,
		   "INSERT INTO fevers(person_id, at, temperature, source, source_id)"
		   " VALUES ($1, $2, $3, $4, $5)",
		   "iiitI", pid ? pid : person, at, tenths, source, source_id) < 0)
		return ERR_DB;
	if (origin && arrival) {
		int64_t unit = 0, aid = 0;
		if ((rc = db_one_int(c, &unit, "SELECT unit_id FROM persons WHERE id = $1", "i",
				     pid)) != 1)
			return rc < 0 ? rc : ERR_DB;
		if ((rc = people_add_arrival(c, pid, unit, origin, arrival, mode, source, source_id,
					     now, &aid, &r->err)))
			return rc;
	}
	return resolve(r, id, "confirmed", note);
}

static int dismiss_discrepancy(struct req *r)
{
	int64_t id;
	const char *note;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = read_note(r, &note);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *d = NULL;
	if ((rc = for_resolution(r, c, id, &d)) != 1)
		return rc;
	json_decref(d);
	return resolve(r, id, "dismissed", note);
}
