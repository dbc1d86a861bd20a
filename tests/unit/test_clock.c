/* Calendar days: validation and arithmetic the 14-day rules will rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>

#include "base/clock.h"

static void valid_days(void **state)
{
	(void)state;
	assert_int_equal(day_valid("2020-02-15"), 0);
	assert_int_equal(day_valid("2020-02-29"), 0);
	assert_int_equal(day_valid("2019-02-29"), -1);
	assert_int_equal(day_valid("2100-02-29"), -1);
	assert_int_equal(day_valid("2000-02-29"), 0);
	assert_int_equal(day_valid("2020-13-01"), -1);
	assert_int_equal(day_valid("2020-04-31"), -1);
	assert_int_equal(day_valid("2020-4-01"), -1);
	assert_int_equal(day_valid("2020-04-01x"), -1);
	assert_int_equal(day_valid(NULL), -1);
}

static void arithmetic(void **state)
{
	(void)state;
	char out[DAY_LEN];
	assert_int_equal(day_add("2020-02-01", 14, out), 0);
	assert_string_equal(out, "2020-02-15");
	day_add("2020-02-20", 14, out);
	assert_string_equal(out, "2020-03-05"); /* across a leap February */
	day_add("2019-12-25", 14, out);
	assert_string_equal(out, "2020-01-08");
	day_add("2020-03-01", -1, out);
	assert_string_equal(out, "2020-02-29");
	assert_int_equal(day_diff("2020-02-01", "2020-02-15"), 14);
	assert_int_equal(day_diff("2020-02-15", "2020-02-01"), -14);
	assert_int_equal(day_diff("bad", "2020-02-01"), INT32_MIN);
	assert_int_equal(day_add("2020-02-30", 1, out), -1);
	assert_int_equal(day_number("1970-01-01"), 0);
}

static void local_days(void **state)
{
	(void)state;
	char out[DAY_LEN];
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	/* 2020-02-14T16:30:00Z is 2020-02-15 00:30 in Beijing time. */
	clock_day(1581697800, out);
	assert_string_equal(out, "2020-02-15");
	assert_int_equal(day_start("2020-02-15"), 1581696000);
	char when[TIME_LEN];
	clock_time(1581697805, when);
	assert_string_equal(when, "2020-02-15 00:30:05");
	assert_int_equal(clock_offset(1581697800), 8 * 3600);
	assert_int_equal(clock_set_tz("UTC"), 0);
	clock_day(1581697800, out);
	assert_string_equal(out, "2020-02-14");
	clock_time(1581697805, when);
	assert_string_equal(when, "2020-02-14 16:30:05");
	assert_int_equal(clock_offset(1581697800), 0);
	assert_int_equal(clock_set_tz("Nowhere/Atlantis"), -1);
	assert_int_equal(clock_set_tz("../etc/passwd"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_days),
		cmocka_unit_test(arithmetic),
		cmocka_unit_test(local_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
