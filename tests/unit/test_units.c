/* The unit hierarchy's rules and the scope check over the closure table:
 * who may sit under whom, valid codes, and that a subtree contains exactly
 * its descendants (also after a move). Uses a real SQLite database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "feature/units.h"
#include "http/scope.h"

static void kinds_fit(void **state)
{
	(void)state;
	assert_true(units_kind_fits(NULL, "district"));
	assert_false(units_kind_fits(NULL, "town"));
	assert_true(units_kind_fits("district", "town"));
	assert_true(units_kind_fits("district", "subdistrict"));
	assert_true(units_kind_fits("subdistrict", "community"));
	assert_true(units_kind_fits("town", "village"));
	assert_true(units_kind_fits("village", "compound"));
	assert_true(units_kind_fits("community", "compound"));
	assert_true(units_kind_fits("compound", "building"));
	assert_false(units_kind_fits("district", "compound"));
	assert_false(units_kind_fits("compound", "community"));
	assert_false(units_kind_fits("building", "building"));
	assert_false(units_kind_fits("district", "planet"));
	assert_false(units_kind_valid("District"));
}

static void codes(void **state)
{
	(void)state;
	assert_true(units_code_valid("640106"));
	assert_true(units_code_valid("JF-001"));
	assert_false(units_code_valid(""));
	assert_false(units_code_valid("640 106"));
	assert_false(units_code_valid("金凤"));
	assert_false(units_code_valid("123456789012345678901234567890123"));
}

static void scope_subtrees(void **state)
{
	(void)state;
	char path[] = "/tmp/cordon-test-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	int64_t d, a, b, a1, b1, a1x;
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(units_insert(c, 0, "district", "D", "区", NULL, &d), 0);
	assert_int_equal(units_insert(c, d, "subdistrict", "A", "A", NULL, &a), 0);
	assert_int_equal(units_insert(c, d, "subdistrict", "B", "B", NULL, &b), 0);
	assert_int_equal(units_insert(c, a, "community", "A1", "A1", NULL, &a1), 0);
	assert_int_equal(units_insert(c, b, "community", "B1", "B1", NULL, &b1), 0);
	assert_int_equal(units_insert(c, a1, "compound", "A1x", "A1x", "物业", &a1x), 0);
	int64_t dup;
	assert_int_equal(units_insert(c, a, "community", "A1", "again", NULL, &dup), ERR_CONFLICT);
	assert_int_equal(db_commit(c), 0);

	assert_int_equal(scope_contains(c, d, a1x), 1);
	assert_int_equal(scope_contains(c, a, a1x), 1);
	assert_int_equal(scope_contains(c, a1x, a1x), 1);
	assert_int_equal(scope_contains(c, b, a1x), 0);
	assert_int_equal(scope_contains(c, a1x, a), 0); /* not upwards */
	assert_int_equal(scope_contains(c, b1, a1), 0);

	/* The list filter counts exactly the subtree. */
	int64_t n = 0;
	assert_int_equal(db_one_int(c, &n, "SELECT COUNT(*) FROM units u WHERE " SCOPE_SQL("u.id", "1"),
				    "i", a),
			 1);
	assert_int_equal(n, 3); /* A, A1, A1x */
	assert_int_equal(db_one_int(c, &n, "SELECT COUNT(*) FROM units u WHERE " SCOPE_SQL("u.id", "1"),
				    "i", d),
			 1);
	assert_int_equal(n, 6);
	db_release(db, c);
	db_close(db);
	unlink(path);
	char side[64];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kinds_fit),
		cmocka_unit_test(codes),
		cmocka_unit_test(scope_subtrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
