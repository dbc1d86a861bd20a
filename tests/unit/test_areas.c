/* Grading an arrival (DOMAIN.md Rules: area risk, §8): the most specific
 * listed area on the arrival date wins, dates bound each listing, and an
 * unlisted origin is local inside the home province, other_province outside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/areas.h"

static const struct area_rule rules[] = {
	{1, "420000", "severe", "2020-01-20", NULL},         /* Hubei */
	{2, "420100", "severe", "2020-01-20", NULL},         /* Wuhan */
	{3, "330000", "heavy", "2020-01-25", "2020-02-20"},  /* Zhejiang, for a while */
	{4, "330100", "medium", "2020-02-21", NULL},         /* Hangzhou, risk level later */
	{5, "330100", "high", "2020-02-10", "2020-02-20"},
	{6, "440300", "low", "2020-02-18", NULL},
};
#define N (sizeof rules / sizeof rules[0])

static void most_specific_wins(void **state)
{
	(void)state;
	const struct area_rule *r = areas_pick(rules, N, "420102", "2020-02-01");
	assert_non_null(r);
	assert_int_equal(r->id, 2); /* Wuhan beats Hubei */
	r = areas_pick(rules, N, "420500", "2020-02-01");
	assert_int_equal(r->id, 1); /* elsewhere in Hubei */
	r = areas_pick(rules, N, "330106", "2020-02-15");
	assert_int_equal(r->id, 5); /* Hangzhou's listing beats Zhejiang's */
	r = areas_pick(rules, N, "330106", "2020-02-22");
	assert_int_equal(r->id, 4);
	r = areas_pick(rules, N, "330201", "2020-02-15");
	assert_int_equal(r->id, 3);
}

static void dates_bound(void **state)
{
	(void)state;
	assert_null(areas_pick(rules, N, "420102", "2020-01-19"));
	assert_null(areas_pick(rules, N, "330201", "2020-02-21")); /* Zhejiang's ended */
	assert_non_null(areas_pick(rules, N, "330201", "2020-02-20")); /* inclusive */
	assert_null(areas_pick(rules, N, "640106", "2020-02-01"));
}

static void defaults_and_handling(void **state)
{
	(void)state;
	assert_string_equal(areas_default_grade("640104", "640106"), "local");
	assert_string_equal(areas_default_grade("610102", "640106"), "other_province");
	assert_string_equal(areas_handling("severe"), "centralized");
	assert_string_equal(areas_handling("heavy"), "centralized");
	assert_string_equal(areas_handling("high"), "centralized");
	assert_string_equal(areas_handling("other_province"), "home");
	assert_string_equal(areas_handling("medium"), "home");
	assert_string_equal(areas_handling("local"), "monitor");
	assert_string_equal(areas_handling("low"), "monitor");
	assert_true(areas_grade_valid("severe"));
	assert_false(areas_grade_valid("red"));
	assert_int_equal(areas_code_level("420000"), 1);
	assert_int_equal(areas_code_level("420100"), 2);
	assert_int_equal(areas_code_level("420102"), 3);
	assert_int_equal(areas_code_level("42010"), 0);
	assert_int_equal(areas_code_level("4201A2"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(most_specific_wins),
		cmocka_unit_test(dates_bound),
		cmocka_unit_test(defaults_and_handling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
