/* Enterprise resumption's rules: the unified social credit code (GB
 * 32100-2015) with each kind of bad code refused by the rule it breaks,
 * the 2-day rule counted in local days across a month end, and the
 * resumption rate with and without seasonal firms and on a day before any
 * resumed, both as the pure function and from records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "feature/enterprises.h"
#include "unit_db.h"

static void credit_valid(void **state)
{
	(void)state;
	/* Real codes (an example from the standard's explanations, and two
	 * published company codes) and a lower-case copy. */
	const char *ok[] = {"91350100M000100Y43", "91110000600037341L", "91440300708461136T",
			    "91350100m000100y43"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char out[19];
		struct err_info ei;
		err_clear(&ei);
		assert_int_equal(enterprises_credit_code(ok[i], out, "credit_code", &ei), 0);
		assert_int_equal(strlen(out), 18);
	}
	char out[19];
	struct err_info ei;
	enterprises_credit_code("91350100m000100y43", out, "credit_code", &ei);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(enterprises_credit_check_char("91350100M000100Y4"), '3');
	assert_int_equal(enterprises_credit_check_char("91350100M000100I4"), 0);
}

/* Each refusal names the field and says which rule failed. */
static void refused(const char *code, const char *says)
{
	char out[19];
	struct err_info ei;
	err_clear(&ei);
	assert_int_equal(enterprises_credit_code(code, out, "credit_code", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "credit_code");
	if (!strstr(ei.message, says))
		fail_msg("%s: \"%s\" does not say \"%s\"", code, ei.message, says);
}

static void credit_invalid(void **state)
{
	(void)state;
	refused("", "18 characters");
	refused("91350100M000100Y4", "must be 18 characters (统一社会信用代码), not 17");
	refused("91350100M000100Y433", "18 characters (统一社会信用代码), not 19");
	refused("91350100M00O100Y43", "character 12 is not allowed");  /* O */
	refused("91350100M000100I43", "character 16 is not allowed");  /* I */
	refused("9135010-M000100Y43", "character 8 is not allowed");
	refused("913501 0M000100Y43", "character 7 is not allowed");
	refused("Z1350100M000100Y43", "character 1 is not allowed");
	refused("B1350100M000100Y43", "registration authority");
	refused("9135A100M000100Y43", "6-digit division code");
	refused("91350100M000100Y53", "organization code's check character (character 17) should be 4, not 5");
	refused("91350100M000100Y44", "check character should be 3, not 4");
	refused("91110000600037341K", "check character should be L, not K");
}

static void two_day_rule(void **state)
{
	(void)state;
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	char out[DAY_LEN];
	int64_t t;
	/* 2020-01-30 20:00 UTC is 2020-01-31 04:00 in Yinchuan: the filing
	 * day is the 31st, so the earliest start is 2 February. */
	assert_int_equal(clock_parse_local("2020-01-31T04:00", &t), 0);
	enterprises_earliest_start(t, 2, out);
	assert_string_equal(out, "2020-02-02");
	/* 23:59 local on the last day of February (a leap year). */
	assert_int_equal(clock_parse_local("2020-02-29T23:59", &t), 0);
	enterprises_earliest_start(t, 2, out);
	assert_string_equal(out, "2020-03-02");
	/* One minute later it is March the 1st. */
	enterprises_earliest_start(t + 60, 2, out);
	assert_string_equal(out, "2020-03-03");
	/* The lead is a setting: 0 days allows a start today. */
	enterprises_earliest_start(t, 0, out);
	assert_string_equal(out, "2020-02-29");
	/* Across a year end. */
	assert_int_equal(clock_parse_local("2019-12-31T12:00", &t), 0);
	enterprises_earliest_start(t, 2, out);
	assert_string_equal(out, "2020-01-02");
}

static void rate_pure(void **state)
{
	(void)state;
	/* DOMAIN.md §11: 25 / (38 - 7) = 80.6 %. */
	assert_true(enterprises_rate(25, 38, 7) == 0.806);
	/* Without seasonal firms the base is everything. */
	assert_true(enterprises_rate(25, 38, 0) == 0.658);
	/* Before any resumed. */
	assert_true(enterprises_rate(0, 38, 7) == 0.0);
	/* All idle, or none at all: no rate. */
	assert_true(enterprises_rate(0, 7, 7) < 0);
	assert_true(enterprises_rate(0, 0, 0) < 0);
	assert_true(enterprises_staff_rate(450, 500) == 0.9);
	assert_true(enterprises_staff_rate(0, 0) < 0);
	assert_int_equal(enterprises_sector_valid("ready_mix_concrete"), 1);
	assert_int_equal(enterprises_sector_valid("Manufacturing"), 0);
	assert_int_equal(enterprises_sector_valid(""), 0);
}

/* The figures from records: four firms above size (one idle for the
 * season, one resumed on the 10th with 40 of 50 at work, one resumed on the
 * 14th, one not yet), one below size. */
static void rate_from_records(void **state)
{
	(void)state;
	char path[128];
	unit_db_path(path, sizeof path, "enterprises");
	struct db *db = NULL;
	struct err_info ei;
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_non_null(c);
	assert_int_equal(
		db_exec(c,
			"INSERT INTO units(id, parent_id, kind, code, name, created_at, updated_at)"
			" VALUES (1, NULL, 'district', '640106', 'd', 0, 0),"
			" (2, 1, 'town', '640106001', 't', 0, 0);"
			"INSERT INTO unit_tree VALUES (1, 1, 0), (2, 2, 0), (1, 2, 1);"
			"INSERT INTO users(id, username, name, role, scope_unit_id, pw_hash,"
			" created_at, updated_at) VALUES (1, 'a', 'a', 'admin', 1, 'x', 0, 0);"
			"INSERT INTO enterprises(id, unit_id, name, credit_code, sector, above_scale,"
			" seasonal_idle_since, headcount, created_at, updated_at) VALUES"
			" (1, 2, 'idle', 'c1', 'ready_mix_concrete', 1, '2019-12-01', 30, 0, 0),"
			" (2, 2, 'early', 'c2', 'manufacturing', 1, NULL, 50, 0, 0),"
			" (3, 2, 'late', 'c3', 'manufacturing', 1, NULL, 20, 0, 0),"
			" (4, 2, 'not yet', 'c4', 'food', 1, NULL, 10, 0, 0),"
			" (5, 2, 'small', 'c5', 'food', 0, NULL, 5, 0, 0);"
			"INSERT INTO enterprise_applications(id, enterprise_id, unit_id, filed_at,"
			" filed_day, planned_start_day, plan, status, created_at, updated_at) VALUES"
			" (1, 2, 2, 0, '2020-02-05', '2020-02-10', 'p', 'approved', 0, 0),"
			" (2, 3, 2, 0, '2020-02-05', '2020-02-14', 'p', 'approved', 0, 0),"
			" (3, 5, 2, 0, '2020-02-05', '2020-02-10', 'p', 'approved', 0, 0);"
			"INSERT INTO enterprise_resumptions(enterprise_id, unit_id, application_id,"
			" day, staff_at_work, created_at) VALUES (2, 2, 1, '2020-02-10', 30, 0),"
			" (2, 2, 1, '2020-02-12', 40, 0), (3, 2, 2, '2020-02-14', 10, 0),"
			" (5, 2, 3, '2020-02-10', 5, 0);"),
		0);
	struct resumption x;
	/* Before any resumed: a rate of 0 over the 3 not idle. */
	assert_int_equal(enterprises_resumption_as_of(c, 1, "2020-02-09", &x), 0);
	assert_int_equal(x.above_scale, 4);
	assert_int_equal(x.seasonal, 1);
	assert_int_equal(x.resumed, 0);
	assert_true(x.rate == 0.0);
	assert_true(x.staff_rate < 0);
	/* The 12th: one of three, its latest count 40 of 50. */
	assert_int_equal(enterprises_resumption_as_of(c, 1, "2020-02-12", &x), 0);
	assert_int_equal(x.resumed, 1);
	assert_true(x.rate == 0.333);
	assert_int_equal(x.staff_at_work, 40);
	assert_int_equal(x.headcount, 50);
	assert_true(x.staff_rate == 0.8);
	/* The 15th: two of three; the town's scope gives the same. */
	assert_int_equal(enterprises_resumption_as_of(c, 2, "2020-02-15", &x), 0);
	assert_int_equal(x.resumed, 2);
	assert_true(x.rate == 0.667);
	/* Before the idle season began the concrete firm is in the base. */
	assert_int_equal(enterprises_resumption_as_of(c, 1, "2019-11-30", &x), 0);
	assert_int_equal(x.seasonal, 0);
	assert_true(x.rate == 0.0);
	/* A bad day is refused. */
	assert_int_equal(enterprises_resumption_as_of(c, 1, "2020-02-30", &x), ERR_INVALID);
	db_release(db, c);
	db_close(db);
	unit_db_remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(credit_valid),	 cmocka_unit_test(credit_invalid),
		cmocka_unit_test(two_day_rule),	 cmocka_unit_test(rate_pure),
		cmocka_unit_test(rate_from_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
