/* The permission table: what each role may do, as the menus and the router
 * rely on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/perm.h"

static void admin_has_everything(void **state)
{
	(void)state;
	uint64_t p = perm_of_role("admin");
	for (int i = 0; i < P_COUNT; i++)
		assert_true(perm_has(p, i));
}

static void grid_worker_reads_only(void **state)
{
	(void)state;
	uint64_t p = perm_of_role("grid_worker");
	assert_true(perm_has(p, P_UNITS_READ));
	assert_false(perm_has(p, P_UNITS_WRITE));
	assert_false(perm_has(p, P_USERS_ADMIN));
	assert_false(perm_has(p, P_AUDIT_READ));
	assert_false(perm_has(p, P_ID_REVEAL));
}

static void only_admin_administers(void **state)
{
	(void)state;
	for (const struct role_def *r = perm_roles; r->name; r++) {
		int admin = r->name[0] == 'a' && r->name[1] == 'd';
		assert_int_equal(perm_has(r->perms, P_USERS_ADMIN), admin);
		assert_int_equal(perm_has(r->perms, P_AUDIT_READ), admin);
		assert_int_equal(perm_has(r->perms, P_SETTINGS_ADMIN), admin);
	}
}

static void unknown_role_has_nothing(void **state)
{
	(void)state;
	assert_int_equal(perm_of_role("root"), 0);
	assert_int_equal(perm_of_role(NULL), 0);
	assert_null(perm_role("Admin")); /* names are exact */
	assert_false(perm_has(perm_of_role("root"), P_UNITS_READ));
}

static void pseudo_permissions(void **state)
{
	(void)state;
	assert_true(perm_has(0, PERM_SIGNED_IN));
	assert_true(perm_has(0, PERM_PUBLIC));
	assert_false(perm_has(~UINT64_C(0), P_COUNT));
	assert_false(perm_has(~UINT64_C(0), -7));
}

static void ten_roles_and_device_roles(void **state)
{
	(void)state;
	const char *want[] = {"admin", "commander", "group_lead", "officer", "grid_worker",
			      "checkpoint_staff", "medic", "warehouse", "inspector", "enterprise"};
	int n = 0;
	for (const struct role_def *r = perm_roles; r->name; r++)
		n++;
	assert_int_equal(n, 10);
	for (size_t i = 0; i < 10; i++)
		assert_non_null(perm_role(want[i]));
	assert_false(perm_role("admin")->device_ok);
	assert_true(perm_role("checkpoint_staff")->device_ok);
	assert_string_equal(perm_name(P_UNITS_READ), "units.read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(admin_has_everything),   cmocka_unit_test(grid_worker_reads_only),
		cmocka_unit_test(only_admin_administers), cmocka_unit_test(unknown_role_has_nothing),
		cmocka_unit_test(pseudo_permissions),     cmocka_unit_test(ten_roles_and_device_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
