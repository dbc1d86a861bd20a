/* Usernames: 3..32 of lower-case a-z, digits, '_', '.', '-'; and the audit
 * log's list of actions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feature/audit.h"
#include "feature/users.h"

static void usernames_accepted(void **state)
{
	(void)state;
	assert_true(users_username_valid("abc"));
	assert_true(users_username_valid("wang.wei"));
	assert_true(users_username_valid("grid_worker-07"));
	assert_true(users_username_valid("12345678901234567890123456789012"));
	assert_true(users_username_valid("..."));
}

static void usernames_refused(void **state)
{
	(void)state;
	const char *bad[] = {
		"",     "ab",        "123456789012345678901234567890123", "UPPER",
		"Wang", "bad user!", "用户名",                                "tab\tname",
		"a b",  "at@home",   "semi;colon",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(users_username_valid(bad[i]));
	assert_false(users_username_valid(NULL));
}

static void audit_actions(void **state)
{
	(void)state;
	const char *ok[] = {"write", "read", "login", "logout", "denied"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_true(audit_action_valid(ok[i]));
	assert_false(audit_action_valid("delete"));
	assert_false(audit_action_valid("WRITE"));
	assert_false(audit_action_valid(""));
	assert_false(audit_action_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usernames_accepted),
		cmocka_unit_test(usernames_refused),
		cmocka_unit_test(audit_actions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
