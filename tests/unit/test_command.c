/* The command structure's rules: leaders' phones are accepted in the forms
 * people type them and masked in lists; assignments go only to towns,
 * sub-districts, villages and communities; working group codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/command.h"

static void phone_forms(void **state)
{
	(void)state;
	char out[12];
	assert_int_equal(command_phone_normalize("13812345678", out), 1);
	assert_string_equal(out, "13812345678");
	assert_int_equal(command_phone_normalize("+86 138 1234 5678", out), 1);
	assert_string_equal(out, "13812345678");
	assert_int_equal(command_phone_normalize("+8613812345678", out), 1);
	assert_string_equal(out, "13812345678");
	assert_int_equal(command_phone_normalize("138-1234-5678", out), 1);
	assert_string_equal(out, "13812345678");
	assert_int_equal(command_phone_normalize(" 19912345678 ", out), 1);
	assert_string_equal(out, "19912345678");
}

static void phone_refused(void **state)
{
	(void)state;
	char out[12] = "x";
	const char *bad[] = {
		"",             "12345678901",  /* second digit 2 */
		"23812345678",  /* not starting with 1 */
		"1381234567",   /* 10 digits */
		"138123456789", /* 12 digits */
		"1381234567a",  "+85213812345", /* another country code */
		"86 13812345678", "+86",        "０１３８１２３４５６７８",
		"1381234 5678\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(command_phone_normalize(bad[i], out), 0);
		assert_string_equal(out, "");
	}
	assert_int_equal(command_phone_normalize(NULL, out), 0);
	char longer[200];
	memset(longer, '1', sizeof longer - 1);
	longer[sizeof longer - 1] = 0;
	assert_int_equal(command_phone_normalize(longer, out), 0);
}

static void phone_mask(void **state)
{
	(void)state;
	char out[32];
	assert_string_equal(command_mask_phone("13812345678", out, sizeof out), "138****5678");
	assert_string_equal(command_mask_phone("1234567", out, sizeof out), "****");
	assert_string_equal(command_mask_phone("", out, sizeof out), "****");
	assert_string_equal(command_mask_phone(NULL, out, sizeof out), "");
	assert_string_equal(command_mask_phone("12345678", out, sizeof out), "123****5678");
	/* a small buffer is cut, never overrun */
	char small[5];
	assert_string_equal(command_mask_phone("13812345678", small, sizeof small), "138*");
	/* the middle digits never appear */
	command_mask_phone("13899990000", out, sizeof out);
	assert_null(strstr(out, "9999"));
}

static void assignable_kinds(void **state)
{
	(void)state;
	assert_true(command_assignable_kind("town"));
	assert_true(command_assignable_kind("subdistrict"));
	assert_true(command_assignable_kind("village"));
	assert_true(command_assignable_kind("community"));
	assert_false(command_assignable_kind("district"));
	assert_false(command_assignable_kind("compound"));
	assert_false(command_assignable_kind("building"));
	assert_false(command_assignable_kind("Town"));
	assert_false(command_assignable_kind(""));
	assert_false(command_assignable_kind(NULL));
}

static void group_codes(void **state)
{
	(void)state;
	assert_true(command_code_valid("G-SCREEN"));
	assert_true(command_code_valid("g_1"));
	assert_true(command_code_valid("A"));
	assert_true(command_code_valid("12345678901234567890123456789012"));
	assert_false(command_code_valid("123456789012345678901234567890123"));
	assert_false(command_code_valid(""));
	assert_false(command_code_valid("G 1"));
	assert_false(command_code_valid("组"));
	assert_false(command_code_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_forms),      cmocka_unit_test(phone_refused),
		cmocka_unit_test(phone_mask),       cmocka_unit_test(assignable_kinds),
		cmocka_unit_test(group_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
