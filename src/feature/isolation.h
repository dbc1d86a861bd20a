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
extern const struct route_table monitoring_routes; /* checks, alerts, self-report, figures */
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

#endif
