/* Router pattern matching and lookup: the right handler for each path, 404
 * for unknown paths, 405 for a known path with the wrong method, literal
 * segments preferred over {params}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(match_literal_and_params),
		cmocka_unit_test(no_match),
		cmocka_unit_test(find_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
