/* Supplies' pure rules: front line first (the queue's priority by the
 * requester's kind), balances derived from movements and never below
 * zero, fen arithmetic without floating point, the directed-donation rule
 * and the plan that draws an issue from directed lots before general stock;
 * directed money spent only from its own donation, and what a purchase
 * correction may still take back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/funds.h"
#include "feature/supplies.h"

static void priority_front_line_first(void **state)
{
	(void)state;
	assert_int_equal(supplies_priority("epidemic_point"), 1);
	assert_int_equal(supplies_priority("isolation_site"), 1);
	assert_int_equal(supplies_priority("checkpoint"), 2);
	assert_int_equal(supplies_priority("medical_team"), 3);
	assert_int_equal(supplies_priority("community"), 4);
	assert_true(supplies_priority("epidemic_point") < supplies_priority("checkpoint"));
	assert_true(supplies_priority("checkpoint") < supplies_priority("medical_team"));
	assert_true(supplies_priority("medical_team") < supplies_priority("community"));
	assert_int_equal(supplies_priority("warehouse"), 0);
	assert_int_equal(supplies_priority(""), 0);
	assert_int_equal(supplies_priority("Checkpoint"), 0);
	assert_int_equal(supplies_priority(NULL), 0);
}

static void balance_derivation(void **state)
{
	(void)state;
	/* A ledger's running balance: receipts, an issue, a correction. */
	const int64_t moves[] = {2050, -300, -1200, 50, -600};
	const int64_t want[] = {2050, 1750, 550, 600, 0};
	int64_t b = 0;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		assert_int_equal(supplies_balance_apply(b, moves[i], &b), 0);
		assert_int_equal(b, want[i]);
	}
	/* One more unit out is refused and the balance is untouched. */
	assert_int_equal(supplies_balance_apply(b, -1, &b), -1);
	assert_int_equal(b, 0);
	assert_int_equal(supplies_balance_apply(5, -6, &b), -1);
	assert_int_equal(supplies_balance_apply(INT64_MAX, 1, &b), -1);
	assert_int_equal(supplies_balance_apply(7, -7, &b), 0);
	assert_int_equal(b, 0);
}

static void fen_arithmetic(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(supplies_fen_mul(1200, 8550, &v), 0); /* 1,200 suits at 85.50 yuan */
	assert_int_equal(v, 10260000);
	assert_int_equal(supplies_fen_mul(0, 100, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(supplies_fen_mul(INT64_MAX / 2, 3, &v), -1);
	assert_int_equal(supplies_fen_mul(-1, 3, &v), -1);
	assert_int_equal(supplies_fen_mul(3, -1, &v), -1);
	char t[40];
	assert_string_equal(supplies_fen_text(455000000, t, sizeof t), "4,550,000.00");
	assert_string_equal(supplies_fen_text(1233410000, t, sizeof t), "12,334,100.00");
	assert_string_equal(supplies_fen_text(5, t, sizeof t), "0.05");
	assert_string_equal(supplies_fen_text(-123456, t, sizeof t), "-1,234.56");
	assert_string_equal(supplies_fen_text(0, t, sizeof t), "0.00");
	assert_string_equal(supplies_fen_text(99999, t, sizeof t), "999.99");
	assert_string_equal(supplies_fen_text(INT64_MIN, t, sizeof t),
			    "-92,233,720,368,547,758.08");
	/* Sums of many small amounts stay exact: 0.1 yuan a thousand times. */
	int64_t sum = 0;
	for (int i = 0; i < 1000; i++)
		sum += 10;
	assert_string_equal(supplies_fen_text(sum, t, sizeof t), "100.00");
}

static void directed_rule(void **state)
{
	(void)state;
	/* Directed to checkpoints only. */
	assert_int_equal(supplies_direction_allows("checkpoint", -1, "checkpoint"), 1);
	assert_int_equal(supplies_direction_allows("checkpoint", -1, "community"), 0);
	assert_int_equal(supplies_direction_allows("checkpoint", -1, NULL), 0);
	/* Directed to a unit: anyone inside it, no one outside. */
	assert_int_equal(supplies_direction_allows(NULL, 1, "community"), 1);
	assert_int_equal(supplies_direction_allows("", 1, "medical_team"), 1);
	assert_int_equal(supplies_direction_allows(NULL, 0, "epidemic_point"), 0);
	/* Both: inside the unit and of the kind. */
	assert_int_equal(supplies_direction_allows("medical_team", 1, "medical_team"), 1);
	assert_int_equal(supplies_direction_allows("medical_team", 1, "checkpoint"), 0);
	assert_int_equal(supplies_direction_allows("medical_team", 0, "medical_team"), 0);
}

static void plan_draws_directed_first(void **state)
{
	(void)state;
	struct supplies_lot lots[] = {
		{.lot_id = 7, .quantity = 30, .allowed = 1},  /* directed, for this requester */
		{.lot_id = 9, .quantity = 500, .allowed = 0}, /* directed elsewhere */
		{.lot_id = 0, .quantity = 100, .allowed = 1}, /* general stock */
	};
	int64_t take[3];
	assert_int_equal(supplies_plan(lots, 3, 50, take), 130);
	assert_int_equal(take[0], 30);
	assert_int_equal(take[1], 0);
	assert_int_equal(take[2], 20);
	/* Exactly what is available. */
	assert_int_equal(supplies_plan(lots, 3, 130, take), 130);
	assert_int_equal(take[0] + take[1] + take[2], 130);
	assert_int_equal(take[1], 0);
	/* One more: nothing is taken, and the answer names what is available
	 * (not the 500 directed elsewhere). */
	assert_int_equal(supplies_plan(lots, 3, 131, take), 130);
	assert_int_equal(take[0] + take[1] + take[2], 0);
	/* Empty or negative lots give nothing. */
	struct supplies_lot none[] = {{.lot_id = 0, .quantity = 0, .allowed = 1}};
	assert_int_equal(supplies_plan(none, 1, 1, take), 0);
	assert_int_equal(take[0], 0);
	assert_int_equal(supplies_plan(NULL, 0, 1, take), 0);
}

static void directed_money(void **state)
{
	(void)state;
	/* A fund of 1,000.00 yuan, 700.00 of it directed by donors (two
	 * donations, 500.00 and 200.00 left): a general spend draws only on
	 * the 300.00 no donor directed. */
	assert_int_equal(funds_spendable(100000, 70000, 0, 0), 30000);
	/* Naming a directed donation: its remainder only. */
	assert_int_equal(funds_spendable(100000, 70000, 50000, 1), 50000);
	assert_int_equal(funds_spendable(100000, 70000, 20000, 1), 20000);
	/* A fund of directed money only: nothing for a general spend. */
	assert_int_equal(funds_spendable(70000, 70000, 0, 0), 0);
	/* Never more than the balance, never below 0. */
	assert_int_equal(funds_spendable(10000, 0, 50000, 1), 10000);
	assert_int_equal(funds_spendable(10000, 20000, 0, 0), 0);
	assert_int_equal(funds_spendable(0, 0, 0, 0), 0);
	/* No directed money: the whole balance, as before. */
	assert_int_equal(funds_spendable(14500, 0, 0, 0), 14500);
}

static void correction_room(void **state)
{
	(void)state;
	int64_t q = -1, m = -1;
	/* 100 suits at 85.50: all may be returned and all refunded. */
	assert_int_equal(supplies_correction_room(100, 0, 855000, 0, &q, &m), 0);
	assert_int_equal(q, 100);
	assert_int_equal(m, 855000);
	/* 10 returned and refunded already: 90 and 769,500 fen left. */
	assert_int_equal(supplies_correction_room(100, -10, 855000, 85500, &q, &m), 0);
	assert_int_equal(q, 90);
	assert_int_equal(m, 769500);
	/* A recount that found 5 more makes 5 more returnable. */
	assert_int_equal(supplies_correction_room(100, -10 + 5, 855000, 85500, &q, &m), 0);
	assert_int_equal(q, 95);
	/* All gone: nothing more, never negative. */
	assert_int_equal(supplies_correction_room(100, -100, 855000, 855000, &q, &m), 0);
	assert_int_equal(q, 0);
	assert_int_equal(m, 0);
	assert_int_equal(supplies_correction_room(100, -120, 0, 10, &q, &m), 0);
	assert_int_equal(q, 0);
	assert_int_equal(m, 0);
	assert_int_equal(supplies_correction_room(INT64_MAX, 1, 0, 0, &q, &m), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(priority_front_line_first),
		cmocka_unit_test(balance_derivation),
		cmocka_unit_test(fen_arithmetic),
		cmocka_unit_test(directed_rule),
		cmocka_unit_test(plan_draws_directed_first),
		cmocka_unit_test(directed_money),
		cmocka_unit_test(correction_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
