/* Route matching: a path against a pattern with {name} segments. Pure
 * functions, unit-tested; the server uses them to pick a handler. */
#ifndef CORDON_ROUTER_H
#define CORDON_ROUTER_H

#include <stddef.h>

#include "http.h"

/* Matches path against pattern. On a match returns the number of literal
 * segments matched (higher is more specific) plus one, and fills names and
 * values (pointing into scratch, which must hold strlen(path)+1 bytes) with
 * at most REQ_MAX_PARAMS parameters; returns 0 when it does not match. */
int router_match(const char *pattern, const char *path, char *scratch, const char **names,
		 const char **values, int *nparams);

struct router;
/* Builds a router from route tables (NULL-terminated array). Returns NULL on
 * out of memory. The tables must outlive the router. */
struct router *router_new(const struct route_table *const *tables);
void router_free(struct router *rt);
/* Finds the route for method and path. Returns the route and its index, or
 * NULL with *status 404 (no path) or 405 (path but not method). */
const struct route *router_find(struct router *rt, const char *method, const char *path,
				char *scratch, const char **names, const char **values,
				int *nparams, int *index, int *status);
/* Writes the methods that path answers to ("GET, POST") into out, for the
 * Allow header of a 405. */
void router_allowed(struct router *rt, const char *path, char *scratch, char *out, size_t cap);
size_t router_count(struct router *rt);
const struct route *router_at(struct router *rt, size_t i);

#endif
