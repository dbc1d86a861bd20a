/* Isolation orders and the places they send people (DOMAIN.md §8): the
 * pure rules (observation end, extension, placement advice), designated
 * hotels and hospitals with rooms and live occupancy, and the orders with
 * the history of every change. isolation_order_create is the one way an
 * order is made: by the API here, by close-contact decisions and by the
 * demo, each inside its own transaction. */
#include "isolation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../http/scope.h"
#include "../http/settings.h"

static int list_sites(struct req *r);
static int create_site(struct req *r);
static int get_site(struct req *r);
static int add_room(struct req *r);
static int person_advice(struct req *r);
static int list_orders(struct req *r);
static int create_order(struct req *r);
static int get_order(struct req *r);
static int release_order(struct req *r);
static int transfer_order(struct req *r);
static int extend_order(struct req *r);
static int set_carers(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/isolation-sites", list_sites, P_ISOLATION_READ, 0, 0,
	 "designated hotels and hospitals serving the caller's area, with occupancy"},
	{"POST", "/api/v1/isolation-sites", create_site, P_ISOLATION_ADMIN, 0, 0,
	 "designate a quarantine hotel or a hospital"},
	{"GET", "/api/v1/isolation-sites/{id}", get_site, P_ISOLATION_READ, 0, 0,
	 "a site with its rooms, beds used and free"},
	{"POST", "/api/v1/isolation-sites/{id}/rooms", add_room, P_ISOLATION_ADMIN, 0, 0,
	 "add a room (number, floor, beds) to a site"},
	{"GET", "/api/v1/persons/{id}/isolation-advice", person_advice, P_ISOLATION_READ, 0, 0,
	 "placement advice for a person: hospital, centralized or home, and why"},
	{"GET", "/api/v1/isolations", list_orders, P_ISOLATION_READ, 0, 0,
	 "isolation orders in scope by status, kind, reason, unit, site; xlsx export"},
	{"POST", "/api/v1/isolations", create_order, P_ISOLATION_WRITE, 0, ROUTE_IDEMPOTENT,
	 "order isolation: planned end from the last exposure, a bed for centralized"},
	{"GET", "/api/v1/isolations/{id}", get_order, P_ISOLATION_READ, 0, 0,
	 "an order with its history, carers, checks, alerts and requests"},
	{"POST", "/api/v1/isolations/{id}/release", release_order, P_ISOLATION_WRITE, 0, 0,
	 "release: closes the order, frees the bed (before the end only with a reason)"},
	{"POST", "/api/v1/isolations/{id}/transfer", transfer_order, P_ISOLATION_WRITE, 0, 0,
	 "transfer to a designated hospital: closes the order and opens a hospital one"},
	{"POST", "/api/v1/isolations/{id}/extend", extend_order, P_ISOLATION_WRITE, 0, 0,
	 "a new exposure: the planned end moves to exposure + observation days"},
	{"POST", "/api/v1/isolations/{id}/carers", set_carers, P_ISOLATION_WRITE, 0, 0,
	 "set the 4包1 carers (leader, party member, medical worker, cadre)"},
};
ROUTE_TABLE(isolation_routes, routes);

const char *const isolation_carer_roles[ISOLATION_CARERS] = {"leader", "party_member", "medic",
							      "cadre"};

/* ---------- pure rules ---------- */

static int one_of(const char *s, const char *const *set, size_t n)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static const char *const kinds[] = {"centralized", "home", "hospital"};
static const char *const reasons[] = {"arrival", "close_contact", "general_contact",
				      "fever",   "case",          "other"};

int isolation_kind_valid(const char *s)
{
	return one_of(s, kinds, 3);
}

int isolation_reason_valid(const char *s)
{
	return one_of(s, reasons, 6);
}

int isolation_end_day(const char *last_exposure, int obs_days, char out[DAY_LEN])
{
	if (!last_exposure || day_valid(last_exposure))
		return -1;
	return day_add(last_exposure, obs_days, out);
}

int isolation_extend_end(const char *current_end, const char *exposure, int obs_days,
			 char out[DAY_LEN])
{
	char e[DAY_LEN];
	if (!current_end || day_valid(current_end) || isolation_end_day(exposure, obs_days, e))
		return -1;
	if (strcmp(e, current_end) > 0) {
		memcpy(out, e, DAY_LEN);
		return 1;
	}
	memcpy(out, current_end, DAY_LEN);
	return 0;
}

#define INFANT_YEARS 3 /* 婴幼儿: under three */

void isolation_advise(const struct advice_in *in, struct advice *out)
{
	out->note = NULL;
	const char *reason = in->reason ? in->reason : "";
	/* Suspected cases and fevers go to hospital, never home. */
	if (in->suspect || !strcmp(reason, "case")) {
		out->kind = "hospital";
		out->why = "suspect";
		return;
	}
	if ((in->temp > 0 && in->temp >= in->fever_at) || !strcmp(reason, "fever")) {
		out->kind = "hospital";
		out->why = "fever";
		return;
	}
	/* Close contacts and arrivals from the worst-hit areas: centralized,
	 * home only for infants and people who cannot look after themselves. */
	int close = !strcmp(reason, "close_contact");
	const char *g = in->grade ? in->grade : "";
	int worst = !strcmp(g, "severe") || !strcmp(g, "heavy") || !strcmp(g, "high");
	if (close || worst) {
		out->why = close ? "close_contact" : "worst_hit";
		if (in->age_years >= 0 && in->age_years < INFANT_YEARS) {
			out->kind = "home";
			out->note = "infant";
		} else if (in->dependent) {
			out->kind = "home";
			out->note = "dependent";
		} else {
			out->kind = "centralized";
		}
		return;
	}
	out->kind = "home";
	if (!strcmp(g, "other_province") || !strcmp(g, "medium"))
		out->why = "other_province";
	else if (!strcmp(reason, "general_contact"))
		out->why = "general_contact";
	else
		out->why = "none";
}

/* ---------- shared helpers ---------- */

int isolation_event(struct dbc *c, int64_t id, int64_t at, int64_t user, const char *action,
		    const char *detail, const char *reason)
{
	int64_t n = db_run(c,
			   "INSERT INTO isolation_events(isolation_id, at, user_id, action, detail,"
			   " reason) VALUES ($1, $2, $3, $4, $5, $6)",
			   "iiIttt", id, at, user, action, detail, reason);
	return n < 0 ? (int)n : 0;
}

int isolation_active_of(struct dbc *c, int64_t person_id, int64_t *id)
{
	return db_one_int(c, id,
			  "SELECT id FROM isolations WHERE person_id = $1 AND status = 'active'", "i",
			  person_id);
}

int isolation_is_carer(struct dbc *c, int64_t id, int64_t user_id)
{
	if (!user_id)
		return 0;
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM isolation_carers WHERE isolation_id = $1 AND user_id = $2",
			    "ii", id, user_id);
	return rc == 1;
}

int isolation_load(struct req *r, struct dbc *c, int64_t id, int write, int64_t *unit,
		   int64_t *person, char status[16])
{
	struct dbq *q = db_query(c, "SELECT unit_id, person_id, status FROM isolations WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t u = 0;
	if (rc == 1) {
		u = db_int(q, 0);
		if (unit)
			*unit = u;
		if (person)
			*person = db_int(q, 1);
		if (status)
			snprintf(status, 16, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such isolation order");
	rc = scope_check(r, u, write, "isolation order");
	if (rc && isolation_is_carer(c, id, r->who.user_id)) {
		err_clear(&r->err);
		return 0;
	}
	return rc;
}

/* A site serves its own unit's subtree: the caller may use it when the
 * site's unit lies within the caller's scope or above it. 1 yes, 0 no. */
static int site_usable(struct dbc *c, int64_t scope, int64_t site_unit)
{
	if (!scope)
		return 1;
	int rc = scope_contains(c, scope, site_unit);
	if (rc == 0)
		rc = scope_contains(c, site_unit, scope);
	return rc;
}

/* The person's facts for the advice: the grade and day of an arrival under
 * observation, the latest temperature, age. */
struct person_facts {
	int64_t unit_id, arrival_id;
	char grade[16], arrival_day[DAY_LEN], name[200];
	int temp, age;
};

static int read_person_facts(struct dbc *c, int64_t person, const char *today, int obs_days,
			     struct person_facts *f)
{
	memset(f, 0, sizeof *f);
	f->age = -1;
	struct dbq *q = db_query(c, "SELECT unit_id, birth_date, name, merged_into FROM persons"
				    " WHERE id = $1", "i", person);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		f->unit_id = db_int(q, 0);
		const char *b = db_text(q, 1);
		if (b && !day_valid(b)) {
			int y = atoi(today) - atoi(b);
			if (strcmp(today + 4, b + 4) < 0)
				y--;
			f->age = y < 0 ? 0 : y;
		}
		snprintf(f->name, sizeof f->name, "%s", db_text(q, 2));
		if (!db_null(q, 3))
			rc = 0; /* merged into another record: not this one */
	}
	db_done(q);
	if (rc <= 0)
		return rc;
	char since[DAY_LEN];
	day_add(today, -obs_days, since);
	q = db_query(c,
		     "SELECT id, grade, arrival_date FROM arrivals WHERE person_id = $1"
		     " AND arrival_date > $2 AND arrival_date <= $3"
		     " ORDER BY arrival_date DESC, id DESC LIMIT 1",
		     "itt", person, since, today);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		f->arrival_id = db_int(q, 0);
		snprintf(f->grade, sizeof f->grade, "%s", db_text(q, 1));
		snprintf(f->arrival_day, sizeof f->arrival_day, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	/* The latest temperature: a fever not yet cleared, else the latest
	 * health check. */
	int64_t t = 0;
	rc = db_one_int(c, &t,
			"SELECT temperature FROM fevers WHERE person_id = $1 AND cleared_at IS NULL"
			" ORDER BY at DESC LIMIT 1",
			"i", person);
	if (rc == 0)
		rc = db_one_int(c, &t,
				"SELECT temperature FROM health_checks WHERE person_id = $1"
				" ORDER BY at DESC, id DESC LIMIT 1",
				"i", person);
	if (rc < 0)
		return rc;
	f->temp = (int)t;
	return 1;
}

static int fever_at(struct dbc *c)
{
	int64_t v = settings_int(c, "fever_threshold_tenths");
	return v > 0 ? (int)v : 373;
}

/* ---------- orders: create, extend, close ---------- */

/* Takes a bed in room (of site): ERR_RULE naming the room when it is full. */
static int take_bed(struct dbc *c, int64_t site, int64_t room, struct err_info *ei)
{
	int64_t n = db_run(c,
			   "UPDATE isolation_rooms SET occupied = occupied + 1"
			   " WHERE id = $1 AND occupied < beds",
			   "i", room);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		char num[64] = "";
		int64_t beds = 0;
		struct dbq *q = db_query(c, "SELECT number, beds FROM isolation_rooms WHERE id = $1",
					 "i", room);
		if (q && db_step(q) == 1) {
			snprintf(num, sizeof num, "%s", db_text(q, 0));
			beds = db_int(q, 1);
		}
		db_done(q);
		return err_set(ei, ERR_RULE, "room_id", "room %s is full (%lld of %lld beds taken)",
			       num, (long long)beds, (long long)beds);
	}
	n = db_run(c, "UPDATE isolation_sites SET occupied = occupied + 1 WHERE id = $1", "i", site);
	return n < 0 ? (int)n : 0;
}

static int free_bed(struct dbc *c, int64_t site, int64_t room)
{
	if (room && db_run(c,
			   "UPDATE isolation_rooms SET occupied = occupied - 1"
			   " WHERE id = $1 AND occupied > 0",
			   "i", room) < 0)
		return ERR_DB;
	if (room && site &&
	    db_run(c,
		   "UPDATE isolation_sites SET occupied = occupied - 1 WHERE id = $1 AND occupied > 0",
		   "i", site) < 0)
		return ERR_DB;
	return 0;
}

/* Checks the site and room of an order of kind: a centralized order needs a
 * room of a hotel; a hospital order may name a hospital (and a room); a
 * home order names neither. Fills *site from the room. */
static int check_place(struct dbc *c, const struct isolation_new *in, int64_t *site,
		       struct err_info *ei)
{
	int home = !strcmp(in->kind, "home");
	int central = !strcmp(in->kind, "centralized");
	*site = in->site_id;
	if (home) {
		if (in->site_id || in->room_id)
			return err_set(ei, ERR_INVALID, in->room_id ? "room_id" : "site_id",
				       "home isolation has no site or room");
		return 0;
	}
	if (central && !in->room_id)
		return err_set(ei, ERR_INVALID, "room_id",
			       "centralized isolation needs a room of a designated hotel");
	if (in->room_id) {
		int64_t rs = 0;
		int rc = db_one_int(c, &rs, "SELECT site_id FROM isolation_rooms WHERE id = $1", "i",
				    in->room_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_INVALID, "room_id", "no such room");
		if (in->site_id && in->site_id != rs)
			return err_set(ei, ERR_INVALID, "room_id", "the room is not in site %lld",
				       (long long)in->site_id);
		*site = rs;
	}
	if (!*site)
		return 0;
	struct dbq *q = db_query(c, "SELECT unit_id, kind FROM isolation_sites WHERE id = $1", "i",
				 *site);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t unit = 0;
	char kind[16] = "";
	if (rc == 1) {
		unit = db_int(q, 0);
		snprintf(kind, sizeof kind, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, "site_id", "no such isolation site");
	if ((rc = site_usable(c, in->scope_unit_id, unit)) < 0)
		return rc;
	if (!rc)
		return err_set(ei, ERR_FORBIDDEN, "site_id",
			       "this isolation site does not serve your area");
	if (central && strcmp(kind, "hotel") != 0)
		return err_set(ei, ERR_INVALID, "site_id",
			       "centralized isolation is in a designated hotel");
	if (!central && strcmp(kind, "hospital") != 0)
		return err_set(ei, ERR_INVALID, "site_id",
			       "hospital isolation is in a designated hospital");
	return 0;
}

static int check_carers(struct dbc *c, const int64_t *carers, struct err_info *ei)
{
	for (int i = 0; i < ISOLATION_CARERS; i++) {
		if (!carers[i])
			continue;
		int64_t disabled = 0;
		int rc = db_one_int(c, &disabled, "SELECT disabled FROM users WHERE id = $1", "i",
				    carers[i]);
		if (rc < 0)
			return rc;
		if (rc == 0 || disabled)
			return err_set(ei, ERR_INVALID, "carers", "user %lld is not an active account",
				       (long long)carers[i]);
	}
	return 0;
}

/* isolation_counts (023_isolation_counts.sql): the order id counted (sign
 * 1) or uncounted (-1) under its unit, kind and planned end day, as a gap
 * when it has fewer than four carers; only while active, unless `any` (the
 * closing write uncounts the order it has just closed). A write calls it
 * with -1 before it changes any of these and with 1 after, in its
 * transaction, holding the order's row lock (lock_order) so that writers
 * on PostgreSQL do not interleave. */
static int tally(struct dbc *c, int64_t id, int sign, int any)
{
	int64_t n = db_run(
		c,
		"INSERT INTO isolation_counts(unit_id, kind, planned_end_day, n, gaps)"
		" SELECT i.unit_id, i.kind, i.planned_end_day, $2, CASE WHEN (SELECT COUNT(*)"
		"  FROM isolation_carers ic WHERE ic.isolation_id = i.id) < 4 THEN $2 ELSE 0 END"
		" FROM isolations i WHERE i.id = $1 AND ($3 = 1 OR i.status = 'active')"
		" ON CONFLICT (unit_id, kind, planned_end_day) DO UPDATE SET"
		" n = isolation_counts.n + excluded.n, gaps = isolation_counts.gaps + excluded.gaps",
		"iii", id, (int64_t)sign, (int64_t)any);
	if (n < 0)
		return (int)n;
	if (sign < 0 && n > 0 &&
	    db_run(c,
		   "DELETE FROM isolation_counts WHERE n = 0 AND (unit_id, kind, planned_end_day) IN"
		   " (SELECT unit_id, kind, planned_end_day FROM isolations WHERE id = $1)",
		   "i", id) < 0)
		return ERR_DB;
	return 0;
}

/* Takes the order's row lock (PostgreSQL; SQLite has one writer) before a
 * write reads what it will change. */
static int lock_order(struct dbc *c, int64_t id)
{
	return db_run(c, "UPDATE isolations SET updated_at = updated_at WHERE id = $1", "i", id) < 0
		       ? ERR_DB
		       : 0;
}

static int write_carers(struct dbc *c, int64_t id, const int64_t *carers)
{
	if (db_run(c, "DELETE FROM isolation_carers WHERE isolation_id = $1", "i", id) < 0)
		return ERR_DB;
	for (int i = 0; i < ISOLATION_CARERS; i++)
		if (carers[i] &&
		    db_run(c,
			   "INSERT INTO isolation_carers(isolation_id, role, user_id) VALUES ($1, $2, $3)",
			   "iti", id, isolation_carer_roles[i], carers[i]) < 0)
			return ERR_DB;
	return 0;
}

int isolation_order_create(struct dbc *c, const struct isolation_new *in, int64_t *id_out,
			   struct err_info *ei)
{
	*id_out = 0;
	if (!isolation_kind_valid(in->kind))
		return err_set(ei, ERR_INVALID, "kind", "must be centralized, home or hospital");
	if (!isolation_reason_valid(in->reason))
		return err_set(ei, ERR_INVALID, "reason",
			       "must be arrival, close_contact, general_contact, fever, case or other");
	if (in->last_exposure_day && day_valid(in->last_exposure_day))
		return err_set(ei, ERR_INVALID, "last_exposure_day", "must be a date YYYY-MM-DD");
	int64_t now = in->at ? in->at : clock_now();
	char today[DAY_LEN];
	clock_day(now, today);
	int obs = (int)settings_int(c, "observation_days");
	struct person_facts pf;
	int rc = read_person_facts(c, in->person_id, today, obs, &pf);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, "person_id", "no such person");
	if (in->scope_unit_id) {
		if ((rc = scope_contains(c, in->scope_unit_id, pf.unit_id)) < 0)
			return rc;
		if (!rc)
			return err_set(ei, ERR_FORBIDDEN, "person_id",
				       "this person is outside your area (scope)");
	}
	int64_t existing = 0;
	if ((rc = isolation_active_of(c, in->person_id, &existing)) < 0)
		return rc;
	if (rc == 1) {
		*id_out = existing;
		return err_set(ei, ERR_CONFLICT, "person_id",
			       "this person already has an active isolation order (%lld)",
			       (long long)existing);
	}
	/* The exposure: as given, or an arrival's own day. */
	const char *exposure = in->last_exposure_day;
	int64_t arrival = 0;
	if (!strcmp(in->reason, "arrival") && pf.arrival_id) {
		arrival = pf.arrival_id;
		if (!exposure)
			exposure = pf.arrival_day;
	}
	if (!exposure && !strcmp(in->reason, "arrival"))
		return err_set(ei, ERR_INVALID, "last_exposure_day",
			       "is required: the person has no arrival under observation");
	if (!exposure)
		return err_set(ei, ERR_INVALID, "last_exposure_day", "is required");
	if (strcmp(exposure, today) > 0)
		return err_set(ei, ERR_INVALID, "last_exposure_day", "must not be after today (%s)",
			       today);
	char end[DAY_LEN];
	isolation_end_day(exposure, obs, end);
	if (strcmp(end, today) < 0)
		return err_set(ei, ERR_RULE, "last_exposure_day",
			       "the observation from %s ended on %s; nothing to order", exposure,
			       end);
	/* The advice, and a reason when the order differs from it. */
	struct advice_in ai = {.grade = pf.grade[0] ? pf.grade : NULL,
			       .reason = in->reason,
			       .temp = pf.temp,
			       .fever_at = fever_at(c),
			       .age_years = pf.age,
			       .dependent = in->dependent};
	struct advice adv;
	isolation_advise(&ai, &adv);
	const char *override = in->override_reason && *in->override_reason ? in->override_reason
									     : NULL;
	if (strcmp(adv.kind, in->kind) != 0 && !override)
		return err_set(ei, ERR_RULE, "override_reason",
			       "the advice is %s isolation (%s); give override_reason to choose %s",
			       adv.kind, adv.why, in->kind);
	int64_t site = 0;
	if ((rc = check_place(c, in, &site, ei)) || (rc = check_carers(c, in->carers, ei)))
		return rc;
	if (in->room_id && (rc = take_bed(c, site, in->room_id, ei)))
		return rc;
	struct dbq *q = db_query(
		c,
		"INSERT INTO isolations(person_id, unit_id, kind, reason, status, last_exposure_day,"
		" start_day, planned_end_day, site_id, room_id, advised_kind, override_reason, note,"
		" arrival_id, source, source_id, created_by, created_at, updated_at)"
		" VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
		" $15, $16, $17, $17) RETURNING id",
		"iitttttIItttItIIi", in->person_id, pf.unit_id, in->kind, in->reason, exposure,
		today, end, site, in->room_id, adv.kind, override, in->note && *in->note ? in->note : NULL,
		arrival, in->source ? in->source : "manual", in->source_id, in->by_user, now);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		*id_out = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT) /* a concurrent order for the same person won */
		return err_set(ei, ERR_CONFLICT, "person_id",
			       "this person already has an active isolation order");
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if ((rc = write_carers(c, *id_out, in->carers)) || (rc = tally(c, *id_out, 1, 0)))
		return rc;
	char detail[200];
	snprintf(detail, sizeof detail, "%s, %s, exposure %s, planned end %s%s%s", in->kind,
		 in->reason, exposure, end, override ? ", advice was " : "", override ? adv.kind : "");
	return isolation_event(c, *id_out, now, in->by_user, "created", detail, override);
}

int isolation_extend(struct dbc *c, int64_t id, const char *exposure, const char *reason,
		     int64_t by_user, int64_t at, char *new_end, struct err_info *ei)
{
	if (!exposure || day_valid(exposure))
		return err_set(ei, ERR_INVALID, "last_exposure_day", "must be a date YYYY-MM-DD");
	int64_t now = at ? at : clock_now();
	char today[DAY_LEN], cur[DAY_LEN] = "", old_exp[DAY_LEN] = "", status[16] = "";
	clock_day(now, today);
	if (strcmp(exposure, today) > 0)
		return err_set(ei, ERR_INVALID, "last_exposure_day", "must not be after today (%s)",
			       today);
	int rc = lock_order(c, id);
	if (rc)
		return rc;
	struct dbq *q = db_query(c,
				 "SELECT planned_end_day, status, last_exposure_day FROM isolations"
				 " WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1) {
		snprintf(cur, sizeof cur, "%s", db_text(q, 0));
		snprintf(status, sizeof status, "%s", db_text(q, 1));
		snprintf(old_exp, sizeof old_exp, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such isolation order");
	if (strcmp(status, "active") != 0)
		return err_set(ei, ERR_CONFLICT, "", "the order is %s, not active", status);
	char end[DAY_LEN];
	rc = isolation_extend_end(cur, exposure, (int)settings_int(c, "observation_days"), end);
	if (new_end)
		memcpy(new_end, end, DAY_LEN);
	if (rc <= 0)
		return rc < 0 ? ERR_INVALID : 0;
	const char *exp = strcmp(exposure, old_exp) > 0 ? exposure : old_exp;
	if ((rc = tally(c, id, -1, 0)))
		return rc;
	if (db_run(c,
		   "UPDATE isolations SET planned_end_day = $2, last_exposure_day = $3,"
		   " link_expires_at = CASE WHEN link_hash IS NULL THEN link_expires_at ELSE $4 END,"
		   " updated_at = $5 WHERE id = $1",
		   "ittii", id, end, exp, day_start(end) + 86400, now) < 0 ||
	    tally(c, id, 1, 0))
		return ERR_DB;
	char detail[120];
	snprintf(detail, sizeof detail, "exposure %s: planned end %s -> %s", exposure, cur, end);
	rc = isolation_event(c, id, now, by_user, "extended", detail, reason);
	return rc ? rc : 1;
}

int isolation_close(struct dbc *c, int64_t id, const char *status, const char *outcome,
		    const char *reason, int64_t by_user, int64_t at, struct err_info *ei)
{
	int64_t now = at ? at : clock_now();
	char today[DAY_LEN];
	clock_day(now, today);
	struct dbq *q = db_query(c, "SELECT status, site_id, room_id FROM isolations WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	char cur[16] = "";
	int64_t site = 0, room = 0;
	if (rc == 1) {
		snprintf(cur, sizeof cur, "%s", db_text(q, 0));
		site = db_null(q, 1) ? 0 : db_int(q, 1);
		room = db_null(q, 2) ? 0 : db_int(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such isolation order");
	if (strcmp(cur, "active") != 0)
		return err_set(ei, ERR_CONFLICT, "", "the order is %s, not active", cur);
	int64_t n = db_run(c,
			   "UPDATE isolations SET status = $2, outcome = $3, end_day = $4, ended_at = $5,"
			   " updated_at = $5, link_hash = NULL WHERE id = $1 AND status = 'active'",
			   "ittti", id, status, outcome, today, now);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return err_set(ei, ERR_CONFLICT, "", "the order is no longer active");
	if ((rc = tally(c, id, -1, 1)) || (rc = monitor_uncount_days(c, id, today)) ||
	    (rc = free_bed(c, site, room)))
		return rc;
	char detail[80];
	snprintf(detail, sizeof detail, "%s%s%s", status, outcome ? ": " : "", outcome ? outcome : "");
	return isolation_event(c, id, now, by_user, status, detail, reason);
}

/* ---------- routes: sites ---------- */

#define SITE_COLS                                                                       \
	"SELECT s.id, s.unit_id, u.name, s.name, s.kind, s.address, s.phone, s.rooms,"   \
	" s.beds, s.occupied, s.created_at FROM isolation_sites s"                      \
	" JOIN units u ON u.id = s.unit_id"

static json_t *site_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "name", db_text(q, 3), "kind", db_text(q, 4), "address",
			 jx_text_or_null(db_text(q, 5)), "phone", jx_text_or_null(db_text(q, 6)),
			 "rooms", (json_int_t)db_int(q, 7), "beds", (json_int_t)db_int(q, 8),
			 "occupied", (json_int_t)db_int(q, 9), "free",
			 (json_int_t)(db_int(q, 8) - db_int(q, 9)), "created_at",
			 (json_int_t)db_int(q, 10));
}

static const struct list_col site_export[] = {
	{"id", "编号"},      {"name", "名称"},     {"kind", "类型"},   {"unit_name", "所属单位"},
	{"address", "地址"}, {"phone", "电话"},    {"rooms", "房间数"}, {"beds", "床位"},
	{"occupied", "在住"}, {"free", "空余"},    {0, 0},
};

/* Sites serving the scope $1: within it or above it. */
#define SITE_SCOPE                                                                      \
	"(" SCOPE_SQL("s.unit_id", "1")                                                  \
	" OR s.unit_id IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $1))"

static int list_sites(struct req *r)
{
	static const char sql[] =
		SITE_COLS " WHERE " SITE_SCOPE " AND s.id > $2 AND ($3 = '' OR s.kind = $3)"
		" AND ($4 = '' OR lower(s.name) LIKE $4 ESCAPE '\\') ORDER BY s.id LIMIT $5";
	struct page pg;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	const char *kind = req_query(r, "kind");
	if (kind && *kind && strcmp(kind, "hotel") && strcmp(kind, "hospital"))
		return err_set(&r->err, ERR_INVALID, "kind", "must be hotel or hospital");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iitti", r->who.scope_unit_id, pg.after, kind ? kind : "",
				 pat, pg.limit + 1);
	return resp_query_list(r, &pg, q, site_row, site_export, "isolation-sites");
}

static int respond_site(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, SITE_COLS " WHERE s.id = $1", "i", id), site_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such isolation site");
	json_t *rooms = json_array();
	struct dbq *q = db_query(
		c,
		"SELECT rm.id, rm.number, rm.floor, rm.beds, rm.occupied FROM isolation_rooms rm"
		" WHERE rm.site_id = $1 ORDER BY rm.floor, rm.number",
		"i", id);
	while (q && (rc = db_step(q)) == 1)
		json_array_append_new(
			rooms, json_pack("{s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)db_int(q, 0),
					 "number", db_text(q, 1), "floor", (json_int_t)db_int(q, 2),
					 "beds", (json_int_t)db_int(q, 3), "occupied",
					 (json_int_t)db_int(q, 4), "free",
					 (json_int_t)(db_int(q, 3) - db_int(q, 4))));
	db_done(q);
	json_object_set_new(o, "room_list", rooms);
	if (!q || rc < 0) {
		json_decref(o);
		return ERR_DB;
	}
	return resp_json(r, status, o);
}

static int create_site(struct req *r)
{
	int64_t unit = 0;
	const char *name = NULL, *kind = NULL, *address = NULL, *phone = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 100, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 16, &kind, NULL);
	if (!rc && strcmp(kind, "hotel") && strcmp(kind, "hospital"))
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be hotel or hospital");
	if (!rc)
		rc = jx_str(r, r->json, "address", 0, 200, &address, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "phone", 0, 32, &phone, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i", unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	struct dbq *q = db_query(c,
				 "INSERT INTO isolation_sites(unit_id, name, kind, address, phone,"
				 " created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				 "itttti", unit, name, kind, address && *address ? address : NULL,
				 phone && *phone ? phone : NULL, clock_now());
	if (!q)
		return ERR_DB;
	int64_t id = 0;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "name", "this unit already has a site named %s",
			       name);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "isolation_site", id);
	return respond_site(r, c, id, 201);
}

static int get_site(struct req *r)
{
	int64_t id = 0, unit = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM isolation_sites WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = site_usable(c, r->who.scope_unit_id, unit)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such isolation site");
	return respond_site(r, c, id, 200);
}

static int add_room(struct req *r)
{
	int64_t id = 0, unit = 0, floor = 0, beds = 0;
	const char *number = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "number", 1, 16, &number, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "floor", 1, -5, 200, &floor, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "beds", 1, 1, 20, &beds, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM isolation_sites WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such isolation site");
	if ((rc = scope_check(r, unit, 1, "isolation site")))
		return rc;
	struct dbq *q = db_query(c,
				 "INSERT INTO isolation_rooms(site_id, number, floor, beds, created_at)"
				 " VALUES ($1, $2, $3, $4, $5) RETURNING id",
				 "itiii", id, number, floor, beds, clock_now());
	if (!q)
		return ERR_DB;
	int64_t room = 0;
	rc = db_step(q);
	if (rc == 1)
		room = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "number", "room %s already exists here", number);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if (db_run(c, "UPDATE isolation_sites SET rooms = rooms + 1, beds = beds + $2 WHERE id = $1",
		   "ii", id, beds) < 0)
		return ERR_DB;
	req_audit_record(r, "isolation_room", room);
	return resp_json(r, 201,
			 json_pack("{s:I,s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)room, "site_id",
				   (json_int_t)id, "number", number, "floor", (json_int_t)floor,
				   "beds", (json_int_t)beds, "occupied", (json_int_t)0, "free",
				   (json_int_t)beds));
}

/* ---------- routes: advice ---------- */

static int person_advice(struct req *r)
{
	int64_t id = 0, dependent = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_query_int(r, "dependent", 0, 1, 0, &dependent);
	if (rc)
		return rc;
	const char *reason = req_query(r, "reason");
	if (reason && *reason && !isolation_reason_valid(reason))
		return err_set(&r->err, ERR_INVALID, "reason",
			       "must be arrival, close_contact, general_contact, fever, case or other");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	int obs = (int)settings_int(c, "observation_days");
	struct person_facts pf;
	if ((rc = read_person_facts(c, id, today, obs, &pf)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such person");
	if ((rc = scope_check(r, pf.unit_id, 0, "person")))
		return rc;
	if (!reason || !*reason)
		reason = pf.arrival_id ? "arrival" : NULL;
	struct advice_in ai = {.grade = pf.grade[0] ? pf.grade : NULL,
			       .reason = reason,
			       .temp = pf.temp,
			       .fever_at = fever_at(c),
			       .age_years = pf.age,
			       .dependent = (int)dependent};
	struct advice adv;
	isolation_advise(&ai, &adv);
	int64_t active = 0;
	if ((rc = isolation_active_of(c, id, &active)) < 0)
		return rc;
	char end[DAY_LEN] = "";
	if (pf.arrival_id)
		isolation_end_day(pf.arrival_day, obs, end);
	return resp_json(
		r, 200,
		json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "person_id",
			  (json_int_t)id, "person_name", pf.name, "kind", adv.kind, "why", adv.why,
			  "note", jx_text_or_null(adv.note), "reason", jx_text_or_null(reason),
			  "grade", jx_text_or_null(pf.grade[0] ? pf.grade : NULL), "arrival_id",
			  pf.arrival_id ? json_integer(pf.arrival_id) : json_null(),
			  "last_exposure_day", jx_text_or_null(pf.arrival_id ? pf.arrival_day : NULL),
			  "planned_end_day", jx_text_or_null(end[0] ? end : NULL), "temperature",
			  pf.temp ? json_real(pf.temp / 10.0) : json_null(), "active_order_id",
			  active ? json_integer(active) : json_null(), "observation_days",
			  (json_int_t)obs));
}

/* ---------- routes: orders ---------- */

#define ORDER_COLS                                                                       \
	"SELECT i.id, i.person_id, p.name, i.unit_id, u.name, i.kind, i.reason, i.status,"  \
	" i.last_exposure_day, i.start_day, i.planned_end_day, i.end_day, i.site_id, s.name," \
	" i.room_id, rm.number, i.advised_kind, i.override_reason, i.outcome, i.note,"     \
	" i.source, i.created_at,"                                                         \
	" (SELECT COUNT(*) FROM isolation_carers ic WHERE ic.isolation_id = i.id)"          \
	" FROM isolations i JOIN persons p ON p.id = i.person_id"                          \
	" JOIN units u ON u.id = i.unit_id"                                                \
	" LEFT JOIN isolation_sites s ON s.id = i.site_id"                                 \
	" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"

static json_t *order_row(struct dbq *q)
{
	int64_t carers = db_int(q, 22);
	return json_pack(
		"{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o,"
		"s:s,s:I,s:I,s:I}",
		"id", (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1), "person_name",
		db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3), "unit_name", db_text(q, 4),
		"kind", db_text(q, 5), "reason", db_text(q, 6), "status", db_text(q, 7),
		"last_exposure_day", db_text(q, 8), "start_day", db_text(q, 9), "planned_end_day",
		db_text(q, 10), "end_day", jx_text_or_null(db_text(q, 11)), "site_id",
		jx_col_int(q, 12), "site_name", jx_text_or_null(db_text(q, 13)), "room_id",
		jx_col_int(q, 14), "room_number", jx_text_or_null(db_text(q, 15)), "advised_kind",
		db_text(q, 16), "override_reason", jx_text_or_null(db_text(q, 17)), "outcome",
		jx_text_or_null(db_text(q, 18)), "note", jx_text_or_null(db_text(q, 19)), "source",
		db_text(q, 20), "created_at", (json_int_t)db_int(q, 21), "carers",
		(json_int_t)carers, "carers_missing", (json_int_t)(ISOLATION_CARERS - carers));
}

static const struct list_col order_export[] = {
	{"id", "编号"},
	{"person_name", "姓名"},
	{"unit_name", "所在单位"},
	{"kind", "隔离方式"},
	{"reason", "原因"},
	{"status", "状态"},
	{"last_exposure_day", "末次暴露日"},
	{"start_day", "开始日期"},
	{"planned_end_day", "计划解除日期"},
	{"end_day", "结束日期"},
	{"site_name", "隔离点"},
	{"room_number", "房间"},
	{"carers_missing", "包保人缺额"},
	{"outcome", "结果"},
	{0, 0},
};

static int list_orders(struct req *r)
{
	static const char sql[] =
		ORDER_COLS " WHERE " SCOPE_SQL("i.unit_id", "1") " AND i.id > $2"
		" AND ($3 = '' OR i.status = $3) AND ($4 = '' OR i.kind = $4)"
		" AND ($5 = '' OR i.reason = $5)"
		" AND ($6 = 0 OR i.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $6))"
		" AND ($7 = 0 OR i.site_id = $7)"
		" AND ($8 = '' OR lower(p.name) LIKE $8 ESCAPE '\\')"
		" AND ($9 = 0 OR (SELECT COUNT(*) FROM isolation_carers ic"
		"   WHERE ic.isolation_id = i.id) < 4)"
		" ORDER BY i.id LIMIT $10";
	struct page pg;
	const char *pat = "";
	int64_t unit = 0, site = 0, gaps = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "site_id", 1, INT64_MAX, 0, &site);
	if (!rc)
		rc = req_query_int(r, "carers_missing", 0, 1, 0, &gaps);
	if (rc)
		return rc;
	const char *status = req_query(r, "status"), *kind = req_query(r, "kind"),
		   *reason = req_query(r, "reason");
	static const char *const statuses[] = {"active", "released", "transferred", "ended"};
	if (status && *status && !one_of(status, statuses, 4))
		return err_set(&r->err, ERR_INVALID, "status",
			       "must be active, released, transferred or ended");
	if (kind && *kind && !isolation_kind_valid(kind))
		return err_set(&r->err, ERR_INVALID, "kind", "must be centralized, home or hospital");
	if (reason && *reason && !isolation_reason_valid(reason))
		return err_set(&r->err, ERR_INVALID, "reason",
			       "must be arrival, close_contact, general_contact, fever, case or other");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (unit && (rc = scope_check(r, unit, 0, "unit")))
		return rc;
	struct dbq *q = db_query(c, sql, "iitttiitii", r->who.scope_unit_id, pg.after,
				 status ? status : "", kind ? kind : "", reason ? reason : "", unit,
				 site, pat, gaps, pg.limit + 1);
	return resp_query_list(r, &pg, q, order_row, order_export, "isolations");
}

/* Appends row(q) for every row of q (consumed) to a new array in o[key]. */
static int attach(json_t *o, const char *key, struct dbq *q, json_t *(*row)(struct dbq *))
{
	if (!q)
		return ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(q)) == 1)
		json_array_append_new(a, row(q));
	db_done(q);
	json_object_set_new(o, key, a);
	return rc < 0 ? rc : 0;
}

static json_t *event_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:o,s:o,s:s,s:o,s:o}", "id", (json_int_t)db_int(q, 0), "at",
			 (json_int_t)db_int(q, 1), "user_id", jx_col_int(q, 2), "user_name",
			 jx_text_or_null(db_text(q, 3)), "action", db_text(q, 4), "detail",
			 jx_text_or_null(db_text(q, 5)), "reason", jx_text_or_null(db_text(q, 6)));
}

static json_t *carer_row(struct dbq *q)
{
	return json_pack("{s:s,s:I,s:s,s:s,s:o}", "role", db_text(q, 0), "user_id",
			 (json_int_t)db_int(q, 1), "name", db_text(q, 2), "user_role",
			 db_text(q, 3), "phone", jx_text_or_null(db_text(q, 4)));
}

static json_t *check_row(struct dbq *q)
{
	const char *sy = db_text(q, 4);
	json_t *syms = json_array();
	if (sy && *sy) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s", sy);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
		     t = strtok_r(NULL, ",", &save))
			json_array_append_new(syms, json_string(t));
	}
	return json_pack("{s:I,s:I,s:s,s:s,s:f,s:o,s:s,s:o}", "id", (json_int_t)db_int(q, 0), "at",
			 (json_int_t)db_int(q, 1), "day", db_text(q, 2), "slot", db_text(q, 3),
			 "temperature", db_int(q, 5) / 10.0, "symptoms", syms, "by_kind",
			 db_text(q, 6), "by_name", jx_text_or_null(db_text(q, 7)));
}

static json_t *alert_brief(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:o,s:o,s:o}", "id", (json_int_t)db_int(q, 0), "kind",
			 db_text(q, 1), "status", db_text(q, 2), "raised_at",
			 (json_int_t)db_int(q, 3), "temperature",
			 db_null(q, 4) ? json_null() : json_real(db_int(q, 4) / 10.0), "outcome",
			 jx_text_or_null(db_text(q, 5)), "closed_at", jx_col_int(q, 6));
}

static json_t *request_brief(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:I,s:o,s:o}", "id", (json_int_t)db_int(q, 0), "kind",
			 db_text(q, 1), "status", db_text(q, 2), "created_at",
			 (json_int_t)db_int(q, 3), "due_at", (json_int_t)db_int(q, 4), "done_at",
			 jx_col_int(q, 5), "note", jx_text_or_null(db_text(q, 6)));
}

static int respond_order(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, ORDER_COLS " WHERE i.id = $1", "i", id), order_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such isolation order");
	if ((rc = attach(o, "history",
			 db_query(c,
				  "SELECT e.id, e.at, e.user_id, us.name, e.action, e.detail, e.reason"
				  " FROM isolation_events e LEFT JOIN users us ON us.id = e.user_id"
				  " WHERE e.isolation_id = $1 ORDER BY e.id",
				  "i", id),
			 event_row)) ||
	    (rc = attach(o, "carer_list",
			 db_query(c,
				  "SELECT ic.role, ic.user_id, us.name, us.role, us.phone"
				  " FROM isolation_carers ic JOIN users us ON us.id = ic.user_id"
				  " WHERE ic.isolation_id = $1",
				  "i", id),
			 carer_row)) ||
	    (rc = attach(o, "checks",
			 db_query(c,
				  "SELECT hc.id, hc.at, hc.day, hc.slot, hc.symptoms, hc.temperature,"
				  " hc.by_kind, us.name FROM health_checks hc"
				  " LEFT JOIN users us ON us.id = hc.by_user"
				  " WHERE hc.isolation_id = $1 ORDER BY hc.at DESC, hc.id DESC LIMIT 60",
				  "i", id),
			 check_row)) ||
	    (rc = attach(o, "alerts",
			 db_query(c,
				  "SELECT id, kind, status, raised_at, temperature, outcome, closed_at"
				  " FROM health_alerts WHERE isolation_id = $1 ORDER BY id DESC",
				  "i", id),
			 alert_brief)) ||
	    (rc = attach(o, "requests",
			 db_query(c,
				  "SELECT id, kind, status, created_at, due_at, done_at, note"
				  " FROM service_requests WHERE isolation_id = $1 ORDER BY id DESC",
				  "i", id),
			 request_brief))) {
		json_decref(o);
		return rc;
	}
	/* The four roles, with a gap where none is named. */
	json_t *gaps = json_array();
	json_t *list = json_object_get(o, "carer_list");
	for (int i = 0; i < ISOLATION_CARERS; i++) {
		int found = 0;
		size_t k;
		json_t *v;
		json_array_foreach(list, k, v)
		if (!strcmp(json_string_value(json_object_get(v, "role")), isolation_carer_roles[i]))
			found = 1;
		if (!found)
			json_array_append_new(gaps, json_string(isolation_carer_roles[i]));
	}
	json_object_set_new(o, "carer_gaps", gaps);
	int64_t link_exp = 0;
	rc = db_one_int(c, &link_exp,
			"SELECT link_expires_at FROM isolations WHERE id = $1 AND link_hash IS NOT NULL",
			"i", id);
	json_object_set_new(o, "self_report_link_expires_at",
			    rc == 1 ? json_integer(link_exp) : json_null());
	return resp_json(r, status, o);
}

/* Reads "carers": [ids or nulls], by position leader, party member,
 * medical worker, cadre. */
static int carers_field(struct req *r, int64_t out[ISOLATION_CARERS], int *present)
{
	json_t *a = json_object_get(r->json, "carers");
	*present = a != NULL;
	memset(out, 0, sizeof(int64_t) * ISOLATION_CARERS);
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > ISOLATION_CARERS)
		return err_set(&r->err, ERR_INVALID, "carers",
			       "must be a list of at most 4 user ids (leader, party member,"
			       " medical worker, cadre), null for a gap");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (json_is_null(v))
			continue;
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return err_set(&r->err, ERR_INVALID, "carers",
				       "must be a list of at most 4 user ids (leader, party member,"
				       " medical worker, cadre), null for a gap");
		out[i] = json_integer_value(v);
		for (size_t j = 0; j < i; j++)
			if (out[j] == out[i])
				return err_set(&r->err, ERR_INVALID, "carers",
					       "user %lld is named twice", (long long)out[i]);
	}
	return 0;
}

static int create_order(struct req *r)
{
	struct isolation_new in = {.source = "manual"};
	int has = 0;
	int rc = req_json(r);
	json_t *j = r->json;
	if (!rc)
		rc = jx_id(r, j, "person_id", 1, 0, &in.person_id, NULL);
	if (!rc)
		rc = jx_str(r, j, "kind", 1, 16, &in.kind, NULL);
	if (!rc && !isolation_kind_valid(in.kind))
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be centralized, home or hospital");
	if (!rc)
		rc = jx_str(r, j, "reason", 1, 20, &in.reason, NULL);
	if (!rc && !isolation_reason_valid(in.reason))
		rc = err_set(&r->err, ERR_INVALID, "reason",
			     "must be arrival, close_contact, general_contact, fever, case or other");
	if (!rc)
		rc = jx_str(r, j, "last_exposure_day", 0, 10, &in.last_exposure_day, NULL);
	if (!rc && in.last_exposure_day && day_valid(in.last_exposure_day))
		rc = err_set(&r->err, ERR_INVALID, "last_exposure_day", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_id(r, j, "site_id", 0, 1, &in.site_id, NULL);
	if (!rc)
		rc = jx_id(r, j, "room_id", 0, 1, &in.room_id, NULL);
	if (!rc)
		rc = carers_field(r, in.carers, &has);
	if (!rc)
		rc = jx_str(r, j, "override_reason", 0, 200, &in.override_reason, NULL);
	if (!rc)
		rc = jx_str(r, j, "note", 0, 200, &in.note, NULL);
	if (!rc)
		rc = jx_bool(r, j, "dependent", 0, &in.dependent, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	in.by_user = r->who.user_id;
	in.scope_unit_id = r->who.scope_unit_id;
	int64_t id = 0;
	if ((rc = isolation_order_create(c, &in, &id, &r->err)))
		return rc;
	req_audit_record(r, "isolation", id);
	return respond_order(r, c, id, 201);
}

static int get_order(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 0, NULL, NULL, NULL)))
		return rc;
	return respond_order(r, c, id, 200);
}

static int release_order(struct req *r)
{
	int64_t id = 0;
	const char *outcome = NULL, *reason = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "outcome", 1, 16, &outcome, NULL);
	static const char *const outcomes[] = {"completed", "lifted", "other"};
	if (!rc && !one_of(outcome, outcomes, 3))
		rc = err_set(&r->err, ERR_INVALID, "outcome", "must be completed, lifted or other");
	if (!rc)
		rc = jx_str(r, r->json, "reason", 0, 200, &reason, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	char end[DAY_LEN] = "", today[DAY_LEN];
	clock_day(clock_now(), today);
	struct dbq *q = db_query(c, "SELECT planned_end_day FROM isolations WHERE id = $1", "i", id);
	if (q && db_step(q) == 1)
		snprintf(end, sizeof end, "%s", db_text(q, 0));
	db_done(q);
	/* Before the planned end only an officer's stated reason releases. */
	if (strcmp(today, end) < 0 && (!reason || !*reason))
		return err_set(&r->err, ERR_RULE, "reason",
			       "the observation runs until %s; releasing earlier needs a reason", end);
	if ((rc = isolation_close(c, id, "released", outcome, reason && *reason ? reason : NULL,
				  r->who.user_id, 0, &r->err)))
		return rc;
	req_audit_record(r, "isolation", id);
	return respond_order(r, c, id, 200);
}

int isolation_transfer(struct dbc *c, int64_t id, int64_t site_id, const char *reason,
		       int64_t by_user, int64_t scope_unit_id, int64_t at, int64_t *new_id,
		       struct err_info *ei)
{
	int64_t now = at ? at : clock_now();
	char exposure[DAY_LEN] = "", oreason[20] = "";
	int64_t person = 0;
	struct dbq *q = db_query(c,
				 "SELECT last_exposure_day, reason, person_id FROM isolations WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	if (db_step(q) == 1) {
		snprintf(exposure, sizeof exposure, "%s", db_text(q, 0));
		snprintf(oreason, sizeof oreason, "%s", db_text(q, 1));
		person = db_int(q, 2);
	}
	db_done(q);
	int rc = isolation_close(c, id, "transferred", "hospital", reason, by_user, now, ei);
	if (rc)
		return rc;
	/* The person continues under a hospital order from the same exposure
	 * (from today when that observation had already ended). */
	struct isolation_new in = {.person_id = person,
				   .kind = "hospital",
				   .reason = !strcmp(oreason, "case") ? "case" : "fever",
				   .last_exposure_day = exposure,
				   .site_id = site_id,
				   .source = "transfer",
				   .source_id = id,
				   .by_user = by_user,
				   .scope_unit_id = scope_unit_id,
				   .at = now};
	char today[DAY_LEN], end[DAY_LEN];
	clock_day(now, today);
	isolation_end_day(exposure, (int)settings_int(c, "observation_days"), end);
	if (strcmp(end, today) < 0)
		in.last_exposure_day = today;
	if ((rc = isolation_order_create(c, &in, new_id, ei)) || (rc = tally(c, *new_id, -1, 0)))
		return rc;
	if (db_run(c,
		   "INSERT INTO isolation_carers(isolation_id, role, user_id)"
		   " SELECT $2, role, user_id FROM isolation_carers WHERE isolation_id = $1",
		   "ii", id, *new_id) < 0)
		return ERR_DB;
	return tally(c, *new_id, 1, 0);
}

static int transfer_order(struct req *r)
{
	int64_t id = 0, site = 0;
	const char *reason = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "site_id", 0, 1, &site, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "reason", 0, 200, &reason, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	int64_t nid = 0;
	if ((rc = isolation_transfer(c, id, site, reason && *reason ? reason : NULL, r->who.user_id,
				     r->who.scope_unit_id, 0, &nid, &r->err)))
		return rc;
	req_audit_record(r, "isolation", nid);
	r->audit_detail = arena_printf(&r->arena, "transferred from order %lld", (long long)id);
	return respond_order(r, c, nid, 201);
}

static int extend_order(struct req *r)
{
	int64_t id = 0;
	const char *day = NULL, *reason = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "last_exposure_day", 1, 10, &day, NULL);
	if (!rc && day_valid(day))
		rc = err_set(&r->err, ERR_INVALID, "last_exposure_day", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_str(r, r->json, "reason", 1, 200, &reason, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	char end[DAY_LEN];
	if ((rc = isolation_extend(c, id, day, reason, r->who.user_id, 0, end, &r->err)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_RULE, "last_exposure_day",
			       "an exposure on %s does not move the planned end (%s)", day, end);
	req_audit_record(r, "isolation", id);
	return respond_order(r, c, id, 200);
}

static int set_carers(struct req *r)
{
	int64_t id = 0, carers[ISOLATION_CARERS];
	int has = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = carers_field(r, carers, &has);
	if (!rc && !has)
		rc = err_set(&r->err, ERR_INVALID, "carers", "is required");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char status[16];
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, status)))
		return rc;
	if (strcmp(status, "active") != 0)
		return err_set(&r->err, ERR_CONFLICT, "", "the order is %s, not active", status);
	if ((rc = check_carers(c, carers, &r->err)) || (rc = lock_order(c, id)) ||
	    (rc = tally(c, id, -1, 0)) || (rc = write_carers(c, id, carers)) ||
	    (rc = tally(c, id, 1, 0)))
		return rc;
	char detail[120];
	snprintf(detail, sizeof detail, "leader %lld, party member %lld, medic %lld, cadre %lld",
		 (long long)carers[0], (long long)carers[1], (long long)carers[2],
		 (long long)carers[3]);
	if ((rc = isolation_event(c, id, clock_now(), r->who.user_id, "carers", detail, NULL)))
		return rc;
	req_audit_record(r, "isolation", id);
	return respond_order(r, c, id, 200);
}
