/* Settings the Rules of DOMAIN.md (and operations) make adjustable: one
 * table of definitions with defaults in code; values an admin changed live
 * in the settings table, each change audited. */
#ifndef CORDON_SETTINGS_H
#define CORDON_SETTINGS_H

#include <stdint.h>

#include "http.h"

struct setting_def {
	const char *key;
	int64_t def, min, max;
	const char *description;
};

/* The current value of a setting (its default when unset or unknown). */
int64_t settings_int(struct dbc *c, const char *key);

extern const struct route_table settings_routes;

#endif
