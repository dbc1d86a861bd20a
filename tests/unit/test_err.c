/* Error mapping: each error code to the HTTP status and name clients see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"

static void statuses(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(ERR_OK), 200);
	assert_int_equal(err_http_status(ERR_INVALID), 400);
	assert_int_equal(err_http_status(ERR_AUTH), 401);
	assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
	assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
	assert_int_equal(err_http_status(ERR_METHOD), 405);
	assert_int_equal(err_http_status(ERR_CONFLICT), 409);
	assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
	assert_int_equal(err_http_status(ERR_RULE), 422);
	assert_int_equal(err_http_status(ERR_THROTTLED), 429);
	assert_int_equal(err_http_status(ERR_DB), 500);
	assert_int_equal(err_http_status(ERR_NOMEM), 500);
	assert_int_equal(err_http_status(-999), 500);
	assert_int_equal(err_http_status(ERR_BUSY), 503);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(err_str(ERR_INVALID), "invalid");
	assert_string_equal(err_str(ERR_AUTH), "unauthenticated");
	assert_string_equal(err_str(ERR_NOT_FOUND), "not_found");
	assert_string_equal(err_str(ERR_CONFLICT), "conflict");
	assert_string_equal(err_str(ERR_TOO_LARGE), "too_large");
	assert_string_equal(err_str(-999), "internal");
}

static void set_fills_detail(void **state)
{
	(void)state;
	struct err_info ei = {0};
	assert_int_equal(err_set(&ei, ERR_INVALID, "name", "must be at most %d characters", 64),
			 ERR_INVALID);
	assert_string_equal(ei.field, "name");
	assert_string_equal(ei.message, "must be at most 64 characters");
	assert_int_equal(err_set(NULL, ERR_DB, "x", "ignored"), ERR_DB);
	err_clear(&ei);
	assert_string_equal(ei.field, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(names),
		cmocka_unit_test(set_fills_detail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
