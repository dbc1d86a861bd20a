/* Routes of the users feature; see users.c. */
#ifndef CORDON_USERS_H
#define CORDON_USERS_H

#include "../http/http.h"

extern const struct route_table users_routes;

#endif
