/* Vehicle plates (GA 36-2018): ordinary, new-energy small and large, the
 * province derived, and I/O refused. The roster (四班三运转: four teams over
 * three 8-hour shifts, rotating), gaps in cover, which shift a sign-in
 * belongs to and when a sign-out is due, temperatures, the disposition of
 * a person screened, train numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/clock.h"
#include "feature/checkpoints.h"

static void ordinary(void **state)
{
	(void)state;
	struct plate p;
	struct err_info ei = {0};
	assert_int_equal(checkpoints_plate("宁A12345", &p, "plate", &ei), 0);
	assert_string_equal(p.number, "宁A12345");
	assert_string_equal(p.province, "宁夏回族自治区");
	assert_string_equal(p.province_code, "640000");
	assert_int_equal(p.new_energy, 0);
	assert_int_equal(checkpoints_plate("鄂a·b2c45", &p, "plate", &ei), 0);
	assert_string_equal(p.number, "鄂AB2C45");
	assert_string_equal(p.province_code, "420000");
	assert_int_equal(checkpoints_plate(" 京 N 9 8 7 6 5 ", &p, "plate", &ei), 0);
	assert_string_equal(p.number, "京N98765");
}

/* GA 36's special last characters: trailer, driving school, police,
 * consular, Hong Kong and Macao cross-border; full-width letters and
 * digits as an input method types them; lengths said in characters. */
static void special_plates(void **state)
{
	(void)state;
	struct plate p;
	struct err_info ei = {0};
	static const char *const ok[] = {"宁A1234挂", "宁A1234学", "宁A1234警", "宁A1234领",
					 "宁A1234使", "粤Z1234港", "粤Z1234澳", "宁a 123 4挂"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		err_clear(&ei);
		assert_int_equal(checkpoints_plate(ok[i], &p, "plate", &ei), 0);
		assert_int_equal(p.new_energy, 0);
	}
	assert_string_equal(p.number, "宁A1234挂");
	assert_int_equal(checkpoints_plate("宁Ａ１２３４５", &p, "plate", &ei), 0);
	assert_string_equal(p.number, "宁A12345");
	/* The special character only last, after four letters or digits. */
	assert_int_equal(checkpoints_plate("宁A123挂4", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁A12345挂", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁A1234中", &p, "plate", &ei), ERR_INVALID);
	/* A 6-character plate is "not 6", not its byte count. */
	err_clear(&ei);
	assert_int_equal(checkpoints_plate("宁A1234", &p, "plate", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "not 6"));
	err_clear(&ei);
	assert_int_equal(checkpoints_plate("宁A123456789", &p, "plate", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "not 11"));
}

static void new_energy(void **state)
{
	(void)state;
	struct plate p;
	struct err_info ei = {0};
	assert_int_equal(checkpoints_plate("宁AD12345", &p, "plate", &ei), 0);
	assert_int_equal(p.new_energy, 1);
	assert_int_equal(checkpoints_plate("宁AFK1234", &p, "plate", &ei), 0);
	assert_int_equal(p.new_energy, 1);
	assert_int_equal(checkpoints_plate("宁A12345D", &p, "plate", &ei), 0);
	assert_int_equal(p.new_energy, 2);
	assert_int_equal(checkpoints_plate("宁A12345F", &p, "plate", &ei), 0);
	assert_int_equal(p.new_energy, 2);
	assert_int_equal(checkpoints_plate("宁AD1234X", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁A1234XD", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁A123456", &p, "plate", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "new-energy"));
}

static void refused(void **state)
{
	(void)state;
	struct plate p;
	struct err_info ei = {0};
	assert_int_equal(checkpoints_plate("宁I12345", &p, "plate", &ei), ERR_INVALID);
	assert_string_equal(ei.field, "plate");
	assert_int_equal(checkpoints_plate("宁A1O345", &p, "plate", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "I and O"));
	assert_int_equal(checkpoints_plate("A12345", &p, "plate", &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "province"));
	assert_int_equal(checkpoints_plate("宁A1234", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁A1234567", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("宁1A2345", &p, "plate", &ei), ERR_INVALID);
	assert_int_equal(checkpoints_plate("", &p, "plate", &ei), ERR_INVALID);
}

static void roster(void **state)
{
	(void)state;
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	struct roster_shift s[16];
	assert_int_equal(checkpoints_roster("2020-02-01", 4, 4, 8, 0, s, 16), 12);
	/* Midnight in Yinchuan is 16:00 UTC the day before. */
	assert_true(s[0].starts_at == day_start("2020-02-01"));
	assert_true(s[0].starts_at == 1580486400);
	const char *want = "ABCDABCDABCD";
	for (int i = 0; i < 12; i++) {
		assert_int_equal("ABCD"[s[i].team], want[i]);
		assert_int_equal(s[i].slot, i % 3);
		assert_true(s[i].ends_at - s[i].starts_at == 8 * 3600);
		if (i)
			assert_true(s[i].starts_at == s[i - 1].ends_at); /* no gap, no overlap */
	}
	assert_string_equal(s[3].day, "2020-02-02");
	assert_string_equal(s[11].day, "2020-02-04");
	/* Each team works one shift in four: 16 hours of rest or more. */
	for (int i = 4; i < 12; i++)
		assert_true(s[i].starts_at - s[i - 4].ends_at >= 16 * 3600);
	/* Over a month's end. */
	assert_int_equal(checkpoints_roster("2020-02-28", 3, 4, 8, 0, s, 16), 9);
	assert_string_equal(s[3].day, "2020-02-29");
	assert_string_equal(s[6].day, "2020-03-01");
	/* Two 12-hour shifts, three teams. */
	assert_int_equal(checkpoints_roster("2020-02-01", 2, 3, 12, 0, s, 16), 4);
	assert_int_equal(s[3].team, 0);
	/* An extension continues the cycle: two days, then two more from
	 * the team after the last shift, are the four days laid out at once
	 * (restarting at A gave A two shifts in a row). */
	struct roster_shift a[12], b[6];
	assert_int_equal(checkpoints_roster("2020-02-01", 4, 4, 8, 0, a, 12), 12);
	assert_int_equal(checkpoints_roster("2020-02-01", 2, 4, 8, 0, b, 6), 6);
	int next = (b[5].team + 1) % 4;
	assert_int_equal(next, 2); /* A B C D A B, then C */
	assert_int_equal(checkpoints_roster("2020-02-03", 2, 4, 8, next, b, 6), 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(b[i].team, a[6 + i].team);
		assert_true(b[i].starts_at == a[6 + i].starts_at);
	}
	assert_int_equal(checkpoints_roster("2020-02-01", 1, 4, 8, 4, s, 16), -1);
	/* Refused: a bad day, hours not dividing the day, too many teams,
	 * too small a buffer. */
	assert_int_equal(checkpoints_roster("2020-02-30", 1, 4, 8, 0, s, 16), -1);
	assert_int_equal(checkpoints_roster("2020-02-01", 1, 4, 7, 0, s, 16), -1);
	assert_int_equal(checkpoints_roster("2020-02-01", 1, 9, 8, 0, s, 16), -1);
	assert_int_equal(checkpoints_roster("2020-02-01", 0, 4, 8, 0, s, 16), -1);
	assert_int_equal(checkpoints_roster("2020-02-01", 6, 4, 8, 0, s, 16), -1);
}

static void gaps(void **state)
{
	(void)state;
	struct span out[8];
	/* Nothing laid out: the whole window is a gap. */
	assert_int_equal(checkpoints_gaps(NULL, 0, 100, 200, out, 8), 1);
	assert_true(out[0].from == 100 && out[0].to == 200);
	/* Full cover, shifts reaching past both ends. */
	struct span full[] = {{50, 120}, {120, 160}, {160, 260}};
	assert_int_equal(checkpoints_gaps(full, 3, 100, 200, out, 8), 0);
	/* A hole in the middle, one at the end; overlapping shifts count once. */
	struct span holes[] = {{100, 130}, {110, 140}, {150, 170}};
	assert_int_equal(checkpoints_gaps(holes, 3, 100, 200, out, 8), 2);
	assert_true(out[0].from == 140 && out[0].to == 150);
	assert_true(out[1].from == 170 && out[1].to == 200);
	/* A hole at the start; shifts entirely before the window ignored. */
	struct span late[] = {{10, 20}, {130, 250}};
	assert_int_equal(checkpoints_gaps(late, 2, 100, 200, out, 8), 1);
	assert_true(out[0].from == 100 && out[0].to == 130);
	/* More gaps than room. */
	assert_int_equal(checkpoints_gaps(holes, 3, 100, 200, out, 1), -1);
}

static void duty(void **state)
{
	(void)state;
	struct span sh[] = {{0, 8 * 3600}, {8 * 3600, 16 * 3600}, {16 * 3600, 24 * 3600}};
	assert_int_equal(checkpoints_duty_shift(sh, 3, 3600), 0);
	/* Half an hour before the next shift: the incoming team. */
	assert_int_equal(checkpoints_duty_shift(sh, 3, 8 * 3600 - 1800), 1);
	/* Two hours before it: still the current shift. */
	assert_int_equal(checkpoints_duty_shift(sh, 3, 6 * 3600), 0);
	assert_int_equal(checkpoints_duty_shift(sh, 3, 8 * 3600), 1);
	assert_int_equal(checkpoints_duty_shift(sh, 3, 30 * 3600), -1);
	assert_int_equal(checkpoints_duty_shift(NULL, 0, 100), -1);
	/* Due at the shift's end; without a shift 12 hours after signing in. */
	assert_true(checkpoints_duty_due(1000, 5000) == 5000);
	assert_true(checkpoints_duty_due(1000, 0) == 1000 + 12 * 3600);
}

/* A 鄂 plate arriving with no stated origin is flagged for follow-up. */
static void follow_ups(void **state)
{
	(void)state;
	assert_string_equal(checkpoints_follow_up("in", "420000", 0), "hubei_plate_no_origin");
	assert_null(checkpoints_follow_up("in", "420000", 1));
	assert_null(checkpoints_follow_up("out", "420000", 0));
	assert_null(checkpoints_follow_up("in", "640000", 0));
	assert_null(checkpoints_follow_up("in", NULL, 0));
}

static void dispositions(void **state)
{
	(void)state;
	int t = 0;
	assert_int_equal(checkpoints_temperature(36.6, &t), 0);
	assert_int_equal(t, 366);
	assert_int_equal(checkpoints_temperature(37.25, &t), 0);
	assert_int_equal(t, 373); /* rounded to the nearest tenth */
	assert_int_equal(checkpoints_temperature(37, &t), 0);
	assert_int_equal(t, 370);
	assert_int_equal(checkpoints_temperature(373, &t), -1); /* tenths are not °C */
	assert_int_equal(checkpoints_temperature(29.9, &t), -1);
	assert_int_equal(checkpoints_temperature(45.1, &t), -1);

	/* A fever is referred, whatever else holds. */
	assert_int_equal(checkpoints_disposition(373, 373, NULL, 0, 0), DISP_REFERRAL);
	assert_int_equal(checkpoints_disposition(385, 373, "severe", 1, 0), DISP_REFERRAL);
	assert_int_equal(checkpoints_disposition(372, 373, NULL, 1, 0), DISP_PASS);
	/* Some units used 37.2. */
	assert_int_equal(checkpoints_disposition(372, 372, NULL, 1, 0), DISP_REFERRAL);
	/* Arrivals from graded areas with a document are registered. */
	assert_int_equal(checkpoints_disposition(365, 373, "severe", 1, 0), DISP_REGISTERED);
	assert_int_equal(checkpoints_disposition(365, 373, "other_province", 1, 0), DISP_REGISTERED);
	assert_int_equal(checkpoints_disposition(365, 373, "medium", 1, 0), DISP_REGISTERED);
	/* From a graded area without a document: registered by name and
	 * phone, or held until they are taken down; never passed. */
	assert_int_equal(checkpoints_disposition(365, 373, "severe", 0, 0), DISP_HOLD);
	assert_int_equal(checkpoints_disposition(365, 373, "severe", 0, 1), DISP_REGISTERED);
	assert_int_equal(checkpoints_disposition(365, 373, "other_province", 0, 0), DISP_HOLD);
	assert_int_equal(checkpoints_disposition(390, 373, "severe", 0, 0), DISP_REFERRAL);
	assert_int_equal(checkpoints_disposition(365, 373, NULL, 0, 0), DISP_PASS);
	assert_string_equal(checkpoints_disposition_name(DISP_HOLD), "held");
	assert_int_equal(checkpoints_disposition(365, 373, "local", 1, 0), DISP_PASS);
	assert_int_equal(checkpoints_disposition(365, 373, "low", 1, 0), DISP_PASS);
	assert_string_equal(checkpoints_disposition_name(DISP_REGISTERED), "registered");
	assert_string_equal(checkpoints_disposition_name(DISP_REFERRAL), "referral");
	assert_string_equal(checkpoints_disposition_name(DISP_PASS), "pass");
	assert_true(checkpoints_grade_registers("heavy"));
	assert_true(checkpoints_grade_registers("high"));
	assert_false(checkpoints_grade_registers("local"));
	assert_false(checkpoints_grade_registers(NULL));
}

static void trains(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(checkpoints_train_no("k 1234", out), 0);
	assert_string_equal(out, "K1234");
	assert_int_equal(checkpoints_train_no("G85", out), 0);
	assert_int_equal(checkpoints_train_no("7501", out), 0);
	assert_int_equal(checkpoints_train_no("X12", out), -1);
	assert_int_equal(checkpoints_train_no("K", out), -1);
	assert_int_equal(checkpoints_train_no("K123456", out), -1);
	assert_int_equal(checkpoints_train_no("", out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ordinary),
		cmocka_unit_test(special_plates),
		cmocka_unit_test(new_energy),
		cmocka_unit_test(refused),
		cmocka_unit_test(roster),
		cmocka_unit_test(gaps),
		cmocka_unit_test(duty),
		cmocka_unit_test(dispositions),
		cmocka_unit_test(follow_ups),
		cmocka_unit_test(trains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
