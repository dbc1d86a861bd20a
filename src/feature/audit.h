/* The audit log, read-only: routes and the list of actions it records. */
#ifndef CORDON_AUDIT_H
#define CORDON_AUDIT_H

#include "../http/http.h"

extern const struct route_table audit_routes;

/* 1 if action is one the log records: write, read, login, logout, denied. */
int audit_action_valid(const char *action);

#endif
