/* What people.c (the rules and people_upsert), persons.c (households and
 * persons) and arrivals.c share: recording a fact, the household member
 * counts, the facts a merge settles, and the list and write helpers of the
 * routes. Only those three files include this. */
#ifndef CORDON_PEOPLE_INTERNAL_H
#define CORDON_PEOPLE_INTERNAL_H

#include <stdint.h>

#include "../db/db.h"
#include "people.h"

/* Records one fact of a person (field, value) with its source from in, at now. */
int people_fact(struct dbc *c, int64_t person, const char *field, const char *value,
		const struct person_in *in, int64_t now);

/* Writes out the facts a person was created with while the row still implies them (006_implied_facts.sql), before a change or merge stops it telling them. */
int people_settle_facts(struct dbc *c, int64_t person);

/* Moves a household's member count by delta. */
int people_household_members(struct dbc *c, int64_t household, int64_t delta);

/* The same, deferred in t for a bulk write when t is given. */
int people_tally_members(struct dbc *c, struct people_tally *t, int64_t household, int64_t delta);

#include <jansson.h>

#include "../http/router.h"

#define ARRIVAL_COLS                                                                    \
	"SELECT a.id, a.person_id, a.unit_id, a.origin_code, a.origin_name, a.arrival_date," \
	" a.mode, a.grade, a.handling, a.risk_area_id, u.name, p.name, a.source,"          \
	" a.created_at FROM arrivals a JOIN units u ON u.id = a.unit_id"                    \
	" JOIN persons p ON p.id = a.person_id"

/* What a change needs to know of a person. */
struct person_now {
	int64_t id, unit_id, household_id, merged_into;
	int located;
	char doc_type[20], doc_number[40], name[200], phone[16], sex[2], birth_date[DAY_LEN];
};

/* An arrivals row (ARRIVAL_COLS) as JSON. */
json_t *people_arrival_row(struct dbq *q);

/* Where a list looks: the caller's scope, or the unit_id filter when it
 * lies inside it. 0 with *where set; 1 when the filter is outside scope
 * (the list is empty); <0 error. */
int people_list_where(struct req *r, struct dbc *c, int64_t unit, int64_t *where);

/* The subtree condition for the unit bound at $1: `wide` (walk in id order,
 * each row checked) for a subtree holding a large share of all persons,
 * `narrow` (through the unit index) for a small one. */
const char *people_subtree_sql(struct dbc *c, int64_t where, const char *narrow,
			       const char *wide);

/* An empty page of a list (or its export). */
int people_empty_list(struct req *r, const struct page *pg, const struct list_col *cols,
		      const char *filename);

/* Loads a person for a write: 404 when absent, 403 outside scope, 422 when
 * it was merged into another record (changes go to that one). */
int people_for_write(struct req *r, struct dbc *c, int64_t id, struct person_now *p);

#endif
