/* Routes of the screening feature; see screening.c. */
#ifndef CORDON_SCREENING_H
#define CORDON_SCREENING_H

#include "../http/http.h"

extern const struct route_table screening_routes;

#endif
