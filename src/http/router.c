/* Route matching and lookup; see router.h. A district's API has a few
 * hundred routes; matching every pattern against every request cost more
 * than the rest of a small GET's routing (callgrind: 31k instructions a
 * request at 120 routes). So routes are indexed by a key of the path's shape:
 * its segment count and its first three segments ("api/v1/units"). A request
 * matches only the routes of its key and those whose first three segments
 * hold a {param}; among them the scan that prefers literal segments decides,
 * in table order, as before. */
#include "router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SEGS 3

struct entry {
	uint64_t key;
	size_t i; /* index into routes */
};

struct router {
	const struct route **routes;
	size_t n;
	struct entry *index; /* sorted by key, then i */
};

/* The key of a path or pattern: FNV-1a over its segment count and first
 * KEY_SEGS segments. *wild is set when one of those segments of a pattern
 * is a {param} (such a pattern is keyed by its segment count alone). */
static uint64_t shape_key(const char *path, int *wild)
{
	uint64_t h = 1469598103934665603ULL;
	int nseg = 0;
	*wild = 0;
	const char *keyend = NULL;
	for (const char *s = path; *s; s++)
		if (*s == '/' && ++nseg == KEY_SEGS + 1)
			keyend = s;
	if (!keyend)
		keyend = path + strlen(path);
	for (const char *s = path; s < keyend; s++)
		if (*s == '{')
			*wild = 1;
	if (*wild)
		keyend = path;
	for (const char *s = path; s < keyend; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ (uint64_t)nseg) * 1099511628211ULL;
	return h ^ (uint64_t)*wild;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The first entry with key k, or the end. */
static const struct entry *first_of(const struct router *rt, uint64_t k)
{
	size_t lo = 0, hi = rt->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rt->index[mid].key < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return rt->index + lo;
}

/* The key the wildcard patterns of a path's segment count are filed under:
 * shape_key of a pattern with a {param} early hashes no text. */
static uint64_t wild_key(const char *path)
{
	int nseg = 0;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			nseg++;
	uint64_t h = (1469598103934665603ULL ^ (uint64_t)nseg) * 1099511628211ULL;
	return h ^ 1u;
}

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
	rt->index = calloc(total ? total : 1, sizeof *rt->index);
	if (!rt->index) {
		free(rt->routes);
		free(rt);
		return NULL;
	}
	for (const struct route_table *const *t = tables; *t; t++)
		for (size_t i = 0; i < (*t)->count; i++) {
			int wild;
			rt->index[rt->n].key = shape_key((*t)->routes[i].pattern, &wild);
			rt->index[rt->n].i = rt->n;
			rt->routes[rt->n++] = &(*t)->routes[i];
		}
	qsort(rt->index, rt->n, sizeof *rt->index, entry_cmp);
	return rt;
}

void router_free(struct router *rt)
{
	if (!rt)
		return;
	free(rt->routes);
	free(rt->index);
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
	size_t best_i = 0;
	const struct route *found = NULL;
	const char *tn[REQ_MAX_PARAMS], *tv[REQ_MAX_PARAMS];
	int tnp = 0;
	size_t plen = strlen(path) + 1;
	char *tmp = scratch + plen; /* scratch holds two copies' worth */
	int wild;
	uint64_t keys[2] = {shape_key(path, &wild), wild_key(path)};
	const struct entry *end = rt->index + rt->n;
	for (int k = 0; k < 2; k++) {
		if (k == 1 && (wild || keys[1] == keys[0]))
			break;
		for (const struct entry *e = first_of(rt, keys[k]); e < end && e->key == keys[k];
		     e++) {
			const struct route *r = rt->routes[e->i];
			int np = 0;
			int score = router_match(r->pattern, path, tmp, tn, tv, &np);
			if (!score)
				continue;
			path_seen = 1;
			if (strcmp(r->method, method) != 0 &&
			    !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
				continue;
			/* Table order breaks ties, as the linear scan did. */
			if (score > best || (score == best && e->i < best_i)) {
				best = score;
				best_i = e->i;
				found = r;
				*index = (int)e->i;
				memcpy(scratch, tmp, plen);
				for (int j = 0; j < np; j++) {
					names[j] = tn[j];
					values[j] = scratch + (tv[j] - tmp);
				}
				tnp = np;
			}
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
