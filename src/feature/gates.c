/* Compound gates (DOMAIN.md §4): a compound's gates and the scan at one — a
 * pass token (or a typed document number for people without a phone), the
 * direction and the temperature in; allow or deny with the reason in words a
 * guard understands out. Every scan is logged. This is the hottest write
 * path of the system, so the handler does every read and the decision on a
 * read connection and hands one small job (the scan row, a fever, the day's
 * temperature mark, the client id) to the group-commit writer, answering
 * once that batch is durable. See gates.h. */
#include "gates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../db/batch.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "discrepancies.h"
#include "cases.h"
#include "people.h"

static int create_gate(struct req *r);
static int list_gates(struct req *r);
static int get_gate(struct req *r);
static int scan(struct req *r);
static int list_scans(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/gates", create_gate, P_PASSES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "create a gate of a compound"},
	{"GET", "/api/v1/gates", list_gates, P_UNITS_READ, 0, 0, "gates in scope, by compound"},
	{"GET", "/api/v1/gates/{id}", get_gate, P_UNITS_READ, 0, 0,
	 "one gate with today's allowed and refused scans"},
	/* Not ROUTE_IDEMPOTENT: the scan keeps its client id in field_writes
	 * through the group-commit writer, and writes nothing through req_db. */
	{"POST", "/api/v1/gates/{id}/scans", scan, P_GATES_SCAN, 64u << 10, 0,
	 "scan a pass or a typed document at a gate: allow or deny, logged"},
	{"GET", "/api/v1/gates/{id}/scans", list_scans, P_GATES_SCAN, 0, 0,
	 "a gate's scans, newest first"},
};
ROUTE_TABLE(gates_routes, routes);

/* ---------- pure rules ---------- */

static const char *const kinds[] = {"resident", "courier", "delivery", "visitor"};

int gates_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

int64_t gates_temp_tenths(double celsius)
{
	if (!(celsius >= 30.0 && celsius <= 45.0))
		return 0;
	return (int64_t)lround(celsius * 10.0);
}

void gates_mask_name(const char *name, char *out, size_t cap)
{
	/* Split into UTF-8 characters. */
	const char *ch[64];
	size_t n = 0;
	for (const char *p = name; *p && n < 64; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			ch[n++] = p;
	size_t k = 0;
	if (!cap)
		return;
	out[0] = 0;
	if (n == 0)
		return;
	size_t first = (n > 1 ? (size_t)(ch[1] - ch[0]) : strlen(ch[0]));
	if (first + 1 > cap)
		return;
	memcpy(out, ch[0], first);
	k = first;
	size_t stars = n == 1 ? 0 : n == 2 ? 1 : n - 2;
	for (size_t i = 0; i < stars && k + 1 < cap; i++)
		out[k++] = '*';
	if (n >= 3) {
		size_t last = strlen(ch[n - 1]);
		if (k + last < cap) {
			memcpy(out + k, ch[n - 1], last);
			k += last;
		}
	}
	out[k] = 0;
}

static void kind_refusal(const char *kind, struct gate_decision *d)
{
	if (strcmp(kind, "courier") == 0) {
		d->code = "courier";
		snprintf(d->reason, sizeof d->reason,
			 "Couriers may not enter: parcels are handed over at the gate");
	} else if (strcmp(kind, "delivery") == 0) {
		d->code = "delivery";
		snprintf(d->reason, sizeof d->reason,
			 "Delivery riders may not enter: food is handed over at the gate");
	} else {
		d->code = "visitor";
		snprintf(d->reason, sizeof d->reason,
			 "Visitors may not enter while the compound is closed");
	}
}

void gates_decide(const struct gate_facts *f, struct gate_decision *d)
{
	memset(d, 0, sizeof *d);
	const char *kind = f->kind ? f->kind : "resident";
	int resident_kind = strcmp(kind, "resident") == 0;
	d->fever = f->has_temp && f->temp >= f->fever_at;
	double t = (double)f->temp / 10.0;
	if (f->sealed && !f->staff) {
		/* An epidemic point's gate is closed both ways to everyone but
		 * the point's staff, whatever the pass says. */
		d->code = "sealed";
		snprintf(d->reason, sizeof d->reason,
			 "Sealed epidemic point (疫点): nobody passes but the point's staff");
	} else if (f->ident == GATE_ID_FORGED) {
		d->code = "forged";
		snprintf(d->reason, sizeof d->reason,
			 "Not a valid pass: forged, altered or damaged. Check ID by hand");
	} else if (f->ident == GATE_ID_UNKNOWN) {
		d->code = "unknown_person";
		snprintf(d->reason, sizeof d->reason, "No resident found with this document%s%s",
			 f->unknown_why ? ": " : "", f->unknown_why ? f->unknown_why : "");
	} else if (f->ident == GATE_ID_NONE) {
		if (resident_kind || f->out) {
			d->code = resident_kind ? "unknown_person" : "ok";
			d->allow = !resident_kind;
			snprintf(d->reason, sizeof d->reason, "%s",
				 resident_kind ? "No pass and no document: not admitted"
					       : "Leaving: logged");
		} else {
			kind_refusal(kind, d);
		}
	} else if (f->expired) {
		d->code = "expired";
		snprintf(d->reason, sizeof d->reason,
			 "Pass expired on %s: a new pass is needed", f->expired_day);
	} else if (f->revoked) {
		d->code = "revoked";
		snprintf(d->reason, sizeof d->reason, "Pass revoked%s%s",
			 f->revoked_reason && *f->revoked_reason ? ": " : "",
			 f->revoked_reason ? f->revoked_reason : "");
	} else if (f->anonymous) {
		d->code = f->out ? "ok" : "not_resident";
		d->allow = f->out;
		snprintf(d->reason, sizeof d->reason, "%s",
			 f->out ? "Leaving: logged" : "Not a resident of this compound");
	} else if (!f->out && f->other_compound) {
		d->code = "not_resident";
		snprintf(d->reason, sizeof d->reason,
			 "This pass is for another compound: not a resident here");
	} else if (!f->out && !f->resident) {
		d->code = "not_resident";
		snprintf(d->reason, sizeof d->reason, "Not a resident of this compound");
	} else if (!f->out && !resident_kind) {
		kind_refusal(kind, d);
	} else if (f->colour && strcmp(f->colour, "red") == 0) {
		d->code = "red";
		snprintf(d->reason, sizeof d->reason, "Red code (%s): stay home, report to the"
			 " community", f->colour_reason ? f->colour_reason : "");
	} else if (f->colour && strcmp(f->colour, "yellow") == 0) {
		d->code = "yellow";
		snprintf(d->reason, sizeof d->reason, "Yellow code (%s): stay home until the"
			 " observation ends", f->colour_reason ? f->colour_reason : "");
	} else if (d->fever) {
		d->code = "fever";
		snprintf(d->reason, sizeof d->reason,
			 "Fever %.1f °C: do not admit; send to the fever clinic", t);
	} else {
		d->allow = 1;
		d->code = "ok";
		if (f->has_temp)
			snprintf(d->reason, sizeof d->reason, "Green code, temperature %.1f °C normal",
				 t);
		else
			snprintf(d->reason, sizeof d->reason, "Green code");
	}
	/* A fever found while refusing for another reason is still said. */
	if (d->fever && strcmp(d->code, "fever") != 0) {
		size_t n = strlen(d->reason);
		snprintf(d->reason + n, sizeof d->reason - n,
			 "; fever %.1f °C: send to the fever clinic", t);
		d->allow = 0;
		if (strcmp(d->code, "ok") == 0)
			d->code = "fever";
	}
}

/* ---------- gates ---------- */

#define GATE_COLS                                                                        \
	"SELECT g.id, g.unit_id, u.name, g.name, g.created_at FROM gates g"             \
	" JOIN units u ON u.id = g.unit_id"

static json_t *gate_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:I}", "id", (json_int_t)db_int(q, 0), "unit_id",
			 (json_int_t)db_int(q, 1), "unit_name", db_text(q, 2), "name",
			 db_text(q, 3), "created_at", (json_int_t)db_int(q, 4));
}

static json_t *load_gate(struct dbc *c, int64_t id, int *rc)
{
	struct dbq *q = db_query(c, GATE_COLS " WHERE g.id = $1", "i", id);
	*rc = 0;
	if (!q) {
		*rc = ERR_DB;
		return NULL;
	}
	int s = db_step(q);
	json_t *g = s == 1 ? gate_row(q) : NULL;
	if (s < 0)
		*rc = s;
	db_done(q);
	return g;
}

static int create_gate(struct req *r)
{
	int64_t unit = 0;
	const char *name = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", unit);
	if (!q)
		return ERR_DB;
	char kind[16] = "";
	if ((rc = db_step(q)) == 1)
		snprintf(kind, sizeof kind, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_contains(c, r->who.scope_unit_id, unit)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "unit_id", "the unit is outside your area (scope)");
	if (strcmp(kind, "compound") != 0)
		return err_set(&r->err, ERR_RULE, "unit_id", "a gate belongs to a compound, not a %s",
			       kind);
	int64_t id = 0;
	rc = PEOPLE_INSERT_ID(c, &id,
			      "INSERT INTO gates(unit_id, name, created_at) VALUES ($1, $2, $3)"
			      " ON CONFLICT (unit_id, name) DO NOTHING",
			      "iti", unit, name, clock_now());
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_CONFLICT, "name", "the compound already has a gate \"%s\"",
			       name);
	json_t *g = load_gate(c, id, &rc);
	if (!g)
		return rc ? rc : ERR_DB;
	req_audit_record(r, "gate", id);
	return resp_json(r, 201, g);
}

static const struct list_col gate_export[] = {
	{"id", "编号"}, {"unit_id", "小区编号"}, {"unit_name", "小区"}, {"name", "名称"}, {0, 0},
};

static int list_gates(struct req *r)
{
	struct page pg;
	int64_t unit = 0;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	/* A guard finds the gate by its compound's name or code, or its own
	 * name: a district has a thousand gates. */
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	static const char sql[] =
		GATE_COLS " WHERE " SCOPE_SQL("g.unit_id", "1") " AND g.id > $2"
		" AND ($3 = 0 OR g.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $3))"
		" AND ($5 = '' OR lower(u.name) LIKE $5 ESCAPE '\\' OR lower(u.code) LIKE $5"
		" ESCAPE '\\' OR lower(g.name) LIKE $5 ESCAPE '\\')"
		" ORDER BY g.id LIMIT $4";
	struct dbq *q = db_query(c, sql, "iiiit", r->who.scope_unit_id, pg.after, unit,
				 pg.limit + 1, pat);
	return resp_query_list(r, &pg, q, gate_row, gate_export, "gates");
}

static int get_gate(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *g = load_gate(c, id, &rc);
	if (!g)
		return rc ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such gate");
	if ((rc = scope_check(r, json_integer_value(json_object_get(g, "unit_id")), 0, "gate"))) {
		json_decref(g);
		return rc;
	}
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	int64_t allow = 0, deny = 0;
	struct dbq *q = db_query(c,
				 "SELECT decision, COUNT(*) FROM gate_scans WHERE gate_id = $1"
				 " AND at >= $2 GROUP BY decision",
				 "ii", id, day_start(today));
	while (q && db_step(q) == 1) {
		if (strcmp(db_text(q, 0), "allow") == 0)
			allow = db_int(q, 1);
		else
			deny = db_int(q, 1);
	}
	db_done(q);
	json_object_set_new(g, "today", json_pack("{s:s,s:I,s:I}", "day", today, "allow",
						  (json_int_t)allow, "deny", (json_int_t)deny));
	return resp_json(r, 200, g);
}

/* ---------- the scan ---------- */

/* What one scan stores, run by the group-commit writer. */
struct scan_job {
	/* in */
	int64_t gate_id, unit_id, at, person_id, pass_id, temp, user_id, device_id;
	int64_t held_person; /* a fever of a person the caller may not change: a discrepancy */
	char day[DAY_LEN];
	const char *direction, *kind, *decision, *reason, *code, *colour;
	int fever, mark;
	const char *client_id, *stored; /* stored: the answer kept in field_writes */
	/* out (reset by each run: a failed batch re-runs its jobs alone) */
	int64_t scan_id;
	int existing;          /* the client id was already stored: answer with it */
	int64_t existing_id;
	char *existing_answer; /* malloc'd */
};

static int read_field_write(struct dbc *c, const char *client_id, int64_t *record_id,
			    char **answer, int *is_scan)
{
	struct dbq *q = db_query(c,
				 "SELECT kind, record_id, answer FROM field_writes WHERE client_id = $1",
				 "t", client_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		*is_scan = strcmp(db_text(q, 0), "gate_scan") == 0;
		*record_id = db_int(q, 1);
		*answer = strdup(db_text(q, 2));
		if (!*answer)
			rc = ERR_NOMEM;
	}
	db_done(q);
	return rc;
}

static int scan_store(struct dbc *c, void *arg)
{
	struct scan_job *j = arg;
	j->scan_id = 0;
	j->existing = 0;
	free(j->existing_answer);
	j->existing_answer = NULL;
	int rc = PEOPLE_INSERT_ID(
		c, &j->scan_id,
		"INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id, pass_id,"
		" kind, temperature, decision, reason, reason_code, colour, created_by, device_id)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
		"iiittIItIttttII", j->gate_id, j->unit_id, j->at, j->day, j->direction, j->person_id,
		j->pass_id, j->kind, j->temp, j->decision, j->reason, j->code, j->colour, j->user_id,
		j->device_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ERR_DB;
	if (j->client_id) {
		int64_t n = db_run(c,
				   "INSERT INTO field_writes(client_id, kind, record_id, at, answer)"
				   " VALUES ($1, 'gate_scan', $2, $3, $4) ON CONFLICT (client_id) DO NOTHING",
				   "tiit", j->client_id, j->scan_id, j->at, j->stored);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			/* Another copy of this scan got there first (the same batch,
			 * or another server): keep its row and answer, not ours. */
			int64_t d = db_run(c, "DELETE FROM gate_scans WHERE id = $1 AND at = $2", "ii",
					   j->scan_id, j->at);
			if (d < 0)
				return (int)d;
			int is_scan = 0;
			rc = read_field_write(c, j->client_id, &j->existing_id, &j->existing_answer,
					      &is_scan);
			if (rc < 0)
				return rc;
			j->existing = rc == 1 ? (is_scan ? 1 : 2) : 0;
			j->scan_id = 0;
			return rc == 1 ? 0 : ERR_DB;
		}
	}
	if (j->fever &&
	    db_run(c,
		   "INSERT INTO fevers(person_id, at, temperature, source, source_id)"
		   " VALUES ($1, $2, $3, 'gate', $4)",
		   "iiii", j->person_id, j->at, j->temp, j->gate_id) < 0)
		return ERR_DB;
	if (j->held_person) {
		int64_t did = 0;
		if ((rc = discrepancy_fever(c, j->held_person, "gate", j->scan_id, j->unit_id, j->temp,
					    j->user_id, j->device_id, j->at, &did)))
			return rc;
	}
	if (j->mark &&
	    db_run(c,
		   "INSERT INTO temperature_marks(person_id, day, at, temperature, gate_id)"
		   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, day) DO NOTHING",
		   "itiii", j->person_id, j->day, j->at, j->temp, j->gate_id) < 0)
		return ERR_DB;
	return 0;
}

/* "u:ID" or "d:ID": who made a client id, so a stranger's reuse of it is a
 * conflict, not their answer. */
static const char *actor(struct req *r)
{
	return r->who.user_id ? arena_printf(&r->arena, "u:%lld", (long long)r->who.user_id)
			      : arena_printf(&r->arena, "d:%lld", (long long)r->who.device_id);
}

/* Answers with a stored first answer (field_writes.answer) for this
 * client id: {"gate_id","actor","answer"} plus the scan id. */
static int answer_stored(struct req *r, int64_t gate_id, int64_t scan_id, const char *stored,
			 int is_scan)
{
	json_t *s = stored ? json_loads(stored, 0, NULL) : NULL;
	json_t *a = s ? json_object_get(s, "answer") : NULL;
	const char *who = s ? json_string_value(json_object_get(s, "actor")) : NULL;
	if (!is_scan || !a || !who || strcmp(who, actor(r)) != 0 ||
	    json_integer_value(json_object_get(s, "gate_id")) != gate_id) {
		json_decref(s);
		return err_set(&r->err, ERR_CONFLICT, "client_id",
			       "this client id was already used for another write");
	}
	json_incref(a);
	json_decref(s);
	json_object_set_new(a, "scan_id", json_integer(scan_id));
	r->replayed = 1;
	return resp_json(r, 200, a);
}

/* The person columns a scan reads, $2 being the gate's compound: name,
 * located, merged_into, and whether their unit lies in the compound (it or
 * one of its buildings). Read by scan_person_row. */
#define SCAN_PERSON_COLS                                                          \
	"pe.name, pe.located, pe.merged_into, (SELECT COUNT(*) FROM unit_tree t"   \
	" WHERE t.ancestor_id = $2 AND t.unit_id = pe.unit_id)"

/* From SCAN_PERSON_COLS at column col: the name (arena-copied) and whether
 * the person lives in the compound (located there, not merged away). */
static void scan_person_row(struct req *r, struct dbq *q, int col, const char **name,
			    int *resident)
{
	*name = arena_strdup(&r->arena, db_text(q, col));
	*resident = db_int(q, col + 1) && db_null(q, col + 2) && db_int(q, col + 3) > 0;
}

/* The person row a scan needs, for compound `unit`. 1 found, 0 none, <0
 * error. */
static int scan_person(struct req *r, struct dbc *c, int64_t person, int64_t unit,
		       const char **name, int *resident)
{
	struct dbq *q = db_query(c, "SELECT " SCAN_PERSON_COLS " FROM persons pe WHERE pe.id = $1",
				 "ii", person, unit);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		scan_person_row(r, q, 0, name, resident);
	db_done(q);
	return rc;
}

/* Finds the person a typed document names. 1 found (*person), 0 none
 * (*why may say what was wrong), <0 error. */
static int find_by_doc(struct req *r, struct dbc *c, const char *doc_type, const char *doc,
		       const char *today, int64_t *person, const char **why)
{
	char num[40];
	struct err_info ei = {0};
	int rc;
	*why = NULL;
	if (doc_type) {
		if (people_doc_number(doc_type, doc, today, num, sizeof num, NULL, "doc_number",
				      &ei)) {
			*why = arena_strdup(&r->arena, ei.message);
			return 0;
		}
		struct person_found pf;
		if ((rc = people_find(c, doc_type, num, 0, &pf)) == 1)
			*person = pf.id;
		return rc;
	}
	/* No type given: a resident ID when it reads as one, else any other
	 * document with this number. */
	if (!people_doc_number("resident_id", doc, today, num, sizeof num, NULL, "doc_number",
			       &ei)) {
		struct person_found pf;
		if ((rc = people_find(c, "resident_id", num, 0, &pf)) == 1)
			*person = pf.id;
		return rc;
	}
	size_t digits = 0, n = strlen(doc);
	for (const char *p = doc; *p; p++)
		digits += (*p >= '0' && *p <= '9');
	if (n >= 15 && digits + 1 >= n) { /* a mistyped resident ID */
		*why = arena_strdup(&r->arena, ei.message);
		return 0;
	}
	err_clear(&ei);
	if (people_doc_number("other", doc, today, num, sizeof num, NULL, "doc_number", &ei)) {
		*why = arena_strdup(&r->arena, ei.message);
		return 0;
	}
	return db_one_int(c, person,
			  "SELECT COALESCE(merged_into, id) FROM persons"
			  " WHERE doc_type <> 'resident_id' AND doc_number = $1 ORDER BY id LIMIT 1",
			  "t", num);
}

/* A scan's input and what its reads found. */
struct scan_ctx {
	int64_t gate_id, unit, now, person, pass, temp, fever_at;
	const char *token, *doc, *doc_type, *kind, *direction, *client_id, *name;
	int has_temp, marked;
	int anon;        /* a typed document of a non-resident: named to nobody */
	int outside;     /* the person's unit lies outside the caller's scope */
	char today[DAY_LEN];
	char why[128];
	struct gate_facts f;
};

/* Every read a scan needs, on the read connection c: the gate and scope,
 * the token or document, the pass, residence, colour and the day's
 * temperature mark. 0 or an error. */
static int scan_reads(struct req *r, struct dbc *c, struct scan_ctx *x)
{
	int rc;
	/* The gate and whether it lies in the caller's scope, in one
	 * statement (the scope test is the lists' SCOPE_SQL). */
	struct dbq *gq = db_query(c,
				  "SELECT g.unit_id, " SCOPE_SQL("g.unit_id", "2")
				  " FROM gates g WHERE g.id = $1",
				  "ii", x->gate_id, r->who.scope_unit_id);
	if (!gq)
		return ERR_DB;
	int in_scope = 0;
	if ((rc = db_step(gq)) == 1) {
		x->unit = db_int(gq, 0);
		in_scope = db_int(gq, 1) != 0;
	}
	db_done(gq);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such gate");
	if (!in_scope)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this gate is outside your area (scope)");
	/* A retry (a client id already stored) is not looked for here: the
	 * writer finds it when storing (scan_store) and answers with the first
	 * answer. Retries are rare; a read of that ever-changing index on every
	 * scan is not. */
	x->fever_at = settings_int(c, "fever_threshold_tenths");
	if (x->fever_at <= 0) /* the setting not defined in this build */
		x->fever_at = 373;
	struct gate_facts *f = &x->f;
	f->kind = x->kind;
	f->out = strcmp(x->direction, "out") == 0;
	f->has_temp = x->has_temp;
	f->temp = x->temp;
	f->fever_at = x->fever_at;
	int person_read = 0; /* the token's person row read with its pass */
	if (x->token) {
		struct pass_claims cl;
		if ((rc = passes_check_token(c, x->token, &cl)) < 0)
			return rc;
		f->ident = rc == 1 ? GATE_ID_OK : GATE_ID_FORGED;
		if (rc == 1) {
			/* The record must say what the token says; its expiry and
			 * revocation are the record's. The person row (as
			 * scan_person reads it) comes with it: one statement. */
			struct dbq *q = db_query(
				c,
				"SELECT p.person_id, p.unit_id, p.kid, p.issued_at, p.expires_at,"
				" p.revoked_at, p.revoked_reason, pe.id, " SCAN_PERSON_COLS
				" FROM passes p LEFT JOIN persons pe ON pe.id = p.person_id"
				" WHERE p.id = $1",
				"ii", cl.pass_id, x->unit);
			if (!q)
				return ERR_DB;
			int s = db_step(q);
			if (s == 1 && !db_null(q, 7)) {
				scan_person_row(r, q, 8, &x->name, &f->resident);
				person_read = 1;
			}
			if (s == 1 && db_int(q, 0) == cl.person_id && db_int(q, 1) == cl.unit_id &&
			    strcmp(db_text(q, 2), cl.kid) == 0 && db_int(q, 3) == cl.issued_at) {
				int64_t exp = db_int(q, 4) < cl.expires_at ? db_int(q, 4) : cl.expires_at;
				f->expired = x->now >= exp;
				clock_day(exp - 1, f->expired_day);
				f->revoked = !db_null(q, 5);
				f->revoked_reason =
					db_text(q, 6) ? arena_strdup(&r->arena, db_text(q, 6)) : NULL;
				f->other_compound = cl.unit_id != x->unit;
				x->person = cl.person_id;
				x->pass = cl.pass_id;
			} else {
				f->ident = GATE_ID_FORGED;
			}
			db_done(q);
			if (s < 0)
				return s;
		}
	} else if (x->doc) {
		const char *why = NULL;
		if ((rc = find_by_doc(r, c, x->doc_type, x->doc, x->today, &x->person, &why)) < 0)
			return rc;
		f->ident = rc == 1 ? GATE_ID_OK : GATE_ID_UNKNOWN;
		f->unknown_why = why;
		if (rc == 1 && (rc = scan_person(r, c, x->person, x->unit, &x->name, &f->resident)) < 0)
			return rc;
		if (f->ident == GATE_ID_OK && rc == 0) { /* gone meanwhile */
			f->ident = GATE_ID_UNKNOWN;
			x->person = 0;
		}
		if (rc == 1 && !f->resident) {
			/* Someone registered who does not live here: the scan
			 * names nobody and says nothing of their record. */
			x->anon = f->anonymous = 1;
			x->name = NULL;
		} else if (rc == 1) {
			/* No pass is shown: the resident's newest pass for this
			 * compound, if any, must not have been revoked. */
			struct dbq *q = db_query(c,
						 "SELECT id, revoked_at, revoked_reason FROM passes"
						 " WHERE person_id = $1 AND unit_id = $2"
						 " ORDER BY id DESC LIMIT 1",
						 "ii", x->person, x->unit);
			if (!q)
				return ERR_DB;
			int s = db_step(q);
			if (s == 1 && !db_null(q, 1)) {
				f->revoked = 1;
				f->revoked_reason =
					db_text(q, 2) ? arena_strdup(&r->arena, db_text(q, 2)) : NULL;
			}
			if (s == 1)
				x->pass = db_int(q, 0);
			db_done(q);
			if (s < 0)
				return s;
		}
	}
	x->marked = 1;
	if (f->ident == GATE_ID_OK && x->token && !person_read) {
		/* a signed pass for a person deleted since */
		f->ident = GATE_ID_FORGED;
		x->person = x->pass = 0;
	}
	if (f->ident == GATE_ID_OK && x->has_temp && x->temp >= x->fever_at) {
		/* A fever of someone the caller may not change is not written on
		 * their record: it goes to their unit (discrepancy_fever). */
		int64_t pu = 0;
		if ((rc = db_one_int(c, &pu, "SELECT unit_id FROM persons WHERE id = $1", "i",
				     x->person)) < 0)
			return rc;
		if ((rc = scope_contains(c, r->who.scope_unit_id, pu)) < 0)
			return rc;
		x->outside = rc == 0;
	}
	{
		/* An open epidemic point on this compound closes its gates. */
		int64_t point;
		if ((rc = epipoints_sealed(c, x->unit, f->ident == GATE_ID_OK ? x->person : 0,
					   &point, &f->staff)) < 0)
			return rc;
		f->sealed = rc == 1;
	}
	if (f->ident == GATE_ID_OK && !x->anon) {
		struct colour_facts cf;
		if ((rc = passes_facts(c, x->person, x->today,
				       (int)settings_int(c, "observation_days"), &cf)))
			return rc;
		f->colour = passes_colour(&cf, x->why, sizeof x->why);
		f->colour_reason = x->why;
		if (x->has_temp && x->temp < x->fever_at)
			x->marked = cf.marked_today;
	}
	return 0;
}

/* A scan waiting for its batch: the job and the answer to send. */
struct scan_wait {
	struct scan_job job; /* first: req_batch_then hands back &job */
	const char *ans;     /* the answer as JSON text (in the arena), without scan_id */
};

/* The scan's batch is durable (rc 0) or failed: the answer. Frees what the
 * job holds in every case. */
static int scan_stored(struct req *r, void *arg, int rc)
{
	struct scan_wait *w = arg;
	struct scan_job *job = &w->job;
	if (!rc && job->existing) {
		rc = answer_stored(r, job->gate_id, job->existing_id, job->existing_answer,
				   job->existing == 1);
	} else if (!rc) {
		/* The answer's text with the scan id added: it was serialised
		 * once, for field_writes, and is not built again. */
		size_t n = strlen(w->ans);
		char *body = malloc(n + 32);
		if (!body)
			rc = err_set(&r->err, ERR_NOMEM, "", "out of memory");
		else
			rc = resp_raw(r, 200, "application/json; charset=utf-8", body,
				      (size_t)snprintf(body, n + 32, "%.*s,\"scan_id\":%lld}",
						       (int)(n - 1), w->ans,
						       (long long)job->scan_id));
	}
	free(job->existing_answer);
	job->existing_answer = NULL;
	return rc;
}

static int scan(struct req *r)
{
	r->no_audit = 1; /* the scan log is its own audit trail */
	struct scan_ctx x = {.kind = "resident"};
	int rc = req_param_id(r, "id", &x.gate_id);
	if (rc)
		return rc;
	/* The body: everything checked before anything is read or stored. */
	if ((rc = req_json(r)))
		return rc;
	json_t *j = r->json;
	if ((rc = jx_str(r, j, "token", 0, 0, &x.token, NULL)) ||
	    (rc = jx_str(r, j, "doc_number", 0, 64, &x.doc, NULL)) ||
	    (rc = jx_str(r, j, "doc_type", 0, 32, &x.doc_type, NULL)) ||
	    (rc = jx_str(r, j, "direction", 1, 8, &x.direction, NULL)) ||
	    (rc = jx_str(r, j, "kind", 0, 16, &x.kind, NULL)) ||
	    (rc = jx_str(r, j, "client_id", 0, 128, &x.client_id, NULL)))
		return rc;
	if (strcmp(x.direction, "in") != 0 && strcmp(x.direction, "out") != 0)
		return err_set(&r->err, ERR_INVALID, "direction", "must be \"in\" or \"out\"");
	if (!x.kind)
		x.kind = "resident";
	if (!gates_kind_valid(x.kind))
		return err_set(&r->err, ERR_INVALID, "kind",
			       "must be resident, courier, delivery or visitor");
	if (x.doc_type && !people_doc_type_valid(x.doc_type))
		return err_set(&r->err, ERR_INVALID, "doc_type", "unknown document type");
	if (x.token && !*x.token)
		x.token = NULL;
	if (x.doc && !*x.doc)
		x.doc = NULL;
	if (x.token && x.doc)
		return err_set(&r->err, ERR_INVALID, "doc_number",
			       "give the pass token or a document number, not both");
	int resident_kind = strcmp(x.kind, "resident") == 0;
	if (resident_kind && !x.token && !x.doc)
		return err_set(&r->err, ERR_INVALID, "token",
			       "scan the pass or type the document number");
	json_t *tv = json_object_get(j, "temperature");
	x.has_temp = tv && !json_is_null(tv);
	if (x.has_temp) {
		if (!json_is_number(tv))
			return err_set(&r->err, ERR_INVALID, "temperature",
				       "must be a number in °C, e.g. 36.5");
		if (!(x.temp = gates_temp_tenths(json_number_value(tv))))
			return err_set(&r->err, ERR_INVALID, "temperature",
				       "%.1f °C is not a body temperature: measure again",
				       json_number_value(tv));
	} else if (resident_kind && strcmp(x.direction, "in") == 0) {
		return err_set(&r->err, ERR_INVALID, "temperature",
			       "is required for everyone going in (凡进必测)");
	}
	if (!x.client_id) {
		const char *h = req_header(r, "Idempotency-Key");
		if (h && *h && strlen(h) <= 128)
			x.client_id = h;
	}
	x.now = clock_now();
	clock_day(x.now, x.today);

	/* The reads. On SQLite in one read transaction: one snapshot and one
	 * lock for them all, and the page cache kept between them (every
	 * commit of the writer would otherwise empty it between statements).
	 * On PostgreSQL that would only add two round trips. */
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	int rtx = strcmp(db_backend(c), "sqlite") == 0 && !db_in_tx(c) && db_begin(c) == 0;
	rc = scan_reads(r, c, &x);
	if (rtx)
		db_rollback(c);
	if (rc)
		return rc;

	struct gate_facts *f = &x.f;
	struct gate_decision d;
	gates_decide(f, &d);
	const char *colour = f->colour;
	/* The fever is written on the person's record only when the caller may
	 * change it; else it goes to their unit to confirm. */
	int fever_here = f->ident == GATE_ID_OK && d.fever && !x.anon && !x.outside;
	int fever_held = f->ident == GATE_ID_OK && d.fever && (x.anon || x.outside);
	if (fever_here)
		colour = "red"; /* a fever recorded now makes the person red */

	json_t *who = json_null();
	if (x.name && !x.anon) {
		char masked[96];
		gates_mask_name(x.name, masked, sizeof masked);
		who = json_pack("{s:I,s:s}", "id", (json_int_t)x.person, "name", masked);
	}
	json_t *ans = json_pack("{s:s,s:s,s:s,s:o,s:o,s:I,s:s,s:o}", "decision",
				d.allow ? "allow" : "deny", "reason", d.reason, "reason_code", d.code,
				"colour", jx_text_or_null(colour), "person", who, "at",
				(json_int_t)x.now, "direction", x.direction, "temperature",
				x.has_temp ? json_real((double)x.temp / 10.0) : json_null());
	if (!ans)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	/* A fever the guard saw that is not written on the person's record
	 * (not a resident here, or outside the caller's scope): the guard is
	 * told it went to the person's unit to confirm. */
	if (fever_held)
		json_object_set_new(ans, "held", json_true());
	/* The write and what answers it live in the request: the thread goes
	 * on to other connections while the batch commits (req_batch_then). */
	struct scan_wait *w = arena_alloc(&r->arena, sizeof *w);
	if (!w) {
		json_decref(ans);
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	}
	memset(w, 0, sizeof *w);
	w->job = (struct scan_job){
		.gate_id = x.gate_id, .unit_id = x.unit, .at = x.now,
		.person_id = x.anon ? 0 : x.person, .held_person = fever_held ? x.person : 0,
		.pass_id = x.pass, .temp = x.has_temp ? x.temp : 0, .user_id = r->who.user_id,
		.device_id = r->who.device_id, .direction = x.direction, .kind = x.kind,
		/* d is this function's: the job outlives it (the writer runs it
		 * after the handler has returned), so its reason is copied. */
		.decision = d.allow ? "allow" : "deny", .reason = arena_strdup(&r->arena, d.reason),
		.code = d.code,
		.colour = colour, .fever = fever_here,
		.mark = f->ident == GATE_ID_OK && !x.anon && x.has_temp && x.temp < x.fever_at &&
			!x.marked,
		.client_id = x.client_id,
	};
	memcpy(w->job.day, x.today, sizeof w->job.day);
	if (!w->job.reason) {
		json_decref(ans);
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	}
	char *text = json_dumps(ans, JX_DUMP_FLAGS);
	json_decref(ans);
	w->ans = text ? arena_strdup(&r->arena, text) : NULL;
	free(text);
	if (!w->ans)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	if (x.client_id) /* as answer_stored reads it back; the actor needs no escaping */
		w->job.stored = arena_printf(&r->arena,
					     "{\"gate_id\":%lld,\"actor\":\"%s\",\"answer\":%s}",
					     (long long)x.gate_id, actor(r), w->ans);
	if (x.client_id && !w->job.stored)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	return req_batch_then(r, scan_store, &w->job, scan_stored);
}

/* ---------- a gate's scans ---------- */

static json_t *scan_row(struct dbq *q)
{
	json_t *who = json_null();
	if (!db_null(q, 5)) {
		char masked[96] = "";
		if (db_text(q, 6))
			gates_mask_name(db_text(q, 6), masked, sizeof masked);
		who = json_string(masked);
	}
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "at", (json_int_t)db_int(q, 1), "day",
			 db_text(q, 2), "direction", db_text(q, 3), "pass_id", jx_col_int(q, 4),
			 "person_id", jx_col_int(q, 5), "person_name", who, "kind", db_text(q, 7),
			 "temperature",
			 db_null(q, 8) ? json_null() : json_real((double)db_int(q, 8) / 10.0),
			 "decision", db_text(q, 9), "reason", db_text(q, 10), "reason_code",
			 jx_text_or_null(db_text(q, 11)), "colour", jx_text_or_null(db_text(q, 12)),
			 "created_by", jx_col_int(q, 13), "device_id", jx_col_int(q, 14));
}

static const struct list_col scan_export[] = {
	{"id", "编号"},        {"at", "时间"},        {"direction", "方向"},
	{"person_name", "姓名"}, {"kind", "类别"},     {"temperature", "体温"},
	{"decision", "结果"},  {"reason", "原因"},    {"colour", "颜色"},
	{0, 0},
};

static int list_scans(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	struct page pg;
	if (!rc)
		rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *day = req_query(r, "day"), *decision = req_query(r, "decision");
	if (day && *day && day_valid(day))
		return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	if (decision && *decision && strcmp(decision, "allow") && strcmp(decision, "deny"))
		return err_set(&r->err, ERR_INVALID, "decision", "must be allow or deny");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	if ((rc = db_one_int(c, &unit, "SELECT unit_id FROM gates WHERE id = $1", "i", id)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such gate");
	if ((rc = scope_check(r, unit, 0, "gate")))
		return rc;
	/* Newest first along the (gate_id, at) index; the cursor is the last
	 * id seen, whose time bounds the next page. */
	int64_t upto = INT64_MAX;
	if (pg.after) {
		rc = db_one_int(c, &upto, "SELECT at FROM gate_scans WHERE id = $1 AND gate_id = $2",
				"ii", pg.after, id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "after", "not a cursor of this list");
	}
	int64_t from = INT64_MIN / 2, to = INT64_MAX;
	if (day && *day) {
		char next[DAY_LEN];
		day_add(day, 1, next);
		from = day_start(day);
		to = day_start(next) - 1;
	}
	if (to > upto)
		to = upto;
	static const char sql[] =
		"SELECT s.id, s.at, s.day, s.direction, s.pass_id, s.person_id, pe.name, s.kind,"
		" s.temperature, s.decision, s.reason, s.reason_code, s.colour, s.created_by,"
		" s.device_id FROM gate_scans s LEFT JOIN persons pe ON pe.id = s.person_id"
		" WHERE s.gate_id = $1 AND s.at >= $2 AND s.at <= $3 AND (s.at < $4 OR s.id < $5)"
		" AND ($6 = '' OR s.decision = $6) ORDER BY s.at DESC, s.id DESC LIMIT $7";
	struct dbq *q = db_query(c, sql, "iiiiiti", id, from, to, upto,
				 pg.after ? pg.after : INT64_MAX, decision ? decision : "",
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, scan_row, scan_export, "gate-scans");
}
