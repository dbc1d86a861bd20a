/* placeholder: replaced by the real command feature */
#include "command.h"
static const struct route routes[] = {{"GET", "/api/v1/_command", 0, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(command_routes, routes);
