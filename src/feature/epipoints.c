/* Epidemic points (疫点, DOMAIN.md §6, Rules: epidemic point): a place where
 * a case stayed — a building, a compound, a hotel — opened with its cases,
 * worked through the 9-step procedure (a setting: epipoint_procedure),
 * staffed by three work groups on a four-team, three-shift roster, and
 * lifted once 14 days have passed with no new case linked to it and every
 * linked contact's observation has ended. An open point on a compound
 * closes its gates to everyone but the point's staff (gates.c asks
 * epipoints_sealed). */
#include "cases.h"

#include <stdio.h>
#include <string.h>

/* ---------- pure rules ---------- */

int epipoints_lift_blockers(const char *day, const char *last_case_day, int quiet_days,
			    const char *const *obs_end, const int64_t *persons, size_t n,
			    struct epi_blocker *out, size_t cap)
{
	if (day_valid(day) || (last_case_day && day_valid(last_case_day)))
		return -1;
	size_t k = 0;
	if (last_case_day && day_diff(last_case_day, day) < quiet_days) {
		if (k < cap) {
			out[k] = (struct epi_blocker){.kind = "quiet_days"};
			day_add(last_case_day, quiet_days, out[k].until);
		}
		k++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!obs_end[i] || day_valid(obs_end[i]))
			continue;
		if (strcmp(obs_end[i], day) > 0) {
			if (k < cap) {
				out[k] = (struct epi_blocker){.kind = "observation",
							      .person_id = persons[i]};
				snprintf(out[k].until, sizeof out[k].until, "%s", obs_end[i]);
			}
			k++;
		}
	}
	return (int)k;
}
