/* Routes of the command feature; see command.c. */
#ifndef CORDON_COMMAND_H
#define CORDON_COMMAND_H

#include "../http/http.h"

extern const struct route_table command_routes;

#endif
