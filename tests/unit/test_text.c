/* Full-width folding (what Chinese input methods type) and character
 * counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/text.h"

static void fold(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(text_fold_width("６４０１０６１９８００１０１００１Ｘ", out, sizeof out), 0);
	assert_string_equal(out, "64010619800101001X");
	assert_int_equal(text_fold_width("ｅ　１２３４", out, sizeof out), 0);
	assert_string_equal(out, "e 1234");
	assert_int_equal(text_fold_width("宁Ａ１２３４挂", out, sizeof out), 0);
	assert_string_equal(out, "宁A1234挂");
	assert_int_equal(text_fold_width("～！", out, sizeof out), 0);
	assert_string_equal(out, "~!");
	/* Too small: -1, and what fitted is a string. */
	assert_int_equal(text_fold_width("１２３４５", out, 3), -1);
	assert_string_equal(out, "12");
}

static void chars(void **state)
{
	(void)state;
	assert_int_equal(text_chars("宁A1234挂"), 7);
	assert_int_equal(text_chars("宁A12345"), 7);
	assert_int_equal(text_chars(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold),
		cmocka_unit_test(chars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
