/* Routes of the audit feature; see audit.c. */
#ifndef CORDON_AUDIT_H
#define CORDON_AUDIT_H

#include "../http/http.h"

extern const struct route_table audit_routes;

#endif
