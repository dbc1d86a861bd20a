/* Daily reporting's rules: a report is on time up to the deadline in local
 * time (15:59 on time, 16:01 late, also in another zone); reporting rate
 * and timeliness over a period count a unit created midway only from its
 * first day, and a filing only on a day it was owed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "feature/daily.h"

static int64_t local(const char *s)
{
	int64_t t = 0;
	assert_int_equal(clock_parse_local(s, &t), 0);
	return t;
}

static void deadline_local_time(void **state)
{
	(void)state;
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	assert_true(reports_on_time("2020-02-10", local("2020-02-10 15:59"), 960));
	assert_true(reports_on_time("2020-02-10", local("2020-02-10 16:00:00"), 960));
	assert_false(reports_on_time("2020-02-10", local("2020-02-10 16:00:01"), 960));
	assert_false(reports_on_time("2020-02-10", local("2020-02-10 16:01"), 960));
	/* filed in the morning of the next day: late */
	assert_false(reports_on_time("2020-02-10", local("2020-02-11 09:00"), 960));
	/* filed ahead (a day's report written the evening before is on time) */
	assert_true(reports_on_time("2020-02-10", local("2020-02-09 20:00"), 960));
	/* 16:01 Beijing time is 08:01 UTC: the rule reads the district's clock */
	assert_false(reports_on_time("2020-02-10", 1581321660, 960));
	assert_true(reports_on_time("2020-02-10", 1581321540, 960));
	/* in another zone the same local times decide */
	assert_int_equal(clock_set_tz("UTC"), 0);
	assert_true(reports_on_time("2020-02-10", local("2020-02-10 15:59"), 960));
	assert_false(reports_on_time("2020-02-10", local("2020-02-10 16:01"), 960));
	assert_false(reports_on_time("not-a-day", 0, 960));
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
}

static void rate_with_units_added_midway(void **state)
{
	(void)state;
	/* three units over 2020-02-01..2020-02-10 (10 days): A from the start,
	 * B created on 02-06 (5 days owed), C stops on 02-03 (3 days owed) */
	struct rep_unit u[3] = {
		{.id = 1, .from = "2020-01-20", .until = ""},
		{.id = 2, .from = "2020-02-06", .until = ""},
		{.id = 3, .from = "2020-01-01", .until = "2020-02-03"},
	};
	struct rep_filing f[] = {
		{1, "2020-02-01", 1}, {1, "2020-02-02", 1}, {1, "2020-02-03", 0},
		{1, "2020-02-04", 1}, {1, "2020-02-05", 1}, {1, "2020-02-06", 1},
		{1, "2020-02-07", 1}, {1, "2020-02-08", 1}, /* A misses 09 and 10 */
		{2, "2020-02-05", 1}, /* before B existed: not counted */
		{2, "2020-02-06", 0}, {2, "2020-02-07", 1}, {2, "2020-02-10", 1},
		{3, "2020-02-01", 1}, {3, "2020-02-04", 1}, /* after C's end: not counted */
		{1, "2020-02-11", 1}, /* outside the period */
		{9, "2020-02-02", 1}, /* not a reporting unit */
	};
	struct rep_tally t = {0};
	reports_tally(u, 3, f, sizeof f / sizeof f[0], "2020-02-01", "2020-02-10", &t);
	assert_int_equal(t.expected, 10 + 5 + 3);
	assert_int_equal(t.filed, 8 + 3 + 1);
	assert_int_equal(t.on_time, 7 + 2 + 1);
	assert_int_equal(reports_permille(t.filed, t.expected), 667);   /* 12/18 */
	assert_int_equal(reports_permille(t.on_time, t.expected), 556); /* 10/18 */
	/* one day: B not yet expected on 02-05 */
	struct rep_tally d = {0};
	reports_tally(u, 3, f, sizeof f / sizeof f[0], "2020-02-05", "2020-02-05", &d);
	assert_int_equal(d.expected, 1);
	assert_int_equal(d.filed, 1);
	/* a unit created after the period owes nothing */
	struct rep_tally e = {0};
	reports_tally(&u[1], 1, f, 0, "2020-02-01", "2020-02-05", &e);
	assert_int_equal(e.expected, 0);
	assert_int_equal(reports_permille(0, 0), 0);
	assert_int_equal(reports_permille(2, 3), 667);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deadline_local_time),
		cmocka_unit_test(rate_with_units_added_midway),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
