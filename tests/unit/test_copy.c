/* `cordon copy` on SQLite files: every table of the schema is copied (none
 * forgotten when a migration adds one), parents before children, a unit
 * moved under a newer unit still copies, values keep their types and texts
 * their bytes, and a target that holds a district or a source at another
 * schema is refused without leaving anything behind. (PostgreSQL's side is
 * exercised by the API suite on PostgreSQL and by hand; see the operations
 * guide.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "unit_db.h"

static char src[64], dst[64], dst2[64];

static int setup(void **state)
{
	(void)state;
	snprintf(src, sizeof src, "/tmp/cordon-copy-src-%d.db", (int)getpid());
	snprintf(dst, sizeof dst, "/tmp/cordon-copy-dst-%d.db", (int)getpid());
	snprintf(dst2, sizeof dst2, "/tmp/cordon-copy-dst2-%d.db", (int)getpid());
	unit_db_remove(src);
	unit_db_remove(dst);
	unit_db_remove(dst2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_remove(src);
	unit_db_remove(dst);
	unit_db_remove(dst2);
	return 0;
}

static int position(const struct copy_table *t, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return i;
	return -1;
}

/* Every table in the schema is in the list, after the tables it references. */
static void tables_in_fk_order(void **state)
{
	(void)state;
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(src, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	struct copy_table *t;
	int n;
	assert_int_equal(copy_tables(c, &t, &n, &ei), 0);
	int schema_tables = 0;
	struct dbq *q = db_query(c, "SELECT name FROM sqlite_master WHERE type = 'table'"
				    " AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations'", "");
	while (db_step(q) == 1) {
		schema_tables++;
		if (position(t, n, db_text(q, 0)) < 0)
			fail_msg("table %s is not copied", db_text(q, 0));
	}
	db_done(q);
	assert_int_equal(n, schema_tables);
	assert_int_equal(position(t, n, "schema_migrations"), -1);
	for (int i = 0; i < n; i++) {
		q = db_query(c, "SELECT \"table\" FROM pragma_foreign_key_list($1)", "t", t[i].name);
		while (db_step(q) == 1) {
			int p = position(t, n, db_text(q, 0));
			if (p > i)
				fail_msg("%s is copied before %s, which it references", t[i].name,
					 db_text(q, 0));
		}
		db_done(q);
	}
	/* units refers to itself: copied parents first. */
	int u = position(t, n, "units");
	assert_true(u >= 0);
	assert_string_equal(t[u].self_col, "parent_id");
	assert_string_equal(t[u].self_ref, "id");
	int ut = position(t, n, "unit_tree");
	assert_int_equal(t[ut].npk, 2);
	assert_string_equal(t[ut].pk[0], "ancestor_id");
	assert_string_equal(t[ut].pk[1], "unit_id");
	assert_null(t[ut].self_col);
	copy_tables_free(t, n);
	db_release(db, c);
	db_close(db);
}

static void fill_source(void)
{
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(src, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_int_equal(db_exec(c,
				 "INSERT INTO units(id, parent_id, kind, code, name, property_company,"
				 " created_at, updated_at) VALUES"
				 " (1, NULL, 'district', '640106', '金凤区', NULL, 1, 1),"
				 " (2, 1, 'community', 'c2', 'Quote '' and \"double\"', 'Co\nLine', 2, 2),"
				 " (3, 1, 'town', 't3', '良田镇', '', 3, 3);"
				 /* 2 moves under 3, a newer unit */
				 "UPDATE units SET parent_id = 3 WHERE id = 2;"
				 "INSERT INTO unit_tree VALUES (1,1,0),(2,2,0),(3,3,0),(1,3,1),(1,2,2),(3,2,1);"
				 "INSERT INTO users(id, username, name, role, scope_unit_id, pw_hash,"
				 " created_at, updated_at) VALUES (7, 'admin', 'A', 'admin', 1, 'h', 5, 5);"
				 "INSERT INTO audit_log(at, user_id, actor, method, route, path, status,"
				 " action, detail) VALUES (1581697800, 7, 'admin', 'POST', '/r', '/r', 200,"
				 " 'x', 'tab\there'), (1583020800, NULL, 'admin', 'GET', '/r', '/r', 200,"
				 " 'y', NULL);"
				 "INSERT INTO settings VALUES ('k', '42', 9, NULL);"),
			 0);
	db_release(db, c);
	db_close(db);
}

static char *dump(const char *path, const char *sql)
{
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 0, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_READ);
	struct dbq *q = db_query(c, sql, "");
	assert_non_null(q);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	while (db_step(q) == 1) {
		for (int i = 0; i < db_cols(q); i++)
			fprintf(f, "%s|", db_null(q, i) ? "NULL" : db_text(q, i));
		fputc('\n', f);
	}
	db_done(q);
	fclose(f);
	db_close(db);
	return out;
}

static void copies_everything(void **state)
{
	(void)state;
	fill_source();
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct err_info ei = {0};
	int rc = copy_database(src, dst, f, &ei);
	fclose(f);
	if (rc)
		fail_msg("copy failed: %s\n%s", ei.message, out);
	assert_non_null(strstr(out, "units                           3 = 3\n"));
	assert_non_null(strstr(out, "audit_log                       2 = 2\n"));
	free(out);
	const char *checks[] = {
		"SELECT id, parent_id, kind, code, name, property_company, created_at, updated_at,"
		" typeof(id), typeof(parent_id), typeof(property_company) FROM units ORDER BY id",
		"SELECT * FROM unit_tree ORDER BY ancestor_id, unit_id",
		"SELECT *, typeof(at), typeof(user_id) FROM audit_log ORDER BY id",
		"SELECT *, typeof(value) FROM settings",
		"SELECT id, username FROM users",
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		char *a = dump(src, checks[i]), *b = dump(dst, checks[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	/* New rows continue after the copied ids. */
	struct db *db;
	assert_int_equal(db_open(dst, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	int64_t id = 0;
	assert_int_equal(db_one_int(c, &id,
				    "INSERT INTO audit_log(at, actor, method, route, path, status, action)"
				    " VALUES (1, 'a', 'GET', '/', '/', 200, 'z') RETURNING id",
				    ""),
			 1);
	assert_int_equal(id, 3);
	db_release(db, c);
	db_close(db);

	/* A target with a district in it is refused and left as it was. */
	assert_int_equal(copy_database(src, dst, NULL, &ei), ERR_CONFLICT);
	assert_non_null(strstr(ei.message, "units"));
	char *n = dump(dst, "SELECT COUNT(*) FROM audit_log");
	assert_string_equal(n, "3|\n");
	free(n);
	/* And back the other way round into a fresh file: the same rows. */
	assert_int_equal(copy_database(dst, dst2, NULL, &ei), 0);
	char *a = dump(dst, "SELECT * FROM audit_log ORDER BY id"), *b = dump(dst2, "SELECT * FROM audit_log ORDER BY id");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void refuses_bad_sources(void **state)
{
	(void)state;
	struct err_info ei = {0};
	assert_int_equal(copy_database(src, src, NULL, &ei), ERR_INVALID);
	assert_int_equal(copy_database("/tmp/cordon-no-such-db.db", dst, NULL, &ei), ERR_NOT_FOUND);
	assert_int_equal(access(dst, F_OK), -1);
	fill_source();
	/* A source at another schema version: refused, and the target file the
	 * copy created is gone again. */
	struct db *db;
	assert_int_equal(db_open(src, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_int_equal(db_run(c, "INSERT INTO schema_migrations VALUES (999, 'x', 0)", ""), 1);
	db_release(db, c);
	db_close(db);
	assert_int_equal(copy_database(src, dst, NULL, &ei), ERR_INVALID);
	assert_non_null(strstr(ei.message, "schema 999"));
	assert_int_equal(access(dst, F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tables_in_fk_order, setup, teardown),
		cmocka_unit_test_setup_teardown(copies_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_sources, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
