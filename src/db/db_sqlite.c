/* The SQLite backend of db.h: one write connection behind a mutex, one read
 * connection per thread (WAL lets readers run beside the writer), each with a
 * cache of prepared statements keyed by SQL text. Parameters are written
 * $1..$n in SQL; SQLite treats "$1" as a name, so binds go by name. */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "migrate.h"

#define CACHE_SLOTS 512
#define MAX_PARAMS 64

struct dbq {
	sqlite3_stmt *st;
	struct dbc *c;
	char *sql;
	uint64_t hash;
	int nparam;
	int pindex[MAX_PARAMS + 1]; /* $k -> sqlite index */
	int in_use;
};

struct dbc {
	sqlite3 *h;
	struct db *db;
	int writer;
	int in_tx;
	struct dbq *cache[CACHE_SLOTS];
	int ncached;
	struct dbc *next; /* readers list */
};

struct db {
	char *path;
	struct dbc *writer;
	pthread_mutex_t wlock;
	pthread_mutex_t mu; /* readers list and stats */
	pthread_key_t reader_key;
	struct dbc *readers;
	struct db_stats st;
};

static void conn_close(struct dbc *c)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (c->cache[i]) {
			sqlite3_finalize(c->cache[i]->st);
			free(c->cache[i]->sql);
			free(c->cache[i]);
		}
	}
	sqlite3_close_v2(c->h);
	free(c);
}

static struct dbc *conn_open(struct db *db, int writer, struct err_info *ei)
{
	struct dbc *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(ei, ERR_NOMEM, "", "out of memory");
		return NULL;
	}
	c->db = db;
	c->writer = writer;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (writer)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(db->path, &c->h, flags, NULL) != SQLITE_OK) {
		err_set(ei, ERR_DB, "db", "cannot open %s: %s", db->path,
			c->h ? sqlite3_errmsg(c->h) : "out of memory");
		sqlite3_close_v2(c->h);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->h, 10000);
	/* WAL: readers never block the writer. synchronous=FULL: what a person
	 * typed survives a power cut once acknowledged. */
	const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				       "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
				     : "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
				       "PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	if (sqlite3_exec(c->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(ei, ERR_DB, "db", "cannot set up %s: %s", db->path, msg ? msg : "?");
		sqlite3_free(msg);
		conn_close(c);
		return NULL;
	}
	return c;
}

static void reader_destroy(void *p)
{
	struct dbc *c = p;
	struct db *db = c->db;
	pthread_mutex_lock(&db->mu);
	for (struct dbc **pp = &db->readers; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	db->st.readers_open--;
	pthread_mutex_unlock(&db->mu);
	conn_close(c);
}

int db_open(const char *path, int migrate, struct db **out, struct err_info *ei)
{
	struct db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	}
	pthread_mutex_init(&db->wlock, NULL);
	pthread_mutex_init(&db->mu, NULL);
	pthread_key_create(&db->reader_key, reader_destroy);
	db->writer = conn_open(db, 1, ei);
	if (!db->writer) {
		free(db->path);
		free(db);
		return ERR_DB;
	}
	if (migrate) {
		int rc = migrate_run(db->writer, ei);
		if (rc) {
			db_close(db);
			return rc;
		}
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	pthread_mutex_lock(&db->mu);
	struct dbc *r = db->readers;
	db->readers = NULL;
	pthread_mutex_unlock(&db->mu);
	/* The calling thread's own reader is in the list too; forget the key so
	 * its destructor does not run on freed memory. */
	pthread_setspecific(db->reader_key, NULL);
	while (r) {
		struct dbc *n = r->next;
		conn_close(r);
		r = n;
	}
	pthread_key_delete(db->reader_key);
	if (db->writer) {
		/* Fold the WAL back so the file is whole on its own. */
		sqlite3_wal_checkpoint_v2(db->writer->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		conn_close(db->writer);
	}
	pthread_mutex_destroy(&db->wlock);
	pthread_mutex_destroy(&db->mu);
	free(db->path);
	free(db);
}

const char *db_path(struct db *db)
{
	return db->path;
}

struct dbc *db_acquire(struct db *db, enum db_mode mode)
{
	if (mode == DB_WRITE) {
		double t0 = clock_ms();
		pthread_mutex_lock(&db->mu);
		db->st.writers_waiting++;
		pthread_mutex_unlock(&db->mu);
		pthread_mutex_lock(&db->wlock);
		double waited = clock_ms() - t0;
		pthread_mutex_lock(&db->mu);
		db->st.writers_waiting--;
		db->st.write_acquires++;
		db->st.write_wait_ms += waited;
		db->st.writer_busy = 1;
		pthread_mutex_unlock(&db->mu);
		return db->writer;
	}
	struct dbc *c = pthread_getspecific(db->reader_key);
	if (c)
		return c;
	struct err_info ei = {0};
	c = conn_open(db, 0, &ei);
	if (!c) {
		log_error("db: %s", ei.message);
		return NULL;
	}
	pthread_mutex_lock(&db->mu);
	c->next = db->readers;
	db->readers = c;
	db->st.readers_open++;
	pthread_mutex_unlock(&db->mu);
	pthread_setspecific(db->reader_key, c);
	return c;
}

void db_release(struct db *db, struct dbc *c)
{
	if (!c || !c->writer)
		return;
	if (c->in_tx) {
		log_warn("db: writer released inside a transaction; rolling back");
		db_rollback(c);
	}
	pthread_mutex_lock(&db->mu);
	db->st.writer_busy = 0;
	pthread_mutex_unlock(&db->mu);
	pthread_mutex_unlock(&db->wlock);
}

void db_stats(struct db *db, struct db_stats *out)
{
	pthread_mutex_lock(&db->mu);
	*out = db->st;
	pthread_mutex_unlock(&db->mu);
}

const char *db_errmsg(struct dbc *c)
{
	return sqlite3_errmsg(c->h);
}

int db_exec(struct dbc *c, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(c->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : sqlite3_errmsg(c->h));
		sqlite3_free(msg);
		return ERR_DB;
	}
	return 0;
}

int db_begin(struct dbc *c)
{
	int rc = db_exec(c, c->writer ? "BEGIN IMMEDIATE" : "BEGIN");
	if (!rc)
		c->in_tx = 1;
	return rc;
}

int db_commit(struct dbc *c)
{
	int rc = db_exec(c, "COMMIT");
	if (rc)
		db_rollback(c);
	c->in_tx = 0;
	return rc;
}

int db_rollback(struct dbc *c)
{
	c->in_tx = 0;
	if (sqlite3_get_autocommit(c->h))
		return 0;
	return db_exec(c, "ROLLBACK");
}

int db_in_tx(struct dbc *c)
{
	return c->in_tx;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct dbq *prepare(struct dbc *c, const char *sql)
{
	uint64_t h = fnv(sql);
	unsigned slot = (unsigned)(h % CACHE_SLOTS);
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		struct dbq *q = c->cache[(slot + i) % CACHE_SLOTS];
		if (!q)
			break;
		if (q->hash == h && !q->in_use && strcmp(q->sql, sql) == 0) {
			q->in_use = 1;
			return q;
		}
	}
	struct dbq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	if (sqlite3_prepare_v2(c->h, sql, -1, &q->st, NULL) != SQLITE_OK) {
		log_error("db: prepare failed: %s in: %.200s", sqlite3_errmsg(c->h), sql);
		free(q);
		return NULL;
	}
	q->c = c;
	q->hash = h;
	q->sql = strdup(sql);
	q->in_use = 1;
	int n = sqlite3_bind_parameter_count(q->st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(q->st, i);
		int k = name && name[0] == '$' ? atoi(name + 1) : 0;
		if (k < 1 || k > MAX_PARAMS) {
			log_error("db: parameter %s is not $1..$%d in: %.200s", name ? name : "?",
				  MAX_PARAMS, sql);
			sqlite3_finalize(q->st);
			free(q->sql);
			free(q);
			return NULL;
		}
		q->pindex[k] = i;
		if (k > q->nparam)
			q->nparam = k;
	}
	if (!q->sql) {
		sqlite3_finalize(q->st);
		free(q);
		return NULL;
	}
	__atomic_add_fetch(&c->db->st.stmt_prepares, 1, __ATOMIC_RELAXED);
	/* Cache it when there is room; a full cache keeps working uncached. */
	if (c->ncached < CACHE_SLOTS * 3 / 4) {
		for (unsigned i = 0; i < CACHE_SLOTS; i++) {
			struct dbq **p = &c->cache[(slot + i) % CACHE_SLOTS];
			if (!*p) {
				*p = q;
				c->ncached++;
				return q;
			}
		}
	}
	q->hash = 0; /* marks "not cached": db_done frees it */
	return q;
}

static int is_cached(struct dbq *q)
{
	return q->hash != 0;
}

static int vbind(struct dbq *q, const char *types, va_list ap)
{
	int n = (int)strlen(types);
	if (n != q->nparam) {
		log_error("db: %d parameter types given, statement has $1..$%d: %.200s", n,
			  q->nparam, q->sql);
		return ERR_INTERNAL;
	}
	for (int k = 1; k <= n; k++) {
		int idx = q->pindex[k];
		int rc;
		switch (types[k - 1]) {
		case 'i': {
			int64_t v = va_arg(ap, int64_t);
			rc = idx ? sqlite3_bind_int64(q->st, idx, v) : SQLITE_OK;
			break;
		}
		case 'I': { /* an id where 0 means none: binds NULL */
			int64_t v = va_arg(ap, int64_t);
			rc = !idx ? SQLITE_OK
			     : v  ? sqlite3_bind_int64(q->st, idx, v)
				  : sqlite3_bind_null(q->st, idx);
			break;
		}
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = !idx ? SQLITE_OK
			     : s  ? sqlite3_bind_text(q->st, idx, s, -1, SQLITE_TRANSIENT)
				  : sqlite3_bind_null(q->st, idx);
			break;
		}
		case 'n':
			rc = idx ? sqlite3_bind_null(q->st, idx) : SQLITE_OK;
			break;
		default:
			log_error("db: bad parameter type '%c'", types[k - 1]);
			return ERR_INTERNAL;
		}
		if (rc != SQLITE_OK) {
			log_error("db: bind $%d failed: %s", k, sqlite3_errmsg(q->c->h));
			return ERR_DB;
		}
	}
	return 0;
}

static struct dbq *vquery(struct dbc *c, const char *sql, const char *types, va_list ap)
{
	struct dbq *q = prepare(c, sql);
	if (!q)
		return NULL;
	if (vbind(q, types, ap)) {
		db_done(q);
		return NULL;
	}
	return q;
}

struct dbq *db_query(struct dbc *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct dbq *q = vquery(c, sql, types, ap);
	va_end(ap);
	return q;
}

int db_step(struct dbq *q)
{
	int rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int ext = sqlite3_extended_errcode(q->c->h);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ERR_CONFLICT;
	log_error("db: step failed: %s in: %.200s", sqlite3_errmsg(q->c->h), q->sql);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return ERR_BUSY;
	return ERR_DB;
}

int64_t db_int(struct dbq *q, int col)
{
	return sqlite3_column_int64(q->st, col);
}

const char *db_text(struct dbq *q, int col)
{
	return (const char *)sqlite3_column_text(q->st, col);
}

int db_null(struct dbq *q, int col)
{
	return sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

int db_cols(struct dbq *q)
{
	return sqlite3_column_count(q->st);
}

const char *db_colname(struct dbq *q, int col)
{
	return sqlite3_column_name(q->st, col);
}

void db_done(struct dbq *q)
{
	if (!q)
		return;
	sqlite3_reset(q->st);
	sqlite3_clear_bindings(q->st);
	if (is_cached(q)) {
		q->in_use = 0;
		return;
	}
	sqlite3_finalize(q->st);
	free(q->sql);
	free(q);
}

int64_t db_run(struct dbc *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct dbq *q = vquery(c, sql, types, ap);
	va_end(ap);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1)
		;
	db_done(q);
	if (rc < 0)
		return rc;
	return sqlite3_changes64(c->h);
}

int db_one_int(struct dbc *c, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct dbq *q = vquery(c, sql, types, ap);
	va_end(ap);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1 && out)
		*out = db_int(q, 0);
	db_done(q);
	return rc;
}

int db_backup(struct db *db, const char *dest, struct err_info *ei)
{
	sqlite3 *to = NULL;
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		int rc = err_set(ei, ERR_INVALID, "dest", "cannot create %s: %s", dest,
				 to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close_v2(to);
		return rc;
	}
	/* A separate source connection: the backup steps while requests keep
	 * writing; SQLite restarts the copy if the source changes underneath. */
	sqlite3 *from = NULL;
	if (sqlite3_open_v2(db->path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close_v2(to);
		sqlite3_close_v2(from);
		return err_set(ei, ERR_DB, "db", "cannot open %s", db->path);
	}
	sqlite3_busy_timeout(from, 10000);
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc = SQLITE_OK;
	if (!b) {
		rc = SQLITE_ERROR;
	} else {
		do {
			rc = sqlite3_backup_step(b, 256);
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(20);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(b);
	}
	int ret = 0;
	if (rc != SQLITE_DONE)
		ret = err_set(ei, ERR_DB, "dest", "backup failed: %s", sqlite3_errmsg(to));
	sqlite3_close_v2(from);
	sqlite3_close_v2(to);
	return ret;
}

int db_schema_version(struct dbc *c)
{
	int64_t v = 0;
	if (db_one_int(c, &v, "SELECT COALESCE(MAX(version),0) FROM schema_migrations", "") < 0)
		return -1;
	return (int)v;
}

const char *db_backend(struct dbc *c)
{
	(void)c;
	return "sqlite";
}

int db_is_unique_violation(struct dbc *c)
{
	int ext = sqlite3_extended_errcode(c->h);
	return ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
}

const char *sqlite_version_text(void)
{
	return sqlite3_libversion();
}
