/* Monthly log partitions: month bounds in UTC from Unix seconds, partition
 * names and "YYYY-MM" parsing (the names operators type and archive by),
 * the no-op behaviour on SQLite, and the per-backend migration files that
 * make the logs partitioned on PostgreSQL only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/embed.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/partition.h"
#include "unit_db.h"

#define FEB_2020 INT64_C(1580515200) /* 2020-02-01T00:00:00Z */
#define MAR_2020 INT64_C(1583020800) /* 2020-03-01T00:00:00Z */
#define JAN_2020 INT64_C(1577836800)
#define DEC_2019 INT64_C(1575158400)

static void month_bounds(void **state)
{
	(void)state;
	/* 2020-02-14T16:30Z: already the 15th in Beijing, still February in UTC. */
	assert_int_equal(partition_month_start(1581697800), FEB_2020);
	assert_int_equal(partition_month_start(FEB_2020), FEB_2020);
	assert_int_equal(partition_month_start(MAR_2020 - 1), FEB_2020); /* 29 Feb 23:59:59 */
	assert_int_equal(partition_month_start(MAR_2020), MAR_2020);
	assert_int_equal(partition_month_add(FEB_2020 + 12345, 1), MAR_2020);
	assert_int_equal(partition_month_add(DEC_2019 + 99, 1), JAN_2020); /* across a year */
	assert_int_equal(partition_month_add(JAN_2020, -1), DEC_2019);
	assert_int_equal(partition_month_add(JAN_2020, 0), JAN_2020);
	assert_int_equal(partition_month_start(0), 0);
	assert_int_equal(partition_month_count(JAN_2020, MAR_2020 + 5), 3);
	assert_int_equal(partition_month_count(FEB_2020, FEB_2020 + 86400), 1);
	assert_int_equal(partition_month_count(MAR_2020, FEB_2020), 0);
}

/* Every month from 1970 to 2200 against the C library's timegm. */
static void months_agree_with_timegm(void **state)
{
	(void)state;
	for (int k = 0; k < 231 * 12; k++) {
		struct tm tm = {.tm_year = 70 + k / 12, .tm_mon = k % 12, .tm_mday = 1};
		int64_t start = (int64_t)timegm(&tm);
		struct tm nx = {.tm_year = 70 + (k + 1) / 12, .tm_mon = (k + 1) % 12, .tm_mday = 1};
		int64_t next = (int64_t)timegm(&nx);
		assert_int_equal(partition_month_add(0, k), start);
		assert_int_equal(partition_month_start(start), start);
		assert_int_equal(partition_month_start(next - 1), start);
		assert_int_equal(partition_month_add(next - 1, 1), next);
	}
}

static void month_text_and_parse(void **state)
{
	(void)state;
	char m[PARTITION_MONTH_LEN];
	partition_month_text(FEB_2020, m);
	assert_string_equal(m, "2020-02");
	partition_month_text(MAR_2020 - 1, m);
	assert_string_equal(m, "2020-02");
	partition_month_text(0, m);
	assert_string_equal(m, "1970-01");
	int64_t t = 0;
	assert_int_equal(partition_month_parse("2020-02", &t), 0);
	assert_int_equal(t, FEB_2020);
	assert_int_equal(partition_month_parse("2019-12", &t), 0);
	assert_int_equal(t, DEC_2019);
	assert_int_equal(partition_month_parse("1970-01", &t), 0);
	assert_int_equal(t, 0);
	const char *bad[] = {"2020-2", "2020-13", "2020-00", "1969-12", "2020-02x", "2020/02",
			     "20200-1", "", "2020-0a", " 2020-02", "2020-02-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(partition_month_parse(bad[i], &t), -1);
	assert_int_equal(partition_month_parse(NULL, &t), -1);
}

static void names(void **state)
{
	(void)state;
	char n[64];
	assert_int_equal(partition_name("audit_log", 1581697800, n, sizeof n), 0);
	assert_string_equal(n, "audit_log_p202002");
	assert_int_equal(partition_name("audit_log", DEC_2019, n, sizeof n), 0);
	assert_string_equal(n, "audit_log_p201912");
	char small[12];
	assert_int_equal(partition_name("audit_log", FEB_2020, small, sizeof small), -1);
	int64_t t = 0;
	assert_int_equal(partition_name_parse("audit_log", "audit_log_p202002", &t), 0);
	assert_int_equal(t, FEB_2020);
	assert_int_equal(partition_name_parse("audit_log", "audit_log_p202013", &t), -1);
	assert_int_equal(partition_name_parse("audit_log", "audit_log_p20202", &t), -1);
	assert_int_equal(partition_name_parse("audit_log", "audit_log_p2020021", &t), -1);
	assert_int_equal(partition_name_parse("audit_log", "audit_logx_p202002", &t), -1);
	assert_int_equal(partition_name_parse("audit_log", "gate_scans_p202002", &t), -1);
	assert_int_equal(partition_name_parse("audit_log", "audit_log", &t), -1);
	assert_string_equal(partition_time_column("audit_log"), "at");
	assert_null(partition_time_column("units"));
	assert_string_equal(partition_table(0), "audit_log");
	size_t n_logs = 0;
	while (partition_table(n_logs))
		n_logs++;
	for (size_t i = 0; i < n_logs; i++)
		assert_non_null(partition_time_column(partition_table(i)));
}

static void count_call(void *arg, const struct partition_info *p)
{
	(void)p;
	(*(int *)arg)++;
}

/* On SQLite the logs are plain tables: nothing to make, list or detach. */
static void sqlite_noop(void **state)
{
	(void)state;
	char path[64];
	unit_db_path(path, sizeof path, "parttest");
	struct db *db;
	struct err_info ei = {0};
	assert_int_equal(db_open(path, 1, &db, &ei), 0);
	struct dbc *c = db_acquire(db, DB_WRITE);
	assert_int_equal(partition_ensure(c, JAN_2020, MAR_2020, &ei), 0);
	int calls = 0;
	assert_int_equal(partition_list(c, count_call, &calls, &ei), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(partition_detach(c, "audit_log", "2020-02", &ei), ERR_INVALID);
	/* The audit log stays the plain table of 001 at every month. */
	assert_int_equal(db_run(c, "INSERT INTO audit_log(at, actor, method, route, path, status, action)"
				   " VALUES ($1, 'a', 'GET', '/', '/', 200, 'x')",
				"i", (int64_t)0),
			 1);
	db_release(db, c);
	struct partition_keeper *k = (struct partition_keeper *)&calls;
	assert_int_equal(partition_keeper_start(db, &k, &ei), 0);
	assert_null(k);
	partition_keeper_stop(k);
	db_close(db);
	unit_db_remove(path);
}

static const unsigned char EMPTY[] = "";
#define F(name) {name, EMPTY, 0, "\"x\""}

static void migration_variants(void **state)
{
	(void)state;
	const struct embedded_file files[] = {
		F("001_foundation.sql"), F("002_logs.sql"), F("002_logs.pg.sql"),
		F("003_only_pg.pg.sql"), F("004_sqlite_too.sqlite.sql"), F("004_sqlite_too.sql"),
	};
	size_t n = sizeof files / sizeof files[0];
	struct err_info ei = {0};
	assert_int_equal(migrate_check(files, n, &ei), 0);
	assert_int_equal(migrate_latest_of(files, n), 4); /* two files of one version: still 4 */
	int exists;
	assert_string_equal(migrate_pick(files, n, 1, "postgresql", &exists)->name,
			    "001_foundation.sql");
	assert_int_equal(exists, 1);
	assert_string_equal(migrate_pick(files, n, 2, "postgresql", &exists)->name, "002_logs.pg.sql");
	assert_string_equal(migrate_pick(files, n, 2, "sqlite", &exists)->name, "002_logs.sql");
	assert_string_equal(migrate_pick(files, n, 3, "postgresql", &exists)->name,
			    "003_only_pg.pg.sql");
	/* A version with only another backend's file is nothing to run here. */
	assert_null(migrate_pick(files, n, 3, "sqlite", &exists));
	assert_int_equal(exists, 1);
	assert_string_equal(migrate_pick(files, n, 4, "sqlite", &exists)->name,
			    "004_sqlite_too.sqlite.sql");
	assert_string_equal(migrate_pick(files, n, 4, "postgresql", &exists)->name,
			    "004_sqlite_too.sql");
	assert_null(migrate_pick(files, n, 5, "sqlite", &exists));
	assert_int_equal(exists, 0);

	/* Two engineers numbering their migrations alike is caught. */
	const struct embedded_file clash[] = {F("001_foundation.sql"), F("002_scans.sql"),
					      F("002_notices.sql")};
	assert_int_equal(migrate_check(clash, 3, &ei), ERR_INTERNAL);
	assert_non_null(strstr(ei.message, "002_notices.sql"));
	const struct embedded_file clash2[] = {F("002_scans.sql"), F("002_notices.pg.sql")};
	assert_int_equal(migrate_check(clash2, 2, &ei), ERR_INTERNAL);
	const struct embedded_file nonum[] = {F("foundation.sql")};
	assert_int_equal(migrate_check(nonum, 1, &ei), ERR_INTERNAL);

	/* The binary's own set is consistent and partitions the logs on
	 * PostgreSQL only. */
	assert_int_equal(migrate_check(embedded_schema, embedded_schema_count, &ei), 0);
	assert_true(migrate_latest() >= 2);
	assert_string_equal(
		migrate_pick(embedded_schema, embedded_schema_count, 2, "postgresql", &exists)->name,
		"002_partitioned_logs.pg.sql");
	const struct embedded_file *s =
		migrate_pick(embedded_schema, embedded_schema_count, 2, "sqlite", &exists);
	assert_non_null(s);
	assert_null(strstr((const char *)s->data, "PARTITION"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(month_bounds),
		cmocka_unit_test(months_agree_with_timegm),
		cmocka_unit_test(month_text_and_parse),
		cmocka_unit_test(names),
		cmocka_unit_test(sqlite_noop),
		cmocka_unit_test(migration_variants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
