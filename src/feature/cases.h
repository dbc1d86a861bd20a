/* Cases (病例, DOMAIN.md §5): a person with a dated status history —
 * suspected, confirmed, asymptomatic, excluded, cured, died — and the
 * figures the bulletin reports for any day, computed from that history by
 * one pure function (cases_figures), with the epidemic curve beside them.
 * Contacts and trajectories are in contacts.c, epidemic points in
 * epipoints.c; their headers are below, so callers (the bulletin, the
 * demo) include this one. */
#ifndef CORDON_CASES_H
#define CORDON_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table cases_routes;
extern const struct route_table contacts_routes;
extern const struct route_table epipoints_routes;

/* ---- case status (pure) ---- */

/* 1 when s is suspected, confirmed, asymptomatic, excluded, cured or died. */
int cases_status_valid(const char *s);
/* 1 when s is mild, severe or critical. */
int cases_severity_valid(const char *s);
/* 1 when a case reported with status s is a legal first status: suspected,
 * confirmed or asymptomatic. */
int cases_initial_ok(const char *s);
/* 1 when a case now in `from` may move to `to`: suspected → confirmed,
 * asymptomatic, excluded, died; asymptomatic → confirmed, excluded, died;
 * confirmed → cured, died; excluded → suspected (a new test); nothing after
 * cured or died. So cured is only ever reached through confirmed. */
int cases_transition_ok(const char *from, const char *to);

/* One entry of a case's history: the status from `day` on, and its
 * severity when the entry set one ("" keeps the one before). */
struct case_event {
	char status[16];
	char severity[12];
	char day[DAY_LEN];
};

/* A case's history, entries in the order they were made (days never go
 * back: the API refuses that). */
struct case_hist {
	int medical_worker;
	const struct case_event *ev;
	size_t nev;
};

/* The bulletin's case figures as of the end of a day. */
struct case_figures {
	int64_t confirmed_total;          /* ever confirmed by the day */
	int64_t cured_total;              /* cured by the day */
	int64_t deaths_total;             /* confirmed cases dead by the day */
	int64_t critical_now;             /* confirmed, not cured or dead, critical on the day */
	int64_t medical_workers_infected; /* medical workers among the confirmed */
	int64_t new_confirmed;            /* confirmed on the day */
	int64_t days_without_new_confirmed; /* consecutive days ending on the day */
	int since_records_start;          /* no confirmed case yet: counted from records_start */
	char last_confirmed_day[DAY_LEN]; /* "" when none */
};

/* The figures as of `day` from n case histories. The run of days without a
 * new confirmed case ends on `day`: day − the last confirmation day (0 on a
 * day with one); before any confirmation it is counted from records_start
 * (inclusive, 0 if day is before it) and since_records_start is set.
 * 0, or -1 when day (or records_start) is not a day. */
int cases_figures(const struct case_hist *h, size_t n, const char *day, const char *records_start,
		  struct case_figures *out);

/* The same figures from the records: the cases whose unit lies in the
 * subtree of scope (the district for the whole bulletin), as of `day`.
 * Records start on the scope unit's creation day, or on the first case
 * event if earlier. 0 or an error (ERR_INVALID for a bad day). For the
 * bulletin (issue 17) and GET /api/v1/cases/figures. */
int cases_figures_as_of(struct dbc *c, int64_t scope, const char *day, struct case_figures *out);

/* A case as reported (POST /api/v1/cases and the demo). */
struct case_in {
	int64_t person_id;
	int64_t unit_id;         /* the person's unit (the caller looks it up) */
	const char *status;      /* suspected, confirmed or asymptomatic */
	const char *onset_day;   /* may be NULL */
	const char *report_day;
	const char *severity;    /* may be NULL */
	int medical_worker;
	const char *hospital;    /* may be NULL */
	const char *found_by;    /* may be NULL */
	int64_t isolated_at;     /* 0: not known */
};

/* Writes a case and its first history entry on c (the caller's
 * transaction), input already validated. *id gets the case. 0 or an error
 * (ERR_CONFLICT when the person is a case already). */
int cases_create(struct dbc *c, const struct case_in *in, int64_t user, int64_t now, int64_t *id);
/* Moves case id to status (or, with the same status, to a new severity)
 * on day, on c. ERR_RULE in ei naming both states for an illegal move, or
 * a day before the last change; ERR_NOT_FOUND for no such case. */
int cases_transition(struct dbc *c, int64_t id, const char *status, const char *severity,
		     const char *day, const char *note, int64_t user, int64_t now,
		     struct err_info *ei);
/* The scope check of a case for r (404 when unseen; 403 for a write out
 * of scope). For contacts.c and epipoints.c. */
int cases_check_access(struct req *r, struct dbc *c, int64_t id, int write);

/* ---- contacts (contacts.c) ---- */

/* 1 when two instants a and b lie within window_min minutes of each other
 * (exactly window_min minutes apart is within). */
int contacts_within(int64_t a, int64_t b, int window_min);

/* The start of a case's contact window: local midnight `days_before` days
 * before the onset day (or the report day when there is no onset).
 * INT64_MIN when the day is not one. */
int64_t contacts_window_start(const char *onset_day, const char *report_day, int days_before);

/* One reason a person is a candidate. */
struct cand_reason {
	int64_t person_id;
	const char *kind;  /* household, gate, vehicle, train, place */
	const char *place; /* in words */
	int64_t from, to;  /* the overlap, Unix seconds; 0 for household */
	int64_t order;     /* the order the reasons were found in */
};

/* Sorts n reasons so that each person's reasons come together, persons in
 * the order of their first reason and each person's reasons in the order
 * found, and drops exact repeats (same person, kind, place and times).
 * Returns the new count. */
size_t contacts_merge(struct cand_reason *r, size_t n);

/* What a decision does to the person: close contacts are isolated (the
 * order is made in the same transaction) and red until their observation
 * ends; general contacts are registered for home observation and yellow
 * until then; none records that the officer looked. The observation's
 * last day is last_exposure_day + obs_days (into end). 0, or -1 when the
 * decision or the day is not valid. */
int contacts_observation_end(const char *decision, const char *last_exposure_day, int obs_days,
			     char end[DAY_LEN]);

/* The step that isolates a close contact, in the caller's transaction on
 * c: an already isolated person's order is extended by the new exposure
 * (isolation_extend); otherwise an isolation order (reason close_contact,
 * source the contact) in a free room of a designated hotel serving the
 * person's area, at home where no place exists, or where the isolation
 * rules' advice says otherwise (a fever: hospital; an infant: home).
 * *order_id gets the order. 0 or an error with ei filled. */
int contacts_isolate(struct dbc *c, int64_t person_id, int64_t contact_id,
		     const char *last_exposure_day, int64_t user_id, int64_t now, int64_t *order_id,
		     struct err_info *ei);

/* Records an officer's decision on person_id for case_id on c (the
 * caller's transaction; input validated, scope checked): the contact row
 * (one per case and person: a second decision, also a racing one, is
 * ERR_CONFLICT naming person_id) with its observation end, and for a close
 * contact the isolation order (contacts_isolate). reasons is the
 * candidate's reasons as JSON text (may be NULL). *id the contact, *order_id
 * the order or 0. 0 or an error with ei filled. */
int contacts_decide(struct dbc *c, int64_t case_id, int64_t person_id, int64_t unit_id,
		    const char *decision, const char *last_exposure_day, const char *reasons,
		    int64_t user, int64_t now, int64_t *id, int64_t *order_id, struct err_info *ei);
/* Takes the gate-scan or checkpoint-screening row source_id (source
 * gate_log or checkpoint_log) into case_id's trajectory when it is the case
 * person's row. 0 and *id the stay; 1 when nothing was taken (taken
 * already, or not the person's row); or an error. */
int contacts_take_log(struct dbc *c, int64_t case_id, const char *source, int64_t source_id,
		      int64_t user, int64_t now, int64_t *id);
/* Adds a typed stay (source interview or bigdata) to a case's trajectory
 * on c: kind unit (unit_id), checkpoint (checkpoint_id), train, vehicle,
 * venue or address (place in words). *id the stay. 0 or an error. */
int contacts_add_stay(struct dbc *c, int64_t case_id, const char *kind, int64_t unit_id,
		      int64_t checkpoint_id, const char *place, int64_t from, int64_t to,
		      const char *source, int64_t user, int64_t now, int64_t *id);

/* ---- epidemic points (epipoints.c) ---- */

/* A blocker of lifting, in words. */
#define EPI_MAX_BLOCKERS 64
struct epi_blocker {
	const char *kind;     /* "quiet_days" or "observation" */
	int64_t person_id;    /* observation: the contact */
	char until[DAY_LEN];  /* the first day it no longer blocks */
};

/* Lifting a point on `day`: eligible when quiet_days have passed since the
 * last case linked to it was reported (day − last_case_day ≥ quiet_days)
 * and every linked contact's observation has ended (its end day < day).
 * obs_end[i] are the contacts' observation end days, persons[i] theirs.
 * Fills at most cap blockers and returns their number (0: eligible), or -1
 * when a day is not one. */
int epipoints_lift_blockers(const char *day, const char *last_case_day, int quiet_days,
			    const char *const *obs_end, const int64_t *persons, size_t n,
			    struct epi_blocker *out, size_t cap);

/* The epidemic point figures as of `day` in scope: points opened by the
 * day, lifted by the day, open on the day, and the first and last lifting
 * days ("" when none). For the bulletin (issue 17). 0 or an error. */
struct epi_figures {
	int64_t total;
	int64_t lifted;
	int64_t open;
	char first_lifted_day[DAY_LEN];
	char last_lifted_day[DAY_LEN];
};
int epipoints_figures_as_of(struct dbc *c, int64_t scope, const char *day, struct epi_figures *out);

/* Whether the gates of compound unit_id are closed by an open epidemic
 * point: 1 with *point_id (and *staff when person_id is one of its work
 * groups' members, who still pass), 0 not sealed, <0 error. For gates.c. */
int epipoints_sealed(struct dbc *c, int64_t unit_id, int64_t person_id, int64_t *point_id,
		     int *staff);

/* The write paths of the API, for the demo too, on c in the caller's
 * transaction (input validated, scope checked). */
/* Opens a point at unit_id with its cases and the procedure's steps. */
int epipoints_open(struct dbc *c, int64_t unit_id, const char *name, const int64_t *case_ids,
		   size_t ncases, const char *opened_day, int64_t user, int64_t now, int64_t *id);
/* Marks step pos done at `at`: 1 done now, 0 it was done already or no such
 * step, <0 error. */
int epipoints_step_done(struct dbc *c, int64_t id, int pos, const char *note, int64_t user,
			int64_t at);
/* Adds a member to work group incident, health or supply, team 0..3. */
int epipoints_add_member(struct dbc *c, int64_t id, const char *group, const char *name,
			 int64_t person_id, const char *phone, int team, int64_t now, int64_t *mid);
/* Lays out 四班三运转 (checkpoints_roster: 4 teams, 8-hour shifts) for
 * `days` days from `from`. The number of shifts, or <0. */
int epipoints_roster(struct dbc *c, int64_t id, const char *from, int days);
/* Lifts point id on day when nothing blocks it: ERR_RULE (field day) with
 * *blockers (a JSON array the caller frees) otherwise; ERR_CONFLICT when
 * lifted already. */
int epipoints_lift(struct dbc *c, int64_t id, const char *day, int64_t user, json_t **blockers,
		   struct err_info *ei);

#endif
