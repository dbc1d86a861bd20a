/* Vehicle plates (GA 36-2018): ordinary, new-energy small and large, the
 * province derived, and I/O refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ordinary),
		cmocka_unit_test(new_energy),
		cmocka_unit_test(refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
