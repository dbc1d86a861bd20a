/* The daily work's rules beyond reporting: open dispatch problems carry
 * over to later meetings until closed; overdue problems; venue status by
 * day; volunteer minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/daily.h"

static void problems_carry_over(void **state)
{
	(void)state;
	/* raised on the 5th, closed on the 8th */
	assert_false(dispatch_on_agenda("2020-02-05", "2020-02-08", "2020-02-04"));
	assert_true(dispatch_on_agenda("2020-02-05", "2020-02-08", "2020-02-05"));
	assert_true(dispatch_on_agenda("2020-02-05", "2020-02-08", "2020-02-06"));
	assert_true(dispatch_on_agenda("2020-02-05", "2020-02-08", "2020-02-08"));
	assert_false(dispatch_on_agenda("2020-02-05", "2020-02-08", "2020-02-09"));
	/* still open: on every later meeting */
	assert_true(dispatch_on_agenda("2020-02-05", NULL, "2020-02-20"));
	assert_true(dispatch_on_agenda("2020-02-05", "", "2020-03-01"));
	/* overdue: open after its due day */
	assert_false(dispatch_overdue("2020-02-07", NULL, "2020-02-07"));
	assert_true(dispatch_overdue("2020-02-07", NULL, "2020-02-08"));
	assert_false(dispatch_overdue("2020-02-07", "2020-02-07", "2020-02-09"));
	assert_true(dispatch_overdue("2020-02-07", "2020-02-09", "2020-02-08"));
	assert_false(dispatch_overdue("2020-02-07", "2020-02-09", "2020-02-09"));
}

static void venue_status_by_day(void **state)
{
	(void)state;
	assert_string_equal(venues_status(NULL, NULL, "2020-02-01"), "open");
	assert_string_equal(venues_status("2020-01-26", NULL, "2020-01-25"), "open");
	assert_string_equal(venues_status("2020-01-26", NULL, "2020-01-26"), "closed");
	assert_string_equal(venues_status("2020-01-26", "2020-03-01", "2020-02-15"), "closed");
	assert_string_equal(venues_status("2020-01-26", "2020-03-01", "2020-03-01"), "reopened");
	assert_true(venues_kind_valid("internet_cafe"));
	assert_false(venues_kind_valid("cinema"));
	assert_false(venues_kind_valid(NULL));
	assert_int_equal(volunteers_minutes(1000, 1000 + 3600 * 4), 240);
	assert_int_equal(volunteers_minutes(1000, 900), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(problems_carry_over),
		cmocka_unit_test(venue_status_by_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
