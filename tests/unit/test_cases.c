/* Cases, contacts and epidemic points: the legal transitions of a case, the
 * bulletin's figures as of a day from the histories (before the first case,
 * on the day of a new case, after a cure and a death), the contact window's
 * edges (30 minutes in, 31 out; from 2 days before onset), one candidate
 * with all its reasons, and when an epidemic point may be lifted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "feature/cases.h"

static void transitions(void **state)
{
	(void)state;
	assert_true(cases_initial_ok("suspected"));
	assert_true(cases_initial_ok("confirmed"));
	assert_true(cases_initial_ok("asymptomatic"));
	assert_false(cases_initial_ok("cured"));
	assert_false(cases_initial_ok("excluded"));
	assert_true(cases_transition_ok("suspected", "confirmed"));
	assert_true(cases_transition_ok("suspected", "excluded"));
	assert_true(cases_transition_ok("confirmed", "cured"));
	assert_true(cases_transition_ok("confirmed", "died"));
	assert_true(cases_transition_ok("asymptomatic", "confirmed"));
	assert_true(cases_transition_ok("excluded", "suspected"));
	/* the illegal ones */
	assert_false(cases_transition_ok("excluded", "cured"));
	assert_false(cases_transition_ok("suspected", "cured"));  /* cured before confirmed */
	assert_false(cases_transition_ok("asymptomatic", "cured"));
	for (int i = 0; i < 6; i++) {
		static const char *const all[] = {"suspected", "confirmed", "asymptomatic",
						  "excluded",  "cured",     "died"};
		assert_false(cases_transition_ok("died", all[i])); /* nothing after died */
		assert_false(cases_transition_ok("cured", all[i]));
	}
	assert_false(cases_transition_ok("confirmed", "suspected"));
	assert_false(cases_transition_ok(NULL, "confirmed"));
	assert_true(cases_status_valid("died"));
	assert_false(cases_status_valid("Died"));
	assert_true(cases_severity_valid("critical"));
	assert_false(cases_severity_valid("serious"));
}

#define EV(s, sev, d) {s, sev, d}

static void figures(void **state)
{
	(void)state;
	/* A: confirmed 01-23 (mild), cured 02-08. B: suspected 01-25,
	 * confirmed 01-27, critical 01-30, died 02-03 (a medical worker).
	 * C: confirmed 02-01, severe. D: suspected 02-05, excluded 02-06. */
	static const struct case_event a[] = {EV("confirmed", "mild", "2020-01-23"),
					      EV("cured", "", "2020-02-08")};
	static const struct case_event b[] = {
		EV("suspected", "", "2020-01-25"), EV("confirmed", "severe", "2020-01-27"),
		EV("confirmed", "critical", "2020-01-30"), EV("died", "", "2020-02-03")};
	static const struct case_event c[] = {EV("confirmed", "severe", "2020-02-01")};
	static const struct case_event d[] = {EV("suspected", "", "2020-02-05"),
					      EV("excluded", "", "2020-02-06")};
	struct case_hist h[] = {{0, a, 2}, {1, b, 4}, {0, c, 1}, {0, d, 2}};
	struct case_figures f;

	/* before the first case: counted since the start of records */
	assert_int_equal(cases_figures(h, 4, "2020-01-20", "2020-01-15", &f), 0);
	assert_int_equal(f.confirmed_total, 0);
	assert_int_equal(f.since_records_start, 1);
	assert_int_equal(f.days_without_new_confirmed, 6);
	assert_string_equal(f.last_confirmed_day, "");
	assert_int_equal(cases_figures(h, 4, "2020-01-10", "2020-01-15", &f), 0);
	assert_int_equal(f.days_without_new_confirmed, 0);

	/* the day of a new case */
	assert_int_equal(cases_figures(h, 4, "2020-01-23", "2020-01-15", &f), 0);
	assert_int_equal(f.confirmed_total, 1);
	assert_int_equal(f.new_confirmed, 1);
	assert_int_equal(f.days_without_new_confirmed, 0);
	assert_int_equal(f.since_records_start, 0);

	/* B suspected only: not counted */
	assert_int_equal(cases_figures(h, 4, "2020-01-25", "2020-01-15", &f), 0);
	assert_int_equal(f.confirmed_total, 1);
	assert_int_equal(f.days_without_new_confirmed, 2);

	/* B critical on 01-30 */
	assert_int_equal(cases_figures(h, 4, "2020-01-30", NULL, &f), 0);
	assert_int_equal(f.confirmed_total, 2);
	assert_int_equal(f.critical_now, 1);
	assert_int_equal(f.medical_workers_infected, 1);
	assert_int_equal(f.days_without_new_confirmed, 3);

	/* after the death: counted as a death, no longer critical */
	assert_int_equal(cases_figures(h, 4, "2020-02-03", NULL, &f), 0);
	assert_int_equal(f.confirmed_total, 3);
	assert_int_equal(f.deaths_total, 1);
	assert_int_equal(f.critical_now, 0);
	assert_int_equal(f.cured_total, 0);
	assert_string_equal(f.last_confirmed_day, "2020-02-01");
	assert_int_equal(f.days_without_new_confirmed, 2);

	/* 02-15: A cured, the excluded suspect never counted, 14 days */
	assert_int_equal(cases_figures(h, 4, "2020-02-15", NULL, &f), 0);
	assert_int_equal(f.confirmed_total, 3);
	assert_int_equal(f.cured_total, 1);
	assert_int_equal(f.deaths_total, 1);
	assert_int_equal(f.new_confirmed, 0);
	assert_int_equal(f.days_without_new_confirmed, 14);

	assert_int_equal(cases_figures(h, 4, "2020-02-30", NULL, &f), -1);
	assert_int_equal(cases_figures(NULL, 0, "2020-02-15", "", &f), 0);
	assert_int_equal(f.days_without_new_confirmed, 0);
}

static void window_edges(void **state)
{
	(void)state;
	int64_t t = 1580000000;
	assert_true(contacts_within(t, t + 30 * 60, 30));
	assert_true(contacts_within(t + 30 * 60, t, 30));
	assert_false(contacts_within(t, t + 31 * 60, 30));
	assert_false(contacts_within(t, t - 31 * 60, 30));
	assert_true(contacts_within(t, t, 30));
	/* 2 days before onset, from local midnight */
	assert_int_equal(contacts_window_start("2020-01-25", "2020-01-28", 2),
			 day_start("2020-01-23"));
	assert_int_equal(contacts_window_start(NULL, "2020-01-28", 2), day_start("2020-01-26"));
	assert_int_equal(contacts_window_start("2020-01-25", "2020-01-28", 0),
			 day_start("2020-01-25"));
	assert_true(contacts_window_start("x", "2020-01-28", 2) == INT64_MIN);
	/* 23:59:59 local on the day before the window is out, 00:00 is in */
	int64_t s = contacts_window_start("2020-01-25", "2020-01-28", 2);
	char d[DAY_LEN];
	clock_day(s, d);
	assert_string_equal(d, "2020-01-23");
	clock_day(s - 1, d);
	assert_string_equal(d, "2020-01-22");
}

static void merge(void **state)
{
	(void)state;
	struct cand_reason r[] = {
		{7, "gate", "东门", 100, 200, 0},
		{5, "household", "1-101", 0, 0, 1},
		{7, "vehicle", "宁A12345", 300, 300, 2},
		{5, "gate", "东门", 110, 120, 3},
		{7, "gate", "东门", 100, 200, 4}, /* the same reason found twice */
		{9, "place", "超市", 50, 60, 5},
	};
	size_t n = contacts_merge(r, 6);
	assert_int_equal(n, 5);
	/* persons in the order of their first reason: 7, 5, 9 */
	assert_int_equal(r[0].person_id, 7);
	assert_string_equal(r[0].kind, "gate");
	assert_int_equal(r[1].person_id, 7);
	assert_string_equal(r[1].kind, "vehicle");
	assert_int_equal(r[2].person_id, 5);
	assert_string_equal(r[2].kind, "household");
	assert_int_equal(r[3].person_id, 5);
	assert_string_equal(r[3].kind, "gate");
	assert_int_equal(r[4].person_id, 9);
	assert_int_equal(contacts_merge(r, 0), 0);
}

static void observation(void **state)
{
	(void)state;
	char end[DAY_LEN];
	assert_int_equal(contacts_observation_end("close", "2020-01-30", 14, end), 0);
	assert_string_equal(end, "2020-02-13");
	assert_int_equal(contacts_observation_end("general", "2020-02-20", 14, end), 0);
	assert_string_equal(end, "2020-03-05"); /* across the leap day */
	assert_int_equal(contacts_observation_end("none", NULL, 14, end), 0);
	assert_string_equal(end, "");
	assert_int_equal(contacts_observation_end("close", NULL, 14, end), -1);
	assert_int_equal(contacts_observation_end("maybe", "2020-01-30", 14, end), -1);
}

static void lifting(void **state)
{
	(void)state;
	struct epi_blocker b[8];
	const char *ends[] = {"2020-02-05", "2020-02-10"};
	int64_t who[] = {11, 12};
	/* last case 01-24: on 02-07 14 days have passed (02-07 − 01-24 = 14) */
	assert_int_equal(epipoints_lift_blockers("2020-02-07", "2020-01-24", 14, ends, who, 1, b, 8), 0);
	/* a day too early */
	assert_int_equal(epipoints_lift_blockers("2020-02-06", "2020-01-24", 14, ends, who, 1, b, 8), 1);
	assert_string_equal(b[0].kind, "quiet_days");
	assert_string_equal(b[0].until, "2020-02-07");
	/* a contact under observation through 02-10: the point may be lifted
	 * from 02-11 */
	assert_int_equal(epipoints_lift_blockers("2020-02-07", "2020-01-24", 14, ends, who, 2, b, 8), 1);
	assert_string_equal(b[0].kind, "observation");
	assert_int_equal(b[0].person_id, 12);
	assert_string_equal(b[0].until, "2020-02-11");
	/* on its end day the contact is still observed (through it, inclusive) */
	assert_int_equal(epipoints_lift_blockers("2020-02-10", "2020-01-24", 14, ends, who, 2, b, 8), 1);
	assert_int_equal(epipoints_lift_blockers("2020-02-11", "2020-01-24", 14, ends, who, 2, b, 8), 0);
	/* both */
	assert_int_equal(epipoints_lift_blockers("2020-02-01", "2020-01-24", 14, ends, who, 2, b, 8), 3);
	assert_int_equal(epipoints_lift_blockers("x", "2020-01-24", 14, ends, who, 2, b, 8), -1);
}

int main(void)
{
	clock_set_tz("Asia/Shanghai");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transitions),  cmocka_unit_test(figures),
		cmocka_unit_test(window_edges), cmocka_unit_test(merge),
		cmocka_unit_test(observation),  cmocka_unit_test(lifting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
