/* The one scope check: every record belongs to a unit, and a principal
 * sees and changes only records in the subtree of its scope unit. Single
 * reads outside it are 404 (the record's existence is not revealed), writes
 * 403. Lists filter with SCOPE_SQL. */
#ifndef CORDON_SCOPE_H
#define CORDON_SCOPE_H

#include <stdint.h>

#include "http.h"

/* SQL condition that `col` (a unit id) lies in the subtree of the unit bound
 * at parameter $n, e.g. SCOPE_SQL("p.unit_id", "3"). Bind the principal's
 * scope_unit_id there. */
#define SCOPE_SQL(col, n) \
	col " IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $" n ")"

/* 1 if unit_id lies in the subtree of ancestor_id (or is it), 0 if not,
 * <0 on a storage error. */
int scope_contains(struct dbc *c, int64_t ancestor_id, int64_t unit_id);
/* Checks that the record of `what` in unit_id is within the request's
 * scope. Returns 0, or ERR_NOT_FOUND (for reads: "no such <what>") or
 * ERR_FORBIDDEN (for writes), with r->err filled. */
int scope_check(struct req *r, int64_t unit_id, int write, const char *what);

/* District-wide changes (rule settings, the pass signing keys) need a
 * principal whose scope is the whole district (the root unit): 0, or
 * ERR_FORBIDDEN naming what was refused. */
int scope_district_wide(struct req *r);

#endif
