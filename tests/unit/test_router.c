/* Router pattern matching and lookup: the right handler for each path, 404
 * for unknown paths, 405 for a known path with the wrong method, literal
 * segments preferred over {params}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/features.h"
#include "http/router.h"

static int h(struct req *r) { (void)r; return 0; }

static void match_literal_and_params(void **state)
{
	(void)state;
	char scratch[256];
	const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
	int np = -1;
	assert_int_equal(router_match("/api/v1/units", "/api/v1/units", scratch, names, values, &np), 4);
	assert_int_equal(np, 0);
	assert_true(router_match("/api/v1/units/{id}", "/api/v1/units/42", scratch, names, values, &np));
	assert_int_equal(np, 1);
	assert_string_equal(values[0], "42");
	assert_int_equal(strncmp(names[0], "id}", 3), 0);
	assert_true(router_match("/api/v1/devices/{id}/revoke", "/api/v1/devices/7/revoke", scratch,
				 names, values, &np));
	assert_string_equal(values[0], "7");
}

static void no_match(void **state)
{
	(void)state;
	char scratch[256];
	const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
	int np;
	assert_false(router_match("/api/v1/units/{id}", "/api/v1/units", scratch, names, values, &np));
	assert_false(router_match("/api/v1/units/{id}", "/api/v1/units/", scratch, names, values, &np));
	assert_false(router_match("/api/v1/units", "/api/v1/units/1", scratch, names, values, &np));
	assert_false(router_match("/api/v1/units", "/api/v1/unitsx", scratch, names, values, &np));
	assert_false(router_match("/api/v1/units/{id}", "/api/v1/units/1/x", scratch, names, values, &np));
	assert_false(router_match("/a/{x}", "a/1", scratch, names, values, &np));
}

static const struct route routes[] = {
	{"GET", "/api/v1/units", h, 0, 0, 0, "list"},
	{"GET", "/api/v1/units/{id}", h, 0, 0, 0, "one"},
	{"POST", "/api/v1/units", h, 0, 0, 0, "create"},
	{"GET", "/api/v1/units/special", h, 0, 0, 0, "literal wins"},
};
static ROUTE_TABLE(table, routes);

static void find_routes(void **state)
{
	(void)state;
	const struct route_table *tables[] = {&table, NULL};
	struct router *rt = router_new(tables);
	assert_non_null(rt);
	assert_int_equal(router_count(rt), 4);
	char scratch[512];
	const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
	int np, idx, status;
	const struct route *r = router_find(rt, "GET", "/api/v1/units/9", scratch, names, values,
					    &np, &idx, &status);
	assert_non_null(r);
	assert_string_equal(r->purpose, "one");
	assert_string_equal(values[0], "9");
	r = router_find(rt, "GET", "/api/v1/units/special", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r->purpose, "literal wins");
	r = router_find(rt, "POST", "/api/v1/units", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r->purpose, "create");
	assert_int_equal(idx, 2);
	r = router_find(rt, "DELETE", "/api/v1/units", scratch, names, values, &np, &idx, &status);
	assert_null(r);
	assert_int_equal(status, 405);
	r = router_find(rt, "GET", "/api/v1/nope", scratch, names, values, &np, &idx, &status);
	assert_null(r);
	assert_int_equal(status, 404);
	r = router_find(rt, "HEAD", "/api/v1/units", scratch, names, values, &np, &idx, &status);
	assert_non_null(r);
	router_free(rt);
}

/* Routes whose first segments hold a {param} sit beside keyed ones: a
 * request sees both, and the more literal still wins. */
static const struct route mixed[] = {
	{"GET", "/api/{ver}/units", h, 0, 0, 0, "wild version"},
	{"GET", "/api/v1/units", h, 0, 0, 0, "literal"},
	{"GET", "/{a}/{b}/{c}/{d}", h, 0, 0, 0, "all wild"},
	{"PUT", "/api/v2/units/{id}", h, 0, 0, 0, "put"},
	{"GET", "/", h, 0, 0, 0, "root"},
};
static ROUTE_TABLE(mixed_table, mixed);

static void find_wildcards(void **state)
{
	(void)state;
	const struct route_table *tables[] = {&mixed_table, NULL};
	struct router *rt = router_new(tables);
	char scratch[512];
	const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
	int np, idx, status;
	const struct route *r =
		router_find(rt, "GET", "/api/v1/units", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r ? r->purpose : "(none)", "literal");
	r = router_find(rt, "GET", "/api/v9/units", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r ? r->purpose : "(none)", "wild version");
	assert_string_equal(values[0], "v9");
	r = router_find(rt, "GET", "/api/v2/units/5", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r ? r->purpose : "(none)", "all wild");
	r = router_find(rt, "GET", "/", scratch, names, values, &np, &idx, &status);
	assert_string_equal(r ? r->purpose : "(none)", "root");
	r = router_find(rt, "DELETE", "/api/v2/units/5", scratch, names, values, &np, &idx, &status);
	assert_null(r);
	assert_int_equal(status, 405);
	r = router_find(rt, "GET", "/api/v2/units/5/x", scratch, names, values, &np, &idx, &status);
	assert_null(r);
	assert_int_equal(status, 404);
	router_free(rt);
}

/* Every route the server serves is found by a path of its own shape (its
 * {params} filled in) and no two routes share a method and pattern: a
 * feature added with a clashing route is caught here, not by a client. */
static void every_route_reachable(void **state)
{
	(void)state;
	struct router *rt = router_new(feature_tables);
	assert_non_null(rt);
	size_t n = router_count(rt);
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		const struct route *want = router_at(rt, i);
		char path[256], scratch[1024];
		size_t len = 0;
		for (const char *p = want->pattern; *p && len < sizeof path - 2; p++) {
			if (*p == '{') {
				while (*p && *p != '}')
					p++;
				path[len++] = '7';
				if (!*p)
					break;
			} else
				path[len++] = *p;
		}
		path[len] = 0;
		const char *names[REQ_MAX_PARAMS], *values[REQ_MAX_PARAMS];
		int np, idx = -1, status = 0;
		const struct route *got = router_find(rt, want->method, path, scratch, names, values,
						      &np, &idx, &status);
		if (!got)
			fail_msg("%s %s: not found (%d)", want->method, want->pattern, status);
		/* A literal route may shadow a {param} one for this very path
		 * ("/x/{id}" and "/x/7" never both exist, so the same pattern is
		 * what we expect). */
		if (strcmp(got->pattern, want->pattern) != 0)
			fail_msg("%s %s: found %s", want->method, want->pattern, got->pattern);
		if ((size_t)idx != i)
			fail_msg("%s %s: route %zu and %d share method and pattern", want->method,
				 want->pattern, i, idx);
	}
	router_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_literal_and_params),
		cmocka_unit_test(no_match),
		cmocka_unit_test(find_routes),
		cmocka_unit_test(find_wildcards),
		cmocka_unit_test(every_route_reachable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
