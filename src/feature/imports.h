/* Routes of the imports feature; see imports.c. */
#ifndef CORDON_IMPORTS_H
#define CORDON_IMPORTS_H

#include "../http/http.h"

extern const struct route_table imports_routes;

#endif
