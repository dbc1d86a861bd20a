/* Fevers (DOMAIN.md §2 and §4, Rules: fever, pass colour): a reading at or
 * above the threshold at a checkpoint or gate is a fever record that keeps
 * the person red until a medic follows it up and closes it, re-measured
 * normal at rest or with the referral's outcome. The list of fevers in
 * scope and closing one are routes; the closing rule is pure. */
#ifndef CORDON_FEVERS_H
#define CORDON_FEVERS_H

#include <stdint.h>

#include "../base/err.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table fevers_routes;

/* 1 if outcome is one that closes a fever: "remeasured_normal" (a medic
 * measured again at rest, below the threshold) or "ruled_out" (the fever
 * clinic's referral outcome: not a case). */
int fevers_outcome_valid(const char *outcome);
/* Whether a fever may be closed with this outcome: a re-measure needs its
 * temperature (tenths; has_temp 0 when none given), below threshold.
 * 0, ERR_INVALID naming "outcome" or "temperature", or ERR_RULE naming
 * "temperature" when the re-measure is still a fever. */
int fevers_close_check(const char *outcome, int has_temp, int tenths, int threshold,
		       struct err_info *ei);
/* Closes fever id (when open) at `at` by user `by` (0: none) with outcome,
 * the closing reading (tenths, 0 none) and a note (may be NULL). 1 closed,
 * 0 not open (closed before or no such fever), < 0 a storage error. */
int fevers_close(struct dbc *c, int64_t id, const char *outcome, int tenths, const char *note,
		 int64_t by, int64_t at);

#endif
