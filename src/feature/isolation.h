/* Isolation (DOMAIN.md §8 and Rules: medical observation, where people go,
 * pass colour): designated sites with rooms, isolation orders with their
 * history, placement advice, the observation's end day, and the functions
 * other features (close contacts, the demo) use to order, extend and close
 * isolation inside their own transaction. Monitoring (checks, alerts, the
 * self-report link) is monitoring.c; 4包1 carers and service requests are
 * carers.c; all three share this header. */
#ifndef CORDON_ISOLATION_H
#define CORDON_ISOLATION_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table isolation_routes;  /* sites, rooms, orders */
extern const struct route_table monitoring_routes; /* checks, alerts, self-report, notice */
extern const struct route_table monitoring_figures_routes; /* the monitoring page's figures */
extern const struct route_table carers_routes;     /* carers' lists, service requests */

/* ---------- pure rules ---------- */

/* 1 if s is one of the values. */
int isolation_kind_valid(const char *s);   /* centralized home hospital */
int isolation_reason_valid(const char *s); /* arrival close_contact general_contact fever case other */

/* The planned end of an observation: last exposure day + obs_days, in
 * local calendar days, into out. 0, or -1 when the day is not valid. */
int isolation_end_day(const char *last_exposure, int obs_days, char out[DAY_LEN]);
/* A new exposure on an order ending `current_end`: the later of the
 * current end and exposure + obs_days into out. Returns 1 when that moves
 * the end, 0 when it does not, -1 on an invalid day. */
int isolation_extend_end(const char *current_end, const char *exposure, int obs_days,
			 char out[DAY_LEN]);

/* What placement advice reads about a person. */
struct advice_in {
	const char *grade;  /* grade of an arrival under observation, or NULL */
	const char *reason; /* the order's reason (the contact status), or NULL */
	int temp;           /* latest temperature in tenths, 0 unknown */
	int fever_at;       /* the fever setting (373) */
	int suspect;        /* a suspected or confirmed case */
	int age_years;      /* -1 unknown */
	int dependent;      /* cannot look after themselves */
};
struct advice {
	const char *kind; /* centralized home hospital */
	const char *why;  /* fever suspect close_contact worst_hit other_province general_contact none */
	const char *note; /* NULL, "infant" or "dependent" (home instead of centralized) */
};
/* DOMAIN.md's "where people go": fever or suspect -> hospital; a close
 * contact or an arrival from a centralized grade -> centralized (infants
 * and dependents -> home with a note); another province or a general
 * contact -> home; anything else -> home. */
void isolation_advise(const struct advice_in *in, struct advice *out);

/* ---------- orders, for other features ---------- */

#define ISOLATION_CARERS 4 /* leader, party member, medical worker, community cadre */
extern const char *const isolation_carer_roles[ISOLATION_CARERS];

struct isolation_new {
	int64_t person_id;
	const char *kind;              /* centralized home hospital */
	const char *reason;            /* see isolation_reason_valid */
	const char *last_exposure_day; /* NULL: the person's latest arrival day (reason arrival) */
	int64_t site_id, room_id;      /* 0: none; a centralized order needs a room */
	int64_t carers[ISOLATION_CARERS]; /* user ids by isolation_carer_roles; 0 a gap */
	const char *override_reason;   /* needed when kind differs from the advice */
	int dependent;                 /* advice input: cannot look after themselves */
	const char *note;
	const char *source;            /* "manual", "contact", "transfer", "demo" (NULL: manual) */
	int64_t source_id;
	int64_t by_user;               /* who orders it (0: the system) */
	int64_t scope_unit_id;         /* the orderer's scope; 0 skips scope checks (demo) */
	int64_t at;                    /* when; 0: clock_now() */
};

/* Creates an active order in the caller's transaction on c: validates the
 * values (ERR_INVALID naming the field), the person (ERR_NOT_FOUND, or
 * ERR_FORBIDDEN outside scope_unit_id), one active order per person
 * (ERR_CONFLICT naming the existing order, whose id goes to *id_out), the
 * advice (ERR_RULE naming override_reason), the room (ERR_RULE naming a
 * full room); takes the bed, records the carers and the history. *id_out
 * gets the new order's id. ei gets the message. */
int isolation_order_create(struct dbc *c, const struct isolation_new *in, int64_t *id_out,
			   struct err_info *ei);
/* The person's active order into *id: 1 found, 0 none, <0 error. */
int isolation_active_of(struct dbc *c, int64_t person_id, int64_t *id);
/* A new exposure on an active order: moves its planned end to exposure +
 * observation days when that is later, with the history saying why.
 * 1 extended (new end in new_end, may be NULL), 0 unchanged, <0 error. */
int isolation_extend(struct dbc *c, int64_t id, const char *exposure, const char *reason,
		     int64_t by_user, int64_t at, char *new_end, struct err_info *ei);
/* Closes an active order as status ("released", "transferred", "ended")
 * with an outcome and a reason: frees its bed, revokes its self-report
 * link, records the history. ERR_CONFLICT when it is not active. */
int isolation_close(struct dbc *c, int64_t id, const char *status, const char *outcome,
		    const char *reason, int64_t by_user, int64_t at, struct err_info *ei);
/* Appends a history row. */
int isolation_event(struct dbc *c, int64_t id, int64_t at, int64_t user, const char *action,
		    const char *detail, const char *reason);

/* ---------- shared by isolation.c, monitoring.c and carers.c ---------- */

/* Loads an order's unit and status and checks the caller's scope (404 for
 * a read outside it, 403 for a write). unit, person and status may be NULL.
 * A carer of the order passes the check too. */
int isolation_load(struct req *r, struct dbc *c, int64_t id, int write, int64_t *unit,
		   int64_t *person, char status[16]);
/* 1 when the signed-in user is one of the order's carers. */
int isolation_is_carer(struct dbc *c, int64_t id, int64_t user_id);

/* ---------- monitoring (monitoring.c) ---------- */

/* The symptoms a check may list (a fixed list), and the alert outcomes. */
#define MONITOR_SYMPTOMS 8
extern const char *const monitor_symptoms[MONITOR_SYMPTOMS];
/* 1 when s is a listed symptom. */
int monitor_symptom_valid(const char *s);
/* 1 when a temperature (tenths) is a fever at the threshold fever_at
 * (tenths): 372 is not one at 373, 373 is. */
int monitor_is_fever(int temp, int fever_at);

/* The two daily windows, as local hours [from, until). */
struct check_windows {
	int morning_from, morning_until, evening_from, evening_until;
};
/* Reads the windows from the settings. */
void monitor_windows(struct dbc *c, struct check_windows *w);
/* The slot a check at local hour belongs to: "morning", "evening" or
 * "other" (outside both windows). */
const char *monitor_slot(int hour, const struct check_windows *w);
/* What is owed on a day: for a past day both windows; for today those
 * whose window has closed; for a later day none. The instants the windows
 * close bound which orders owed them (an order made after a window closed
 * did not). */
struct owed {
	int64_t m_due, e_due, m_end, e_end;
	char day[DAY_LEN];
};
void monitor_owed_on(struct dbc *c, const char *day, struct owed *o);
/* Which checks due by local hour `hour` of a day are missed: bit 1 the
 * morning, bit 2 the evening. morning/evening say whether they were done;
 * since_hour is the local hour the order began that day (-1: before the
 * day), and a window that closed before it began is not owed. */
int monitor_missed(int hour, int morning, int evening, int since_hour,
		   const struct check_windows *w);
/* An active order whose planned end has come (today >= planned_end) is due
 * for release when no fever or symptom was recorded on any of the last
 * quiet_days days (today included): last_bad_day is the latest such day
 * or NULL. 1 due, 0 not. */
int monitor_release_due(const char *today, const char *planned_end, const char *last_bad_day,
			int quiet_days);

struct check_in {
	int64_t isolation_id;
	int temp;              /* tenths of a degree, 340..430 */
	const char *symptoms;  /* comma-separated listed symptoms, "" for none */
	const char *by_kind;   /* "carer", "medic", "self" */
	int64_t by_user;       /* 0 for the person */
	const char *client_id; /* NULL: none; a retry with the same one is stored once */
	int64_t at;            /* 0: clock_now() */
};
struct check_out {
	int64_t id;
	int64_t alert_id; /* an alert this check raised, or 0 */
	int replay;       /* 1: the client id was stored before; id is that check */
};
/* Records a health check on an active order in the caller's transaction:
 * its local day and slot, the day's summary (check_days), and an alert for
 * a fever or a symptom (one open alert per order and kind). ERR_CONFLICT
 * when the order is not active. */
int monitor_check_add(struct dbc *c, const struct check_in *in, struct check_out *out,
		      struct err_info *ei);
/* The day's check done in `slot` ("morning"/"evening") on order iso of
 * unit: marks it on check_days and, the first time, counts it in
 * check_day_counts (monitoring_figures.c). */
int monitor_count_check(struct dbc *c, int64_t iso, int64_t unit, const char *day,
			const char *slot);
/* An order closed on day `from`: its check days from then on leave
 * check_day_counts (the closing write, isolation_close). */
int monitor_uncount_days(struct dbc *c, int64_t iso, const char *from);
/* Closes an alert with an outcome ("transferred_120", "normal", "other");
 * transferred_120 also transfers its order to a hospital. */
int monitor_alert_close(struct dbc *c, int64_t alert_id, const char *outcome, const char *note,
			int64_t by_user, int64_t scope_unit_id, int64_t at, struct err_info *ei);
/* Issues a self-report link for an active order (a new one replaces the
 * old): the token into token[SELF_TOKEN_MAX] and its expiry (the end of
 * the planned end day). */
#define SELF_TOKEN_MAX 64
int monitor_link_issue(struct dbc *c, int64_t id, int64_t by_user, int64_t at,
		       char token[SELF_TOKEN_MAX], int64_t *expires_at, struct err_info *ei);

/* What the pass colour reads about isolation (passes.c): the active
 * order's reason (reason[0] 0 when none), its kind, whether a check is
 * missed now, and whether a fever alert is open. today is the local day. */
struct isolation_facts {
	char reason[20], kind[16];
	int missed;
	int fever_alert;
};
int isolation_colour_facts(struct dbc *c, int64_t person_id, const char *today,
			   struct isolation_facts *f);

/* The person card's isolation: {"active": ORDER|null, "orders": [...],
 * "colour", "colour_reason", "open_alerts"}; a new reference. */
json_t *isolation_person_card(struct dbc *c, int64_t person_id);

/* Moves an active order to a hospital: closes it as transferred and opens
 * a hospital order from the same exposure with the same carers; *new_id
 * gets it. site_id 0: no hospital named yet. */
int isolation_transfer(struct dbc *c, int64_t id, int64_t site_id, const char *reason,
		       int64_t by_user, int64_t scope_unit_id, int64_t at, int64_t *new_id,
		       struct err_info *ei);

/* ---------- service requests (carers.c) ---------- */

struct request_in {
	int64_t isolation_id;
	const char *kind; /* health psychological shopping meals */
	const char *note;
	int by_self;
	int64_t by_user;
	const char *client_id;
	int64_t at;
};
/* 1 when kind is a service. */
int carers_kind_valid(const char *kind);
/* Opens a service request on an active order, due after the kind's
 * setting; *id gets it (a retry with the same client id: the first). */
int carers_request_add(struct dbc *c, const struct request_in *in, int64_t *id,
		       struct err_info *ei);

#endif
