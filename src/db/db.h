/* The storage interface every feature uses: an opaque database handle with a
 * connection per use (read or write), cached prepared statements, typed binds
 * by $n, row readers and transactions. SQL written against it uses $1..$n,
 * integer times and no backend-only functions, so a PostgreSQL backend can sit
 * behind the same calls (see docs/architecture.md). */
#ifndef CORDON_DB_H
#define CORDON_DB_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

struct db;  /* the database: connections and their statement caches */
struct dbc; /* one connection, used by one thread at a time */
struct dbq; /* a prepared statement in use on a connection */

enum db_mode { DB_READ, DB_WRITE };

struct db_stats {
	uint64_t write_acquires;   /* times the writer was taken */
	double write_wait_ms;      /* total time spent waiting for it */
	int writer_busy;           /* 1 while a request holds the writer */
	int writers_waiting;       /* threads waiting for the writer now */
	int readers_open;          /* read connections open (PostgreSQL: pool connections) */
	int pool_size;             /* PostgreSQL: the pool's size */
	uint64_t stmt_prepares;    /* statements compiled (cache misses) */
};

/* Opens the database `target` — a SQLite file path (created if needed) or a
 * postgresql:// URL — migrates it to the newest schema when migrate != 0,
 * and returns 0 with *out set; the caller closes it with db_close. On
 * failure returns an error with ei filled. db_open_pool sets the number of
 * PostgreSQL connections (0: the default, 16); SQLite ignores it. */
int db_open(const char *target, int migrate, struct db **out, struct err_info *ei);
int db_open_pool(const char *target, int migrate, int pool, struct db **out,
		 struct err_info *ei);
/* 1 when target is a postgresql:// URL. */
int db_is_url(const char *target);
/* Closes every connection. No connection may be in use. */
void db_close(struct db *db);
/* Deletes an SQLite database file with its -wal and -shm files (a copy's
 * half-made target, a test's scratch database). Missing files are fine. */
void db_sqlite_remove(const char *path);
/* DB_READ: this thread's read connection (opened on first use).
 * DB_WRITE: the single write connection, waiting for it if another thread
 * holds it (SQLite), or a pooled connection (PostgreSQL, where transactions
 * and constraints keep writers apart). Give it back with db_release.
 * Returns NULL on failure. */
struct dbc *db_acquire(struct db *db, enum db_mode mode);
void db_release(struct db *db, struct dbc *c);
void db_stats(struct db *db, struct db_stats *out);
const char *db_path(struct db *db);

/* Transactions. On SQLite, begin on the write connection takes the write
 * lock at once (BEGIN IMMEDIATE) so a request never fails half-way on a busy
 * database; PostgreSQL runs READ COMMITTED (see docs/architecture.md). */
int db_begin(struct dbc *c);
int db_commit(struct dbc *c);
int db_rollback(struct dbc *c);
int db_in_tx(struct dbc *c);

/* Runs SQL with no parameters and no rows (may hold several statements). */
int db_exec(struct dbc *c, const char *sql);

/* Prepares sql (cached on the connection) and binds parameters described by
 * types, one char each: 'i' int64_t, 'I' int64_t id where 0 binds NULL,
 * 't' const char * (NULL binds NULL), 'u' const char * whose type the
 * server infers (copies between backends),
 * 'n' NULL (no argument). Returns NULL on error, logged. The statement is
 * the connection's until db_done. */
struct dbq *db_query(struct dbc *c, const char *sql, const char *types, ...);
/* SQL that starts with DB_PLAN_EACH is planned with its values on every run
 * on PostgreSQL, not prepared once: a prepared statement there turns to a
 * generic plan after five runs, and for a page of a list whose filter the
 * planner cannot estimate without the values that plan may read every row
 * and sort them (the missed-check list: 280 ms against 1.4 ms). A comment,
 * so SQLite (which plans with the values anyway) caches it as before. */
#define DB_PLAN_EACH "/* plan each run */ "
/* Binds n texts (NULL for NULL) with types the server infers. */
struct dbq *db_query_texts(struct dbc *c, const char *sql, int n, const char *const *texts);
/* Steps: 1 row ready, 0 done, or a negative enum err (ERR_CONFLICT for a
 * unique or primary key violation, ERR_DB otherwise). */
int db_step(struct dbq *q);
int64_t db_int(struct dbq *q, int col);
/* Text of a column, valid until the next step or db_done; NULL for NULL. */
const char *db_text(struct dbq *q, int col);
int db_null(struct dbq *q, int col);
int db_cols(struct dbq *q);
const char *db_colname(struct dbq *q, int col);
/* Resets the statement and returns it to the cache. NULL is ignored. */
void db_done(struct dbq *q);

/* Runs a statement that returns no rows (or ignores them). Returns the
 * number of rows changed, or a negative enum err. */
int64_t db_run(struct dbc *c, const char *sql, const char *types, ...);
/* Runs a statement and returns the first column of its first row as an
 * integer in *out; returns 1 when a row existed, 0 when none, <0 on error. */
int db_one_int(struct dbc *c, int64_t *out, const char *sql, const char *types, ...);

const char *db_errmsg(struct dbc *c);

/* A fingerprint of what has been committed, for caches of figures computed
 * from records: two equal fingerprints read through any connections of one
 * process mean nothing was committed in between (by this process or any
 * other); a change may also come without a commit (it is conservative).
 * Read it BEFORE computing and keep the result under it. Writes out (at
 * most cap bytes, NUL-terminated) and returns 0, or returns <0 when the
 * connection cannot tell (SQLite's writer, which does not see its own
 * commits in data_version; a SQLite read transaction whose snapshot holds
 * a commit this connection had not seen before it): then do not cache.
 * Inside a read transaction (db_snapshot_begin) the fingerprint is that of
 * the transaction's snapshot, so what is read there may be kept under it. */
int db_generation(struct dbc *c, char *out, size_t cap);

/* A read snapshot for what a request reads next on c (a read connection):
 * on SQLite one read transaction, so the statements see one state and take
 * the WAL's read lock once (two fcntl calls) instead of once each; on
 * PostgreSQL nothing (a BEGIN would cost a round trip, and each statement
 * sees the latest commit). db_snapshot_end ends it; both return 0 or <0. */
int db_snapshot_begin(struct dbc *c);
void db_snapshot_end(struct dbc *c);

/* SQLite: the rowid of the last row this connection inserted (read without
 * a statement; RETURNING costs SQLite a temporary table). Other backends
 * return 0: read the id through RETURNING there. */
int64_t db_last_insert_id(struct dbc *c);

/* Online backup of the whole database to dest, created 0600: one snapshot
 * (a read transaction held throughout), so it finishes while others write
 * and holds exactly what was committed when it began. progress (may be
 * NULL) is called now and then with the pages copied and the total. */
typedef void (*db_progress_fn)(void *arg, int64_t done, int64_t total);
int db_backup(struct db *db, const char *dest, db_progress_fn progress, void *arg,
	      struct err_info *ei);

/* Bulk loading through PostgreSQL's COPY FROM STDIN: rows for one target
 * ("persons(id, unit_id, ...)": a plain table and column list, written by
 * the caller, never from input) gathered in memory in COPY's text format and
 * sent in one stream by db_copy_send, which empties the buffer. A row is its
 * fields in the target's column order, then db_copy_row_end. Sending fails
 * as a whole (a constraint violated, a foreign key missing) and leaves the
 * transaction failed. Backends without COPY (SQLite) refuse db_copy_send
 * with ERR_DB: callers choose this path by backend. new returns NULL when out
 * of memory; a failed append is reported by db_copy_send (ERR_NOMEM). */
struct db_copy;
struct db_copy *db_copy_new(const char *target);
void db_copy_int(struct db_copy *b, int64_t v);
void db_copy_id(struct db_copy *b, int64_t v); /* 0: NULL */
void db_copy_text(struct db_copy *b, const char *s); /* NULL: NULL */
void db_copy_row_end(struct db_copy *b);
size_t db_copy_rows(const struct db_copy *b);
int db_copy_send(struct dbc *c, struct db_copy *b);
void db_copy_free(struct db_copy *b);

/* "sqlite" (later "postgresql"): for migrations' per-backend types. */
const char *db_backend(struct dbc *c);

/* The SQLite library version, for `cordon version`. */
const char *sqlite_version_text(void);

/* Applied migrations, for `cordon version` and /healthz. */
int db_schema_version(struct dbc *c);

#endif
