/* The list of route tables; see features.h. */
#include "features.h"

#include "../http/auth.h"
#include "../http/settings.h"
#include "audit.h"
#include "command.h"
#include "units.h"
#include "users.h"

const struct route_table *const feature_tables[] = {
	&session_routes, &settings_routes, &units_routes, &command_routes,
	&users_routes,   &audit_routes,    NULL,
};
