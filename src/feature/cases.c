/* Cases (DOMAIN.md §5): reporting a case, its dated transitions, the case
 * list with export, one case with its history, and the bulletin's case
 * figures and epidemic curve for any day — both computed from the history
 * by pure functions, so the figures of 2020-02-15 and of today come from the
 * same records the same way. See cases.h. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http/scope.h"
#include "people.h"

static int create_case(struct req *r);
static int list_cases(struct req *r);
static int get_case(struct req *r);
static int patch_case(struct req *r);
static int transition(struct req *r);
static int figures(struct req *r);
static int curve(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/cases", create_case, P_CASES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "report a case (suspected, confirmed or asymptomatic)"},
	{"GET", "/api/v1/cases", list_cases, P_CASES_READ, 0, 0, "cases in scope, with export"},
	{"GET", "/api/v1/cases/figures", figures, P_CASES_READ, 0, 0,
	 "the bulletin's case figures as of a day"},
	{"GET", "/api/v1/cases/curve", curve, P_CASES_READ, 0, 0,
	 "new confirmed cases by report day and by onset day"},
	{"GET", "/api/v1/cases/{id}", get_case, P_CASES_READ, 0, 0, "one case with its history"},
	{"PATCH", "/api/v1/cases/{id}", patch_case, P_CASES_WRITE, 0, 0,
	 "a case's hospital, how it was found, onset day, when it was isolated"},
	{"POST", "/api/v1/cases/{id}/transitions", transition, P_CASES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "a case's next status (or severity), dated"},
};
ROUTE_TABLE(cases_routes, routes);

/* ---------- pure rules ---------- */

static const char *const statuses[] = {"suspected", "confirmed", "asymptomatic",
				       "excluded",  "cured",     "died"};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int cases_status_valid(const char *s)
{
	return in_list(s, statuses, sizeof statuses / sizeof statuses[0]);
}

int cases_severity_valid(const char *s)
{
	static const char *const sev[] = {"mild", "severe", "critical"};
	return in_list(s, sev, 3);
}

int cases_initial_ok(const char *s)
{
	static const char *const first[] = {"suspected", "confirmed", "asymptomatic"};
	return in_list(s, first, 3);
}

int cases_transition_ok(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} ok[] = {
		{"suspected", "confirmed"},    {"suspected", "asymptomatic"},
		{"suspected", "excluded"},     {"suspected", "died"},
		{"asymptomatic", "confirmed"}, {"asymptomatic", "excluded"},
		{"asymptomatic", "died"},      {"confirmed", "cured"},
		{"confirmed", "died"},         {"excluded", "suspected"},
	};
	if (!from || !to)
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(ok[i].from, from) == 0 && strcmp(ok[i].to, to) == 0)
			return 1;
	return 0;
}

int cases_figures(const struct case_hist *h, size_t n, const char *day, const char *records_start,
		  struct case_figures *out)
{
	memset(out, 0, sizeof *out);
	if (day_valid(day) || (records_start && *records_start && day_valid(records_start)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *status = NULL, *severity = "", *confirmed = NULL;
		for (size_t k = 0; k < h[i].nev; k++) {
			const struct case_event *e = &h[i].ev[k];
			if (strcmp(e->day, day) > 0)
				break;
			status = e->status;
			if (e->severity[0])
				severity = e->severity;
			if (!confirmed && strcmp(e->status, "confirmed") == 0)
				confirmed = e->day;
		}
		if (!confirmed)
			continue;
		out->confirmed_total++;
		if (h[i].medical_worker)
			out->medical_workers_infected++;
		if (strcmp(confirmed, day) == 0)
			out->new_confirmed++;
		if (strcmp(confirmed, out->last_confirmed_day) > 0)
			memcpy(out->last_confirmed_day, confirmed, DAY_LEN);
		if (strcmp(status, "cured") == 0)
			out->cured_total++;
		else if (strcmp(status, "died") == 0)
			out->deaths_total++;
		else if (strcmp(status, "confirmed") == 0 && strcmp(severity, "critical") == 0)
			out->critical_now++;
	}
	if (out->last_confirmed_day[0]) {
		out->days_without_new_confirmed = day_diff(out->last_confirmed_day, day);
	} else {
		out->since_records_start = 1;
		int32_t d = records_start && *records_start ? day_diff(records_start, day) : -1;
		out->days_without_new_confirmed = d < 0 ? 0 : d + 1;
	}
	return 0;
}

/* ---------- loading histories ---------- */

/* The histories of the cases in scope: h[] and their events, malloc'd in
 * one block the caller frees (*blk). Also the first event day seen. */
struct hist_set {
	struct case_hist *h;
	struct case_event *ev;
	int64_t *ids;
	char **onset; /* onset day per case, NULL when unknown */
	size_t n, nev;
	char first_day[DAY_LEN];
};

static void hist_free(struct hist_set *s)
{
	for (size_t i = 0; s->onset && i < s->n; i++)
		free(s->onset[i]);
	free(s->h);
	free(s->ev);
	free(s->ids);
	free(s->onset);
	memset(s, 0, sizeof *s);
}

static int hist_load(struct dbc *c, int64_t scope, struct hist_set *s)
{
	memset(s, 0, sizeof *s);
	struct dbq *q = db_query(
		c,
		"SELECT k.id, k.medical_worker, k.onset_day, e.status, e.severity, e.day"
		" FROM cases k JOIN case_events e ON e.case_id = k.id"
		" WHERE " SCOPE_SQL("k.unit_id", "1") " ORDER BY k.id, e.id",
		"i", scope);
	if (!q)
		return ERR_DB;
	size_t capc = 0, cape = 0;
	int rc;
	int64_t last = 0;
	while ((rc = db_step(q)) == 1) {
		int64_t id = db_int(q, 0);
		if (id != last) {
			if (s->n == capc) {
				capc = capc ? capc * 2 : 64;
				struct case_hist *nh = realloc(s->h, capc * sizeof *nh);
				int64_t *ni = nh ? realloc(s->ids, capc * sizeof *ni) : NULL;
				if (nh)
					s->h = nh;
				if (ni)
					s->ids = ni;
				char **no = ni ? realloc(s->onset, capc * sizeof *no) : NULL;
				if (no)
					s->onset = no;
				if (!nh || !ni || !no) {
					rc = ERR_NOMEM;
					break;
				}
			}
			s->ids[s->n] = id;
			s->onset[s->n] = db_text(q, 2) ? strdup(db_text(q, 2)) : NULL;
			/* ev is an index until the events stop moving */
			s->h[s->n] = (struct case_hist){.medical_worker = db_int(q, 1) != 0,
							.ev = (const struct case_event *)(uintptr_t)s->nev,
							.nev = 0};
			s->n++;
			last = id;
		}
		if (s->nev == cape) {
			cape = cape ? cape * 2 : 128;
			struct case_event *ne = realloc(s->ev, cape * sizeof *ne);
			if (!ne) {
				rc = ERR_NOMEM;
				break;
			}
			s->ev = ne;
		}
		struct case_event *e = &s->ev[s->nev++];
		memset(e, 0, sizeof *e);
		snprintf(e->status, sizeof e->status, "%s", db_text(q, 3));
		snprintf(e->severity, sizeof e->severity, "%s", db_text(q, 4) ? db_text(q, 4) : "");
		snprintf(e->day, sizeof e->day, "%s", db_text(q, 5));
		if (!s->first_day[0] || strcmp(e->day, s->first_day) < 0)
			memcpy(s->first_day, e->day, DAY_LEN);
		s->h[s->n - 1].nev++;
	}
	db_done(q);
	if (rc < 0) {
		hist_free(s);
		return rc;
	}
	for (size_t i = 0; i < s->n; i++)
		s->h[i].ev = s->ev + (uintptr_t)s->h[i].ev;
	return 0;
}

/* The day records start for scope: the scope unit's creation day, or the
 * first case event when earlier. */
static int records_start(struct dbc *c, int64_t scope, const char *first_event, char out[DAY_LEN])
{
	int64_t created = 0;
	int rc = db_one_int(c, &created, "SELECT created_at FROM units WHERE id = $1", "i", scope);
	if (rc < 0)
		return rc;
	out[0] = 0;
	if (rc == 1)
		clock_day(created, out);
	if (first_event && first_event[0] && (!out[0] || strcmp(first_event, out) < 0))
		memcpy(out, first_event, DAY_LEN);
	return 0;
}

int cases_figures_as_of(struct dbc *c, int64_t scope, const char *day, struct case_figures *out)
{
	if (day_valid(day))
		return ERR_INVALID;
	struct hist_set s;
	int rc = hist_load(c, scope, &s);
	if (rc)
		return rc;
	char start[DAY_LEN];
	if (!(rc = records_start(c, scope, s.first_day, start)) &&
	    cases_figures(s.h, s.n, day, start, out))
		rc = ERR_INVALID;
	hist_free(&s);
	return rc;
}

/* ---------- helpers ---------- */

static const char *const found_ways[] = {"checkpoint", "screening", "fever_clinic",
					 "contact_tracing", "self", "other"};

static int check_day(struct req *r, const char *field, const char *day, const char *today)
{
	if (day_valid(day))
		return err_set(&r->err, ERR_INVALID, field, "must be a date YYYY-MM-DD");
	if (strcmp(day, today) > 0)
		return err_set(&r->err, ERR_INVALID, field, "is after today (%s)", today);
	return 0;
}

/* The person's unit, for a write about them: 400 naming field when there
 * is no such person, 403 when they are outside the caller's scope. */
static int person_unit(struct req *r, struct dbc *c, int64_t person, const char *field,
		       int64_t *unit)
{
	int rc = db_one_int(c, unit, "SELECT unit_id FROM persons WHERE id = $1", "i", person);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, field, "no such person");
	return scope_check(r, *unit, 1, "person");
}

#define CASE_COLS                                                                          \
	"SELECT k.id, k.person_id, p.name, p.doc_type, p.doc_number, k.unit_id, u.name,"  \
	" k.status, k.onset_day, k.report_day, k.confirmed_day, k.severity,"              \
	" k.medical_worker, k.hospital, k.found_by, k.isolated_at, k.created_at,"         \
	" k.updated_at, (SELECT MAX(e.day) FROM case_events e WHERE e.case_id = k.id)"    \
	" FROM cases k JOIN persons p ON p.id = k.person_id JOIN units u ON u.id = k.unit_id"

static json_t *case_row(struct dbq *q)
{
	char doc[64];
	people_mask_doc(db_text(q, 3), db_text(q, 4), doc, sizeof doc);
	return json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:o,s:s,s:o,s:o,s:b,s:o,s:o,s:o,s:I,s:I,"
			 "s:o}",
			 "id", (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
			 "person_name", db_text(q, 2), "doc_number", doc, "unit_id",
			 (json_int_t)db_int(q, 5), "unit_name", db_text(q, 6), "status",
			 db_text(q, 7), "onset_day", jx_text_or_null(db_text(q, 8)), "report_day",
			 db_text(q, 9), "confirmed_day", jx_text_or_null(db_text(q, 10)),
			 "severity", jx_text_or_null(db_text(q, 11)), "medical_worker",
			 (int)db_int(q, 12), "hospital", jx_text_or_null(db_text(q, 13)),
			 "found_by", jx_text_or_null(db_text(q, 14)), "isolated_at",
			 jx_col_int(q, 15), "created_at", (json_int_t)db_int(q, 16), "updated_at",
			 (json_int_t)db_int(q, 17), "last_change_day",
			 jx_text_or_null(db_text(q, 18)));
}

static int respond_case(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, CASE_COLS " WHERE k.id = $1", "i", id), case_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such case");
	json_t *hist = json_array();
	struct dbq *q = db_query(c,
				 "SELECT e.id, e.status, e.severity, e.day, e.note, e.created_by,"
				 " us.name, e.created_at FROM case_events e"
				 " LEFT JOIN users us ON us.id = e.created_by"
				 " WHERE e.case_id = $1 ORDER BY e.id",
				 "i", id);
	if (!q) {
		json_decref(o);
		json_decref(hist);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1)
		json_array_append_new(
			hist, json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:I}", "id",
					(json_int_t)db_int(q, 0), "status", db_text(q, 1),
					"severity", jx_text_or_null(db_text(q, 2)), "day",
					db_text(q, 3), "note", jx_text_or_null(db_text(q, 4)),
					"by", jx_col_int(q, 5), "by_name",
					jx_text_or_null(db_text(q, 6)), "at",
					(json_int_t)db_int(q, 7)));
	db_done(q);
	if (rc < 0) {
		json_decref(o);
		json_decref(hist);
		return rc;
	}
	json_object_set_new(o, "history", hist);
	return resp_json(r, status, o);
}

/* ---------- the write paths (the API and the demo) ---------- */

int cases_create(struct dbc *c, const struct case_in *in, int64_t user, int64_t now, int64_t *id)
{
	const char *confirmed = strcmp(in->status, "confirmed") == 0 ? in->report_day : NULL;
	struct dbq *q = db_query(
		c,
		"INSERT INTO cases(person_id, unit_id, status, onset_day, report_day, confirmed_day,"
		" severity, medical_worker, hospital, found_by, isolated_at, created_by,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
		" $12, $13, $13) RETURNING id",
		"iitttttittIIi", in->person_id, in->unit_id, in->status, in->onset_day,
		in->report_day, confirmed, in->severity, (int64_t)(in->medical_worker != 0),
		in->hospital, in->found_by, in->isolated_at, user, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	int64_t n = db_run(c,
			   "INSERT INTO case_events(case_id, status, severity, day, created_by,"
			   " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
			   "itttIi", *id, in->status, in->severity, in->report_day, user, now);
	return n < 0 ? (int)n : 0;
}

int cases_transition(struct dbc *c, int64_t id, const char *status, const char *severity,
		     const char *day, const char *note, int64_t user, int64_t now,
		     struct err_info *ei)
{
	struct dbq *q = db_query(c,
				 "SELECT status, severity, (SELECT MAX(day) FROM case_events"
				 " WHERE case_id = $1), confirmed_day FROM cases WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	char cur[16] = "", sev[12] = "", last[DAY_LEN] = "";
	int confirmed = 0;
	if (rc == 1) {
		snprintf(cur, sizeof cur, "%s", db_text(q, 0));
		snprintf(sev, sizeof sev, "%s", db_text(q, 1) ? db_text(q, 1) : "");
		snprintf(last, sizeof last, "%s", db_text(q, 2) ? db_text(q, 2) : "");
		confirmed = !db_null(q, 3);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such case");
	if (last[0] && strcmp(day, last) < 0)
		return err_set(ei, ERR_RULE, "day", "is before the case's last change (%s)", last);
	int same = strcmp(cur, status) == 0;
	if (same && (!severity || strcmp(severity, sev) == 0))
		return err_set(ei, ERR_RULE, "status", "the case is already %s", status);
	if (!same && !cases_transition_ok(cur, status))
		return err_set(ei, ERR_RULE, "status", "a case cannot go from %s to %s", cur,
			       status);
	int64_t n = db_run(c,
			   "INSERT INTO case_events(case_id, status, severity, day, note, created_by,"
			   " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   "ittttIi", id, status, severity, day, note, user, now);
	if (n < 0)
		return (int)n;
	n = db_run(c,
		   "UPDATE cases SET status = $2, severity = COALESCE($3, severity),"
		   " confirmed_day = CASE WHEN $4 = 1 THEN $5 ELSE confirmed_day END,"
		   " updated_at = $6 WHERE id = $1",
		   "ittiti", id, status, severity,
		   (int64_t)(!confirmed && strcmp(status, "confirmed") == 0), day, now);
	return n < 0 ? (int)n : 0;
}

/* ---------- POST /api/v1/cases ---------- */

static int read_isolated(struct req *r, json_t *j, int64_t *out, int *present)
{
	const char *s = NULL;
	int rc = jx_str(r, j, "isolated_at", 0, 32, &s, present);
	if (rc)
		return rc;
	*out = 0;
	if (s && clock_parse_local(s, out))
		return err_set(&r->err, ERR_INVALID, "isolated_at",
			       "must be a local time YYYY-MM-DDTHH:MM");
	return 0;
}

static int create_case(struct req *r)
{
	int rc = req_json(r);
	if (rc)
		return rc;
	json_t *j = r->json;
	struct case_in in = {0};
	if ((rc = jx_id(r, j, "person_id", 1, 0, &in.person_id, NULL)) ||
	    (rc = jx_str(r, j, "status", 1, 16, &in.status, NULL)) ||
	    (rc = jx_str(r, j, "onset_day", 0, 10, &in.onset_day, NULL)) ||
	    (rc = jx_str(r, j, "report_day", 1, 10, &in.report_day, NULL)) ||
	    (rc = jx_str(r, j, "severity", 0, 12, &in.severity, NULL)) ||
	    (rc = jx_bool(r, j, "medical_worker", 0, &in.medical_worker, NULL)) ||
	    (rc = jx_str(r, j, "hospital", 0, 100, &in.hospital, NULL)) ||
	    (rc = jx_str(r, j, "found_by", 0, 20, &in.found_by, NULL)) ||
	    (rc = read_isolated(r, j, &in.isolated_at, NULL)))
		return rc;
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	if (!cases_status_valid(in.status))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be suspected, confirmed, asymptomatic, excluded, cured or died");
	if (!cases_initial_ok(in.status))
		return err_set(&r->err, ERR_RULE, "status",
			       "a case is reported as suspected, confirmed or asymptomatic, not %s",
			       in.status);
	if ((rc = check_day(r, "report_day", in.report_day, today)))
		return rc;
	if (in.onset_day) {
		if ((rc = check_day(r, "onset_day", in.onset_day, today)))
			return rc;
		if (strcmp(in.onset_day, in.report_day) > 0)
			return err_set(&r->err, ERR_INVALID, "onset_day",
				       "is after the report day");
	}
	if (in.severity && !cases_severity_valid(in.severity))
		return err_set(&r->err, ERR_INVALID, "severity", "must be mild, severe or critical");
	if (in.found_by && !in_list(in.found_by, found_ways, 6))
		return err_set(&r->err, ERR_INVALID, "found_by",
			       "must be checkpoint, screening, fever_clinic, contact_tracing,"
			       " self or other");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = person_unit(r, c, in.person_id, "person_id", &in.unit_id)))
		return rc;
	int64_t other = 0;
	if ((rc = db_one_int(c, &other, "SELECT id FROM cases WHERE person_id = $1", "i",
			     in.person_id)) < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "person_id",
			       "this person is already case %lld", (long long)other);
	int64_t id = 0;
	rc = cases_create(c, &in, r->who.user_id, now, &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "person_id", "this person is already a case");
	if (rc)
		return rc;
	req_audit_record(r, "case", id);
	return respond_case(r, c, id, 201);
}

/* ---------- the case: read, change, transitions ---------- */

/* The case's unit for the scope check: 404 when there is none. */
static int case_unit(struct req *r, struct dbc *c, int64_t id, int write)
{
	int64_t unit = 0;
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM cases WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such case");
	return scope_check(r, unit, write, "case");
}

int cases_check_access(struct req *r, struct dbc *c, int64_t id, int write)
{
	return case_unit(r, c, id, write);
}

static int get_case(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = case_unit(r, c, id, 0)))
		return rc;
	return respond_case(r, c, id, 200);
}

static int transition(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	const char *status, *day, *severity = NULL, *note = NULL;
	json_t *j = r->json;
	if ((rc = jx_str(r, j, "status", 1, 16, &status, NULL)) ||
	    (rc = jx_str(r, j, "day", 1, 10, &day, NULL)) ||
	    (rc = jx_str(r, j, "severity", 0, 12, &severity, NULL)) ||
	    (rc = jx_str(r, j, "note", 0, 200, &note, NULL)))
		return rc;
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	if (!cases_status_valid(status))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be suspected, confirmed, asymptomatic, excluded, cured or died");
	if ((rc = check_day(r, "day", day, today)))
		return rc;
	if (severity && !cases_severity_valid(severity))
		return err_set(&r->err, ERR_INVALID, "severity", "must be mild, severe or critical");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = case_unit(r, c, id, 1)))
		return rc;
	if ((rc = cases_transition(c, id, status, severity, day, note, r->who.user_id, now,
				   &r->err)))
		return rc;
	req_audit_record(r, "case", id);
	return respond_case(r, c, id, 201);
}

static int patch_case(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	json_t *j = r->json;
	const char *hospital = NULL, *found_by = NULL, *onset = NULL;
	int has_h, has_f, has_o, has_i, mw = 0, has_m;
	int64_t isolated = 0;
	if ((rc = jx_str(r, j, "hospital", 0, 100, &hospital, &has_h)) ||
	    (rc = jx_str(r, j, "found_by", 0, 20, &found_by, &has_f)) ||
	    (rc = jx_str(r, j, "onset_day", 0, 10, &onset, &has_o)) ||
	    (rc = jx_bool(r, j, "medical_worker", 0, &mw, &has_m)) ||
	    (rc = read_isolated(r, j, &isolated, &has_i)))
		return rc;
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	if (found_by && !in_list(found_by, found_ways, 6))
		return err_set(&r->err, ERR_INVALID, "found_by",
			       "must be checkpoint, screening, fever_clinic, contact_tracing,"
			       " self or other");
	if (onset && (rc = check_day(r, "onset_day", onset, today)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = case_unit(r, c, id, 1)))
		return rc;
	int64_t n = db_run(c,
			   "UPDATE cases SET hospital = CASE WHEN $2 = 1 THEN $3 ELSE hospital END,"
			   " found_by = CASE WHEN $4 = 1 THEN $5 ELSE found_by END,"
			   " onset_day = CASE WHEN $6 = 1 THEN $7 ELSE onset_day END,"
			   " isolated_at = CASE WHEN $8 = 1 THEN $9 ELSE isolated_at END,"
			   " medical_worker = CASE WHEN $10 = 1 THEN $11 ELSE medical_worker END,"
			   " updated_at = $12 WHERE id = $1",
			   "iitititiIiii", id, (int64_t)has_h, hospital, (int64_t)has_f, found_by,
			   (int64_t)has_o, onset, (int64_t)has_i, isolated, (int64_t)has_m,
			   (int64_t)mw, now);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "case", id);
	return respond_case(r, c, id, 200);
}

/* ---------- GET /api/v1/cases ---------- */

static const struct list_col case_export[] = {
	{"id", "编号"},           {"person_name", "姓名"},     {"doc_number", "证件号码"},
	{"unit_name", "所在单位"}, {"status", "状态"},         {"onset_day", "发病日期"},
	{"report_day", "报告日期"}, {"confirmed_day", "确诊日期"}, {"severity", "病情"},
	{"medical_worker", "医务人员"}, {"hospital", "医院"},   {"found_by", "发现途径"},
	{0, 0},
};

static int list_cases(struct req *r)
{
	static const char sql[] =
		CASE_COLS " WHERE " SCOPE_SQL("k.unit_id", "1") " AND k.id > $2"
		" AND ($3 = '' OR k.status = $3) AND ($4 = '' OR lower(p.name) LIKE $4 ESCAPE '\\')"
		" ORDER BY k.id LIMIT $5";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *status = req_query(r, "status");
	if (status && *status && !cases_status_valid(status))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be suspected, confirmed, asymptomatic, excluded, cured or died");
	const char *pat;
	if ((rc = req_query_like(r, "q", &pat)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	return resp_query_list(r, &pg,
			       db_query(c, sql, "iitti", r->who.scope_unit_id, pg.after,
					status ? status : "", pat, pg.limit + 1),
			       case_row, case_export, "cases");
}

/* ---------- figures and curve ---------- */

static int day_param(struct req *r, const char *key, char out[DAY_LEN])
{
	const char *d = req_query(r, key);
	if (!d || !*d) {
		clock_day(clock_now(), out);
		return 0;
	}
	if (day_valid(d))
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	snprintf(out, DAY_LEN, "%s", d);
	return 0;
}

static int figures(struct req *r)
{
	char day[DAY_LEN];
	int rc = day_param(r, "day", day);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct case_figures f;
	if ((rc = cases_figures_as_of(c, r->who.scope_unit_id, day, &f)))
		return rc;
	return resp_json(
		r, 200,
		json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:o}", "day", day,
			  "confirmed_total", (json_int_t)f.confirmed_total, "cured_total",
			  (json_int_t)f.cured_total, "deaths_total", (json_int_t)f.deaths_total,
			  "critical_now", (json_int_t)f.critical_now, "medical_workers_infected",
			  (json_int_t)f.medical_workers_infected, "new_confirmed",
			  (json_int_t)f.new_confirmed, "days_without_new_confirmed",
			  (json_int_t)f.days_without_new_confirmed, "since_records_start",
			  f.since_records_start, "last_confirmed_day",
			  jx_text_or_null(f.last_confirmed_day[0] ? f.last_confirmed_day : NULL)));
}

#define CURVE_MAX_DAYS 366

static int curve(struct req *r)
{
	char to[DAY_LEN], from[DAY_LEN];
	int rc = day_param(r, "to", to);
	if (rc)
		return rc;
	const char *f = req_query(r, "from");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct hist_set s;
	if ((rc = hist_load(c, r->who.scope_unit_id, &s)))
		return rc;
	/* Each case's confirmation day, found the way cases_figures finds it. */
	char first[DAY_LEN] = "";
	for (size_t i = 0; i < s.n; i++)
		for (size_t k = 0; k < s.h[i].nev; k++)
			if (strcmp(s.h[i].ev[k].status, "confirmed") == 0) {
				const char *d = s.h[i].ev[k].day;
				if (!first[0] || strcmp(d, first) < 0)
					memcpy(first, d, DAY_LEN);
				if (s.onset[i] && strcmp(s.onset[i], first) < 0)
					snprintf(first, DAY_LEN, "%s", s.onset[i]);
				break;
			}
	if (f && *f) {
		if (day_valid(f)) {
			hist_free(&s);
			return err_set(&r->err, ERR_INVALID, "from", "must be a date YYYY-MM-DD");
		}
		snprintf(from, sizeof from, "%s", f);
	} else if (first[0]) {
		memcpy(from, first, DAY_LEN);
	} else {
		day_add(to, -13, from);
	}
	int32_t span = day_diff(from, to);
	if (span < 0 || span >= CURVE_MAX_DAYS) {
		hist_free(&s);
		return err_set(&r->err, ERR_INVALID, "from",
			       "must be on or before `to` and at most %d days before it",
			       CURVE_MAX_DAYS - 1);
	}
	int64_t by_report[CURVE_MAX_DAYS] = {0}, by_onset[CURVE_MAX_DAYS] = {0};
	for (size_t i = 0; i < s.n; i++)
		for (size_t k = 0; k < s.h[i].nev; k++)
			if (strcmp(s.h[i].ev[k].status, "confirmed") == 0) {
				int32_t d = day_diff(from, s.h[i].ev[k].day);
				if (d >= 0 && d <= span)
					by_report[d]++;
				int32_t o = s.onset[i] ? day_diff(from, s.onset[i]) : -1;
				if (o >= 0 && o <= span)
					by_onset[o]++;
				break;
			}
	hist_free(&s);
	json_t *days = json_array();
	for (int32_t d = 0; d <= span; d++) {
		char day[DAY_LEN];
		day_add(from, d, day);
		json_array_append_new(days, json_pack("{s:s,s:I,s:I}", "day", day, "by_report",
						      (json_int_t)by_report[d], "by_onset",
						      (json_int_t)by_onset[d]));
	}
	return resp_json(r, 200, json_pack("{s:s,s:s,s:o}", "from", from, "to", to, "days", days));
}
