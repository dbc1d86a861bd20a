/* Monthly partitions of the big logs on PostgreSQL (see partition.h): month
 * arithmetic in UTC on Unix seconds, partition names, creating partitions
 * ahead, listing and detaching them, and the server's keeper thread. Table
 * and partition names that go into DDL come from the static list below and
 * digits, never from user input (a table an operator names is looked up in
 * the list first). */
#include "partition.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/log.h"

/* The partitioned logs and their time columns (BIGINT Unix seconds), each
 * beside its migration's PARTITION BY RANGE (002, 005 .pg.sql). */
static const struct {
	const char *table;
	const char *column;
} logs[] = {
	{"audit_log", "at"},    {"vehicle_checks", "at"}, {"train_checks", "at"},
	{"occupant_checks", "at"}, {"gate_scans", "at"},
};
#define NLOGS (sizeof logs / sizeof logs[0])

/* Advisory lock key serialising partition_ensure across servers. */
#define ENSURE_LOCK_KEY INT64_C(0x636f72646f6e0002)

#define KEEPER_INTERVAL_S 3600

/* ---- month arithmetic (proleptic Gregorian, UTC) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days from 1970-01-01 to y-m-d (after H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Year and month (1..12) of day number z. */
static void civil_from_days(int64_t z, int64_t *y, int *m)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Months since 1970-01 of the month holding t. */
static int64_t month_index(int64_t t)
{
	int64_t y;
	int m;
	civil_from_days(floor_div(t, 86400), &y, &m);
	return (y - 1970) * 12 + (m - 1);
}

static int64_t index_start(int64_t k)
{
	int64_t y = 1970 + floor_div(k, 12);
	int m = (int)(k - floor_div(k, 12) * 12) + 1;
	return days_from_civil(y, m, 1) * 86400;
}

int64_t partition_month_start(int64_t t)
{
	return index_start(month_index(t));
}

int64_t partition_month_add(int64_t t, int months)
{
	return index_start(month_index(t) + months);
}

int partition_month_count(int64_t from, int64_t to)
{
	int64_t n = month_index(to) - month_index(from) + 1;
	return n < 0 ? 0 : n > INT32_MAX ? INT32_MAX : (int)n;
}

int partition_month_parse(const char *s, int64_t *start)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1970 || m < 1 || m > 12)
		return -1;
	if (start)
		*start = days_from_civil(y, m, 1) * 86400;
	return 0;
}

void partition_month_text(int64_t t, char out[PARTITION_MONTH_LEN])
{
	int64_t y;
	int m;
	civil_from_days(floor_div(t, 86400), &y, &m);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* out of any range a log holds; keeps 7 chars */
	snprintf(out, PARTITION_MONTH_LEN, "%04d-%02d", (int)y, m);
}

int partition_name(const char *table, int64_t t, char *out, size_t cap)
{
	char mon[PARTITION_MONTH_LEN];
	partition_month_text(t, mon);
	int n = snprintf(out, cap, "%s_p%.4s%.2s", table, mon, mon + 5);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int partition_name_parse(const char *table, const char *name, int64_t *start)
{
	size_t tl = strlen(table);
	if (strncmp(name, table, tl) != 0 || strncmp(name + tl, "_p", 2) != 0)
		return -1;
	const char *d = name + tl + 2;
	if (strlen(d) != 6)
		return -1;
	char mon[PARTITION_MONTH_LEN] = {d[0], d[1], d[2], d[3], '-', d[4], d[5], 0};
	return partition_month_parse(mon, start);
}

const char *partition_time_column(const char *table)
{
	for (size_t i = 0; i < NLOGS; i++)
		if (strcmp(logs[i].table, table) == 0)
			return logs[i].column;
	return NULL;
}

const char *partition_table(size_t i)
{
	return i < NLOGS ? logs[i].table : NULL;
}

/* ---- on a connection ---- */

static int is_pg(struct dbc *c)
{
	return strcmp(db_backend(c), "postgresql") == 0;
}

/* 1 when table is a partitioned table here, 0 when not, <0 on error. */
static int partitioned(struct dbc *c, const char *table)
{
	int64_t p = 0;
	int rc = db_one_int(c, &p,
			    "SELECT CASE WHEN relkind = 'p' THEN 1 ELSE 0 END FROM pg_class"
			    " WHERE oid = to_regclass($1)",
			    "t", table);
	return rc < 0 ? rc : rc == 1 && p == 1;
}

static const char ensure_state_sql[] =
	"SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END,"
	" CASE WHEN EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1)"
	" AND inhparent = to_regclass($2)) THEN 1 ELSE 0 END";

static int ensure_table(struct dbc *c, const char *table, int64_t from, int64_t to,
			struct err_info *ei)
{
	int p = partitioned(c, table);
	if (p < 0)
		return err_set(ei, ERR_DB, "db", "cannot look up %s: %s", table, db_errmsg(c));
	if (!p)
		return err_set(ei, ERR_INTERNAL, "db",
			       "%s is not a partitioned table (is migration 002 applied?)", table);
	int created = 0;
	for (int64_t m = partition_month_start(from); m <= to; m = partition_month_add(m, 1)) {
		char name[128];
		if (partition_name(table, m, name, sizeof name))
			return err_set(ei, ERR_INTERNAL, "db", "partition name too long");
		struct dbq *q = db_query(c, ensure_state_sql, "tt", name, table);
		if (!q || db_step(q) != 1) {
			db_done(q);
			return err_set(ei, ERR_DB, "db", "cannot look up %s: %s", name, db_errmsg(c));
		}
		int exists = (int)db_int(q, 0), attached = (int)db_int(q, 1);
		db_done(q);
		if (attached)
			continue;
		if (exists) {
			log_warn("partitions: %s exists but is not attached to %s (detached for "
				 "archiving?); not re-created",
				 name, table);
			continue;
		}
		char sql[512];
		snprintf(sql, sizeof sql,
			 "CREATE TABLE \"%s\" PARTITION OF \"%s\" FOR VALUES FROM (%lld) TO (%lld)",
			 name, table, (long long)m, (long long)partition_month_add(m, 1));
		if (db_exec(c, sql))
			return err_set(ei, ERR_DB, "db", "cannot create partition %s: %s", name,
				       db_errmsg(c));
		created++;
	}
	return created;
}

int partition_ensure(struct dbc *c, int64_t from, int64_t to, struct err_info *ei)
{
	if (!is_pg(c))
		return 0;
	if (from < 0 || to < from)
		return err_set(ei, ERR_INVALID, "from", "partition range must start at 1970 or later "
			       "and not end before it starts");
	if (partition_month_count(from, to) > PARTITION_MAX_MONTHS)
		return err_set(ei, ERR_INVALID, "from", "partition range spans more than %d months",
			       PARTITION_MAX_MONTHS);
	int own = !db_in_tx(c);
	if (own && db_begin(c))
		return err_set(ei, ERR_DB, "db", "cannot begin: %s", db_errmsg(c));
	/* Servers starting together ensure the same months: one at a time,
	 * until the transaction ends. */
	int rc = db_one_int(c, NULL, "SELECT pg_advisory_xact_lock($1)", "i", ENSURE_LOCK_KEY);
	if (rc < 0)
		rc = err_set(ei, ERR_DB, "db", "cannot lock: %s", db_errmsg(c));
	int created = 0;
	for (size_t i = 0; rc >= 0 && i < NLOGS; i++) {
		rc = ensure_table(c, logs[i].table, from, to, ei);
		if (rc > 0)
			created += rc;
	}
	if (own) {
		if (rc >= 0 && db_commit(c))
			rc = err_set(ei, ERR_DB, "db", "cannot commit: %s", db_errmsg(c));
		else if (rc < 0)
			db_rollback(c);
	}
	return rc < 0 ? rc : created;
}

static const char list_sql[] =
	"SELECT k.relname, CASE WHEN k.relispartition THEN 1 ELSE 0 END,"
	" COALESCE(pg_get_expr(k.relpartbound, k.oid), ''),"
	" GREATEST(k.reltuples::bigint, COALESCE(s.n_live_tup, 0), 0),"
	" pg_total_relation_size(k.oid)"
	" FROM pg_class k LEFT JOIN pg_stat_user_tables s ON s.relid = k.oid"
	" WHERE k.relkind = 'r'"
	" AND k.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
	" AND (k.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass($1))"
	"      OR (NOT k.relispartition AND k.relname LIKE $2))"
	" ORDER BY k.relname";

/* Reads the two numbers of "FOR VALUES FROM ('1580515200') TO ('1583020800')". */
static int parse_bound(const char *expr, int64_t *from, int64_t *to)
{
	const char *f = strstr(expr, "FROM ("), *t = strstr(expr, "TO (");
	if (!f || !t)
		return -1;
	f += 6;
	t += 4;
	while (*f == '\'')
		f++;
	while (*t == '\'')
		t++;
	char *end;
	*from = strtoll(f, &end, 10);
	if (end == f)
		return -1;
	*to = strtoll(t, &end, 10);
	return end == t ? -1 : 0;
}

int partition_list(struct dbc *c, void (*fn)(void *arg, const struct partition_info *p),
		   void *arg, struct err_info *ei)
{
	if (!is_pg(c))
		return 0;
	for (size_t i = 0; i < NLOGS; i++) {
		char like[160];
		/* '_' matches any character in LIKE: escape it. */
		size_t n = 0;
		for (const char *s = logs[i].table; *s && n + 3 < sizeof like - 4; s++) {
			if (*s == '_')
				like[n++] = '\\';
			like[n++] = *s;
		}
		memcpy(like + n, "\\_p%", 5);
		struct dbq *q = db_query(c, list_sql, "tt", logs[i].table, like);
		if (!q)
			return err_set(ei, ERR_DB, "db", "cannot list partitions: %s", db_errmsg(c));
		int rc;
		while ((rc = db_step(q)) == 1) {
			struct partition_info p = {
				.table = logs[i].table,
				.name = db_text(q, 0),
				.attached = (int)db_int(q, 1),
				.rows = db_int(q, 3),
				.bytes = db_int(q, 4),
			};
			int64_t start;
			int named = partition_name_parse(logs[i].table, p.name, &start) == 0;
			if (p.attached) {
				if (parse_bound(db_text(q, 2), &p.from, &p.to))
					p.from = p.to = 0;
			} else if (named) {
				p.from = start;
				p.to = partition_month_add(start, 1);
			} else {
				continue; /* some other table that merely looks alike */
			}
			fn(arg, &p);
		}
		db_done(q);
		if (rc < 0)
			return err_set(ei, ERR_DB, "db", "cannot list partitions: %s", db_errmsg(c));
	}
	return 0;
}

int partition_detach(struct dbc *c, const char *table, const char *month, struct err_info *ei)
{
	if (!is_pg(c))
		return err_set(ei, ERR_INVALID, "db", "partitions exist on PostgreSQL only");
	const char *known = NULL;
	for (size_t i = 0; i < NLOGS; i++)
		if (strcmp(logs[i].table, table) == 0)
			known = logs[i].table;
	if (!known)
		return err_set(ei, ERR_INVALID, "table", "%s is not a partitioned log", table);
	int64_t start;
	if (partition_month_parse(month, &start))
		return err_set(ei, ERR_INVALID, "month", "'%s' is not a month YYYY-MM", month);
	if (start >= partition_month_start(clock_now()))
		return err_set(ei, ERR_INVALID, "month",
			       "%s is this month or later: the server writes there", month);
	char name[128];
	if (partition_name(known, start, name, sizeof name))
		return err_set(ei, ERR_INTERNAL, "db", "partition name too long");
	struct dbq *q = db_query(c, ensure_state_sql, "tt", name, known);
	if (!q || db_step(q) != 1) {
		db_done(q);
		return err_set(ei, ERR_DB, "db", "cannot look up %s: %s", name, db_errmsg(c));
	}
	int exists = (int)db_int(q, 0), attached = (int)db_int(q, 1);
	db_done(q);
	if (!attached)
		return err_set(ei, ERR_NOT_FOUND, "month",
			       exists ? "%s is already detached" : "%s does not exist", name);
	char sql[320];
	snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" DETACH PARTITION \"%s\"", known, name);
	if (db_exec(c, sql))
		return err_set(ei, ERR_DB, "db", "cannot detach %s: %s", name, db_errmsg(c));
	return 0;
}

/* ---- the server's keeper ---- */

struct partition_keeper {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC */
	int stop;
};

/* Ensures this month and PARTITION_AHEAD_MONTHS more. */
static int keep_once(struct db *db, struct err_info *ei)
{
	struct dbc *c = db_acquire(db, DB_WRITE);
	if (!c)
		return err_set(ei, ERR_DB, "db", "no connection");
	int64_t now = clock_now();
	int rc = partition_ensure(c, now, partition_month_add(now, PARTITION_AHEAD_MONTHS), ei);
	db_release(db, c);
	if (rc > 0)
		log_info("partitions: created %d ahead", rc);
	return rc < 0 ? rc : 0;
}

static void *keeper_main(void *arg)
{
	struct partition_keeper *k = arg;
	pthread_mutex_lock(&k->mu);
	while (!k->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += KEEPER_INTERVAL_S;
		while (!k->stop && pthread_cond_timedwait(&k->cv, &k->mu, &until) == 0)
			; /* woken early without stop: wait on */
		if (k->stop)
			break;
		pthread_mutex_unlock(&k->mu);
		struct err_info ei = {0};
		if (keep_once(k->db, &ei))
			log_error("partitions: %s (retrying in an hour)", ei.message);
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

int partition_keeper_start(struct db *db, struct partition_keeper **out, struct err_info *ei)
{
	*out = NULL;
	struct dbc *c = db_acquire(db, DB_READ);
	if (!c)
		return err_set(ei, ERR_DB, "db", "no connection");
	int pg = is_pg(c);
	db_release(db, c);
	if (!pg)
		return 0;
	int rc = keep_once(db, ei);
	if (rc)
		return rc;
	struct partition_keeper *k = calloc(1, sizeof *k);
	if (!k)
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	k->db = db;
	pthread_mutex_init(&k->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->cv, &ca);
	pthread_condattr_destroy(&ca);
	/* The thread blocks every signal: SIGTERM and SIGINT belong to the
	 * thread that waits for them in server_run. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&k->thread, NULL, keeper_main, k);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		pthread_cond_destroy(&k->cv);
		pthread_mutex_destroy(&k->mu);
		free(k);
		return err_set(ei, ERR_INTERNAL, "", "cannot start the partition keeper");
	}
	*out = k;
	return 0;
}

void partition_keeper_stop(struct partition_keeper *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->thread, NULL);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	free(k);
}
