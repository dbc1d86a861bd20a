/* Discrepancies (issue 9 §1, issue 10 "Data integrity"): what a field write
 * saw about a registered person that it may not apply — the person lies
 * outside the caller's scope, or the registry holds another name, household
 * or compound — kept for the officers of the person's own unit, who confirm
 * it (applied then) or dismiss it. See 008_discrepancies.sql. */
#ifndef CORDON_DISCREPANCIES_H
#define CORDON_DISCREPANCIES_H

#include "people.h"

extern const struct route_table discrepancies_routes;

/* Records what `in` and `seen` say about the person found (*f) as an open
 * discrepancy of `kind` (out_of_scope, name, household, fever) for the
 * person's unit, on the caller's write connection. *id gets it. 0 or an
 * error. */
int discrepancy_record(struct dbc *c, const struct person_found *f, const struct person_in *in,
		       const struct person_seen *seen, const char *kind, int64_t *id);
/* A reading seen for person_id (a gate or checkpoint fever) of a person the
 * caller may not change: an open discrepancy of kind `fever` for the
 * person's unit. source/source_id: the scan or check. 0 or an error. */
int discrepancy_fever(struct dbc *c, int64_t person_id, const char *source, int64_t source_id,
		      int64_t seen_unit_id, int64_t tenths, int64_t seen_by, int64_t device_id,
		      int64_t at, int64_t *id);
/* 1 when kind is a discrepancy kind; 1 when status is a list filter
 * (open, confirmed, dismissed, all). Pure. */
int discrepancy_kind_valid(const char *kind);
int discrepancy_status_filter_valid(const char *status);

#endif
