/* placeholder: replaced by the real screening feature */
#include "screening.h"
static int todo(struct req *r) { return err_set(&r->err, ERR_NOT_FOUND, "", "not yet"); }
static const struct route routes[] = {{"GET", "/api/v1/_screening", todo, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(screening_routes, routes);
