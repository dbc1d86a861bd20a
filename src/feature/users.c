/* placeholder: replaced by the real users feature */
#include "users.h"
static const struct route routes[] = {{"GET", "/api/v1/_users", 0, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(users_routes, routes);
