/* Route matching and lookup; see router.h. A district's API has a few
 * hundred routes at most, so a linear scan that prefers literal segments is
 * fast enough and easy to reason about. */
#include "router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct router {
	const struct route **routes;
	size_t n;
};

int router_match(const char *pattern, const char *path, char *scratch, const char **names,
		 const char **values, int *nparams)
{
	int literals = 0, np = 0;
	const char *p = pattern, *s = path;
	char *out = scratch;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t sl = se ? (size_t)(se - s) : strlen(s);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			if (sl == 0 || np >= REQ_MAX_PARAMS)
				return 0;
			memcpy(out, s, sl);
			out[sl] = 0;
			values[np] = out;
			names[np] = p + 1; /* up to '}' : callers compare with a length */
			np++;
			out += sl + 1;
		} else {
			if (pl != sl || memcmp(p, s, pl) != 0)
				return 0;
			literals++;
		}
		p += pl;
		s += sl;
	}
	if (*p || *s)
		return 0;
	*nparams = np;
	return literals + 1;
}

struct router *router_new(const struct route_table *const *tables)
{
	struct router *rt = calloc(1, sizeof *rt);
	if (!rt)
		return NULL;
	size_t total = 0;
	for (const struct route_table *const *t = tables; *t; t++)
		total += (*t)->count;
	rt->routes = calloc(total ? total : 1, sizeof *rt->routes);
	if (!rt->routes) {
		free(rt);
		return NULL;
	}
	for (const struct route_table *const *t = tables; *t; t++)
		for (size_t i = 0; i < (*t)->count; i++)
			rt->routes[rt->n++] = &(*t)->routes[i];
	return rt;
}

void router_free(struct router *rt)
{
	if (!rt)
		return;
	free(rt->routes);
	free(rt);
}

size_t router_count(struct router *rt)
{
	return rt->n;
}

const struct route *router_at(struct router *rt, size_t i)
{
	return i < rt->n ? rt->routes[i] : NULL;
}

const struct route *router_find(struct router *rt, const char *method, const char *path,
				char *scratch, const char **names, const char **values,
				int *nparams, int *index, int *status)
{
	int best = 0, path_seen = 0;
	const struct route *found = NULL;
	const char *tn[REQ_MAX_PARAMS], *tv[REQ_MAX_PARAMS];
	int tnp = 0;
	size_t plen = strlen(path) + 1;
	char *tmp = scratch + plen; /* scratch holds two copies' worth */
	for (size_t i = 0; i < rt->n; i++) {
		const struct route *r = rt->routes[i];
		int np = 0;
		int score = router_match(r->pattern, path, tmp, tn, tv, &np);
		if (!score)
			continue;
		path_seen = 1;
		if (strcmp(r->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
			continue;
		if (score > best) {
			best = score;
			found = r;
			*index = (int)i;
			memcpy(scratch, tmp, plen);
			for (int k = 0; k < np; k++) {
				names[k] = tn[k];
				values[k] = scratch + (tv[k] - tmp);
			}
			tnp = np;
		}
	}
	*nparams = tnp;
	if (!found)
		*status = path_seen ? 405 : 404;
	return found;
}

void router_allowed(struct router *rt, const char *path, char *scratch, char *out, size_t cap)
{
	const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; i < rt->n; i++) {
		int np;
		const char *m = rt->routes[i]->method;
		if (!router_match(rt->routes[i]->pattern, path, scratch, names, values, &np) ||
		    strstr(out, m))
			continue;
		int w = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", m);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
}
