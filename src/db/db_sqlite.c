/* The SQLite backend of db.h: one write connection behind a mutex, one read
 * connection per thread (WAL lets readers run beside the writer), each with a
 * cache of prepared statements keyed by SQL text. Parameters are written
 * $1..$n in SQL; SQLite treats "$1" as a name, so binds go by name. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "db_internal.h"

#define CACHE_SLOTS 512
#define MAX_PARAMS 64

struct sq {
	struct dbq base;
	sqlite3_stmt *st;
	char *sql;
	uint64_t hash; /* 0: not cached, freed by done */
	int nparam;
	int pindex[MAX_PARAMS + 1]; /* $k -> sqlite index */
	int in_use;
};

struct sc {
	struct dbc base;
	sqlite3 *h;
	int writer;
	struct sq *cache[CACHE_SLOTS];
	int ncached;
	sqlite3_stmt *tx[3]; /* BEGIN, COMMIT, ROLLBACK: prepared once, run per request */
	sqlite3_stmt *dv;    /* PRAGMA data_version (s_generation) */
	int64_t dv_seen;     /* its value at this connection's last look, -1: none yet */
	uint64_t gen_begun;  /* a reader's commit_gen when its transaction began */
	int gen_changed;     /* a look in this transaction saw a commit new to it */
	struct sc *next; /* readers list */
};

/* WAL frames after which the checkpointer is woken (SQLite's default
 * auto-checkpoint size). */
#define CHECKPOINT_FRAMES 1000

struct sdb {
	struct db base;
	struct sc *writer;
	/* The checkpointer: its own connection and thread, so copying the WAL
	 * back into the database (and its fsync) is not done inside a commit
	 * that callers are waiting for. */
	sqlite3 *ckpt_h;
	pthread_t ckpt_thread;
	pthread_cond_t ckpt_cv;
	int ckpt_started, ckpt_wanted, ckpt_stop;
	pthread_mutex_t wlock;
	pthread_mutex_t mu; /* readers list and stats */
	pthread_key_t reader_key;
	struct sc *readers;
	struct db_stats st;
};

static const struct db_ops sqlite_ops;
#define SDB(x) ((struct sdb *)(x))
#define SC(x) ((struct sc *)(x))
#define SQ(x) ((struct sq *)(x))

static void conn_close(struct sc *c)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (c->cache[i]) {
			sqlite3_finalize(c->cache[i]->st);
			free(c->cache[i]->sql);
			free(c->cache[i]);
		}
	}
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(c->tx[i]);
	sqlite3_finalize(c->dv);
	sqlite3_close_v2(c->h);
	free(c);
}

static struct sc *conn_open(struct sdb *db, int writer, struct err_info *ei)
{
	struct sc *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(ei, ERR_NOMEM, "", "out of memory");
		return NULL;
	}
	c->base.ops = &sqlite_ops;
	c->base.db = &db->base;
	c->writer = writer;
	c->dv_seen = -1;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (writer)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(db->base.path, &c->h, flags, NULL) != SQLITE_OK) {
		err_set(ei, ERR_DB, "db", "cannot open %s: %s", db->base.path,
			c->h ? sqlite3_errmsg(c->h) : "out of memory");
		sqlite3_close_v2(c->h);
		free(c);
		return NULL;
	}
	sqlite3_busy_timeout(c->h, 10000);
	/* WAL: readers never block the writer. synchronous=FULL: what a person
	 * typed survives a power cut once acknowledged. A reader keeps 16 MB of
	 * pages (SQLite's default is 2 MB): a case's contact candidates read
	 * ~1,500 person pages, which the default cache re-read from the OS on
	 * every request; 8 server threads cost at most 128 MB. */
	const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				       "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
				     : "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
				       "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;";
	char *msg = NULL;
	if (sqlite3_exec(c->h, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(ei, ERR_DB, "db", "cannot set up %s: %s", db->base.path, msg ? msg : "?");
		sqlite3_free(msg);
		conn_close(c);
		return NULL;
	}
	return c;
}

static void reader_destroy(void *p)
{
	struct sc *c = p;
	struct sdb *db = SDB(c->base.db);
	pthread_mutex_lock(&db->mu);
	for (struct sc **pp = &db->readers; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	db->st.readers_open--;
	pthread_mutex_unlock(&db->mu);
	conn_close(c);
}

/* After each commit of the writer (it replaces SQLite's auto-checkpoint). */
static int wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	(void)h;
	(void)name;
	struct sdb *db = arg;
	if (frames >= CHECKPOINT_FRAMES) {
		pthread_mutex_lock(&db->mu);
		db->ckpt_wanted = 1;
		pthread_cond_signal(&db->ckpt_cv);
		pthread_mutex_unlock(&db->mu);
	}
	return SQLITE_OK;
}

static void *checkpointer(void *arg)
{
	struct sdb *db = arg;
	pthread_mutex_lock(&db->mu);
	for (;;) {
		while (!db->ckpt_wanted && !db->ckpt_stop)
			pthread_cond_wait(&db->ckpt_cv, &db->mu);
		if (db->ckpt_stop)
			break;
		db->ckpt_wanted = 0;
		pthread_mutex_unlock(&db->mu);
		/* PASSIVE: copies what no reader still needs, never waits for
		 * or blocks the writer; the writer restarts the WAL from its
		 * beginning once it has all been copied. */
		int rc = sqlite3_wal_checkpoint_v2(db->ckpt_h, NULL, SQLITE_CHECKPOINT_PASSIVE,
						   NULL, NULL);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_error("db: checkpoint: %s", sqlite3_errmsg(db->ckpt_h));
		pthread_mutex_lock(&db->mu);
	}
	pthread_mutex_unlock(&db->mu);
	return NULL;
}

/* Starts the checkpointer; without it the writer keeps SQLite's own
 * auto-checkpoint. */
static void checkpointer_start(struct sdb *db)
{
	if (sqlite3_open_v2(db->base.path, &db->ckpt_h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		sqlite3_close_v2(db->ckpt_h);
		db->ckpt_h = NULL;
		return;
	}
	pthread_cond_init(&db->ckpt_cv, NULL);
	/* With every signal blocked, as the server's stop signals must reach
	 * only its sigwait (src/http/server.c). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&db->ckpt_thread, NULL, checkpointer, db);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		pthread_cond_destroy(&db->ckpt_cv);
		sqlite3_close_v2(db->ckpt_h);
		db->ckpt_h = NULL;
		return;
	}
	db->ckpt_started = 1;
	sqlite3_wal_hook(db->writer->h, wal_hook, db);
}

static void checkpointer_stop(struct sdb *db)
{
	if (!db->ckpt_started)
		return;
	sqlite3_wal_hook(db->writer->h, NULL, NULL);
	pthread_mutex_lock(&db->mu);
	db->ckpt_stop = 1;
	pthread_cond_signal(&db->ckpt_cv);
	pthread_mutex_unlock(&db->mu);
	pthread_join(db->ckpt_thread, NULL);
	pthread_cond_destroy(&db->ckpt_cv);
	sqlite3_close_v2(db->ckpt_h);
	db->ckpt_started = 0;
}

/* Before SQLite's first use: no memory statistics (nothing reads them), so
 * its every allocation does not take a global mutex. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void db_sqlite_remove(const char *path)
{
	char side[4200];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

int db_sqlite_open(const char *path, struct db **out, struct err_info *ei)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	struct sdb *db = calloc(1, sizeof *db);
	if (!db || !(db->base.path = strdup(path))) {
		free(db);
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	}
	db->base.ops = &sqlite_ops;
	pthread_mutex_init(&db->wlock, NULL);
	pthread_mutex_init(&db->mu, NULL);
	pthread_key_create(&db->reader_key, reader_destroy);
	db->writer = conn_open(db, 1, ei);
	if (!db->writer) {
		pthread_key_delete(db->reader_key);
		free(db->base.path);
		free(db);
		return ERR_DB;
	}
	checkpointer_start(db);
	*out = &db->base;
	return 0;
}

static void s_close(struct db *base)
{
	struct sdb *db = SDB(base);
	pthread_mutex_lock(&db->mu);
	struct sc *r = db->readers;
	db->readers = NULL;
	pthread_mutex_unlock(&db->mu);
	/* The calling thread's own reader is in the list too; forget the key so
	 * its destructor does not run on freed memory. */
	pthread_setspecific(db->reader_key, NULL);
	while (r) {
		struct sc *n = r->next;
		conn_close(r);
		r = n;
	}
	pthread_key_delete(db->reader_key);
	checkpointer_stop(db);
	if (db->writer) {
		/* Fold the WAL back so the file is whole on its own. */
		sqlite3_wal_checkpoint_v2(db->writer->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		conn_close(db->writer);
	}
	pthread_mutex_destroy(&db->wlock);
	pthread_mutex_destroy(&db->mu);
	free(db->base.path);
	free(db);
}

static struct dbc *s_acquire(struct db *base, enum db_mode mode)
{
	struct sdb *db = SDB(base);
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
		return &db->writer->base;
	}
	struct sc *c = pthread_getspecific(db->reader_key);
	if (c)
		return &c->base;
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
	return &c->base;
}

static void s_release(struct db *base, struct dbc *c)
{
	struct sdb *db = SDB(base);
	if (!SC(c)->writer)
		return;
	pthread_mutex_lock(&db->mu);
	db->st.writer_busy = 0;
	pthread_mutex_unlock(&db->mu);
	pthread_mutex_unlock(&db->wlock);
}

static void s_stats(struct db *base, struct db_stats *out)
{
	struct sdb *db = SDB(base);
	pthread_mutex_lock(&db->mu);
	*out = db->st;
	pthread_mutex_unlock(&db->mu);
}

static const char *s_errmsg(struct dbc *c)
{
	return sqlite3_errmsg(SC(c)->h);
}

static int s_exec(struct dbc *c, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(SC(c)->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg ? msg : sqlite3_errmsg(SC(c)->h));
		sqlite3_free(msg);
		return ERR_DB;
	}
	return 0;
}

/* Runs transaction statement i (TX_*) of c, prepared on first use: every
 * scan's reads are one transaction, so parsing its BEGIN and ROLLBACK each
 * time showed in the profile. */
enum { TX_BEGIN, TX_COMMIT, TX_ROLLBACK };
static int s_tx(struct sc *c, int i)
{
	static const char *const sql[] = {"BEGIN", "COMMIT", "ROLLBACK"};
	const char *text = i == TX_BEGIN && c->writer ? "BEGIN IMMEDIATE" : sql[i];
	if (!c->tx[i] && sqlite3_prepare_v2(c->h, text, -1, &c->tx[i], NULL) != SQLITE_OK) {
		log_error("db: %s: %s", text, sqlite3_errmsg(c->h));
		return ERR_DB;
	}
	int rc = sqlite3_step(c->tx[i]);
	sqlite3_reset(c->tx[i]);
	if (rc != SQLITE_DONE) {
		log_error("db: %s: %s", text, sqlite3_errmsg(c->h));
		return ERR_DB;
	}
	return 0;
}

static _Atomic uint64_t commit_gen;

static int s_begin(struct dbc *c)
{
	/* Loaded before the transaction's snapshot is taken (BEGIN is
	 * deferred: its first statement takes it); see s_generation. */
	SC(c)->gen_begun = atomic_load(&commit_gen);
	SC(c)->gen_changed = 0;
	return s_tx(SC(c), TX_BEGIN);
}

static int s_commit(struct dbc *c)
{
	return s_tx(SC(c), TX_COMMIT);
}

static int s_rollback(struct dbc *c)
{
	if (sqlite3_get_autocommit(SC(c)->h))
		return 0;
	return s_tx(SC(c), TX_ROLLBACK);
}

/* The cache key of an SQL text, hashed eight bytes at a time: a bulk
 * write looks up several statements of a few hundred bytes per row. */
static uint64_t sql_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 1469598103934665603ull ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	h ^= h >> 32;
	return h ? h : 1;
}

static void free_stmt(struct sq *q)
{
	sqlite3_finalize(q->st);
	free(q->sql);
	free(q);
}

static struct sq *prepare(struct sc *c, const char *sql)
{
	uint64_t h = sql_hash(sql);
	unsigned slot = (unsigned)(h % CACHE_SLOTS);
	for (unsigned i = 0; i < CACHE_SLOTS; i++) {
		struct sq *q = c->cache[(slot + i) % CACHE_SLOTS];
		if (!q)
			break;
		if (q->hash == h && !q->in_use && strcmp(q->sql, sql) == 0) {
			q->in_use = 1;
			return q;
		}
	}
	struct sq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->base.ops = &sqlite_ops;
	q->base.c = &c->base;
	if (sqlite3_prepare_v2(c->h, sql, -1, &q->st, NULL) != SQLITE_OK) {
		log_error("db: prepare failed: %s in: %.200s", sqlite3_errmsg(c->h), sql);
		free(q);
		return NULL;
	}
	q->sql = strdup(sql);
	if (!q->sql) {
		free_stmt(q);
		return NULL;
	}
	q->in_use = 1;
	int n = sqlite3_bind_parameter_count(q->st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(q->st, i);
		int k = name && name[0] == '$' ? atoi(name + 1) : 0;
		if (k < 1 || k > MAX_PARAMS) {
			log_error("db: parameter %s is not $1..$%d in: %.200s", name ? name : "?",
				  MAX_PARAMS, sql);
			free_stmt(q);
			return NULL;
		}
		q->pindex[k] = i;
		if (k > q->nparam)
			q->nparam = k;
	}
	struct sdb *db = SDB(c->base.db);
	__atomic_add_fetch(&db->st.stmt_prepares, 1, __ATOMIC_RELAXED);
	/* Cache it when there is room; a full cache keeps working uncached. */
	if (c->ncached < CACHE_SLOTS * 3 / 4) {
		for (unsigned i = 0; i < CACHE_SLOTS; i++) {
			struct sq **p = &c->cache[(slot + i) % CACHE_SLOTS];
			if (!*p) {
				q->hash = h;
				*p = q;
				c->ncached++;
				return q;
			}
		}
	}
	return q;
}

static void s_done(struct dbq *base)
{
	struct sq *q = SQ(base);
	sqlite3_reset(q->st);
	sqlite3_clear_bindings(q->st);
	if (q->hash) {
		q->in_use = 0;
		return;
	}
	free_stmt(q);
}

static struct dbq *s_query(struct dbc *cb, const char *sql, int n, const struct db_arg *args)
{
	struct sc *c = SC(cb);
	struct sq *q = prepare(c, sql);
	if (!q)
		return NULL;
	/* More types than the text uses is allowed: SQL built from optional
	 * filters binds the same argument list whatever it kept. */
	if (n < q->nparam) {
		log_error("db: %d parameter types given, statement has $1..$%d: %.200s", n,
			  q->nparam, sql);
		s_done(&q->base);
		return NULL;
	}
	for (int k = 1; k <= n && k <= MAX_PARAMS; k++) {
		int idx = q->pindex[k];
		const struct db_arg *a = &args[k - 1];
		int rc = SQLITE_OK;
		if (!idx)
			continue;
		if (a->type == 'i')
			rc = sqlite3_bind_int64(q->st, idx, a->i);
		else if (a->type == 't' || a->type == 'u')
			rc = sqlite3_bind_text(q->st, idx, a->s, -1,
					       a->keep ? SQLITE_STATIC : SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(q->st, idx);
		if (rc != SQLITE_OK) {
			log_error("db: bind $%d failed: %s", k, sqlite3_errmsg(c->h));
			s_done(&q->base);
			return NULL;
		}
	}
	return &q->base;
}

static int s_step(struct dbq *base)
{
	struct sq *q = SQ(base);
	sqlite3 *h = SC(base->c)->h;
	int rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int ext = sqlite3_extended_errcode(h);
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ERR_CONFLICT;
	log_error("db: step failed: %s in: %.200s", sqlite3_errmsg(h), q->sql);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return ERR_BUSY;
	return ERR_DB;
}

static int64_t s_int(struct dbq *q, int col)
{
	return sqlite3_column_int64(SQ(q)->st, col);
}

static const char *s_text(struct dbq *q, int col)
{
	return (const char *)sqlite3_column_text(SQ(q)->st, col);
}

static int s_null(struct dbq *q, int col)
{
	return sqlite3_column_type(SQ(q)->st, col) == SQLITE_NULL;
}

static int s_cols(struct dbq *q)
{
	return sqlite3_column_count(SQ(q)->st);
}

static const char *s_colname(struct dbq *q, int col)
{
	return sqlite3_column_name(SQ(q)->st, col);
}

static int64_t s_changes(struct dbq *q)
{
	return sqlite3_changes64(SC(q->c)->h);
}

static int64_t s_last_insert_id(struct dbc *c)
{
	return sqlite3_last_insert_rowid(SC(c)->h);
}

static int s_backup(struct db *base, const char *dest, db_progress_fn progress, void *arg,
		    struct err_info *ei)
{
	/* Created here, 0600, before SQLite opens it: a copy of the registry
	 * is as private as the registry. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(ei, ERR_INVALID, "dest", "cannot create %s: %s", dest, strerror(errno));
	close(fd);
	sqlite3 *to = NULL;
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		int rc = err_set(ei, ERR_INVALID, "dest", "cannot open %s: %s", dest,
				 to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close_v2(to);
		unlink(dest);
		return rc;
	}
	sqlite3 *from = NULL;
	if (sqlite3_open_v2(base->path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close_v2(to);
		sqlite3_close_v2(from);
		unlink(dest);
		return err_set(ei, ERR_DB, "db", "cannot open %s", base->path);
	}
	sqlite3_busy_timeout(from, 10000);
	/* One snapshot: a read transaction held from the first page to the
	 * last. Without it every commit of the server restarts the copy from
	 * page one, and under a steady trickle of writes it never ends; with
	 * it (WAL) writers go on and the copy holds what was committed when
	 * it began. */
	int rc = sqlite3_exec(from, "BEGIN; SELECT COUNT(*) FROM sqlite_schema;", NULL, NULL, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(to, "main", from, "main") : NULL;
	if (!b) {
		rc = SQLITE_ERROR;
	} else {
		do {
			rc = sqlite3_backup_step(b, 4096);
			if (progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
				int64_t total = sqlite3_backup_pagecount(b);
				progress(arg, total - sqlite3_backup_remaining(b), total);
			}
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(20);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(b);
	}
	int ret = 0;
	if (rc != SQLITE_DONE)
		ret = err_set(ei, ERR_DB, "dest", "backup failed: %s", sqlite3_errmsg(to));
	sqlite3_exec(from, "COMMIT", NULL, NULL, NULL);
	sqlite3_close_v2(from);
	sqlite3_close_v2(to);
	if (ret)
		unlink(dest);
	return ret;
}

const char *sqlite_version_text(void)
{
	return sqlite3_libversion();
}

/* The process's commit generation: bumped by the first look of each reader
 * after a commit it had not seen (PRAGMA data_version changes for every
 * commit of another connection, in this process or another). So once
 * anything was committed, every look through any reader after it finds a
 * generation bumped after that commit. Process-wide, so the values of two
 * databases opened in turn never meet.
 *
 * Outside a transaction the look is its own statement and what the caller
 * reads next is at least as new as the value. Inside a read transaction
 * (a GET's snapshot, server.c) the data may be older than a value loaded
 * after the snapshot was taken: another reader may have bumped for a
 * commit the snapshot does not hold. So there the value is the one loaded
 * when the transaction began (before its snapshot), and once a look in the
 * transaction sees a commit new to this reader it bumps and every look in
 * that transaction answers "cannot tell" (the caller reads without a
 * cache). Two looks whose snapshots differ by a commit C so never give the
 * same value: the first look of each reader holding C bumps after C, and
 * the value of a later transaction of that reader is loaded after that. */
static int s_generation(struct dbc *base, char *out, size_t cap)
{
	struct sc *c = SC(base);
	if (c->writer)
		return ERR_DB;
	int in_tx = !sqlite3_get_autocommit(c->h);
	if (!c->dv && sqlite3_prepare_v2(c->h, "PRAGMA data_version", -1, &c->dv, NULL) != SQLITE_OK)
		return ERR_DB;
	int64_t dv = sqlite3_step(c->dv) == SQLITE_ROW ? sqlite3_column_int64(c->dv, 0) : -1;
	sqlite3_reset(c->dv);
	if (dv < 0)
		return ERR_DB;
	if (dv != c->dv_seen) {
		c->dv_seen = dv;
		atomic_fetch_add(&commit_gen, 1);
		c->gen_changed = 1;
	}
	if (in_tx && c->gen_changed)
		return ERR_BUSY;
	snprintf(out, cap, "s%llu",
		 (unsigned long long)(in_tx ? c->gen_begun : atomic_load(&commit_gen)));
	return 0;
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.close = s_close,
	.acquire = s_acquire,
	.release = s_release,
	.stats = s_stats,
	.begin = s_begin,
	.commit = s_commit,
	.rollback = s_rollback,
	.exec = s_exec,
	.query = s_query,
	.step = s_step,
	.col_int = s_int,
	.col_text = s_text,
	.col_null = s_null,
	.cols = s_cols,
	.colname = s_colname,
	.done = s_done,
	.changes = s_changes,
	.last_insert_id = s_last_insert_id,
	.errmsg = s_errmsg,
	.backup = s_backup,
	.generation = s_generation,
};
