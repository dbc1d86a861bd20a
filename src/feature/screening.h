/* Door-to-door screening (走访摸排, DOMAIN.md §7): rounds over a scope
 * unit, 一托三 teams given compounds, visits to households that create or
 * update the persons found, the re-check queue of empty homes and live
 * coverage per unit kept as counters by the visit writes. */
#ifndef CORDON_SCREENING_H
#define CORDON_SCREENING_H

#include <stddef.h>
#include <stdint.h>

#include "../db/db.h"
#include "../http/http.h"
#include "people.h"

extern const struct route_table screening_routes;

/* ---- pure rules ---- */

/* 1 if method is "door", "phone" or "app". */
int screening_method_valid(const char *method);
/* 1 if result is "visited", "empty", "refused" or "moved". */
int screening_result_valid(const char *result);
/* 1 if a round may be held over a unit of this kind (district, town,
 * subdistrict, village, community). */
int screening_round_kind_ok(const char *kind);
/* 1 if a team may belong to a unit of this kind (community, village). */
int screening_team_kind_ok(const char *kind);
/* 1 if persons may be recorded with a visit of this result (visited,
 * refused): an empty home or one whose people moved away has nobody to
 * register there. */
int screening_result_has_persons(const char *result);
/* The status a household gets from its latest visit: "occupied" (visited,
 * refused) or "empty" (empty, moved); NULL for an unknown result. */
const char *screening_household_status(const char *result);

/* A household's state in a round before a visit. */
struct round_hh {
	int known;          /* 0: not yet reached in this round */
	int visited;        /* 1: a visit of this round already found someone there */
	int pending_empty;  /* 1: waiting in the re-check queue */
	int64_t last_at;    /* time of its latest visit */
};

/* What a visit changes. */
struct visit_effect {
	int households_visited; /* +1 the first time a visit of the round finds someone there */
	int empties_pending;    /* -1, 0 or +1 for the re-check queue's count */
	int newest;             /* 1 when this visit is now the household's latest */
	int pending_empty;      /* the household's queue state after the visit */
};

/* The transition of a household in a round given its previous state and a
 * visit (result at time `at`). A household counts as visited (the bulletin's
 * households per round) once a visit of the round finds someone there
 * (result 'visited'); empty, refused and moved reach it without counting.
 * It waits in the re-check queue while its latest result is 'empty', unless
 * empty_confirmed (a re-check already found it empty). A visit older than
 * the latest (an offline queue sending late) counts but does not change the
 * latest result. Returns 0, or -1 for an unknown result. */
int screening_transition(const struct round_hh *prev, const char *result, int64_t at,
			 int empty_confirmed, struct visit_effect *out);
/* Coverage rate visited/households rounded to 4 decimals (0 when there are
 * no households). */
double screening_rate(int64_t visited, int64_t households);

/* ---- storing a visit (the API and the demo generator) ---- */

/* One person found on a visit. */
struct visit_person {
	struct person_in p;       /* unit_id, household_id, located, source filled by the store */
	const char *origin_code;  /* a division code or name, or NULL */
	const char *arrival_date; /* YYYY-MM-DD, with origin_code */
	const char *mode;         /* car train plane other, or NULL (other) */
	/* out */
	int64_t person_id;        /* 0 when the person met lies outside the scope (held) */
	int created;
	int64_t arrival_id;
	struct person_seen seen;  /* what was not applied (a discrepancy), if anything */
};

/* A validated visit. */
struct visit_in {
	int64_t round_id;
	int64_t household_id;
	int64_t unit_id;          /* the household's unit */
	int empty_confirmed;      /* the household's flag */
	int64_t team_id;          /* 0: none */
	int64_t at;
	const char *method;
	const char *result;
	const char *note;
	const char *client_id;    /* may be NULL */
	int64_t created_by;       /* user id, 0 for a device or the generator */
	int64_t device_id;        /* the device, 0 for a user */
	int64_t scope_unit_id;    /* the visitor's scope: a person registered outside it is
				   * not changed (a discrepancy for their unit); 0: none */
	size_t npersons;
	struct visit_person *persons;
};

/* Stores a visit inside the caller's transaction: the visit row, each
 * person through people_upsert (located at the household, source "visit")
 * with its arrival, visit_persons, round_persons (new ones counted), the
 * household's round state and the coverage counters of its unit and every
 * ancestor, and the household's status. The input must already be
 * validated (people_validate, scope); errors name persons[i].field. *id
 * gets the visit. */
int screening_visit_store(struct dbc *c, struct visit_in *v, int64_t now, int64_t *id,
			  struct err_info *ei);

/* The round day counters (round_days, 024_round_days.sql): per round, unit
 * (and every unit above it) and local day, the households first found
 * someone at and the persons first found that day; kept by
 * screening_visit_store, by the merge below and by units moved (units.c),
 * in the caller's transaction. Each returns 0 or a negative error. */
/* Person person_id merges into survivor_id: for each round that found both,
 * the other's row goes (the caller deletes it) and leaves the counters. */
int screening_days_unmerge(struct dbc *c, int64_t person_id, int64_t survivor_id);
/* Counts round_days afresh from round_households and round_persons: for
 * rows written in bulk (the demo). */
int screening_days_rebuild(struct dbc *c);

#endif
