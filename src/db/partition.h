/* Monthly partitions of the big logs on PostgreSQL. Each log in the static
 * list of partition.c (today audit_log) is range-partitioned on its time
 * column, Unix seconds, one partition per UTC month named <table>_pYYYYMM
 * and covering [first second of the month, first second of the next). The
 * server creates them ahead (partition_keeper_*); operators list them and
 * detach old ones for archiving (`cordon partitions`). On SQLite every call
 * here is a no-op: the logs are plain tables there. */
#ifndef CORDON_PARTITION_H
#define CORDON_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The widest range partition_ensure accepts, in months (100 years). */
#define PARTITION_MAX_MONTHS 1200
/* How far ahead the server keeps partitions: this month and 3 more. */
#define PARTITION_AHEAD_MONTHS 3
/* "YYYY-MM" and its NUL. */
#define PARTITION_MONTH_LEN 8

/* ---- pure rules (no I/O) ---- */

/* The first second (UTC) of the month holding Unix time t. */
int64_t partition_month_start(int64_t t);
/* The first second (UTC) of the month `months` after the one holding t
 * (months may be negative). */
int64_t partition_month_add(int64_t t, int months);
/* Months from the one holding `from` to the one holding `to`, both
 * counted (1 when they are the same month; 0 when to < from's month). */
int partition_month_count(int64_t from, int64_t to);
/* "YYYY-MM" (1970-01 .. 9999-12) into the first second of that month.
 * Returns 0, or -1 for anything else (no trailing text). */
int partition_month_parse(const char *s, int64_t *start);
/* The month holding t as "YYYY-MM". */
void partition_month_text(int64_t t, char out[PARTITION_MONTH_LEN]);
/* The partition of `table` for the month holding t: "<table>_pYYYYMM".
 * Returns 0, or -1 when it does not fit in cap. */
int partition_name(const char *table, int64_t t, char *out, size_t cap);
/* 0 with *start set when name is "<table>_pYYYYMM" for a valid month,
 * else -1. */
int partition_name_parse(const char *table, const char *name, int64_t *start);
/* The time column of a partitioned log, or NULL when `table` is not one. */
const char *partition_time_column(const char *table);
/* The partitioned logs: the i-th table name, NULL past the end. */
const char *partition_table(size_t i);

/* ---- on a connection ---- */

/* Creates every missing monthly partition covering [from, to] for every
 * partitioned log, inside the caller's transaction if one is open (else in
 * its own), serialised across servers by an advisory lock. A partition
 * name that exists but is not attached (detached for archiving) is left
 * alone with a warning. Returns the number created (0 on SQLite), or a
 * negative enum err with ei filled. */
int partition_ensure(struct dbc *c, int64_t from, int64_t to, struct err_info *ei);

struct partition_info {
	const char *table; /* the partitioned log */
	const char *name;  /* the partition, <table>_pYYYYMM */
	int64_t from, to;  /* its range [from, to), Unix seconds */
	int64_t rows;      /* estimate from the statistics */
	int64_t bytes;     /* with its indexes */
	int attached;      /* 0: detached, waiting to be dumped and dropped */
};
/* Calls fn for each partition of each partitioned log (attached ones and
 * detached ones still named <table>_pYYYYMM), by table and month. The
 * strings in *p are valid during the call. Returns 0 (nothing on SQLite)
 * or a negative enum err. */
int partition_list(struct dbc *c, void (*fn)(void *arg, const struct partition_info *p),
		   void *arg, struct err_info *ei);
/* Detaches the partition of `table` for month "YYYY-MM", leaving it a
 * plain table to dump and drop (pg_dump -t audit_log_p202002 ... && DROP
 * TABLE audit_log_p202002). Refuses the current month and later ones (the
 * server writes there). Returns 0 or a negative enum err with ei filled;
 * ERR_INVALID on SQLite. */
int partition_detach(struct dbc *c, const char *table, const char *month, struct err_info *ei);

/* The server's keeper: partition_keeper_start ensures this month and
 * PARTITION_AHEAD_MONTHS more at once (failing if it cannot), then again
 * every hour from a background thread that blocks every signal. On SQLite
 * it starts nothing and sets *out to NULL. partition_keeper_stop wakes the
 * thread, joins it and frees the keeper (NULL is ignored); db must stay
 * open until then. */
struct partition_keeper;
int partition_keeper_start(struct db *db, struct partition_keeper **out, struct err_info *ei);
void partition_keeper_stop(struct partition_keeper *k);

#endif
