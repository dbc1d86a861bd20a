/* The screening rules: how one visit changes a household's state in a round
 * (counted once when someone is found, the re-check queue of empty homes,
 * late visits from an offline queue), the household's status, the coverage rate, and which
 * methods, results and units a round, a team and a visit accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/screening.h"

static void first_visit(void **state)
{
	(void)state;
	struct visit_effect e;
	struct round_hh none = {0, 0, 0, 0};
	assert_int_equal(screening_transition(&none, "visited", 1000, 0, &e), 0);
	assert_int_equal(e.households_visited, 1);
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(e.pending_empty, 0);
	assert_int_equal(e.newest, 1);
	/* NULL means "not reached yet" too. */
	/* An empty home is reached but not counted: it waits for a re-check. */
	assert_int_equal(screening_transition(NULL, "empty", 1000, 0, &e), 0);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.empties_pending, 1);
	assert_int_equal(e.pending_empty, 1);
	assert_int_equal(e.newest, 1);
	/* Refused and moved neither count nor queue. */
	assert_int_equal(screening_transition(NULL, "refused", 1000, 0, &e), 0);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(screening_transition(NULL, "moved", 1000, 0, &e), 0);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.pending_empty, 0);
}

static void second_visit_counts_once(void **state)
{
	(void)state;
	struct visit_effect e;
	struct round_hh seen = {1, 1, 0, 1000};
	assert_int_equal(screening_transition(&seen, "visited", 2000, 0, &e), 0);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(e.newest, 1);
	/* Refused first, found on the second visit: counted then. */
	struct round_hh refused = {1, 0, 0, 1000};
	screening_transition(&refused, "visited", 2000, 0, &e);
	assert_int_equal(e.households_visited, 1);
	/* Found, then empty on a later visit: still counted once (no -1). */
	screening_transition(&seen, "empty", 2000, 0, &e);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.empties_pending, 1);
}

static void empty_queue(void **state)
{
	(void)state;
	struct visit_effect e;
	/* Visited, then found empty: joins the queue. */
	struct round_hh seen = {1, 1, 0, 1000};
	screening_transition(&seen, "empty", 2000, 0, &e);
	assert_int_equal(e.empties_pending, 1);
	assert_int_equal(e.pending_empty, 1);
	/* Empty again: already queued, counted once. */
	struct round_hh queued = {1, 0, 1, 2000};
	screening_transition(&queued, "empty", 3000, 0, &e);
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(e.pending_empty, 1);
	assert_int_equal(e.households_visited, 0);
	/* Someone found: leaves the queue and counts as visited. */
	screening_transition(&queued, "visited", 3000, 0, &e);
	assert_int_equal(e.empties_pending, -1);
	assert_int_equal(e.pending_empty, 0);
	assert_int_equal(e.households_visited, 1);
	/* Refused (someone answered) and moved also end the wait. */
	screening_transition(&queued, "refused", 3000, 0, &e);
	assert_int_equal(e.empties_pending, -1);
	screening_transition(&queued, "moved", 3000, 0, &e);
	assert_int_equal(e.empties_pending, -1);
	assert_int_equal(e.pending_empty, 0);
}

static void confirmed_empty_not_queued(void **state)
{
	(void)state;
	struct visit_effect e;
	screening_transition(NULL, "empty", 1000, 1, &e);
	assert_int_equal(e.households_visited, 0);
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(e.pending_empty, 0);
	struct round_hh seen = {1, 0, 0, 1000};
	screening_transition(&seen, "empty", 2000, 1, &e);
	assert_int_equal(e.empties_pending, 0);
}

static void late_visit_keeps_latest(void **state)
{
	(void)state;
	struct visit_effect e;
	/* Latest known result is empty (queued) at t=5000; a visit made at
	 * t=4000 arrives late from a phone's offline queue. */
	struct round_hh queued = {1, 0, 1, 5000};
	screening_transition(&queued, "visited", 4000, 0, &e);
	assert_int_equal(e.newest, 0);
	assert_int_equal(e.households_visited, 1); /* someone was found then */
	assert_int_equal(e.empties_pending, 0);
	assert_int_equal(e.pending_empty, 1);
	/* The same instant counts as newer (recorded later). */
	screening_transition(&queued, "visited", 5000, 0, &e);
	assert_int_equal(e.newest, 1);
	assert_int_equal(e.empties_pending, -1);
}

static void unknown_result(void **state)
{
	(void)state;
	struct visit_effect e;
	assert_int_equal(screening_transition(NULL, "gone", 1000, 0, &e), -1);
	assert_int_equal(screening_transition(NULL, NULL, 1000, 0, &e), -1);
	assert_int_equal(screening_transition(NULL, "Visited", 1000, 0, &e), -1);
}

static void household_status(void **state)
{
	(void)state;
	assert_string_equal(screening_household_status("visited"), "occupied");
	assert_string_equal(screening_household_status("refused"), "occupied");
	assert_string_equal(screening_household_status("empty"), "empty");
	assert_string_equal(screening_household_status("moved"), "empty");
	assert_null(screening_household_status("x"));
	assert_null(screening_household_status(NULL));
	assert_true(screening_result_has_persons("visited"));
	assert_true(screening_result_has_persons("refused"));
	assert_false(screening_result_has_persons("empty"));
	assert_false(screening_result_has_persons("moved"));
}

static void rate(void **state)
{
	(void)state;
	assert_true(screening_rate(0, 0) == 0.0);
	assert_true(screening_rate(5, 0) == 0.0);
	assert_true(screening_rate(0, 10) == 0.0);
	assert_true(screening_rate(1, 1) == 1.0);
	assert_true(screening_rate(1, 3) == 0.3333);
	assert_true(screening_rate(2, 3) == 0.6667);
	/* The bulletin's figures: round 2 of round 1's households. */
	assert_true(screening_rate(239549, 244540) == 0.9796);
	assert_true(screening_rate(1, 20000) == 0.0001);  /* 0.5 bp rounds up */
	assert_true(screening_rate(1, 20001) == 0.0);
	/* Large counts do not overflow. */
	assert_true(screening_rate(INT64_C(3000000000), INT64_C(4000000000)) == 0.75);
}

static void vocabularies(void **state)
{
	(void)state;
	assert_true(screening_method_valid("door"));
	assert_true(screening_method_valid("phone"));
	assert_true(screening_method_valid("app"));
	assert_false(screening_method_valid("visit"));
	assert_false(screening_method_valid(""));
	assert_false(screening_method_valid(NULL));
	assert_true(screening_result_valid("visited"));
	assert_true(screening_result_valid("empty"));
	assert_true(screening_result_valid("refused"));
	assert_true(screening_result_valid("moved"));
	assert_false(screening_result_valid("moved away"));
	assert_true(screening_round_kind_ok("district"));
	assert_true(screening_round_kind_ok("subdistrict"));
	assert_true(screening_round_kind_ok("town"));
	assert_true(screening_round_kind_ok("community"));
	assert_true(screening_round_kind_ok("village"));
	assert_false(screening_round_kind_ok("compound"));
	assert_false(screening_round_kind_ok("building"));
	assert_true(screening_team_kind_ok("community"));
	assert_true(screening_team_kind_ok("village"));
	assert_false(screening_team_kind_ok("subdistrict"));
	assert_false(screening_team_kind_ok("compound"));
	assert_false(screening_team_kind_ok(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_visit),
		cmocka_unit_test(second_visit_counts_once),
		cmocka_unit_test(empty_queue),
		cmocka_unit_test(confirmed_empty_not_queued),
		cmocka_unit_test(late_visit_keeps_latest),
		cmocka_unit_test(unknown_result),
		cmocka_unit_test(household_status),
		cmocka_unit_test(rate),
		cmocka_unit_test(vocabularies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
