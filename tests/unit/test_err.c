/* Error mapping: each error code to the HTTP status and name clients see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/err.h"
#include "i18n/catalogs.h"

static void statuses(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(ERR_OK), 200);
	assert_int_equal(err_http_status(ERR_INVALID), 400);
	assert_int_equal(err_http_status(ERR_AUTH), 401);
	assert_int_equal(err_http_status(ERR_FORBIDDEN), 403);
	assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
	assert_int_equal(err_http_status(ERR_METHOD), 405);
	assert_int_equal(err_http_status(ERR_CONFLICT), 409);
	assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
	assert_int_equal(err_http_status(ERR_RULE), 422);
	assert_int_equal(err_http_status(ERR_THROTTLED), 429);
	assert_int_equal(err_http_status(ERR_DB), 500);
	assert_int_equal(err_http_status(ERR_NOMEM), 500);
	assert_int_equal(err_http_status(-999), 500);
	assert_int_equal(err_http_status(ERR_BUSY), 503);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(err_str(ERR_INVALID), "invalid");
	assert_string_equal(err_str(ERR_AUTH), "unauthenticated");
	assert_string_equal(err_str(ERR_NOT_FOUND), "not_found");
	assert_string_equal(err_str(ERR_CONFLICT), "conflict");
	assert_string_equal(err_str(ERR_TOO_LARGE), "too_large");
	assert_string_equal(err_str(-999), "internal");
}

static void set_fills_detail(void **state)
{
	(void)state;
	struct err_info ei = {0};
	assert_int_equal(err_set(&ei, ERR_INVALID, "name", "must be at most %d characters", 64),
			 ERR_INVALID);
	assert_string_equal(ei.field, "name");
	assert_string_equal(ei.message, "must be at most 64 characters");
	assert_int_equal(err_set(NULL, ERR_DB, "x", "ignored"), ERR_DB);
	err_clear(&ei);
	assert_string_equal(ei.field, "");
}

static void formats_match(void **state)
{
	(void)state;
	assert_true(err_formats_match("from %lld to %lld", "%lld 到 %lld"));
	assert_true(err_formats_match("%s is %zu bytes (100%%)", "%s：%zu 字节（100%%）"));
	assert_true(err_formats_match("%-8s %.1f", "%s %.2f"));
	assert_false(err_formats_match("%s %d", "%d %s"));
	assert_false(err_formats_match("%s", "无"));
	assert_false(err_formats_match("%d", "%lld"));
	assert_true(err_formats_match("plain", "纯文本"));
}

static const struct err_msg test_msgs[] = {
	{"must be at most %d characters", "不能超过 %d 个字符"},
	{"bad %s order", "%d 顺序错误"}, /* mismatched: left out */
};
ERR_CATALOG(test_zh, "test", test_msgs);

static void set_translates(void **state)
{
	(void)state;
	const struct err_catalog *const cats[] = {&test_zh, NULL};
	assert_int_equal(err_catalog_load(cats, 0), 1);
	struct err_info ei = {0};
	err_set(&ei, ERR_INVALID, "name", "must be at most %d characters", 64);
	assert_string_equal(ei.message, "must be at most 64 characters");
	assert_string_equal(ei.message_zh, "不能超过 64 个字符");
	err_set(&ei, ERR_INVALID, "x", "bad %s order", "word");
	assert_string_equal(ei.message_zh, ""); /* no (valid) translation */
	assert_null(err_tr("must be at most %d characters", "en"));
	assert_string_equal(err_fmt("unknown", "zh-CN"), "unknown");
}

static void shipped_catalogs_load(void **state)
{
	(void)state;
	/* Every shipped translation takes the arguments its English takes. */
	assert_int_equal(err_catalog_load(err_catalogs, 1), 0);
	assert_non_null(err_tr("is required", "zh-CN"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(statuses),
		cmocka_unit_test(names),
		cmocka_unit_test(set_fills_detail),
		cmocka_unit_test(formats_match),
		cmocka_unit_test(set_translates),
		cmocka_unit_test(shipped_catalogs_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
