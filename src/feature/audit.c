/* placeholder: replaced by the real audit feature */
#include "audit.h"
static const struct route routes[] = {{"GET", "/api/v1/_audit", 0, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(audit_routes, routes);
