/* Closing a fever (DOMAIN.md Rules: fever, pass colour): a medic closes it
 * re-measured normal at rest, with the reading below the threshold, or
 * ruled out at the fever clinic; anything else keeps it open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/fevers.h"

static void close_rule(void **state)
{
	(void)state;
	struct err_info ei = {0};
	assert_int_equal(fevers_close_check("remeasured_normal", 1, 365, 373, &ei), 0);
	assert_int_equal(fevers_close_check("ruled_out", 0, 0, 373, &ei), 0);
	assert_int_equal(fevers_close_check("ruled_out", 1, 380, 373, &ei), 0);
	/* A re-measure needs its reading, below the threshold. */
	assert_int_equal(fevers_close_check("remeasured_normal", 0, 0, 373, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "temperature");
	err_clear(&ei);
	assert_int_equal(fevers_close_check("remeasured_normal", 1, 373, 373, &ei), ERR_RULE);
	assert_string_equal(ei.field, "temperature");
	assert_non_null(strstr(ei.message, "37.3"));
	assert_int_equal(fevers_close_check("remeasured_normal", 1, 372, 372, &ei), ERR_RULE);
	/* Only the outcomes that close one. */
	err_clear(&ei);
	assert_int_equal(fevers_close_check("admitted", 1, 365, 373, &ei), ERR_INVALID);
	assert_string_equal(ei.field, "outcome");
	assert_int_equal(fevers_close_check(NULL, 1, 365, 373, &ei), ERR_INVALID);
	assert_false(fevers_outcome_valid(""));
	assert_true(fevers_outcome_valid("ruled_out"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(close_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
