/* Isolation's pure rules (DOMAIN.md Rules: medical observation, where
 * people go): the planned end is the last exposure + 14 local days across
 * month ends and leap days, a new exposure only ever moves the end later,
 * and the placement advice for every class of person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "feature/isolation.h"
#include "feature/passes.h"

static void end_day_across_months(void **state)
{
	(void)state;
	char out[DAY_LEN];
	assert_int_equal(isolation_end_day("2020-01-20", 14, out), 0);
	assert_string_equal(out, "2020-02-03");
	assert_int_equal(isolation_end_day("2020-02-20", 14, out), 0);
	assert_string_equal(out, "2020-03-05"); /* 2020 is a leap year */
	assert_int_equal(isolation_end_day("2019-02-20", 14, out), 0);
	assert_string_equal(out, "2019-03-06");
	assert_int_equal(isolation_end_day("2019-12-25", 14, out), 0);
	assert_string_equal(out, "2020-01-08");
	assert_int_equal(isolation_end_day("2020-02-30", 14, out), -1);
	assert_int_equal(isolation_end_day(NULL, 14, out), -1);
}

static void local_days(void **state)
{
	(void)state;
	/* A check at 23:30 in Yinchuan belongs to that local day, though it is
	 * 15:30 UTC; one at 00:30 to the next day, though UTC is still on the
	 * one before. */
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	int64_t mid = day_start("2020-02-15");
	char d[DAY_LEN];
	clock_day(mid + 23 * 3600 + 1800, d);
	assert_string_equal(d, "2020-02-15");
	clock_day(mid + 24 * 3600 + 1800, d);
	assert_string_equal(d, "2020-02-16");
	clock_day(mid - 1, d);
	assert_string_equal(d, "2020-02-14");
}

static void extension(void **state)
{
	(void)state;
	char out[DAY_LEN];
	assert_int_equal(isolation_extend_end("2020-02-22", "2020-02-12", 14, out), 1);
	assert_string_equal(out, "2020-02-26");
	/* An older exposure never shortens it. */
	assert_int_equal(isolation_extend_end("2020-02-22", "2020-02-01", 14, out), 0);
	assert_string_equal(out, "2020-02-22");
	assert_int_equal(isolation_extend_end("2020-02-22", "2020-02-08", 14, out), 0);
	assert_int_equal(isolation_extend_end("2020-02-22", "bad", 14, out), -1);
}

static const char *kind_of(const char *grade, const char *reason, int temp, int age, int dep,
			   const char **note, const char **why)
{
	struct advice_in in = {.grade = grade,
			       .reason = reason,
			       .temp = temp,
			       .fever_at = 373,
			       .age_years = age,
			       .dependent = dep};
	struct advice a;
	isolation_advise(&in, &a);
	if (note)
		*note = a.note;
	if (why)
		*why = a.why;
	return a.kind;
}

static void advice_classes(void **state)
{
	(void)state;
	const char *note, *why;
	/* Fever or suspect: hospital, whatever else holds. */
	assert_string_equal(kind_of("severe", "close_contact", 385, 30, 0, NULL, &why), "hospital");
	assert_string_equal(why, "fever");
	assert_string_equal(kind_of(NULL, "fever", 0, 30, 0, NULL, NULL), "hospital");
	assert_string_equal(kind_of(NULL, "case", 365, 2, 1, NULL, &why), "hospital");
	assert_string_equal(why, "suspect");
	struct advice_in s = {.suspect = 1, .fever_at = 373, .age_years = -1};
	struct advice a;
	isolation_advise(&s, &a);
	assert_string_equal(a.kind, "hospital");
	/* The fever threshold: 37.2 is not a fever, 37.3 is. */
	assert_string_equal(kind_of(NULL, "other", 372, 30, 0, NULL, NULL), "home");
	assert_string_equal(kind_of(NULL, "other", 373, 30, 0, NULL, NULL), "hospital");
	/* Close contacts and worst-hit arrivals: centralized. */
	assert_string_equal(kind_of(NULL, "close_contact", 365, 30, 0, &note, &why), "centralized");
	assert_null(note);
	assert_string_equal(why, "close_contact");
	assert_string_equal(kind_of("severe", "arrival", 0, -1, 0, NULL, &why), "centralized");
	assert_string_equal(why, "worst_hit");
	assert_string_equal(kind_of("heavy", "arrival", 0, 40, 0, NULL, NULL), "centralized");
	/* ... except infants and people who cannot look after themselves. */
	assert_string_equal(kind_of("severe", "arrival", 0, 1, 0, &note, NULL), "home");
	assert_string_equal(note, "infant");
	assert_string_equal(kind_of(NULL, "close_contact", 0, 3, 0, &note, NULL), "centralized");
	assert_string_equal(kind_of(NULL, "close_contact", 0, 85, 1, &note, NULL), "home");
	assert_string_equal(note, "dependent");
	/* Other provinces and general contacts: home. */
	assert_string_equal(kind_of("other_province", "arrival", 364, 30, 0, NULL, &why), "home");
	assert_string_equal(why, "other_province");
	assert_string_equal(kind_of(NULL, "general_contact", 0, 30, 0, NULL, &why), "home");
	assert_string_equal(why, "general_contact");
	assert_string_equal(kind_of(NULL, NULL, 0, -1, 0, NULL, &why), "home");
	assert_string_equal(why, "none");
	assert_true(isolation_kind_valid("home"));
	assert_false(isolation_kind_valid("hotel"));
	assert_true(isolation_reason_valid("general_contact"));
	assert_false(isolation_reason_valid(NULL));
}

static void fever_edges(void **state)
{
	(void)state;
	assert_false(monitor_is_fever(372, 373));
	assert_true(monitor_is_fever(373, 373));
	assert_true(monitor_is_fever(372, 372)); /* units that used 37.2 */
	assert_true(monitor_symptom_valid("loss_of_smell_taste"));
	assert_false(monitor_symptom_valid("sneezing"));
	assert_false(monitor_symptom_valid(NULL));
}

static void slots_and_missed(void **state)
{
	(void)state;
	struct check_windows w = {6, 12, 17, 22};
	assert_string_equal(monitor_slot(6, &w), "morning");
	assert_string_equal(monitor_slot(11, &w), "morning");
	assert_string_equal(monitor_slot(12, &w), "other");
	assert_string_equal(monitor_slot(21, &w), "evening");
	assert_string_equal(monitor_slot(23, &w), "other");
	/* Before noon nothing is missed yet. */
	assert_int_equal(monitor_missed(9, 0, 0, -1, &w), 0);
	/* After noon without a morning check: missed; after 22 both. */
	assert_int_equal(monitor_missed(13, 0, 0, -1, &w), 1);
	assert_int_equal(monitor_missed(13, 1, 0, -1, &w), 0);
	assert_int_equal(monitor_missed(23, 1, 0, -1, &w), 2);
	assert_int_equal(monitor_missed(24, 0, 0, -1, &w), 3);
	/* An order made at 14:00 never owed that morning's check. */
	assert_int_equal(monitor_missed(23, 0, 0, 14, &w), 2);
	assert_int_equal(monitor_missed(23, 0, 0, 22, &w), 0);
}

static void release_rule(void **state)
{
	(void)state;
	/* Not before the planned end. */
	assert_false(monitor_release_due("2020-02-14", "2020-02-15", NULL, 3));
	assert_true(monitor_release_due("2020-02-15", "2020-02-15", NULL, 3));
	assert_true(monitor_release_due("2020-02-20", "2020-02-15", NULL, 3));
	/* A symptom in the last three days (today included) holds it. */
	assert_false(monitor_release_due("2020-02-15", "2020-02-15", "2020-02-13", 3));
	assert_false(monitor_release_due("2020-02-15", "2020-02-15", "2020-02-15", 3));
	assert_true(monitor_release_due("2020-02-15", "2020-02-15", "2020-02-12", 3));
	/* Across a month end. */
	assert_false(monitor_release_due("2020-03-01", "2020-02-28", "2020-02-28", 3));
	assert_true(monitor_release_due("2020-03-02", "2020-02-28", "2020-02-28", 3));
}

static void colour_with_orders(void **state)
{
	(void)state;
	char why[128];
	struct colour_facts f = {0};
	assert_string_equal(passes_colour(&f, why, sizeof why), "green");
	/* An order for another reason: under observation, yellow. */
	f.isolated = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "yellow");
	assert_string_equal(why, "under medical observation");
	/* A missed check says so. */
	f.temp_missed = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "yellow");
	assert_non_null(strstr(why, "check missed"));
	/* An arrival under an order. */
	f.travel_obs = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "yellow");
	assert_non_null(strstr(why, "after travel; temperature check missed"));
	/* An open fever alert: red, whatever the order. */
	f.fever = 1;
	assert_string_equal(passes_colour(&f, why, sizeof why), "red");
	/* A close contact's order: red even with its checks done. */
	struct colour_facts g = {.isolated = 1, .close_contact_obs = 1};
	assert_string_equal(passes_colour(&g, why, sizeof why), "red");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(end_day_across_months),
		cmocka_unit_test(local_days),
		cmocka_unit_test(extension),
		cmocka_unit_test(advice_classes),
		cmocka_unit_test(fever_edges),
		cmocka_unit_test(slots_and_missed),
		cmocka_unit_test(release_rule),
		cmocka_unit_test(colour_with_orders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
