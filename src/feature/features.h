/* Every feature's route table, in the order the router sees them. main.c
 * hands this list to the server; a new feature adds its table here. */
#ifndef CORDON_FEATURES_H
#define CORDON_FEATURES_H

#include "../http/http.h"

extern const struct route_table *const feature_tables[];

#endif
