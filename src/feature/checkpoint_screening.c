/* Road and rail screening at the checkpoints (DOMAIN.md §2; see
 * checkpoints.h): a vehicle with its occupants or a train with its flagged
 * persons, their lists, the recent plates a field phone suggests and the
 * per-day counts the bulletin reports. The checkpoints themselves, their
 * rosters and duty are in checkpoints.c.
 *
 * Screening is the hottest write path after gate scans: a vehicle with its
 * occupants (or a train with its flagged persons) is validated and every
 * read it needs (the checkpoint and scope, origins and their grades, the
 * destination, the persons already registered, the fever threshold) is
 * done on the read connection; then one job of the group-commit writer
 * (db/batch.h) stores everything: the client id claimed in field_writes
 * (a retry finds it and gets the first answer), the vehicle or train row,
 * the persons registered or referred (people_upsert) with their arrivals
 * and fevers, one occupant_checks row per person, the day's counters in
 * checkpoint_days and the audit row. The answer is acknowledged only once
 * that batch is durable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/text.h"
#include "../db/batch.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "areas.h"
#include "checkpoints.h"
#include "checkpoints_internal.h"
#include "people.h"
#include "units.h"

static int post_vehicle(struct req *r);
static int list_vehicles(struct req *r);
static int post_train(struct req *r);
static int list_trains(struct req *r);
static int recent_plates(struct req *r);
static int get_counts(struct req *r);

static const struct route routes[] = {
	/* Batched routes keep their client ids in field_writes (not the
	 * router's idempotency table, which would take the write connection). */
	{"GET", "/api/v1/checkpoints/counts", get_counts, P_CHECKPOINTS_READ, 0, 0,
	 "vehicles, person trips, trains, fevers, referrals, registered per checkpoint and day"},
	{"GET", "/api/v1/checkpoints/recent-plates", recent_plates, P_CHECKPOINTS_READ, 0, 0,
	 "the last plates seen at a checkpoint, for suggestions"},
	{"POST", "/api/v1/checkpoints/{id}/vehicles", post_vehicle, P_CHECKPOINTS_WRITE, 0, 0,
	 "screen a vehicle and its occupants (group commit, retry-safe by client_id)"},
	{"GET", "/api/v1/checkpoints/{id}/vehicles", list_vehicles, P_CHECKPOINTS_READ, 0, 0,
	 "vehicles screened, newest first"},
	{"POST", "/api/v1/checkpoints/{id}/trains", post_train, P_CHECKPOINTS_WRITE, 0, 0,
	 "screen a train and its flagged persons (group commit, retry-safe by client_id)"},
	{"GET", "/api/v1/checkpoints/{id}/trains", list_trains, P_CHECKPOINTS_READ, 0, 0,
	 "trains screened, newest first"},
};
ROUTE_TABLE(checkpoint_screening_routes, routes);

/* ---------- screening: the input ---------- */

/* One person screened: an occupant of a vehicle or a flagged person of a
 * train. */
struct occ {
	/* as given, validated */
	const char *name, *doc_type, *origin, *arrival_date;
	int64_t dest_unit; /* 0: the vehicle's, else the checkpoint's unit */
	int tenths;
	char doc[40]; /* the normalised document number, "" when none */
	char ph[12];  /* the normalised phone, "" when none */
	/* prepared on the read connection */
	const char *origin_code, *origin_name; /* NULL: no origin known */
	char grade[16];
	const char *handling;
	int64_t rule_id;
	char day[DAY_LEN]; /* arrival day */
	int64_t unit;      /* where a person registered here goes */
	int located;
	const char *unit_name;
	enum disposition disp;
	int fever, identified, add_arrival;
	const char *reason;
	/* stored by the job */
	int64_t person_id, arrival_id, fever_id;
	int created;
	struct person_seen seen; /* held: registered outside the scope, not changed */
};

/* A vehicle or a train with its persons: the batch job's argument. */
struct screen {
	int train;
	struct cp cp;
	int64_t at, now;
	char day[DAY_LEN]; /* the counted day */
	/* vehicle */
	struct plate plate;
	const char *direction, *origin, *destination;
	const char *origin_code, *origin_name;
	int64_t dest_unit;
	const char *follow_up; /* checkpoints_follow_up */
	/* train */
	char train_no[16];
	int64_t arrival_at, persons;
	size_t n;
	struct occ *occ;
	int threshold;
	int fevers, referrals, registered;
	const char *client_id;
	int64_t user_id, device_id, scope_unit_id;
	const char *actor, *route, *path, *ip;
	/* the job's results */
	int64_t id;
	int replay;
	char stored_kind[16];
	char *answer; /* malloc'd JSON text */
	struct err_info ei;
};

/* Reads the client id of a field write: the body's client_id or the
 * Idempotency-Key header; required, so a retry is stored once. */
static int read_client_id(struct req *r, const char **out)
{
	int rc = jx_str(r, r->json, "client_id", 0, 128, out, NULL);
	if (rc)
		return rc;
	if (!*out || !**out) {
		const char *h = req_header(r, "Idempotency-Key");
		*out = h && *h && strlen(h) <= 128 ? h : NULL;
	}
	if (!*out)
		return err_set(&r->err, ERR_INVALID, "client_id",
			       "is required: a client-made id, so that a retry is stored once");
	return 0;
}

/* Reads a temperature in °C: required. */
static int read_temperature(struct req *r, json_t *o, int *tenths)
{
	json_t *v = json_object_get(o, "temperature");
	if (!v || json_is_null(v))
		return err_set(&r->err, ERR_INVALID, "temperature",
			       "is required: every person's temperature is taken (凡人必测)");
	if (!json_is_number(v))
		return err_set(&r->err, ERR_INVALID, "temperature",
			       "must be a number of °C, e.g. 36.5");
	if (checkpoints_temperature(json_number_value(v), tenths))
		return err_set(&r->err, ERR_INVALID, "temperature",
			       "must be a temperature in °C from 30.0 to 45.0, e.g. 36.5");
	return 0;
}

/* Reads arr (occupants or flagged persons) into j->occ, each validated;
 * errors name "<what>[i].field". */
static int read_persons(struct req *r, json_t *arr, const char *what, const char *today,
			struct screen *j)
{
	size_t n = json_array_size(arr);
	j->n = n;
	j->occ = n ? arena_alloc(&r->arena, n * sizeof *j->occ) : NULL;
	if (n && !j->occ)
		return ERR_NOMEM;
	if (n)
		memset(j->occ, 0, n * sizeof *j->occ);
	for (size_t i = 0; i < n; i++) {
		struct occ *o = &j->occ[i];
		char f[48];
		snprintf(f, sizeof f, "%s[%zu]", what, i);
		json_t *x = json_array_get(arr, i);
		if (!json_is_object(x))
			return err_set(&r->err, ERR_INVALID, f, "must be an object");
		const char *dt = NULL, *num = NULL, *phone = NULL;
		int rc = jx_str(r, x, "name", 0, 64, &o->name, NULL);
		if (!rc)
			rc = jx_str(r, x, "doc_type", 0, 32, &dt, NULL);
		if (!rc)
			rc = jx_str(r, x, "doc_number", 0, 40, &num, NULL);
		if (!rc)
			rc = jx_str(r, x, "phone", 0, 32, &phone, NULL);
		if (!rc)
			rc = read_temperature(r, x, &o->tenths);
		if (!rc)
			rc = jx_str(r, x, "origin", 0, 64, &o->origin, NULL);
		if (!rc)
			rc = jx_str(r, x, "arrival_date", 0, 10, &o->arrival_date, NULL);
		if (!rc && o->arrival_date && *o->arrival_date &&
		    (day_valid(o->arrival_date) || strcmp(o->arrival_date, today) > 0))
			rc = err_set(&r->err, ERR_INVALID, "arrival_date",
				     "must be a date YYYY-MM-DD, not in the future");
		if (!rc)
			rc = jx_id(r, x, "destination_unit_id", 0, 1, &o->dest_unit, NULL);
		if (!rc && dt && *dt && !people_doc_type_valid(dt))
			rc = err_set(&r->err, ERR_INVALID, "doc_type",
				     "must be resident_id, passport, hk_macao_permit, taiwan_permit or other");
		if (rc)
			return cp_prefix_field(&r->err, f, rc);
		if (o->name && !*o->name)
			o->name = NULL;
		if (o->origin && !*o->origin)
			o->origin = NULL;
		if (o->arrival_date && !*o->arrival_date)
			o->arrival_date = NULL;
		o->doc_type = dt && *dt ? dt : "resident_id";
		if (num && *num) {
			struct person_in p = {.doc_type = o->doc_type, .doc_number = num, .name = o->name,
					      .phone = phone && *phone ? phone : NULL};
			if ((rc = people_validate(&p, today, &r->err)) ||
			    (rc = people_doc_number(o->doc_type, num, today, o->doc, sizeof o->doc, NULL,
						    "doc_number", &r->err)))
				return cp_prefix_field(&r->err, f, rc);
			for (size_t k = 0; k < i; k++)
				if (!strcmp(j->occ[k].doc, o->doc) &&
				    !strcmp(j->occ[k].doc_type, o->doc_type)) {
					err_set(&r->err, ERR_INVALID, "doc_number",
						"is the same document as %s[%zu]", what, k);
					return cp_prefix_field(&r->err, f, ERR_INVALID);
				}
		}
		if (phone && *phone && (rc = people_phone(phone, o->ph, "phone", &r->err)))
			return cp_prefix_field(&r->err, f, rc);
	}
	return 0;
}

/* ---------- screening: the reads before the write ---------- */

static const char *handling_words(const char *h)
{
	if (!h)
		return "";
	return !strcmp(h, "centralized") ? "centralized quarantine"
	       : !strcmp(h, "home")      ? "home isolation"
					 : "monitoring";
}

/* The disposition's reason, in words a checkpoint worker acts on. */
static const char *reason_of(struct req *r, const struct screen *j, const struct occ *o)
{
	switch (o->disp) {
	case DISP_REFERRAL:
		return arena_printf(&r->arena, "fever %.1f °C (%.1f or more): refer to a fever clinic%s",
				    o->tenths / 10.0, j->threshold / 10.0,
				    o->identified ? ", fever recorded"
				    : o->doc[0]   ? ", not in the registry and no name: no fever record"
						  : ", no document: no fever record");
	case DISP_REGISTERED:
		if (!o->doc[0])
			return arena_printf(&r->arena,
					    "arrival from %s (%s) without a document: registered by name"
					    " and phone, handed to %s for %s",
					    o->origin_name, o->grade, o->unit_name,
					    handling_words(o->handling));
		return arena_printf(&r->arena, "arrival from %s (%s): registered, handed to %s for %s",
				    o->origin_name, o->grade, o->unit_name, handling_words(o->handling));
	default:
		return "temperature normal";
	}
}

/* Resolves an origin text, reusing what earlier persons resolved: 0 with
 * *code and *name (arena), ERR_INVALID naming field when unknown. */
static int origin_of(struct req *r, struct dbc *c, struct screen *j, size_t upto, const char *text,
		     const char *field, const char **code, const char **name)
{
	for (size_t k = 0; k < upto; k++)
		if (j->occ[k].origin && !strcmp(j->occ[k].origin, text)) {
			*code = j->occ[k].origin_code;
			*name = j->occ[k].origin_name;
			return 0;
		}
	char cd[7], nm[64];
	int rc = areas_resolve(c, text, cd, nm);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, field,
			       "\"%s\" is not a known place (a GB/T 2260 code or name)", text);
	*code = arena_strdup(&r->arena, cd);
	*name = arena_strdup(&r->arena, nm);
	return *code && *name ? 0 : ERR_NOMEM;
}

/* Everything the job needs that is read, on the read connection: origins
 * and their grades, destinations, the threshold, and who is already in the
 * registry; then each person's disposition. */
static int prepare(struct req *r, struct dbc *c, struct screen *j, const char *what)
{
	j->threshold = (int)settings_int(c, "fever_threshold_tenths");
	int rc;
	if (j->origin && (rc = origin_of(r, c, j, 0, j->origin, "origin", &j->origin_code,
					 &j->origin_name)))
		return rc;
	char kind[32], uname[128];
	if (j->dest_unit) {
		if ((rc = cp_unit_info(c, j->dest_unit, kind, NULL, 0)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "destination_unit_id", "no such unit");
	}
	for (size_t i = 0; i < j->n; i++) {
		struct occ *o = &j->occ[i];
		char f[96];
		snprintf(f, sizeof f, "%s[%zu].origin", what, i);
		if (o->origin) {
			if ((rc = origin_of(r, c, j, i, o->origin, f, &o->origin_code, &o->origin_name)))
				return rc;
		} else if (j->origin_code) {
			o->origin_code = j->origin_code;
			o->origin_name = j->origin_name;
		}
		snprintf(o->day, sizeof o->day, "%s", o->arrival_date ? o->arrival_date : j->day);
		if (o->origin_code) {
			size_t k;
			for (k = 0; k < i; k++)
				if (j->occ[k].origin_code && !strcmp(j->occ[k].origin_code, o->origin_code) &&
				    !strcmp(j->occ[k].day, o->day))
					break;
			if (k < i) {
				memcpy(o->grade, j->occ[k].grade, sizeof o->grade);
				o->handling = j->occ[k].handling;
				o->rule_id = j->occ[k].rule_id;
			} else if ((rc = areas_grade_of(c, o->origin_code, o->day, o->grade, &o->handling,
							&o->rule_id))) {
				return rc;
			}
		}
		o->unit = o->dest_unit ? o->dest_unit : j->dest_unit ? j->dest_unit : j->cp.unit_id;
		size_t k;
		for (k = 0; k < i; k++)
			if (j->occ[k].unit == o->unit)
				break;
		if (k < i) {
			o->located = j->occ[k].located;
			o->unit_name = j->occ[k].unit_name;
		} else {
			if ((rc = cp_unit_info(c, o->unit, kind, uname, sizeof uname)) < 0)
				return rc;
			if (rc == 0) {
				snprintf(f, sizeof f, "%s[%zu].destination_unit_id", what, i);
				return err_set(&r->err, ERR_INVALID, f, "no such unit");
			}
			o->located = !strcmp(kind, "compound") || !strcmp(kind, "building");
			o->unit_name = arena_strdup(&r->arena, uname);
			if (!o->unit_name)
				return ERR_NOMEM;
		}
		o->fever = o->tenths >= j->threshold;
		o->disp = checkpoints_disposition(o->tenths, j->threshold,
						  o->origin_code ? o->grade : NULL, o->doc[0] != 0,
						  o->name && o->ph[0]);
		if (o->disp == DISP_HOLD) {
			/* Not passed: people from graded areas are registered and
			 * handed to their community, so the worker takes down a
			 * name and phone at least before the vehicle goes on. */
			snprintf(f, sizeof f, "%s[%zu].%s", what, i, o->name ? "phone" : "name");
			return err_set(&r->err, ERR_RULE, f,
				       "an arrival from %s (%s) without a document is held until"
				       " registered: take down a name and phone at least",
				       o->origin_name, o->grade);
		}
		if (o->doc[0] && o->disp != DISP_PASS) {
			/* A person is identified by a document: one already in the
			 * registry, or a new one with a name. */
			struct person_found pf;
			rc = people_find(c, o->doc_type, o->doc, 0, &pf);
			if (rc < 0)
				return rc;
			if (rc == 1 || o->name)
				o->identified = 1;
			else if (o->disp == DISP_REGISTERED) {
				snprintf(f, sizeof f, "%s[%zu].name", what, i);
				return err_set(&r->err, ERR_INVALID, f,
					       "is required to register a person not yet in the registry");
			}
		}
		/* An identified person from a graded area has their arrival
		 * recorded, referred or not. */
		o->add_arrival = o->identified && o->origin_code && checkpoints_grade_registers(o->grade);
		if (!(o->reason = reason_of(r, j, o)))
			return ERR_NOMEM;
		j->fevers += o->fever;
		j->referrals += o->disp == DISP_REFERRAL;
		j->registered += o->disp == DISP_REGISTERED;
	}
	return 0;
}

/* ---------- screening: the write (a group-commit job) ---------- */

static json_t *occ_json(const struct occ *o)
{
	char doc[64] = "", ph[24] = "", why[512];
	const char *reason = o->reason;
	if (o->seen.held) {
		snprintf(why, sizeof why, "%s; registered in another area: what was seen is handed to"
			 " their unit to confirm", o->reason);
		reason = why;
	} else if (o->seen.kind) {
		snprintf(why, sizeof why, "%s; the registry holds another name: handed to their"
			 " unit to confirm", o->reason);
		reason = why;
	}
	if (o->doc[0])
		people_mask_doc(o->doc_type, o->doc, doc, sizeof doc);
	if (o->ph[0])
		people_mask_phone(o->ph, ph, sizeof ph);
#define ID_OR_NULL(x) ((x) ? json_integer(x) : json_null())
	json_t *x = json_pack(
		"{s:o,s:o,s:o,s:o,s:f,s:b,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:s,s:o,s:b,s:o,s:o}",
		"name", jx_text_or_null(o->name), "doc_type",
		o->doc[0] ? json_string(o->doc_type) : json_null(), "doc_number",
		doc[0] ? json_string(doc) : json_null(), "phone",
		ph[0] ? json_string(ph) : json_null(), "temperature", o->tenths / 10.0, "fever",
		o->fever, "disposition", checkpoints_disposition_name(o->disp), "reason", reason,
		"origin_code", jx_text_or_null(o->origin_code), "origin_name",
		jx_text_or_null(o->origin_name), "grade",
		o->origin_code ? json_string(o->grade) : json_null(), "handling",
		o->origin_code ? json_string(o->handling) : json_null(), "arrival_date",
		o->origin_code ? json_string(o->day) : json_null(), "destination_unit_id",
		(json_int_t)o->unit, "destination_unit_name", o->unit_name, "person_id",
		ID_OR_NULL(o->person_id), "person_created", o->created, "arrival_id",
		ID_OR_NULL(o->arrival_id), "fever_id", ID_OR_NULL(o->fever_id));
	if (x) {
		json_object_set_new(x, "held", json_boolean(o->seen.held));
		json_object_set_new(x, "discrepancy_id", ID_OR_NULL(o->seen.discrepancy_id));
		json_object_set_new(x, "discrepancy_kind", jx_text_or_null(o->seen.kind));
	}
	return x;
}

/* The first answer to a screening, kept in field_writes for retries. */
static json_t *screen_answer(const struct screen *j)
{
	json_t *persons = json_array();
	for (size_t i = 0; i < j->n; i++)
		json_array_append_new(persons, occ_json(&j->occ[i]));
	json_t *o = json_pack("{s:I,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:o,s:o}", "id",
			      (json_int_t)j->id, "kind", j->train ? "train" : "vehicle",
			      "checkpoint_id", (json_int_t)j->cp.id, "at", (json_int_t)j->at, "day",
			      j->day, "fevers", (json_int_t)j->fevers, "referrals",
			      (json_int_t)j->referrals, "registered", (json_int_t)j->registered,
			      "created_by", ID_OR_NULL(j->user_id), "device_id",
			      ID_OR_NULL(j->device_id));
	if (!o) {
		json_decref(persons);
		return NULL;
	}
	if (j->train) {
		json_object_set_new(o, "train_no", json_string(j->train_no));
		json_object_set_new(o, "arrival_at", json_integer(j->arrival_at));
		json_object_set_new(o, "persons", json_integer(j->persons));
		json_object_set_new(o, "flagged", persons);
	} else {
		json_object_set_new(o, "plate", json_string(j->plate.number));
		json_object_set_new(o, "plate_province", json_string(j->plate.province));
		json_object_set_new(o, "plate_province_code", json_string(j->plate.province_code));
		json_object_set_new(o, "new_energy", json_boolean(j->plate.new_energy));
		json_object_set_new(o, "direction", json_string(j->direction));
		json_object_set_new(o, "origin_code", jx_text_or_null(j->origin_code));
		json_object_set_new(o, "origin_name", jx_text_or_null(j->origin_name));
		json_object_set_new(o, "destination", jx_text_or_null(j->destination));
		json_object_set_new(o, "destination_unit_id", ID_OR_NULL(j->dest_unit));
		json_object_set_new(o, "follow_up", jx_text_or_null(j->follow_up));
		json_object_set_new(o, "occupants", persons);
	}
	return o;
#undef ID_OR_NULL
}

/* One person's registry writes and screening row. */
static int store_person(struct dbc *c, struct screen *j, size_t i)
{
	static const char unit_sql[] = "SELECT unit_id FROM persons WHERE id = $1";
	struct occ *o = &j->occ[i];
	int rc;
	if (o->identified) {
		struct person_in p = {.doc_type = o->doc_type,
				      .doc_number = o->doc,
				      .name = o->name,
				      .phone = o->ph[0] ? o->ph : NULL,
				      .unit_id = o->unit,
				      .located = o->located,
				      .source = "checkpoint",
				      .source_id = j->id,
				      .scope_unit_id = j->scope_unit_id,
				      .seen = &o->seen};
		/* A destination is where they go, not where they live: someone
		 * already found in their compound is not moved. Someone registered
		 * outside the caller's scope is not changed at all: what was seen
		 * (name, phone, temperature, arrival) goes to their unit. */
		o->seen = (struct person_seen){.seen_by = j->user_id,
					       .device_id = j->device_id,
					       .seen_unit_id = j->cp.unit_id,
					       .at = j->at,
					       .tenths = o->tenths,
					       .fever = o->fever,
					       .origin_code = o->add_arrival ? o->origin_code : NULL,
					       .arrival_date = o->day,
					       .mode = j->train ? "train" : "car",
					       .trip = 1};
		if ((rc = people_upsert(c, &p, j->now, &o->person_id, &o->created, &j->ei)))
			return rc;
		if (o->seen.held)
			o->person_id = 0;
		if (o->add_arrival && !o->seen.held) {
			/* Counted where the person is: a resident already found
			 * in their compound stays there. */
			int64_t unit = o->unit;
			if ((rc = db_one_int(c, &unit, unit_sql, "i", o->person_id)) != 1)
				return rc < 0 ? rc : ERR_DB;
			struct arrival_grade g = {.code = o->origin_code,
						  .name = o->origin_name,
						  .grade = o->grade,
						  .handling = o->handling,
						  .rule_id = o->rule_id};
			if ((rc = people_add_arrival_graded(c, o->person_id, unit, &g, o->day,
							    j->train ? "train" : "car", "checkpoint",
							    j->id, j->now, &o->arrival_id, &j->ei)))
				return rc;
		}
		if (o->fever && !o->seen.held) {
			rc = PEOPLE_INSERT_ID(c, &o->fever_id,
					      "INSERT INTO fevers(person_id, at, temperature, source,"
					      " source_id) VALUES ($1, $2, $3, 'checkpoint', $4)",
					      "iiii", o->person_id, j->at, (int64_t)o->tenths, j->cp.id);
			if (rc != 1)
				return rc < 0 ? rc : ERR_DB;
		}
	}
	int64_t n = db_run(
		c,
		"INSERT INTO occupant_checks(checkpoint_id, vehicle_check_id, train_check_id, at, name,"
		" doc_type, doc_number, phone, person_id, temperature, disposition, origin_code,"
		" destination_unit_id, arrival_id)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
		"iIIitttt" "IittII", j->cp.id, j->train ? 0 : j->id, j->train ? j->id : 0, j->at,
		o->name, o->doc[0] ? o->doc_type : NULL, o->doc[0] ? o->doc : NULL,
		o->ph[0] ? o->ph : NULL, o->person_id, (int64_t)o->tenths,
		checkpoints_disposition_name(o->disp), o->origin_code,
		o->disp == DISP_PASS ? 0 : o->unit, o->arrival_id);
	return n < 0 ? (int)n : 0;
}

static int screen_job(struct dbc *c, void *arg)
{
	struct screen *j = arg;
	/* A job may run twice (its batch failed and each job is re-run
	 * alone): start from nothing. */
	free(j->answer);
	j->answer = NULL;
	j->replay = 0;
	j->id = 0;
	err_clear(&j->ei);
	for (size_t i = 0; i < j->n; i++) {
		j->occ[i].person_id = j->occ[i].arrival_id = j->occ[i].fever_id = 0;
		j->occ[i].created = 0;
		memset(&j->occ[i].seen, 0, sizeof j->occ[i].seen);
	}
	const char *kind = j->train ? "train" : "vehicle";
	/* Claim the client id; a retry finds the first answer. */
	int64_t n = db_run(c,
			   "INSERT INTO field_writes(client_id, kind, record_id, at, answer)"
			   " VALUES ($1, $2, 0, $3, '') ON CONFLICT (client_id) DO NOTHING",
			   "tti", j->client_id, kind, j->now);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		struct dbq *q = db_query(c, "SELECT kind, answer FROM field_writes WHERE client_id = $1",
					 "t", j->client_id);
		if (!q)
			return ERR_DB;
		int rc = db_step(q);
		if (rc == 1) {
			j->replay = 1;
			snprintf(j->stored_kind, sizeof j->stored_kind, "%s", db_text(q, 0));
			j->answer = strdup(db_text(q, 1));
		}
		db_done(q);
		if (rc != 1)
			return rc < 0 ? rc : ERR_DB;
		return j->answer ? 0 : ERR_NOMEM;
	}
	int rc;
	if (j->train)
		rc = PEOPLE_INSERT_ID(c, &j->id,
				      "INSERT INTO train_checks(checkpoint_id, at, day, train_no, arrival_at,"
				      " persons, flagged, created_by, device_id)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				      "iittiiiII", j->cp.id, j->at, j->day, j->train_no, j->arrival_at,
				      j->persons, (int64_t)j->n, j->user_id, j->device_id);
	else
		rc = PEOPLE_INSERT_ID(c, &j->id,
				      "INSERT INTO vehicle_checks(checkpoint_id, at, day, plate,"
				      " plate_province, direction, origin_code, destination,"
				      " destination_unit_id, occupants, fevers, registered, created_by,"
				      " device_id, follow_up) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
				      " $10, $11, $12, $13, $14, $15)",
				      "iitttttt" "IiiiIIt", j->cp.id, j->at, j->day, j->plate.number,
				      j->plate.province, j->direction, j->origin_code, j->destination,
				      j->dest_unit, (int64_t)j->n, (int64_t)j->fevers,
				      (int64_t)j->registered, j->user_id, j->device_id, j->follow_up);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	for (size_t i = 0; i < j->n; i++) {
		if ((rc = store_person(c, j, i))) {
			char f[48];
			snprintf(f, sizeof f, "%s[%zu]", j->train ? "flagged" : "occupants", i);
			return cp_prefix_field(&j->ei, f, rc);
		}
	}
	n = db_run(c,
		   "INSERT INTO checkpoint_days(checkpoint_id, day, vehicles, person_trips, trains,"
		   " fevers, referrals, registered) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		   " ON CONFLICT (checkpoint_id, day) DO UPDATE SET"
		   " vehicles = checkpoint_days.vehicles + excluded.vehicles,"
		   " person_trips = checkpoint_days.person_trips + excluded.person_trips,"
		   " trains = checkpoint_days.trains + excluded.trains,"
		   " fevers = checkpoint_days.fevers + excluded.fevers,"
		   " referrals = checkpoint_days.referrals + excluded.referrals,"
		   " registered = checkpoint_days.registered + excluded.registered",
		   "itiiiiii", j->cp.id, j->day, (int64_t)(j->train ? 0 : 1),
		   j->train ? j->persons : (int64_t)j->n, (int64_t)(j->train ? 1 : 0),
		   (int64_t)j->fevers, (int64_t)j->referrals, (int64_t)j->registered);
	if (n < 0)
		return (int)n;
	/* The audit row the router writes for other writes. */
	n = db_run(c,
		   "INSERT INTO audit_log(at, user_id, device_id, actor, method, route, path, status,"
		   " record_type, record_id, action, detail, ip)"
		   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
		   "iIIttttitItt" "t", j->now, j->user_id, j->device_id, j->actor, "POST", j->route,
		   j->path, (int64_t)201, j->train ? "train_check" : "vehicle_check", j->id, "write",
		   NULL, j->ip);
	if (n < 0)
		return (int)n;
	json_t *a = screen_answer(j);
	j->answer = a ? json_dumps(a, JX_DUMP_FLAGS) : NULL;
	json_decref(a);
	if (!j->answer)
		return ERR_NOMEM;
	n = db_run(c, "UPDATE field_writes SET record_id = $2, answer = $3 WHERE client_id = $1",
		   "tit", j->client_id, j->id, j->answer);
	return n < 0 ? (int)n : 0;
}

/* Answers a retry with the first answer, if it was this principal's
 * screening of this kind at this checkpoint; else 409. Frees nothing. */
static int replay_answer(struct req *r, const struct screen *j, const char *stored_kind,
			 const char *answer)
{
	const char *kind = j->train ? "train" : "vehicle";
	if (strcmp(stored_kind, kind) != 0)
		return err_set(&r->err, ERR_CONFLICT, "client_id",
			       "this client id was already used for another kind of record");
	json_t *a = json_loads(answer, 0, NULL);
	if (!a)
		return err_set(&r->err, ERR_INTERNAL, "", "the first answer cannot be read");
	json_t *by = json_object_get(a, "created_by"), *dev = json_object_get(a, "device_id");
	if (json_integer_value(json_object_get(a, "checkpoint_id")) != j->cp.id ||
	    (json_is_integer(by) ? json_integer_value(by) : 0) != j->user_id ||
	    (json_is_integer(dev) ? json_integer_value(dev) : 0) != j->device_id) {
		json_decref(a);
		return err_set(&r->err, ERR_CONFLICT, "client_id",
			       "this client id was already used by someone else or elsewhere");
	}
	r->no_audit = 1;
	r->replayed = 1; /* Idempotent-Replay: true, as the router's own replays */
	return resp_json(r, 201, a);
}

/* A screening's batch is durable (rc 0) or failed: the answer. Frees what
 * the job holds in every case. */
static int screen_stored(struct req *r, void *arg, int rc)
{
	struct screen *j = arg;
	char *answer = j->answer;
	j->answer = NULL;
	if (rc) {
		free(answer);
		if (j->ei.message[0] || j->ei.field[0])
			r->err = j->ei;
		return rc;
	}
	if (j->replay) {
		rc = replay_answer(r, j, j->stored_kind, answer);
		free(answer);
		return rc;
	}
	json_t *a = json_loads(answer, 0, NULL);
	free(answer);
	if (!a)
		return ERR_NOMEM;
	return resp_json(r, 201, a);
}

/* The part of both screenings after their own fields: the checkpoint and
 * scope, the replay of a retry, the reads, then the batch job. */
static int screen_run(struct req *r, struct screen *j, const char *kind, const char *what)
{
	struct dbc *c = req_reader(r);
	if (!c)
		return ERR_DB;
	int rc = cp_param(r, c, 1, &j->cp);
	if (rc)
		return rc;
	if (strcmp(j->cp.kind, kind) != 0)
		return err_set(&r->err, ERR_RULE, "",
			       "%s is a %s checkpoint: it screens %s", j->cp.name, j->cp.kind,
			       strcmp(j->cp.kind, "road") ? "trains" : "vehicles");
	j->user_id = r->who.user_id;
	j->scope_unit_id = r->who.scope_unit_id;
	j->device_id = r->who.device_id;
	/* A retry of a stored screening: the first answer, nothing stored. */
	struct dbq *q = db_query(c, "SELECT kind, answer FROM field_writes WHERE client_id = $1",
				 "t", j->client_id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	char skind[16] = "";
	char *answer = NULL;
	if (rc == 1) {
		snprintf(skind, sizeof skind, "%s", db_text(q, 0));
		answer = arena_strdup(&r->arena, db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 1 && answer && *answer)
		return replay_answer(r, j, skind, answer);
	if ((rc = prepare(r, c, j, what)))
		return rc;
	if (!j->train) {
		int stated = j->origin_code != NULL;
		for (size_t i = 0; i < j->n && !stated; i++)
			stated = j->occ[i].origin_code != NULL;
		j->follow_up = checkpoints_follow_up(j->direction, j->plate.province_code, stated);
	}
	j->actor = r->authed ? r->who.username : "-";
	j->route = r->route->pattern;
	j->path = r->path;
	j->ip = req_ip(r);
	/* The thread serves other connections while the batch commits. */
	return req_batch_then(r, screen_job, j, screen_stored);
}

static struct screen *screen_new(struct req *r)
{
	struct screen *j = arena_alloc(&r->arena, sizeof *j);
	if (j) {
		memset(j, 0, sizeof *j);
		j->now = clock_now();
		j->at = j->now;
	}
	return j;
}

static int post_vehicle(struct req *r)
{
	struct screen *j = screen_new(r);
	if (!j)
		return ERR_NOMEM;
	char today[DAY_LEN];
	clock_day(j->now, today);
	const char *plate = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "plate", 1, 16, &plate, NULL);
	if (!rc)
		rc = checkpoints_plate(plate, &j->plate, "plate", &r->err);
	if (!rc)
		rc = jx_str(r, r->json, "direction", 1, 3, &j->direction, NULL);
	if (!rc && strcmp(j->direction, "in") && strcmp(j->direction, "out"))
		rc = err_set(&r->err, ERR_INVALID, "direction", "must be in or out");
	if (!rc)
		rc = jx_str(r, r->json, "origin", 0, 64, &j->origin, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "destination", 0, 100, &j->destination, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "destination_unit_id", 0, 1, &j->dest_unit, NULL);
	/* An entry queued offline carries the time it was made. */
	if (!rc)
		rc = jx_int(r, r->json, "at", 0, j->now - OFFLINE_SECONDS, j->now + AHEAD_SECONDS,
			    &j->at, NULL);
	if (!rc)
		rc = read_client_id(r, &j->client_id);
	if (rc)
		return rc;
	if (j->origin && !*j->origin)
		j->origin = NULL;
	if (j->destination && !*j->destination)
		j->destination = NULL;
	json_t *arr = json_object_get(r->json, "occupants");
	if (!arr || json_is_null(arr))
		return err_set(&r->err, ERR_INVALID, "occupants",
			       "is required: every person in the vehicle, the driver first");
	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > MAX_OCCUPANTS)
		return err_set(&r->err, ERR_INVALID, "occupants", "must be a list of 1 to %d persons",
			       MAX_OCCUPANTS);
	if ((rc = read_persons(r, arr, "occupants", today, j)))
		return rc;
	clock_day(j->at, j->day);
	return screen_run(r, j, "road", "occupants");
}

static int post_train(struct req *r)
{
	struct screen *j = screen_new(r);
	if (!j)
		return ERR_NOMEM;
	j->train = 1;
	char today[DAY_LEN];
	clock_day(j->now, today);
	const char *train_no = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "train_no", 1, 16, &train_no, NULL);
	if (!rc && checkpoints_train_no(train_no, j->train_no))
		rc = err_set(&r->err, ERR_INVALID, "train_no",
			     "must be a train number such as K1234, G85 or 7501");
	if (!rc)
		rc = jx_int(r, r->json, "arrival_at", 1, j->now - OFFLINE_SECONDS,
			    j->now + AHEAD_SECONDS, &j->arrival_at, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "persons", 1, 0, MAX_TRAIN_PERSONS, &j->persons, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "at", 0, j->now - OFFLINE_SECONDS, j->now + AHEAD_SECONDS,
			    &j->at, NULL);
	if (!rc)
		rc = read_client_id(r, &j->client_id);
	if (rc)
		return rc;
	json_t *arr = json_object_get(r->json, "flagged");
	if (arr && !json_is_null(arr)) {
		if (!json_is_array(arr) || json_array_size(arr) > MAX_FLAGGED)
			return err_set(&r->err, ERR_INVALID, "flagged", "must be a list of at most %d persons",
				       MAX_FLAGGED);
		if ((rc = read_persons(r, arr, "flagged", today, j)))
			return rc;
	}
	if ((int64_t)j->n > j->persons)
		return err_set(&r->err, ERR_INVALID, "persons",
			       "must be at least the %zu persons flagged", j->n);
	/* The station counts a train on the day it arrived. */
	clock_day(j->arrival_at, j->day);
	return screen_run(r, j, "rail", "flagged");
}

/* ---------- lists of screenings ---------- */

#define VEHICLE_COLS                                                                        \
	"SELECT v.id, v.checkpoint_id, v.at, v.day, v.plate, v.plate_province, v.direction,"   \
	" v.origin_code, dv.name, v.destination, v.destination_unit_id, u.name, v.occupants,"   \
	" v.fevers, v.registered, v.created_by, v.device_id, v.follow_up FROM vehicle_checks v"  \
	" LEFT JOIN divisions dv ON dv.code = v.origin_code"                                    \
	" LEFT JOIN units u ON u.id = v.destination_unit_id"

static json_t *vehicle_row(struct dbq *q)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:o,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:I,s:o,s:o}",
			 "id", (json_int_t)db_int(q, 0), "checkpoint_id", (json_int_t)db_int(q, 1),
			 "at", (json_int_t)db_int(q, 2), "time", cp_time_text(db_int(q, 2)), "day",
			 db_text(q, 3), "plate", db_text(q, 4), "plate_province", db_text(q, 5),
			 "direction", db_text(q, 6), "origin_code", jx_text_or_null(db_text(q, 7)),
			 "origin_name", jx_text_or_null(db_text(q, 8)), "destination",
			 jx_text_or_null(db_text(q, 9)), "destination_unit_id", jx_col_int(q, 10),
			 "destination_unit_name", jx_text_or_null(db_text(q, 11)), "occupants",
			 (json_int_t)db_int(q, 12), "fevers", (json_int_t)db_int(q, 13), "registered",
			 (json_int_t)db_int(q, 14), "created_by", jx_col_int(q, 15), "device_id",
			 jx_col_int(q, 16));
	if (o)
		json_object_set_new(o, "follow_up", jx_text_or_null(db_text(q, 17)));
	return o;
}

static const struct list_col vehicle_export[] = {
	{"id", "编号"},          {"time", "检查时间"},   {"plate", "车牌号"},
	{"plate_province", "车牌归属地"}, {"direction", "方向"}, {"origin_name", "来源地"},
	{"destination", "目的地"}, {"destination_unit_name", "目的社区"},
	{"occupants", "人数"},   {"fevers", "发热人数"}, {"registered", "登记人数"},
	{0, 0},
};

/* The paging and ?day= of a screening list: $1 checkpoint, $2 cursor (ids
 * below it: newest first), $3 and $4 the day's instants. */
static int list_vehicles(struct req *r)
{
	/* Without a day: walk ids backwards ("+" keeps SQLite off the
	 * checkpoint index); with one: the (checkpoint, at) index. */
	static const char all_sql[] =
		VEHICLE_COLS " WHERE +v.checkpoint_id = $1 AND ($2 = 0 OR v.id < $2) AND $3 = 0"
		" AND $4 = 0 ORDER BY v.id DESC LIMIT $5";
	static const char day_sql[] =
		VEHICLE_COLS " WHERE v.checkpoint_id = $1 AND ($2 = 0 OR v.id < $2) AND v.at >= $3"
		" AND v.at < $4 ORDER BY v.id DESC LIMIT $5";
	static const char plate_sql[] =
		VEHICLE_COLS " WHERE v.plate = $6 AND v.checkpoint_id = $1 AND ($2 = 0 OR v.id < $2)"
		" AND v.at >= $3 AND v.at < $4 ORDER BY v.id DESC LIMIT $5";
	struct page pg;
	char day[DAY_LEN], next[DAY_LEN];
	int rc = req_page(r, &pg);
	if (!rc)
		rc = cp_query_day(r, "day", NULL, day);
	if (rc)
		return rc;
	struct plate plate;
	const char *ptext = req_query(r, "plate");
	if (ptext && *ptext && (rc = checkpoints_plate(ptext, &plate, "plate", &r->err)))
		return rc;
	int64_t lo = 0, hi = 0;
	if (*day) {
		day_add(day, 1, next);
		lo = day_start(day);
		hi = day_start(next);
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 0, &cp)))
		return rc;
	struct dbq *q;
	if (ptext && *ptext)
		q = db_query(c, plate_sql, "iiiiit", cp.id, pg.after, lo, *day ? hi : INT64_MAX,
			     pg.limit + 1, plate.number);
	else
		q = db_query(c, *day ? day_sql : all_sql, "iiiii", cp.id, pg.after, lo, hi,
			     pg.limit + 1);
	return resp_query_list(r, &pg, q, vehicle_row, vehicle_export, "vehicles");
}

static json_t *train_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:o,s:s,s:s,s:I,s:o,s:I,s:I,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "checkpoint_id", (json_int_t)db_int(q, 1), "at",
			 (json_int_t)db_int(q, 2), "time", cp_time_text(db_int(q, 2)), "day",
			 db_text(q, 3), "train_no", db_text(q, 4), "arrival_at",
			 (json_int_t)db_int(q, 5), "arrival_time", cp_time_text(db_int(q, 5)),
			 "persons", (json_int_t)db_int(q, 6), "flagged", (json_int_t)db_int(q, 7),
			 "created_by", jx_col_int(q, 8), "device_id", jx_col_int(q, 9));
}

static const struct list_col train_export[] = {
	{"id", "编号"},          {"day", "日期"},         {"train_no", "车次"},
	{"arrival_time", "到站时间"}, {"persons", "检测人数"}, {"flagged", "重点人员"},
	{0, 0},
};

static int list_trains(struct req *r)
{
	static const char sql[] =
		"SELECT t.id, t.checkpoint_id, t.at, t.day, t.train_no, t.arrival_at, t.persons,"
		" t.flagged, t.created_by, t.device_id FROM train_checks t"
		" WHERE t.checkpoint_id = $1 AND ($2 = 0 OR t.id < $2) AND ($3 = '' OR t.day = $3)"
		" ORDER BY t.id DESC LIMIT $4";
	struct page pg;
	char day[DAY_LEN];
	int rc = req_page(r, &pg);
	if (!rc)
		rc = cp_query_day(r, "day", NULL, day);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 0, &cp)))
		return rc;
	struct dbq *q = db_query(c, sql, "iiti", cp.id, pg.after, day, pg.limit + 1);
	return resp_query_list(r, &pg, q, train_row, train_export, "trains");
}

/* ---------- recent plates ---------- */

static int recent_plates(struct req *r)
{
	/* The latest 2000 screenings there, grouped by plate: a bounded walk
	 * of the (checkpoint, at) index however long the checkpoint runs. */
	static const char sql[] =
		"SELECT plate, MAX(at) AS last_at, COUNT(*), MAX(id) AS last_id FROM (SELECT id, plate, at"
		" FROM vehicle_checks WHERE checkpoint_id = $1 ORDER BY at DESC, id DESC LIMIT 2000) x"
		" WHERE $3 = 0 OR substr(plate, 1, CAST($3 AS INTEGER)) = $2"
		" GROUP BY plate ORDER BY last_at DESC, last_id DESC LIMIT $4";
	int64_t id = 0, limit = 10;
	int rc = req_query_int(r, "checkpoint_id", 1, INT64_MAX, 0, &id);
	if (!rc)
		rc = req_query_int(r, "limit", 1, 50, 10, &limit);
	if (rc)
		return rc;
	if (!id)
		return err_set(&r->err, ERR_INVALID, "checkpoint_id", "is required");
	/* The prefix as plates are stored: upper case, no spaces or dots. */
	const char *p = req_query(r, "prefix");
	char prefix[64];
	size_t n = 0;
	int64_t chars = 0;
	for (; p && *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '\t')
			continue;
		if (n + 1 >= sizeof prefix)
			return err_set(&r->err, ERR_INVALID, "prefix", "is too long for a plate");
		prefix[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
	}
	prefix[n] = 0;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_load(r, c, id, 0, &cp)))
		return rc;
	struct dbq *q = db_query(c, sql, "itii", cp.id, prefix, chars, limit);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	while ((rc = db_step(q)) == 1)
		json_array_append_new(items, json_pack("{s:s,s:I,s:I}", "plate", db_text(q, 0),
						       "last_at", (json_int_t)db_int(q, 1), "times",
						       (json_int_t)db_int(q, 2)));
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_json(r, 200, json_pack("{s:o}", "items", items));
}

/* ---------- counts: the bulletin's checkpoint figures ---------- */

enum { C_VEHICLES, C_TRIPS, C_TRAINS, C_FEVERS, C_REFERRALS, C_REGISTERED, C_N };
static const char *const count_keys[C_N] = {"vehicles", "person_trips", "trains",
					     "fevers",   "referrals",    "registered"};

static json_t *counts_json(const int64_t *v)
{
	json_t *o = json_object();
	for (int i = 0; i < C_N; i++)
		json_object_set_new(o, count_keys[i], json_integer(v[i]));
	return o;
}

static const struct list_col counts_export[] = {
	{"day", "日期"},         {"code", "卡点代码"},   {"name", "卡点"},
	{"kind", "类型"},        {"vehicles", "车辆"},  {"person_trips", "人次"},
	{"trains", "列车"},      {"fevers", "发热"},    {"referrals", "转诊"},
	{"registered", "登记"},  {0, 0},
};

static int get_counts(struct req *r)
{
	static const char cps_sql[] =
		"SELECT c.id, c.code, c.name, c.kind FROM checkpoints c WHERE "
		SCOPE_SQL("c.unit_id", "1") " AND ($2 = 0 OR c.id = $2) ORDER BY c.id LIMIT 1000";
	static const char days_sql[] =
		"SELECT d.checkpoint_id, d.day, d.vehicles, d.person_trips, d.trains, d.fevers,"
		" d.referrals, d.registered FROM checkpoint_days d JOIN checkpoints c"
		" ON c.id = d.checkpoint_id WHERE " SCOPE_SQL("c.unit_id", "1")
		" AND ($2 = 0 OR c.id = $2) AND d.day >= $3 AND d.day <= $4"
		" ORDER BY d.day, d.checkpoint_id";
	struct page pg;
	char from[DAY_LEN], to[DAY_LEN];
	int64_t only = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = cp_query_day(r, "from", NULL, from);
	if (!rc)
		rc = cp_query_day(r, "to", NULL, to);
	if (!rc)
		rc = req_query_int(r, "checkpoint_id", 1, INT64_MAX, 0, &only);
	if (rc)
		return rc;
	if (*from && *to && strcmp(to, from) < 0)
		return err_set(&r->err, ERR_INVALID, "to", "is before from");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (only) {
		struct cp cp;
		if ((rc = cp_load(r, c, only, 0, &cp)))
			return rc;
	}
	/* The checkpoints in scope, each with its totals. */
	struct tot {
		int64_t id;
		const char *code, *name, *kind;
		int64_t v[C_N];
	} *cps = arena_alloc(&r->arena, 1000 * sizeof *cps);
	if (!cps)
		return ERR_NOMEM;
	size_t n = 0;
	struct dbq *q = db_query(c, cps_sql, "ii", r->who.scope_unit_id, only);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1 && n < 1000) {
		memset(&cps[n], 0, sizeof cps[n]);
		cps[n].id = db_int(q, 0);
		cps[n].code = arena_strdup(&r->arena, db_text(q, 1));
		cps[n].name = arena_strdup(&r->arena, db_text(q, 2));
		cps[n].kind = arena_strdup(&r->arena, db_text(q, 3));
		if (!cps[n].code || !cps[n].name || !cps[n].kind)
			rc = ERR_NOMEM;
		n++;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	int64_t road[C_N] = {0}, rail[C_N] = {0}, all[C_N] = {0};
	json_t *items = json_array();
	q = db_query(c, days_sql, "iitt", r->who.scope_unit_id, only, *from ? from : "0000-01-01",
		     *to ? to : "9999-12-31");
	if (!q) {
		json_decref(items);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1) {
		int64_t id = db_int(q, 0);
		size_t k = 0;
		while (k < n && cps[k].id != id)
			k++;
		if (k == n)
			continue;
		int64_t v[C_N];
		for (int i = 0; i < C_N; i++) {
			v[i] = db_int(q, 2 + i);
			cps[k].v[i] += v[i];
			(strcmp(cps[k].kind, "rail") ? road : rail)[i] += v[i];
			all[i] += v[i];
		}
		json_t *it = counts_json(v);
		json_object_set_new(it, "checkpoint_id", json_integer(id));
		json_object_set_new(it, "code", json_string(cps[k].code));
		json_object_set_new(it, "name", json_string(cps[k].name));
		json_object_set_new(it, "kind", json_string(cps[k].kind));
		json_object_set_new(it, "day", json_string(db_text(q, 1)));
		json_array_append_new(items, it);
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	if (pg.export)
		return resp_list(r, &pg, items, 0, counts_export, "checkpoint-counts");
	json_t *per = json_array();
	for (size_t k = 0; k < n; k++) {
		json_t *it = counts_json(cps[k].v);
		json_object_set_new(it, "checkpoint_id", json_integer(cps[k].id));
		json_object_set_new(it, "code", json_string(cps[k].code));
		json_object_set_new(it, "name", json_string(cps[k].name));
		json_object_set_new(it, "kind", json_string(cps[k].kind));
		json_array_append_new(per, it);
	}
	json_t *roadj = counts_json(road), *railj = counts_json(rail);
	json_object_set_new(roadj, "checkpoints", json_integer(0));
	json_object_set_new(railj, "checkpoints", json_integer(0));
	for (size_t k = 0; k < n; k++) {
		json_t *t = strcmp(cps[k].kind, "rail") ? roadj : railj;
		json_object_set_new(t, "checkpoints",
				    json_integer(json_integer_value(json_object_get(t, "checkpoints")) + 1));
	}
	return resp_json(r, 200,
			 json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "from",
				   jx_text_or_null(*from ? from : NULL), "to",
				   jx_text_or_null(*to ? to : NULL), "items", items, "checkpoints", per,
				   "road", roadj, "rail", railj, "total", counts_json(all)));
}
