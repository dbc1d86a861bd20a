/* The storage layer: $n parameters bound by name (in any order in the SQL),
 * NULL binds, unique violations reported as conflicts, statement reuse,
 * transactions rolled back, and migrations applied once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "db/db.h"
#include "db/migrate.h"
#include "unit_db.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	unit_db_path(path, sizeof path, "dbtest");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_remove(path);
	return 0;
}

static void binds_and_rows(void **state)
{
	(void)state;
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_int_equal(db_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b INTEGER)"), 0);
	/* $2 before $1 in the text: binding is by name, not position. */
	assert_int_equal(db_run(c, "INSERT INTO t(b, a) VALUES ($2, $1)", "ti", "x", (int64_t)7), 1);
	assert_int_equal(db_run(c, "INSERT INTO t(b, a) VALUES ($2, $1)", "tI", "y", (int64_t)0), 1);
	assert_int_equal(db_run(c, "INSERT INTO t(b, a) VALUES ($2, $1)", "ti", "x", (int64_t)8),
			 ERR_CONFLICT);
	struct dbq *q = db_query(c, "SELECT a, b FROM t WHERE a = $1 OR a = $2 ORDER BY a", "tt", "x", "y");
	assert_non_null(q);
	assert_int_equal(db_step(q), 1);
	assert_string_equal(db_text(q, 0), "x");
	assert_int_equal(db_int(q, 1), 7);
	assert_int_equal(db_step(q), 1);
	assert_true(db_null(q, 1)); /* 'I' with 0 bound NULL */
	assert_int_equal(db_step(q), 0);
	db_done(q);
	/* Too few types is refused, not guessed; extra trailing ones (optional
	 * filters left out of built SQL) are ignored. */
	assert_null(db_query(c, "SELECT a FROM t WHERE a = $1 OR a = $2", "t", "x"));
	struct dbq *extra = db_query(c, "SELECT a FROM t WHERE a = $1", "tt", "x", "y");
	assert_non_null(extra);
	assert_int_equal(db_step(extra), 1);
	db_done(extra);
	int64_t n = 0;
	assert_int_equal(db_one_int(c, &n, "SELECT COUNT(*) FROM t", ""), 1);
	assert_int_equal(n, 2);
	assert_int_equal(db_one_int(c, &n, "SELECT b FROM t WHERE a = $1", "t", "none"), 0);
	/* Rollback undoes. */
	assert_int_equal(db_begin(c), 0);
	assert_int_equal(db_run(c, "DELETE FROM t", ""), 2);
	assert_int_equal(db_rollback(c), 0);
	assert_int_equal(db_one_int(c, &n, "SELECT COUNT(*) FROM t", ""), 1);
	assert_int_equal(n, 2);
	/* The same SQL is compiled once. */
	struct db_stats s1, s2;
	db_stats(db, &s1);
	for (int i = 0; i < 10; i++)
		db_one_int(c, &n, "SELECT COUNT(*) FROM t", "");
	db_stats(db, &s2);
	assert_int_equal(s1.stmt_prepares, s2.stmt_prepares);
	db_release(db, c);
	/* A reader sees committed rows and cannot write. */
	struct dbc *r = db_acquire(db, DB_READ);
	assert_int_equal(db_one_int(r, &n, "SELECT COUNT(*) FROM t", ""), 1);
	assert_int_equal(n, 2);
	assert_true(db_run(r, "DELETE FROM t", "") < 0);
	db_close(db);
}

static void migrations_once(void **state)
{
	(void)state;
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_READ);
	assert_int_equal(db_schema_version(c), migrate_latest());
	db_close(db);
	assert_int_equal(db_open(path, 1, &db, &ei), 0); /* again: nothing to do */
	c = db_acquire(db, DB_READ);
	int64_t n = 0;
	db_one_int(c, &n, "SELECT COUNT(*) FROM schema_migrations", "");
	assert_int_equal(n, migrate_versions());
	db_close(db);
}

static void generation_of(struct dbc *c, char *out)
{
	assert_int_equal(db_generation(c, out, 64), 0);
}

/* The fingerprint a cached figure is kept under: unchanged while nothing is
 * committed, changed by a commit of this process's writer or of another
 * process (a second open of the file stands for one), whichever reader
 * looks; the writer, blind to its own commits, cannot tell. */
static void generation_changes_on_commit(void **state)
{
	(void)state;
	struct db *db, *other;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *w = db_acquire(db, DB_WRITE);
	assert_int_equal(db_exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)"), 0);
	char g[64];
	assert_true(db_generation(w, g, sizeof g) < 0);
	db_release(db, w);
	struct dbc *r = db_acquire(db, DB_READ);
	char g1[64], g2[64], g3[64], g4[64], g5[64];
	generation_of(r, g1);
	int64_t n = -1;
	assert_int_equal(db_one_int(r, &n, "SELECT COUNT(*) FROM t", ""), 1);
	generation_of(r, g2);
	assert_string_equal(g1, g2);
	db_release(db, r);
	w = db_acquire(db, DB_WRITE);
	assert_int_equal(db_run(w, "INSERT INTO t(a) VALUES (1)", ""), 1);
	db_release(db, w);
	r = db_acquire(db, DB_READ);
	generation_of(r, g3);
	assert_string_not_equal(g2, g3);
	generation_of(r, g4);
	assert_string_equal(g3, g4);
	db_release(db, r);
	assert_int_equal(db_open(path, 1, &other, &ei), 0);
	w = db_acquire(other, DB_WRITE);
	assert_int_equal(db_run(w, "UPDATE t SET a = 2", ""), 1);
	db_release(other, w);
	db_close(other);
	r = db_acquire(db, DB_READ);
	generation_of(r, g5);
	assert_string_not_equal(g4, g5);
	db_release(db, r);
	db_close(db);
}

/* Inside a read transaction (a GET's snapshot) the fingerprint is the one
 * of the snapshot: a commit made after the snapshot was taken, and looked
 * at by another reader first, must not give the snapshot's look the value
 * the other reader's looks give (a cache would then answer the other reader
 * from the older snapshot). The first look in a snapshot holding a commit
 * new to the reader cannot tell. */
static void generation_in_a_snapshot(void **state)
{
	(void)state;
	struct db *db, *db2;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	assert_int_equal(db_open(path, 1, &db2, &ei), 0);
	struct dbc *w = db_acquire(db, DB_WRITE);
	assert_int_equal(db_exec(w, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)"), 0);
	db_release(db, w);
	struct dbc *r = db_acquire(db, DB_READ), *r2 = db_acquire(db2, DB_READ);
	char ga[64], gb[64], gc[64], g[64];
	generation_of(r, g); /* both readers have seen the table */
	generation_of(r2, g);

	assert_int_equal(db_snapshot_begin(r), 0);
	int64_t n = -1;
	assert_int_equal(db_one_int(r, &n, "SELECT COUNT(*) FROM t", ""), 1);
	assert_int_equal(n, 0);
	w = db_acquire(db, DB_WRITE);
	assert_int_equal(db_run(w, "INSERT INTO t(a) VALUES (1)", ""), 1);
	db_release(db, w);
	generation_of(r2, gb); /* the other reader sees the row: it bumps */
	generation_of(r, ga);  /* the snapshot does not */
	assert_string_not_equal(ga, gb);
	assert_int_equal(db_one_int(r, &n, "SELECT COUNT(*) FROM t", ""), 1);
	assert_int_equal(n, 0);
	db_snapshot_end(r);

	/* the next snapshot holds the row, new to this reader: cannot tell */
	assert_int_equal(db_snapshot_begin(r), 0);
	assert_true(db_generation(r, g, sizeof g) < 0);
	assert_true(db_generation(r, g, sizeof g) < 0); /* nor later in it */
	db_snapshot_end(r);
	/* then a value, the same for every look while nothing is committed */
	assert_int_equal(db_snapshot_begin(r), 0);
	generation_of(r, gc);
	assert_string_not_equal(gc, ga);
	generation_of(r, g);
	assert_string_equal(gc, g);
	db_snapshot_end(r);
	assert_int_equal(db_snapshot_begin(r), 0);
	generation_of(r, g);
	assert_string_equal(gc, g);
	db_snapshot_end(r);
	db_release(db, r);
	db_release(db2, r2);
	db_close(db2);
	db_close(db);
}

static void render_markers(void **state)
{
	(void)state;
	char *s = migrate_render("CREATE TABLE x (id @ID@, y @ID@)", "sqlite");
	assert_string_equal(s, "CREATE TABLE x (id INTEGER PRIMARY KEY, y INTEGER PRIMARY KEY)");
	free(s);
	s = migrate_render("id @ID@", "postgresql");
	assert_non_null(strstr(s, "GENERATED BY DEFAULT AS IDENTITY"));
	free(s);
	/* the district's zone for local days; an "@" alone stays */
	assert_int_equal(clock_set_tz("Asia/Shanghai"), 0);
	s = migrate_render("AT TIME ZONE '@TZ@' -- a@b", "postgresql");
	assert_string_equal(s, "AT TIME ZONE 'Asia/Shanghai' -- a@b");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(binds_and_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(migrations_once, setup, teardown),
		cmocka_unit_test_setup_teardown(generation_changes_on_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(generation_in_a_snapshot, setup, teardown),
		cmocka_unit_test(render_markers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
