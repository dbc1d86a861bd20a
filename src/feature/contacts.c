/* Trajectories and close contacts (DOMAIN.md §5, Rules: close contact,
 * medical observation): a case's stays — typed from interviews and lists,
 * or taken from the gate-scan and checkpoint logs, where they are proposed
 * rather than typed — and the contact candidates the district's own logs
 * give: the household, everyone scanned at the same gate within the window,
 * everyone in the same vehicle or train screened at a checkpoint, everyone
 * recorded at a typed place in the same time, from 2 days before onset
 * until the case was isolated. An officer decides each candidate; a close
 * contact is isolated in the same transaction and turns red at once. The
 * network view links cases, contacts and contacts who became cases. */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- pure rules ---------- */

int contacts_within(int64_t a, int64_t b, int window_min)
{
	int64_t d = a > b ? a - b : b - a;
	return d <= (int64_t)window_min * 60;
}

int64_t contacts_window_start(const char *onset_day, const char *report_day, int days_before)
{
	const char *base = onset_day && *onset_day ? onset_day : report_day;
	char d[DAY_LEN];
	if (!base || day_add(base, -days_before, d))
		return INT64_MIN;
	return day_start(d);
}

static int reason_same(const struct cand_reason *a, const struct cand_reason *b)
{
	return a->person_id == b->person_id && strcmp(a->kind, b->kind) == 0 &&
	       strcmp(a->place ? a->place : "", b->place ? b->place : "") == 0 &&
	       a->from == b->from && a->to == b->to;
}

/* Sort key: the order of the person's first reason, then the reason's. */
struct keyed {
	struct cand_reason r;
	int64_t first;
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	if (a->r.order != b->r.order)
		return a->r.order < b->r.order ? -1 : 1;
	return 0;
}

static int by_person(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->r.person_id != b->r.person_id)
		return a->r.person_id < b->r.person_id ? -1 : 1;
	return a->r.order < b->r.order ? -1 : a->r.order > b->r.order;
}

size_t contacts_merge(struct cand_reason *r, size_t n)
{
	if (n == 0)
		return 0;
	struct keyed *k = malloc(n * sizeof *k);
	if (!k)
		return n; /* unmerged but whole: better than nothing shown */
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){r[i], 0};
	/* Each person's first order: sort by person, then spread it. */
	qsort(k, n, sizeof *k, by_person);
	for (size_t i = 0; i < n; i++)
		k[i].first = (i > 0 && k[i].r.person_id == k[i - 1].r.person_id) ? k[i - 1].first
										   : k[i].r.order;
	qsort(k, n, sizeof *k, keyed_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int dup = 0;
		for (size_t j = m; j-- > 0 && r[j].person_id == k[i].r.person_id;)
			if (reason_same(&r[j], &k[i].r)) {
				dup = 1;
				break;
			}
		if (!dup)
			r[m++] = k[i].r;
	}
	free(k);
	return m;
}

int contacts_observation_end(const char *decision, const char *last_exposure_day, int obs_days,
			     char end[DAY_LEN])
{
	end[0] = 0;
	if (!decision)
		return -1;
	if (strcmp(decision, "none") == 0)
		return 0;
	if (strcmp(decision, "close") != 0 && strcmp(decision, "general") != 0)
		return -1;
	if (!last_exposure_day || day_add(last_exposure_day, obs_days, end)) {
		end[0] = 0;
		return -1;
	}
	return 0;
}

/* ---------- routes ---------- */

#include "../http/scope.h"
#include "../http/settings.h"
#include "gates.h"
#include "isolation.h"

static int get_trajectory(struct req *r);
static int add_stay(struct req *r);
static int candidates(struct req *r);
static int decide(struct req *r);
static int list_contacts(struct req *r);
static int network(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/cases/{id}/trajectory", get_trajectory, P_CASES_READ, 0, 0,
	 "a case's stays, and the stays its gate and checkpoint logs propose"},
	{"POST", "/api/v1/cases/{id}/stays", add_stay, P_CASES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "add a stay to a case's trajectory (typed, or a proposed log row)"},
	{"GET", "/api/v1/cases/{id}/contact-candidates", candidates, P_CASES_READ, 0, 0,
	 "contact candidates from the household, gate scans, vehicles, trains and places"},
	{"POST", "/api/v1/cases/{id}/contacts", decide, P_CASES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "decide a candidate: close (isolated at once), general or not a contact"},
	{"GET", "/api/v1/contacts", list_contacts, P_CASES_READ, 0, 0,
	 "decided contacts in scope, with export"},
	{"GET", "/api/v1/cases/network", network, P_CASES_READ, 0, 0,
	 "cases, their contacts and the contacts who became cases (a graph)"},
};
ROUTE_TABLE(contacts_routes, routes);

/* ---------- the case's window ---------- */

struct case_ctx {
	int64_t id, person, unit;
	int64_t from, to; /* the contact window [from, to) */
	int window_min;
	char onset[DAY_LEN], report[DAY_LEN];
	char doc_type[24], doc[40]; /* the case person's document: screenings
				     * that passed keep it without a person id */
};

/* Loads case id for r (scope checked: write or read) and its window. */
static int load_case(struct req *r, struct dbc *c, int64_t id, int write, struct case_ctx *k)
{
	int rc = cases_check_access(r, c, id, write);
	if (rc)
		return rc;
	struct dbq *q = db_query(c,
				 "SELECT k.person_id, k.unit_id, k.onset_day, k.report_day,"
				 " k.isolated_at, p.doc_type, p.doc_number FROM cases k"
				 " JOIN persons p ON p.id = k.person_id WHERE k.id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	memset(k, 0, sizeof *k);
	int64_t isolated = 0;
	if ((rc = db_step(q)) == 1) {
		k->id = id;
		k->person = db_int(q, 0);
		k->unit = db_int(q, 1);
		snprintf(k->onset, sizeof k->onset, "%s", db_text(q, 2) ? db_text(q, 2) : "");
		snprintf(k->report, sizeof k->report, "%s", db_text(q, 3));
		isolated = db_int(q, 4);
		snprintf(k->doc_type, sizeof k->doc_type, "%s", db_text(q, 5));
		snprintf(k->doc, sizeof k->doc, "%s", db_text(q, 6));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such case");
	k->from = contacts_window_start(k->onset, k->report,
					(int)settings_int(c, "contact_days_before_onset"));
	if (isolated) {
		k->to = isolated;
	} else {
		char next[DAY_LEN];
		day_add(k->report, 1, next);
		k->to = day_start(next); /* reported: isolated by the end of that day */
	}
	k->window_min = (int)settings_int(c, "contact_window_minutes");
	return 0;
}

/* ---------- trajectory ---------- */

static json_t *stay_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:o,s:o,s:o,s:s,s:I,s:I,s:s,s:o,s:I}", "id",
			 (json_int_t)db_int(q, 0), "place_kind", db_text(q, 1), "place_unit_id",
			 jx_col_int(q, 2), "gate_id", jx_col_int(q, 3), "checkpoint_id",
			 jx_col_int(q, 4), "place", db_text(q, 5), "from", (json_int_t)db_int(q, 6),
			 "to", (json_int_t)db_int(q, 7), "source", db_text(q, 8), "source_id",
			 jx_col_int(q, 9), "created_at", (json_int_t)db_int(q, 10));
}

/* The case person's gate scans and checkpoint screenings in the window that
 * are not yet stays: the proposed stays. Each is {source, source_id,
 * place_kind, place, from, to, ...}. */
static int proposed_stays(struct dbc *c, const struct case_ctx *k, json_t *out)
{
	struct dbq *q = db_query(
		c,
		"SELECT s.id, s.at, s.gate_id, s.unit_id, g.name, u.name FROM gate_scans s"
		" JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = s.unit_id"
		" WHERE s.person_id = $1 AND s.at >= $2 AND s.at < $3 AND NOT EXISTS"
		" (SELECT 1 FROM case_stays t WHERE t.case_id = $4 AND t.source = 'gate_log'"
		" AND t.source_id = s.id) ORDER BY s.at",
		"iiii", k->person, k->from, k->to, k->id);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1) {
		char place[256];
		snprintf(place, sizeof place, "%s %s", db_text(q, 5), db_text(q, 4));
		json_array_append_new(out, json_pack("{s:s,s:I,s:s,s:I,s:I,s:s,s:I,s:I}", "source",
						     "gate_log", "source_id",
						     (json_int_t)db_int(q, 0), "place_kind", "gate",
						     "gate_id", (json_int_t)db_int(q, 2),
						     "place_unit_id", (json_int_t)db_int(q, 3),
						     "place", place, "from", (json_int_t)db_int(q, 1),
						     "to", (json_int_t)db_int(q, 1)));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	q = db_query(c,
		     "SELECT o.id, o.at, o.checkpoint_id, cp.name, v.plate, t.train_no"
		     " FROM occupant_checks o JOIN checkpoints cp ON cp.id = o.checkpoint_id"
		     " LEFT JOIN vehicle_checks v ON v.id = o.vehicle_check_id"
		     " LEFT JOIN train_checks t ON t.id = o.train_check_id"
		     " WHERE (o.person_id = $1 OR (o.person_id IS NULL AND o.doc_number = $5 AND o.doc_type = $6))"
		     " AND o.at >= $2 AND o.at < $3 AND NOT EXISTS"
		     " (SELECT 1 FROM case_stays x WHERE x.case_id = $4"
		     " AND x.source = 'checkpoint_log' AND x.source_id = o.id) ORDER BY o.at",
		     "iiiitt", k->person, k->from, k->to, k->id, k->doc, k->doc_type);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1) {
		char place[256];
		const char *what = db_text(q, 4) ? db_text(q, 4) : db_text(q, 5);
		snprintf(place, sizeof place, "%s %s", db_text(q, 3), what ? what : "");
		json_array_append_new(
			out, json_pack("{s:s,s:I,s:s,s:I,s:s,s:I,s:I}", "source", "checkpoint_log",
				       "source_id", (json_int_t)db_int(q, 0), "place_kind",
				       db_text(q, 5) ? "train" : "vehicle", "checkpoint_id",
				       (json_int_t)db_int(q, 2), "place", place, "from",
				       (json_int_t)db_int(q, 1), "to", (json_int_t)db_int(q, 1)));
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

#define STAY_COLS                                                                      \
	"SELECT id, place_kind, place_unit_id, gate_id, checkpoint_id, place, from_at, to_at," \
	" source, source_id, created_at FROM case_stays"

static int get_trajectory(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct case_ctx k;
	if ((rc = load_case(r, c, id, 0, &k)))
		return rc;
	json_t *items = json_array(), *prop = json_array();
	struct dbq *q = db_query(c, STAY_COLS " WHERE case_id = $1 ORDER BY from_at, id", "i", id);
	if (!q)
		rc = ERR_DB;
	while (q && (rc = db_step(q)) == 1)
		json_array_append_new(items, stay_row(q));
	db_done(q);
	if (rc >= 0)
		rc = proposed_stays(c, &k, prop);
	if (rc < 0) {
		json_decref(items);
		json_decref(prop);
		return rc;
	}
	return resp_json(r, 200,
			 json_pack("{s:o,s:o,s:I,s:I,s:i}", "items", items, "proposed", prop,
				   "window_from", (json_int_t)k.from, "window_to", (json_int_t)k.to,
				   "window_minutes", k.window_min));
}

static const char *const place_kinds[] = {"unit",  "gate",  "checkpoint", "train",
					  "vehicle", "venue", "address"};

static int parse_time(struct req *r, json_t *j, const char *key, int64_t *out)
{
	const char *s;
	int rc = jx_str(r, j, key, 1, 32, &s, NULL);
	if (rc)
		return rc;
	if (clock_parse_local(s, out))
		return err_set(&r->err, ERR_INVALID, key, "must be a local time YYYY-MM-DDTHH:MM");
	return 0;
}

/* Takes log row sid (source gate_log or checkpoint_log) as a stay of case
 * case_id when it is the row of the case's person (by id, or by document
 * for a screening that passed). 0 and *id, 1 when nothing was inserted
 * (taken already, or not the person's row), or an error. */
static int take_log(struct dbc *c, int64_t case_id, int64_t person, const char *doc,
		    const char *doc_type, const char *source, int64_t sid, int64_t user,
		    int64_t now, int64_t *id)
{
	const char *sql =
		strcmp(source, "gate_log") == 0
			? "INSERT INTO case_stays(case_id, place_kind, place_unit_id, gate_id, place,"
			  " from_at, to_at, source, source_id, created_by, created_at)"
			  " SELECT $1, 'gate', s.unit_id, s.gate_id, u.name || ' ' || g.name, s.at,"
			  " s.at, 'gate_log', s.id, $3, $4 FROM gate_scans s"
			  " JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = s.unit_id"
			  " WHERE s.id = $2 AND s.person_id = $5"
			  " ON CONFLICT (case_id, source, source_id) DO NOTHING RETURNING id"
			: "INSERT INTO case_stays(case_id, place_kind, checkpoint_id, vehicle_check_id,"
			  " train_check_id, place, from_at, to_at, source, source_id, created_by,"
			  " created_at) SELECT $1, CASE WHEN o.train_check_id IS NULL THEN 'vehicle'"
			  " ELSE 'train' END, o.checkpoint_id, o.vehicle_check_id, o.train_check_id,"
			  " cp.name || ' ' || COALESCE(v.plate, t.train_no, ''), o.at, o.at,"
			  " 'checkpoint_log', o.id, $3, $4 FROM occupant_checks o"
			  " JOIN checkpoints cp ON cp.id = o.checkpoint_id"
			  " LEFT JOIN vehicle_checks v ON v.id = o.vehicle_check_id"
			  " LEFT JOIN train_checks t ON t.id = o.train_check_id"
			  " WHERE o.id = $2 AND (o.person_id = $5 OR (o.person_id IS NULL"
			  " AND o.doc_number = $6 AND o.doc_type = $7))"
			  " ON CONFLICT (case_id, source, source_id) DO NOTHING RETURNING id";
	int gate = strcmp(source, "gate_log") == 0;
	struct dbq *q = gate ? db_query(c, sql, "iiIii", case_id, sid, user, now, person)
			     : db_query(c, sql, "iiIiitt", case_id, sid, user, now, person, doc,
					doc_type);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc < 0 ? rc : rc == 1 ? 0 : 1;
}

int contacts_take_log(struct dbc *c, int64_t case_id, const char *source, int64_t source_id,
		      int64_t user, int64_t now, int64_t *id)
{
	struct dbq *q = db_query(c,
				 "SELECT k.person_id, p.doc_number, p.doc_type FROM cases k"
				 " JOIN persons p ON p.id = k.person_id WHERE k.id = $1",
				 "i", case_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t person = 0;
	char doc[40] = "", type[24] = "";
	if (rc == 1) {
		person = db_int(q, 0);
		snprintf(doc, sizeof doc, "%s", db_text(q, 1));
		snprintf(type, sizeof type, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_NOT_FOUND;
	return take_log(c, case_id, person, doc, type, source, source_id, user, now, id);
}

/* A stay taken from a log row: the row must be the case person's. */
static int stay_from_log(struct req *r, struct dbc *c, const struct case_ctx *k,
			 const char *source, int64_t sid, int64_t *id)
{
	int rc = take_log(c, k->id, k->person, k->doc, k->doc_type, source, sid, r->who.user_id,
			  clock_now(), id);
	if (rc <= 0)
		return rc;
	/* Nothing inserted: already a stay, or not this person's row. */
	int64_t got = 0;
	rc = db_one_int(c, &got,
			"SELECT id FROM case_stays WHERE case_id = $1 AND source = $2"
			" AND source_id = $3",
			"iti", k->id, source, sid);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "source_id",
			       "this log row is already stay %lld", (long long)got);
	return err_set(&r->err, ERR_INVALID, "source_id",
		       "no log row of this case's person with this id");
}

int contacts_add_stay(struct dbc *c, int64_t case_id, const char *kind, int64_t unit_id,
		      int64_t checkpoint_id, const char *place, int64_t from, int64_t to,
		      const char *source, int64_t user, int64_t now, int64_t *id)
{
	struct dbq *q = db_query(
		c,
		"INSERT INTO case_stays(case_id, place_kind, place_unit_id, checkpoint_id, place,"
		" from_at, to_at, source, created_by, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
		"itIItiitIi", case_id, kind, unit_id, checkpoint_id, place, from, to, source, user,
		now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

static int add_stay(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	json_t *j = r->json;
	const char *source, *kind = NULL, *place = NULL;
	int64_t sid = 0, unit = 0, cp = 0, from = 0, to = 0;
	if ((rc = jx_str(r, j, "source", 1, 20, &source, NULL)))
		return rc;
	int from_log = strcmp(source, "gate_log") == 0 || strcmp(source, "checkpoint_log") == 0;
	if (!from_log && strcmp(source, "interview") != 0 && strcmp(source, "bigdata") != 0)
		return err_set(&r->err, ERR_INVALID, "source",
			       "must be interview, bigdata, gate_log or checkpoint_log");
	if (from_log) {
		if ((rc = jx_id(r, j, "source_id", 1, 0, &sid, NULL)))
			return rc;
	} else {
		if ((rc = jx_str(r, j, "place_kind", 1, 16, &kind, NULL)) ||
		    (rc = jx_str(r, j, "place", 0, 200, &place, NULL)) ||
		    (rc = jx_id(r, j, "place_unit_id", 0, 1, &unit, NULL)) ||
		    (rc = jx_id(r, j, "checkpoint_id", 0, 1, &cp, NULL)) ||
		    (rc = parse_time(r, j, "from", &from)) || (rc = parse_time(r, j, "to", &to)))
			return rc;
		size_t i;
		for (i = 0; i < sizeof place_kinds / sizeof place_kinds[0]; i++)
			if (strcmp(kind, place_kinds[i]) == 0)
				break;
		if (i == sizeof place_kinds / sizeof place_kinds[0] || strcmp(kind, "gate") == 0)
			return err_set(&r->err, ERR_INVALID, "place_kind",
				       "must be unit, checkpoint, train, vehicle, venue or address");
		if (to < from)
			return err_set(&r->err, ERR_INVALID, "to", "is before `from`");
		if (strcmp(kind, "unit") == 0 && !unit)
			return err_set(&r->err, ERR_INVALID, "place_unit_id",
				       "is required for a stay in a unit");
		if (strcmp(kind, "checkpoint") == 0 && !cp)
			return err_set(&r->err, ERR_INVALID, "checkpoint_id",
				       "is required for a stay at a checkpoint");
		if (!unit && !cp && (!place || !*place))
			return err_set(&r->err, ERR_INVALID, "place", "is required");
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct case_ctx k;
	if ((rc = load_case(r, c, id, 1, &k)))
		return rc;
	int64_t stay = 0;
	if (from_log) {
		rc = stay_from_log(r, c, &k, source, sid, &stay);
	} else {
		/* The place in words from its record when one is named. */
		char named[256] = "";
		if (unit) {
			struct dbq *q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", unit);
			if (!q)
				return ERR_DB;
			if ((rc = db_step(q)) == 1)
				snprintf(named, sizeof named, "%s", db_text(q, 0));
			db_done(q);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return err_set(&r->err, ERR_INVALID, "place_unit_id", "no such unit");
		} else if (cp) {
			struct dbq *q =
				db_query(c, "SELECT name FROM checkpoints WHERE id = $1", "i", cp);
			if (!q)
				return ERR_DB;
			if ((rc = db_step(q)) == 1)
				snprintf(named, sizeof named, "%s", db_text(q, 0));
			db_done(q);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return err_set(&r->err, ERR_INVALID, "checkpoint_id",
					       "no such checkpoint");
		}
		const char *words = place && *place ? place : named;
		rc = contacts_add_stay(c, id, kind, unit, cp, words, from, to, source,
				       r->who.user_id, clock_now(), &stay);
	}
	if (rc)
		return rc;
	req_audit_record(r, "case_stay", stay);
	int qrc;
	json_t *o = query_row(db_query(c, STAY_COLS " WHERE id = $1", "i", stay), stay_row, &qrc);
	return o ? resp_json(r, 201, o) : qrc < 0 ? qrc : ERR_DB;
}

/* ---------- candidates ---------- */

/* ---- the answer's JSON text, written straight from the rows: jansson
 * objects for hundreds of candidates cost several times the query that
 * found them (bench/contacts.sh). Strings are escaped as jansson does. */

/* The text being written, grown ahead of each piece so that the piece
 * itself is plain stores. */
struct jw {
	char *d;
	size_t len, cap;
	int oom;
};

/* Room for n more bytes and the NUL; 0, or -1 (oom set) when out of memory. */
static int jw_room(struct jw *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return 0;
	if (b->oom)
		return -1;
	size_t cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *d = realloc(b->d, cap);
	if (!d) {
		b->oom = 1;
		return -1;
	}
	b->d = d;
	b->cap = cap;
	return 0;
}

static void jw_mem(struct jw *b, const char *s, size_t n)
{
	if (jw_room(b, n))
		return;
	memcpy(b->d + b->len, s, n);
	b->len += n;
}

#define JW(b, lit) jw_mem(b, lit, sizeof lit - 1)

static void jw_str(struct jw *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	if (jw_room(b, n * 6 + 2)) /* every byte escaped as \u00XX at worst */
		return;
	char *p = b->d + b->len;
	*p++ = '"';
	while (*s) {
		/* The run that needs no escape (almost always the whole
		 * string), copied at once. */
		size_t run = 0;
		while (s[run] && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
			run++;
		memcpy(p, s, run);
		p += run;
		s += run;
		if (!*s)
			break;
		unsigned char ch = (unsigned char)*s++;
		*p++ = '\\';
		switch (ch) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		default:
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p++ = '"';
	b->len = (size_t)(p - b->d);
}

static void jw_str_or_null(struct jw *b, const char *s)
{
	if (s)
		jw_str(b, s);
	else
		JW(b, "null");
}

static void jw_int(struct jw *b, int64_t v)
{
	/* Two digits a step: most numbers here are 10-digit times. */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char t[24];
	size_t i = sizeof t;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;
		u /= 100;
		t[--i] = pairs[d + 1];
		t[--i] = pairs[d];
	}
	if (u >= 10) {
		t[--i] = pairs[u * 2 + 1];
		t[--i] = pairs[u * 2];
	} else {
		t[--i] = (char)('0' + u);
	}
	if (v < 0)
		t[--i] = '-';
	jw_mem(b, t + i, sizeof t - i);
}

static void jw_int_or_null(struct jw *b, int64_t v)
{
	if (v)
		jw_int(b, v);
	else
		JW(b, "null");
}

/* Who a candidate is: the name, the unit (for scope) and the case the
 * person became, if any. */
struct cand_who {
	int64_t person_id, unit_id, case_id; /* case_id 0: not a case */
	const char *name;
};

struct cands {
	struct cand_reason *r;
	size_t n, cap;
	struct cand_who *w; /* who the candidates are (cand_who_load), by person */
	size_t nw;
	struct arena *a;
};

static int cand_add(struct cands *s, int64_t person, const char *kind, const char *place,
		    int64_t from, int64_t to)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct cand_reason *n = realloc(s->r, cap * sizeof *n);
		if (!n)
			return ERR_NOMEM;
		s->r = n;
		s->cap = cap;
	}
	const char *p = arena_strdup(s->a, place ? place : "");
	if (!p)
		return ERR_NOMEM;
	s->r[s->n] = (struct cand_reason){person, kind, p, from, to, (int64_t)s->n};
	s->n++;
	return 0;
}

static void cands_free(struct cands *s)
{
	free(s->r);
	free(s->w);
}

/* Runs a query whose rows are (person_id, place, from, to) and adds each as
 * a reason of `kind`. */
static int cand_query(struct cands *s, struct dbq *q, const char *kind)
{
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1)
		if ((rc = cand_add(s, db_int(q, 0), kind, db_text(q, 1), db_int(q, 2),
				   db_int(q, 3))))
			break;
	db_done(q);
	return rc < 0 ? rc : 0;
}

static int id_cmp(const void *pa, const void *pb)
{
	const int64_t *a = pa, *b = pb;
	return *a < *b ? -1 : *a > *b;
}

static int who_cmp(const void *pa, const void *pb)
{
	const struct cand_who *a = pa, *b = pb;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

/* Every reason for case k, merged (one entry a person, all its reasons). */
static int find_candidates(struct dbc *c, const struct case_ctx *k, struct cands *s)
{
	int64_t w = (int64_t)k->window_min * 60;
	int rc;
	/* The household. */
	rc = cand_query(s,
			db_query(c,
				 "SELECT p.id, h.address, 0, 0 FROM persons me"
				 " JOIN persons p ON p.household_id = me.household_id"
				 " JOIN households h ON h.id = p.household_id"
				 " WHERE me.id = $1 AND p.id <> $1 AND p.merged_into IS NULL"
				 " ORDER BY p.id",
				 "i", k->person),
			"household");
	/* The same gate within the window of each of the case's scans. The
	 * "+ 0" keeps PostgreSQL from folding o.gate_id into the gates join
	 * (where it scanned every partition of the log once per case scan,
	 * 5.7 s over 10,000,000 scans) so it probes o's (gate_id, at) index
	 * per scan; SQLite's plan is the same either way. It is the query
	 * bench/contacts_raw.c runs. */
	if (!rc)
		rc = cand_query(
			s,
			db_query(c,
				 "SELECT o.person_id, u.name || ' ' || g.name,"
				 " CASE WHEN o.at < s.at THEN o.at ELSE s.at END,"
				 " CASE WHEN o.at > s.at THEN o.at ELSE s.at END"
				 " FROM gate_scans s JOIN gate_scans o ON o.gate_id = s.gate_id + 0"
				 " AND o.at >= s.at - $4 AND o.at <= s.at + $4"
				 " JOIN gates g ON g.id = s.gate_id JOIN units u ON u.id = g.unit_id"
				 " WHERE s.person_id = $1 AND s.at >= $2 AND s.at < $3"
				 " AND o.person_id IS NOT NULL AND o.person_id <> $1"
				 " ORDER BY s.at, o.at",
				 "iiii", k->person, k->from, k->to, w),
			"gate");
	/* The same vehicle, and the same train, screened at a checkpoint. */
	if (!rc)
		rc = cand_query(s,
				db_query(c,
					 "SELECT x.pid, x.place, x.at, x.at FROM (SELECT"
					 " COALESCE(o.person_id, (SELECT pp.id FROM persons pp"
					 " WHERE pp.doc_type = o.doc_type"
					 " AND pp.doc_number = o.doc_number)) AS pid,"
					 " cp.name || ' ' || v.plate AS place, s.at AS at, o.id AS oid"
					 " FROM occupant_checks s"
					 " JOIN occupant_checks o ON o.vehicle_check_id = s.vehicle_check_id"
					 " JOIN vehicle_checks v ON v.id = s.vehicle_check_id"
					 " JOIN checkpoints cp ON cp.id = s.checkpoint_id"
					 " WHERE (s.person_id = $1 OR (s.person_id IS NULL"
					 " AND s.doc_number = $4 AND s.doc_type = $5))"
					 " AND s.at >= $2 AND s.at < $3 AND o.id <> s.id) x"
					 " WHERE x.pid IS NOT NULL AND x.pid <> $1 ORDER BY x.at, x.oid",
					 "iiitt", k->person, k->from, k->to, k->doc, k->doc_type),
				"vehicle");
	if (!rc)
		rc = cand_query(s,
				db_query(c,
					 "SELECT x.pid, x.place, x.at, x.at FROM (SELECT"
					 " COALESCE(o.person_id, (SELECT pp.id FROM persons pp"
					 " WHERE pp.doc_type = o.doc_type"
					 " AND pp.doc_number = o.doc_number)) AS pid,"
					 " cp.name || ' ' || t.train_no AS place, s.at AS at, o.id AS oid"
					 " FROM occupant_checks s"
					 " JOIN occupant_checks o ON o.train_check_id = s.train_check_id"
					 " JOIN train_checks t ON t.id = s.train_check_id"
					 " JOIN checkpoints cp ON cp.id = s.checkpoint_id"
					 " WHERE (s.person_id = $1 OR (s.person_id IS NULL"
					 " AND s.doc_number = $4 AND s.doc_type = $5))"
					 " AND s.at >= $2 AND s.at < $3 AND o.id <> s.id) x"
					 " WHERE x.pid IS NOT NULL AND x.pid <> $1 ORDER BY x.at, x.oid",
					 "iiitt", k->person, k->from, k->to, k->doc, k->doc_type),
				"train");
	/* Typed places: everyone scanned at a gate of the place (a unit) or
	 * screened at the checkpoint during the stay, widened by the window
	 * and kept inside the contact window. The place's units are joined
	 * (not "g.unit_id IN (subquery of t)"): PostgreSQL could not plan that
	 * from the stays, and read every scan of the window instead, 750 ms
	 * over 10,000,000 scans with none to find (bench/contacts.sh). */
	if (!rc)
		rc = cand_query(
			s,
			db_query(c,
				 "SELECT o.person_id, t.place, o.at, o.at FROM case_stays t"
				 " JOIN unit_tree ut ON ut.ancestor_id = t.place_unit_id"
				 " JOIN gates g ON g.unit_id = ut.unit_id"
				 " JOIN gate_scans o ON o.gate_id = g.id AND o.at >= t.from_at - $4"
				 " AND o.at <= t.to_at + $4"
				 " WHERE t.case_id = $1 AND t.place_kind = 'unit'"
				 " AND t.source IN ('interview', 'bigdata')"
				 " AND o.at >= $2 AND o.at < $3 AND o.person_id IS NOT NULL"
				 " AND o.person_id <> $5 ORDER BY t.from_at, o.at",
				 "iiiii", k->id, k->from, k->to, w, k->person),
			"place");
	if (!rc)
		rc = cand_query(
			s,
			db_query(c,
				 "SELECT x.pid, x.place, x.at, x.at FROM (SELECT"
				 " COALESCE(o.person_id, (SELECT pp.id FROM persons pp"
				 " WHERE pp.doc_type = o.doc_type"
				 " AND pp.doc_number = o.doc_number)) AS pid, t.place AS place,"
				 " o.at AS at, t.from_at AS tf FROM case_stays t"
				 " JOIN occupant_checks o ON o.checkpoint_id = t.checkpoint_id"
				 " AND o.at >= t.from_at - $4 AND o.at <= t.to_at + $4"
				 " WHERE t.case_id = $1 AND t.place_kind = 'checkpoint'"
				 " AND t.source IN ('interview', 'bigdata')"
				 " AND o.at >= $2 AND o.at < $3) x"
				 " WHERE x.pid IS NOT NULL AND x.pid <> $5 ORDER BY x.tf, x.at",
				 "iiiii", k->id, k->from, k->to, w, k->person),
			"place");
	if (!rc)
		s->n = contacts_merge(s->r, s->n);
	return rc;
}

/* Who the candidates of s are (s->w, by person), in one query for all of
 * them: their ids sorted, so the persons table is read in order, rather
 * than a look-up a log row (which cost as much again as finding the rows:
 * bench/contacts.sh). A person whose record is gone since the log was
 * written has no row: left out. */
static int cand_who_load(struct dbc *c, struct cands *s)
{
	if (!s->n)
		return 0;
	int64_t *ids = malloc(s->n * sizeof *ids);
	if (!ids)
		return ERR_NOMEM;
	for (size_t i = 0; i < s->n; i++)
		ids[i] = s->r[i].person_id;
	qsort(ids, s->n, sizeof *ids, id_cmp);
	struct jw list = {0};
	for (size_t i = 0; i < s->n; i++)
		if (i == 0 || ids[i] != ids[i - 1]) {
			if (i)
				JW(&list, ",");
			jw_int(&list, ids[i]);
		}
	free(ids);
	if (list.oom || jw_room(&list, 0)) {
		free(list.d);
		return ERR_NOMEM;
	}
	list.d[list.len] = 0;
	/* The list as text: a JSON array's inside on SQLite, an array's on
	 * PostgreSQL. */
	int pg = strcmp(db_backend(c), "postgresql") == 0;
	struct dbq *q = db_query(
		c,
		pg ? "SELECT p.id, p.name, p.unit_id, (SELECT k.id FROM cases k WHERE k.person_id = p.id)"
		     " FROM unnest(CAST(string_to_array($1, ',') AS bigint[])) AS j(id)"
		     " JOIN persons p ON p.id = j.id"
		   : "SELECT p.id, p.name, p.unit_id, (SELECT k.id FROM cases k WHERE k.person_id = p.id)"
		     " FROM json_each('[' || $1 || ']') j CROSS JOIN persons p ON p.id = j.value",
		"t", list.d);
	free(list.d);
	if (!q)
		return ERR_DB;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(q)) == 1) {
		if (s->nw == cap) {
			cap = cap ? cap * 2 : 64;
			struct cand_who *n = realloc(s->w, cap * sizeof *n);
			if (!n) {
				rc = ERR_NOMEM;
				break;
			}
			s->w = n;
		}
		const char *name = arena_strdup(s->a, db_text(q, 1));
		if (!name) {
			rc = ERR_NOMEM;
			break;
		}
		s->w[s->nw++] = (struct cand_who){db_int(q, 0), db_int(q, 2),
						  db_null(q, 3) ? 0 : db_int(q, 3), name};
	}
	db_done(q);
	if (rc < 0)
		return rc;
	/* In order already as the plans go, but bsearch must not depend on a
	 * plan. */
	for (size_t i = 1; i < s->nw; i++)
		if (s->w[i - 1].person_id > s->w[i].person_id) {
			qsort(s->w, s->nw, sizeof *s->w, who_cmp);
			break;
		}
	return 0;
}

static const struct cand_who *who_of(const struct cands *s, int64_t person)
{
	struct cand_who key = {.person_id = person};
	return s->nw ? bsearch(&key, s->w, s->nw, sizeof *s->w, who_cmp) : NULL;
}

/* A decision already taken on this case, kept for its candidate's entry. */
struct cand_dec {
	int64_t person_id, id, isolation_id, decided_at; /* isolation_id 0: none */
	const char *decision, *last, *end, *by;          /* last, end, by may be NULL */
	int matched;                                     /* a proposed candidate has it */
};

static int dec_cmp(const void *pa, const void *pb)
{
	const struct cand_dec *const *a = pa, *const *b = pb;
	return (*a)->person_id < (*b)->person_id ? -1 : (*a)->person_id > (*b)->person_id;
}

/* The distinct units of the candidates: name, and whether the caller's
 * scope holds it (scope_contains, once a unit rather than once a person). */
struct cand_unit {
	int64_t id;
	const char *name;
	int in_scope;
};

static int unit_cmp(const void *pa, const void *pb)
{
	const struct cand_unit *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The last local day worked out: [from, to) is `day`. Neighbouring
 * candidates' contacts mostly fall on one day, so hundreds of entries do
 * not each convert a time. */
struct day_memo {
	int64_t from, to;
	char day[DAY_LEN];
};

/* One candidate's entry: who (the name masked outside the caller's
 * scope), the reasons r[0..n), the decision if any, and the suggested last
 * exposure day (the day of the latest reason's end). */
static void write_cand(struct jw *b, const struct cand_who *w, const struct cand_unit *u,
		       const struct cand_reason *r, size_t n, const struct cand_dec *d,
		       struct day_memo *m)
{
	int64_t last_to = 0;
	JW(b, "{\"person_id\":");
	jw_int(b, w->person_id);
	JW(b, ",\"name\":");
	if (u->in_scope) {
		jw_str(b, w->name);
	} else {
		char masked[96];
		gates_mask_name(w->name, masked, sizeof masked);
		jw_str(b, masked);
	}
	JW(b, ",\"unit_id\":");
	jw_int(b, w->unit_id);
	JW(b, ",\"unit_name\":");
	jw_str(b, u->name);
	if (u->in_scope)
		JW(b, ",\"in_scope\":true,\"reasons\":[");
	else
		JW(b, ",\"in_scope\":false,\"reasons\":[");
	for (size_t j = 0; j < n; j++) {
		if (r[j].to > last_to)
			last_to = r[j].to;
		JW(b, "{\"kind\":");
		jw_str(b, r[j].kind);
		JW(b, ",\"place\":");
		jw_str(b, r[j].place);
		JW(b, ",\"from\":");
		jw_int_or_null(b, r[j].from);
		JW(b, ",\"to\":");
		jw_int_or_null(b, r[j].to);
		if (j + 1 < n)
			JW(b, "},");
		else
			JW(b, "}");
	}
	JW(b, "],\"decision\":");
	if (d) {
		JW(b, "{\"id\":");
		jw_int(b, d->id);
		JW(b, ",\"decision\":");
		jw_str(b, d->decision);
		JW(b, ",\"last_exposure_day\":");
		jw_str_or_null(b, d->last);
		JW(b, ",\"observation_end_day\":");
		jw_str_or_null(b, d->end);
		JW(b, ",\"isolation_id\":");
		jw_int_or_null(b, d->isolation_id);
		JW(b, ",\"decided_by_name\":");
		jw_str_or_null(b, d->by);
		JW(b, ",\"decided_at\":");
		jw_int(b, d->decided_at);
		JW(b, "}");
	} else {
		JW(b, "null");
	}
	JW(b, ",\"suggested_last_exposure_day\":");
	if (last_to > 0) {
		if (last_to < m->from || last_to >= m->to) {
			char next[DAY_LEN];
			clock_day(last_to, m->day);
			m->from = day_start(m->day);
			m->to = day_add(m->day, 1, next) ? m->from : day_start(next);
		}
		jw_str(b, m->day);
	} else {
		JW(b, "null");
	}
	JW(b, ",\"case_id\":");
	jw_int_or_null(b, w->case_id);
	JW(b, "}");
}

/* The unit u of the candidates (added on first use; the list is short). */
static int cand_unit_of(struct req *r, struct dbc *c, struct cand_unit **units, size_t *nu,
			size_t *cap, int64_t id, const struct cand_unit **out)
{
	struct cand_unit key = {.id = id};
	struct cand_unit *f = *nu ? bsearch(&key, *units, *nu, sizeof key, unit_cmp) : NULL;
	if (f) {
		*out = f;
		return 0;
	}
	if (*nu == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		struct cand_unit *p = realloc(*units, n * sizeof *p);
		if (!p)
			return ERR_NOMEM;
		*units = p;
		*cap = n;
	}
	struct dbq *q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	const char *name = rc == 1 ? arena_strdup(&r->arena, db_text(q, 0)) : "";
	db_done(q);
	if (rc < 0)
		return rc;
	if (!name)
		return ERR_NOMEM;
	int in = scope_contains(c, r->who.scope_unit_id, id);
	if (in < 0)
		return in;
	/* Insert in order: later look-ups bsearch. */
	size_t i = *nu;
	while (i > 0 && (*units)[i - 1].id > id) {
		(*units)[i] = (*units)[i - 1];
		i--;
	}
	(*units)[i] = (struct cand_unit){id, name, in == 1};
	(*nu)++;
	*out = &(*units)[i];
	return 0;
}

/* The decisions taken on case id, in the order they were taken. */
static int load_decisions(struct req *r, struct dbc *c, int64_t id, struct cand_dec **out,
			  size_t *n)
{
	struct dbq *q = db_query(c,
				 "SELECT d.person_id, d.id, d.decision, d.last_exposure_day,"
				 " d.observation_end_day, d.isolation_id, us.name, d.decided_at"
				 " FROM contacts d LEFT JOIN users us ON us.id = d.decided_by"
				 " WHERE d.case_id = $1 ORDER BY d.id",
				 "i", id);
	if (!q)
		return ERR_DB;
	size_t cap = 0;
	int rc;
	struct arena *a = &r->arena;
	while ((rc = db_step(q)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct cand_dec *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = ERR_NOMEM;
				break;
			}
			*out = p;
		}
		const char *last = db_text(q, 3), *end = db_text(q, 4), *by = db_text(q, 6);
		struct cand_dec d = {
			.person_id = db_int(q, 0),
			.id = db_int(q, 1),
			.isolation_id = db_null(q, 5) ? 0 : db_int(q, 5),
			.decided_at = db_int(q, 7),
			.decision = arena_strdup(a, db_text(q, 2)),
			.last = last ? arena_strdup(a, last) : NULL,
			.end = end ? arena_strdup(a, end) : NULL,
			.by = by ? arena_strdup(a, by) : NULL,
		};
		if (!d.decision || (last && !d.last) || (end && !d.end) || (by && !d.by)) {
			rc = ERR_NOMEM;
			break;
		}
		(*out)[(*n)++] = d;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

static int candidates(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct case_ctx k;
	if ((rc = load_case(r, c, id, 0, &k)))
		return rc;
	struct cands s = {.a = &r->arena};
	struct cand_dec *dec = NULL, **dsorted = NULL;
	struct cand_unit *units = NULL;
	size_t ndec = 0, nu = 0, capu = 0;
	struct jw b = {0};
	struct day_memo memo = {0, 0, ""};
	if ((rc = find_candidates(c, &k, &s)) || (rc = cand_who_load(c, &s)) ||
	    (rc = load_decisions(r, c, id, &dec, &ndec)))
		goto out;
	if (ndec && !(dsorted = malloc(ndec * sizeof *dsorted))) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < ndec; i++)
		dsorted[i] = &dec[i];
	if (ndec)
		qsort(dsorted, ndec, sizeof *dsorted, dec_cmp);
	JW(&b, "{\"items\":[");
	int first = 1;
	/* s.r holds each person's reasons together, persons in the order of
	 * their first reason. */
	for (size_t i = 0; i < s.n;) {
		size_t j = i;
		while (j < s.n && s.r[j].person_id == s.r[i].person_id)
			j++;
		const struct cand_who *w = who_of(&s, s.r[i].person_id);
		const struct cand_unit *u;
		if (!w) {
			i = j;
			continue;
		}
		if ((rc = cand_unit_of(r, c, &units, &nu, &capu, w->unit_id, &u)))
			goto out;
		struct cand_dec key = {.person_id = w->person_id}, *kp = &key, **d = NULL;
		if (ndec)
			d = bsearch(&kp, dsorted, ndec, sizeof *dsorted, dec_cmp);
		if (d)
			(*d)->matched = 1;
		if (!first)
			JW(&b, ",");
		first = 0;
		write_cand(&b, w, u, s.r + i, j - i, d ? *d : NULL, &memo);
		i = j;
	}
	/* Decided persons the logs do not propose (from the interview). */
	for (size_t i = 0; i < ndec; i++) {
		if (dec[i].matched)
			continue;
		struct dbq *q = db_query(c,
					 "SELECT p.name, p.unit_id, (SELECT kk.id FROM cases kk"
					 " WHERE kk.person_id = p.id) FROM persons p WHERE p.id = $1",
					 "i", dec[i].person_id);
		if (!q) {
			rc = ERR_DB;
			goto out;
		}
		struct cand_who w = {.person_id = dec[i].person_id};
		if ((rc = db_step(q)) == 1) {
			w.name = arena_strdup(&r->arena, db_text(q, 0));
			w.unit_id = db_int(q, 1);
			w.case_id = db_null(q, 2) ? 0 : db_int(q, 2);
		}
		db_done(q);
		if (rc < 0)
			goto out;
		if (rc == 0) /* a person gone since: left out */
			continue;
		const struct cand_unit *u;
		if (!w.name)
			rc = ERR_NOMEM;
		else
			rc = cand_unit_of(r, c, &units, &nu, &capu, w.unit_id, &u);
		if (rc)
			goto out;
		if (!first)
			JW(&b, ",");
		first = 0;
		write_cand(&b, &w, u, NULL, 0, &dec[i], &memo);
	}
	JW(&b, "],\"window_from\":");
	jw_int(&b, k.from);
	JW(&b, ",\"window_to\":");
	jw_int(&b, k.to);
	JW(&b, ",\"window_minutes\":");
	jw_int(&b, k.window_min);
	JW(&b, "}");
	if (b.oom) {
		rc = ERR_NOMEM;
		goto out;
	}
	rc = resp_raw(r, 200, "application/json; charset=utf-8", b.d, b.len);
	b.d = NULL; /* the answer's now */
out:
	cands_free(&s);
	free(dec);
	free(dsorted);
	free(units);
	free(b.d);
	return rc;
}

/* ---------- decisions ---------- */

int contacts_isolate(struct dbc *c, int64_t person_id, int64_t contact_id,
		     const char *last_exposure_day, int64_t user_id, int64_t now, int64_t *order_id,
		     struct err_info *ei)
{
	*order_id = 0;
	/* Already isolated (an arrival, another case's contact): the new
	 * exposure extends that order instead of a second one. */
	int rc = isolation_active_of(c, person_id, order_id);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = isolation_extend(c, *order_id, last_exposure_day,
				      "close contact of a case (contact tracing)", user_id, now, NULL,
				      ei);
		return rc < 0 ? rc : 0;
	}
	/* Where a close contact goes (the isolation rules' advice): a
	 * designated hotel serving the person's area, the first room with a
	 * free bed; home only where no place exists. */
	int64_t room = 0, site = 0;
	struct dbq *q = db_query(
		c,
		"SELECT rm.id, rm.site_id FROM persons p"
		" JOIN unit_tree t ON t.unit_id = p.unit_id"
		" JOIN isolation_sites s ON s.unit_id = t.ancestor_id AND s.kind = 'hotel'"
		" JOIN isolation_rooms rm ON rm.site_id = s.id AND rm.occupied < rm.beds"
		" WHERE p.id = $1 ORDER BY t.depth, s.id, rm.id LIMIT 1",
		"i", person_id);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		room = db_int(q, 0);
		site = db_int(q, 1);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	struct isolation_new in = {
		.person_id = person_id,
		.kind = room ? "centralized" : "home",
		.reason = "close_contact",
		.last_exposure_day = last_exposure_day,
		.site_id = site,
		.room_id = room,
		.override_reason = room ? NULL : "no free room in a designated hotel",
		.source = "contact",
		.source_id = contact_id,
		.by_user = user_id,
		.at = now,
	};
	rc = isolation_order_create(c, &in, order_id, ei);
	/* The advice may say otherwise for this person — a fever sends them
	 * to hospital, an infant or a dependent stays home: follow it. */
	static const char *const other[] = {"hospital", "home"};
	for (size_t i = 0; i < 2 && rc == ERR_RULE && !strcmp(ei->field, "override_reason"); i++) {
		err_clear(ei);
		in.kind = other[i];
		in.site_id = in.room_id = 0;
		in.override_reason = NULL;
		rc = isolation_order_create(c, &in, order_id, ei);
	}
	return rc;
}

int contacts_decide(struct dbc *c, int64_t case_id, int64_t person_id, int64_t unit_id,
		    const char *decision, const char *last_exposure_day, const char *reasons,
		    int64_t user, int64_t now, int64_t *id, int64_t *order_id, struct err_info *ei)
{
	char end[DAY_LEN];
	if (contacts_observation_end(decision, last_exposure_day,
				     (int)settings_int(c, "observation_days"), end))
		return err_set(ei, ERR_INVALID, "last_exposure_day", "must be a date YYYY-MM-DD");
	struct dbq *q = db_query(
		c,
		"INSERT INTO contacts(case_id, person_id, unit_id, decision, last_exposure_day,"
		" observation_end_day, reasons, decided_by, decided_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		" ON CONFLICT (case_id, person_id) DO NOTHING RETURNING id",
		"iiitttt" "Ii", case_id, person_id, unit_id, decision, last_exposure_day,
		end[0] ? end : NULL, reasons, user, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_CONFLICT, "person_id",
			       "this candidate has been decided already");
	*order_id = 0;
	if (strcmp(decision, "close") == 0) {
		if ((rc = contacts_isolate(c, person_id, *id, last_exposure_day, user, now,
					   order_id, ei)))
			return rc;
		if (*order_id) {
			int64_t n = db_run(c, "UPDATE contacts SET isolation_id = $2 WHERE id = $1",
					   "ii", *id, *order_id);
			if (n < 0)
				return (int)n;
		}
	}
	return 0;
}

static int decide(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc || (rc = req_json(r)))
		return rc;
	json_t *j = r->json;
	int64_t person;
	const char *decision, *last = NULL;
	if ((rc = jx_id(r, j, "person_id", 1, 0, &person, NULL)) ||
	    (rc = jx_str(r, j, "decision", 1, 10, &decision, NULL)) ||
	    (rc = jx_str(r, j, "last_exposure_day", 0, 10, &last, NULL)))
		return rc;
	if (strcmp(decision, "close") != 0 && strcmp(decision, "general") != 0 &&
	    strcmp(decision, "none") != 0)
		return err_set(&r->err, ERR_INVALID, "decision", "must be close, general or none");
	char today[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	if (strcmp(decision, "none") != 0 && !last)
		return err_set(&r->err, ERR_INVALID, "last_exposure_day",
			       "is required for a close or general contact");
	if (last && day_valid(last))
		return err_set(&r->err, ERR_INVALID, "last_exposure_day",
			       "must be a date YYYY-MM-DD");
	if (last && strcmp(last, today) > 0)
		return err_set(&r->err, ERR_INVALID, "last_exposure_day", "is after today (%s)",
			       today);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct case_ctx k;
	if ((rc = load_case(r, c, id, 1, &k)))
		return rc;
	if (person == k.person)
		return err_set(&r->err, ERR_INVALID, "person_id", "is the case's own person");
	int64_t unit = 0;
	if ((rc = db_one_int(c, &unit, "SELECT unit_id FROM persons WHERE id = $1", "i",
			     person)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "person_id", "no such person");
	if ((rc = scope_check(r, unit, 1, "person")))
		return rc;
	/* The reasons as the officer saw them, kept with the decision. */
	struct cands s = {.a = &r->arena};
	json_t *why = json_array();
	if (!(rc = find_candidates(c, &k, &s)))
		for (size_t i = 0; i < s.n; i++)
			if (s.r[i].person_id == person)
				json_array_append_new(why, json_pack("{s:s,s:s,s:I,s:I}", "kind",
								     s.r[i].kind, "place",
								     s.r[i].place, "from",
								     (json_int_t)s.r[i].from, "to",
								     (json_int_t)s.r[i].to));
	cands_free(&s);
	char *text = rc ? NULL : json_dumps(why, JSON_COMPACT);
	json_decref(why);
	if (rc)
		return rc;
	int64_t cid = 0, order = 0;
	rc = contacts_decide(c, id, person, unit, decision, last, text, r->who.user_id, now, &cid,
			     &order, &r->err);
	free(text);
	if (rc)
		return rc;
	req_audit_record(r, "contact", cid);
	char end[DAY_LEN];
	contacts_observation_end(decision, last, (int)settings_int(c, "observation_days"), end);
	return resp_json(r, 201,
			 json_pack("{s:I,s:I,s:I,s:s,s:o,s:o,s:o}", "id", (json_int_t)cid,
				   "case_id", (json_int_t)id, "person_id", (json_int_t)person,
				   "decision", decision, "last_exposure_day", jx_text_or_null(last),
				   "observation_end_day", jx_text_or_null(end[0] ? end : NULL),
				   "isolation_id", order ? json_integer(order) : json_null()));
}

/* ---------- GET /api/v1/contacts ---------- */

#define CONTACT_COLS                                                                     \
	"SELECT d.id, d.case_id, kp.name, d.person_id, p.name, u.name, d.decision,"      \
	" d.last_exposure_day, d.observation_end_day, d.isolation_id, us.name, d.decided_at" \
	" FROM contacts d JOIN cases k ON k.id = d.case_id"                             \
	" JOIN persons kp ON kp.id = k.person_id JOIN persons p ON p.id = d.person_id"   \
	" JOIN units u ON u.id = d.unit_id LEFT JOIN users us ON us.id = d.decided_by"

static json_t *contact_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:I}", "id",
			 (json_int_t)db_int(q, 0), "case_id", (json_int_t)db_int(q, 1),
			 "case_name", db_text(q, 2), "person_id", (json_int_t)db_int(q, 3),
			 "person_name", db_text(q, 4), "unit_name", db_text(q, 5), "decision",
			 db_text(q, 6), "last_exposure_day", jx_text_or_null(db_text(q, 7)),
			 "observation_end_day", jx_text_or_null(db_text(q, 8)), "isolation_id",
			 jx_col_int(q, 9), "decided_by_name", jx_text_or_null(db_text(q, 10)),
			 "decided_at", (json_int_t)db_int(q, 11));
}

static const struct list_col contact_export[] = {
	{"id", "编号"},          {"case_id", "病例编号"},   {"case_name", "病例"},
	{"person_name", "接触者"}, {"unit_name", "所在单位"}, {"decision", "判定"},
	{"last_exposure_day", "末次暴露日期"}, {"observation_end_day", "观察期满日期"},
	{"decided_by_name", "判定人"}, {0, 0},
};

static int list_contacts(struct req *r)
{
	static const char sql[] =
		CONTACT_COLS " WHERE " SCOPE_SQL("d.unit_id", "1") " AND d.id > $2"
		" AND ($3 = '' OR d.decision = $3) AND ($4 = 0 OR d.case_id = $4)"
		" ORDER BY d.id LIMIT $5";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *dec = req_query(r, "decision");
	if (dec && *dec && strcmp(dec, "close") && strcmp(dec, "general") && strcmp(dec, "none"))
		return err_set(&r->err, ERR_INVALID, "decision", "must be close, general or none");
	int64_t case_id;
	if ((rc = req_query_int(r, "case_id", 0, INT64_MAX, 0, &case_id)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	return resp_query_list(r, &pg,
			       db_query(c, sql, "iitii", r->who.scope_unit_id, pg.after,
					dec ? dec : "", case_id, pg.limit + 1),
			       contact_row, contact_export, "contacts");
}

/* ---------- the network ---------- */

static int network(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *nodes = json_array(), *links = json_array();
	/* Cases in scope, and the contacts of those cases (in scope or not:
	 * the chain is the point; names outside scope are masked). */
	struct dbq *q = db_query(c,
				 "SELECT k.id, k.person_id, p.name, k.status, k.report_day"
				 " FROM cases k JOIN persons p ON p.id = k.person_id"
				 " WHERE " SCOPE_SQL("k.unit_id", "1") " ORDER BY k.id",
				 "i", r->who.scope_unit_id);
	int rc = q ? 0 : ERR_DB;
	while (q && (rc = db_step(q)) == 1) {
		char nid[32];
		snprintf(nid, sizeof nid, "p%lld", (long long)db_int(q, 1));
		json_array_append_new(nodes,
				      json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "id", nid,
						"person_id",
						(json_int_t)db_int(q, 1), "case_id",
						(json_int_t)db_int(q, 0), "name", db_text(q, 2), "kind",
						"case", "status", db_text(q, 3), "report_day",
						db_text(q, 4)));
	}
	db_done(q);
	if (rc >= 0) {
		q = db_query(c,
			     "SELECT d.case_id, k.person_id, d.person_id, p.name, d.decision,"
			     " " SCOPE_SQL("d.unit_id", "1") ", (SELECT x.id FROM cases x"
			     " WHERE x.person_id = d.person_id), d.last_exposure_day"
			     " FROM contacts d JOIN cases k ON k.id = d.case_id"
			     " JOIN persons p ON p.id = d.person_id"
			     " WHERE " SCOPE_SQL("k.unit_id", "1") " AND d.decision <> 'none'"
			     " ORDER BY d.id",
			     "i", r->who.scope_unit_id);
		rc = q ? 0 : ERR_DB;
		while (q && (rc = db_step(q)) == 1) {
			char src[32], dst[32], masked[96];
			snprintf(src, sizeof src, "p%lld", (long long)db_int(q, 1));
			snprintf(dst, sizeof dst, "p%lld", (long long)db_int(q, 2));
			json_array_append_new(links,
					      json_pack("{s:s,s:s,s:s,s:b,s:o}", "source", src,
							"target", dst, "decision", db_text(q, 4),
							"became_case", !db_null(q, 6),
							"last_exposure_day",
							jx_text_or_null(db_text(q, 7))));
			{ /* a contact who became a case in scope is that case's node (added
			   * first, so the one kept); otherwise a node of its own */
				gates_mask_name(db_text(q, 3), masked, sizeof masked);
				json_array_append_new(
					nodes, json_pack("{s:s,s:I,s:s,s:s,s:s}", "id", dst,
							 "person_id", (json_int_t)db_int(q, 2),
							 "name", db_int(q, 5) ? db_text(q, 3) : masked,
							 "kind", "contact", "decision",
							 db_text(q, 4)));
			}
		}
		db_done(q);
	}
	if (rc < 0) {
		json_decref(nodes);
		json_decref(links);
		return rc;
	}
	/* A contact of two cases is one node. */
	json_t *seen = json_object(), *uniq = json_array();
	size_t i;
	json_t *n;
	json_array_foreach(nodes, i, n)
	{
		const char *nid = json_string_value(json_object_get(n, "id"));
		if (json_object_get(seen, nid))
			continue;
		json_object_set_new(seen, nid, json_true());
		json_array_append(uniq, n);
	}
	json_decref(seen);
	json_decref(nodes);
	return resp_json(r, 200, json_pack("{s:o,s:o}", "nodes", uniq, "links", links));
}
