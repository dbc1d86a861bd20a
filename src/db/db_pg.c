/* The PostgreSQL backend of db.h (libpq): a pool of connections shared by
 * every thread. A thread that already holds a connection gets the same one
 * again (acquires nest), so one request never holds two connections and a
 * busy pool cannot deadlock. Each connection prepares a statement once per
 * SQL text and parameter types; parameters travel as text with declared
 * types (int8 for 'i'/'I', text for 't', inferred for 'u' and 'n').
 * Transactions run READ COMMITTED: features rely on unique constraints and
 * row locks (SELECT ... FOR UPDATE) for the races that matter, not on one
 * writer at a time as on SQLite (docs/architecture.md). */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "db_internal.h"

#define DEFAULT_POOL 16
#define MAX_PARAMS 64
#define CACHE_MAX 1024

/* Declared types: int8 and text OIDs (pg_type.h). */
#define OID_INT8 20
#define OID_TEXT 25

struct pstmt {
	char *key; /* sql + '\1' + declared types */
	char name[16];
};

struct pq {
	struct dbq base;
	PGresult *res;
	int row, nrows;
	int64_t changed;
	int err;
};

struct pc {
	struct dbc base;
	PGconn *h;
	struct pstmt *cache;
	int ncache, cap;
	int seq;
	int holds;       /* nested acquires by the holding thread */
	pthread_t owner;
	struct pc *next; /* free list */
	char errbuf[256];
};

struct pdb {
	struct db base;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pc **all;
	int n;
	struct pc *free;
	pthread_key_t held; /* the connection this thread holds */
	struct db_stats st;
	uint64_t open_id; /* p_generation: told apart from databases opened before */
};

static const struct db_ops pg_ops;
#define PDB(x) ((struct pdb *)(x))
#define PC(x) ((struct pc *)(x))
#define PQ(x) ((struct pq *)(x))

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* "relation already exists, skipping" and the like */
}

static PGconn *connect_one(const char *url, struct err_info *ei)
{
	PGconn *h = PQconnectdb(url);
	if (!h || PQstatus(h) != CONNECTION_OK) {
		err_set(ei, ERR_DB, "db", "cannot connect to PostgreSQL: %s",
			h ? PQerrorMessage(h) : "out of memory");
		PQfinish(h);
		return NULL;
	}
	PQsetNoticeProcessor(h, quiet_notice, NULL);
	/* No JIT: every statement here is short, and a small table that was
	 * never analysed (two warehouses: under autovacuum's threshold) is
	 * estimated at hundreds of rows a page, which put the stock list
	 * (26 rows) past jit_above_cost and spent 0.7-1.2 s compiling it.
	 * No parallel workers either: a request is short and many run at
	 * once; starting two workers for a case's gate windows took 69-85 ms
	 * of a query that needs 3 ms alone (bench/contacts.sh). */
	PGresult *r = PQexec(h, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET jit = off;"
				" SET max_parallel_workers_per_gather = 0");
	PQclear(r);
	return h;
}

static void conn_free(struct pc *c)
{
	for (int i = 0; i < c->ncache; i++)
		free(c->cache[i].key);
	free(c->cache);
	PQfinish(c->h);
	free(c);
}

int db_pg_open(const char *url, int pool, struct db **out, struct err_info *ei)
{
	if (pool <= 0)
		pool = DEFAULT_POOL;
	struct pdb *db = calloc(1, sizeof *db);
	if (!db || !(db->base.path = strdup(url)) || !(db->all = calloc((size_t)pool, sizeof *db->all))) {
		if (db)
			free(db->base.path);
		free(db);
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	}
	db->base.ops = &pg_ops;
	static _Atomic uint64_t opened;
	db->open_id = atomic_fetch_add(&opened, 1) + 1;
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	pthread_key_create(&db->held, NULL);
	/* Open one connection now, so a bad URL fails at once; the rest open
	 * on demand. */
	PGconn *h = connect_one(url, ei);
	if (!h) {
		pthread_key_delete(db->held);
		free(db->all);
		free(db->base.path);
		free(db);
		return ERR_DB;
	}
	struct pc *c = calloc(1, sizeof *c);
	if (!c) {
		PQfinish(h);
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	}
	c->base.ops = &pg_ops;
	c->base.db = &db->base;
	c->h = h;
	db->all[db->n++] = c;
	db->free = c;
	db->st.readers_open = 1;
	db->st.pool_size = pool;
	*out = &db->base;
	return 0;
}

static void p_close(struct db *base)
{
	struct pdb *db = PDB(base);
	for (int i = 0; i < db->n; i++)
		conn_free(db->all[i]);
	pthread_key_delete(db->held);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
	free(db->all);
	free(db->base.path);
	free(db);
}

static struct dbc *p_acquire(struct db *base, enum db_mode mode)
{
	(void)mode; /* every pooled connection reads and writes */
	struct pdb *db = PDB(base);
	struct pc *c = pthread_getspecific(db->held);
	if (c) {
		c->holds++;
		return &c->base;
	}
	double t0 = clock_ms();
	pthread_mutex_lock(&db->mu);
	while (!db->free && db->n >= db->st.pool_size) {
		db->st.writers_waiting++;
		pthread_cond_wait(&db->cv, &db->mu);
		db->st.writers_waiting--;
	}
	if (db->free) {
		c = db->free;
		db->free = c->next;
	} else {
		/* Grow the pool up to its size. Connecting holds the lock: it
		 * happens at most pool-size times and keeps the slots simple. */
		struct err_info ei = {0};
		PGconn *h = connect_one(base->path, &ei);
		c = h ? calloc(1, sizeof *c) : NULL;
		if (!c) {
			if (h)
				PQfinish(h);
			pthread_mutex_unlock(&db->mu);
			log_error("db: %s", ei.message[0] ? ei.message : "out of memory");
			return NULL;
		}
		c->base.ops = &pg_ops;
		c->base.db = base;
		c->h = h;
		db->all[db->n++] = c;
		db->st.readers_open = db->n;
	}
	db->st.write_acquires++;
	db->st.write_wait_ms += clock_ms() - t0;
	db->st.writer_busy++;
	pthread_mutex_unlock(&db->mu);
	/* A connection the server dropped (restart, failover) is reopened. */
	if (PQstatus(c->h) != CONNECTION_OK) {
		PQreset(c->h);
		for (int i = 0; i < c->ncache; i++)
			free(c->cache[i].key);
		c->ncache = 0;
	}
	c->holds = 1;
	c->owner = pthread_self();
	pthread_setspecific(db->held, c);
	return &c->base;
}

static void p_release(struct db *base, struct dbc *cb)
{
	struct pdb *db = PDB(base);
	struct pc *c = PC(cb);
	if (--c->holds > 0)
		return;
	pthread_setspecific(db->held, NULL);
	pthread_mutex_lock(&db->mu);
	c->next = db->free;
	db->free = c;
	db->st.writer_busy--;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

static void p_stats(struct db *base, struct db_stats *out)
{
	struct pdb *db = PDB(base);
	pthread_mutex_lock(&db->mu);
	*out = db->st;
	pthread_mutex_unlock(&db->mu);
}

static const char *p_errmsg(struct dbc *c)
{
	snprintf(PC(c)->errbuf, sizeof PC(c)->errbuf, "%s", PQerrorMessage(PC(c)->h));
	char *nl = strchr(PC(c)->errbuf, '\n');
	if (nl)
		*nl = 0;
	return PC(c)->errbuf;
}

static int result_err(PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && strcmp(state, "23505") == 0)
		return ERR_CONFLICT;
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		      strcmp(state, "55P03") == 0))
		return ERR_BUSY;
	return ERR_DB;
}

static int p_exec(struct dbc *c, const char *sql)
{
	PGresult *r = PQexec(PC(c)->h, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		log_error("db: %s in: %.200s", PQresultErrorMessage(r), sql);
		rc = result_err(r);
	}
	PQclear(r);
	return rc;
}

static int p_begin(struct dbc *c)
{
	return p_exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED");
}

static int p_commit(struct dbc *c)
{
	return p_exec(c, "COMMIT");
}

static int p_rollback(struct dbc *c)
{
	if (PQtransactionStatus(PC(c)->h) == PQTRANS_IDLE)
		return 0;
	return p_exec(c, "ROLLBACK");
}

/* The parameters' declared types: int8, text, or 0 for the server to infer. */
static void decl_types(int n, const struct db_arg *args, Oid *types)
{
	for (int i = 0; i < n; i++)
		types[i] = args[i].decl == 'i' || args[i].decl == 'I' ? OID_INT8
			   : args[i].decl == 't'			  ? OID_TEXT
								  : 0;
}

/* The statement name for sql with these declared types, preparing it on
 * first use. NULL on failure. */
static const char *prepared(struct pc *c, const char *sql, int n, const struct db_arg *args)
{
	size_t sl = strlen(sql);
	char *key = malloc(sl + (size_t)n + 2);
	if (!key)
		return NULL;
	memcpy(key, sql, sl);
	key[sl] = 1;
	for (int i = 0; i < n; i++)
		key[sl + 1 + (size_t)i] = args[i].decl;
	key[sl + 1 + (size_t)n] = 0;
	for (int i = 0; i < c->ncache; i++)
		if (strcmp(c->cache[i].key, key) == 0) {
			free(key);
			return c->cache[i].name;
		}
	Oid types[MAX_PARAMS];
	decl_types(n, args, types);
	if (c->ncache == c->cap) {
		if (c->cap >= CACHE_MAX) {
			/* A full cache: forget it all (the server side too). */
			PGresult *r = PQexec(c->h, "DEALLOCATE ALL");
			PQclear(r);
			for (int i = 0; i < c->ncache; i++)
				free(c->cache[i].key);
			c->ncache = 0;
		} else {
			int cap = c->cap ? c->cap * 2 : 64;
			struct pstmt *p = realloc(c->cache, (size_t)cap * sizeof *p);
			if (!p) {
				free(key);
				return NULL;
			}
			c->cache = p;
			c->cap = cap;
		}
	}
	struct pstmt *s = &c->cache[c->ncache];
	snprintf(s->name, sizeof s->name, "s%d", ++c->seq);
	PGresult *r = PQprepare(c->h, s->name, sql, n, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_error("db: prepare failed: %s in: %.200s", PQresultErrorMessage(r), sql);
		PQclear(r);
		free(key);
		return NULL;
	}
	PQclear(r);
	s->key = key;
	c->ncache++;
	__atomic_add_fetch(&PDB(c->base.db)->st.stmt_prepares, 1, __ATOMIC_RELAXED);
	return s->name;
}

static struct dbq *p_query(struct dbc *cb, const char *sql, int n, const struct db_arg *args)
{
	struct pc *c = PC(cb);
	if (n > MAX_PARAMS)
		return NULL;
	int each = strncmp(sql, DB_PLAN_EACH, sizeof DB_PLAN_EACH - 1) == 0;
	const char *name = each ? "" : prepared(c, sql, n, args);
	if (!name)
		return NULL;
	char nums[MAX_PARAMS][24];
	const char *vals[MAX_PARAMS];
	for (int i = 0; i < n; i++) {
		if (args[i].type == 'i') {
			snprintf(nums[i], sizeof nums[i], "%lld", (long long)args[i].i);
			vals[i] = nums[i];
		} else if (args[i].type == 'n') {
			vals[i] = NULL;
		} else {
			vals[i] = args[i].s;
		}
	}
	struct pq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->base.ops = &pg_ops;
	q->base.c = cb;
	if (each) {
		Oid types[MAX_PARAMS];
		decl_types(n, args, types);
		q->res = PQexecParams(c->h, sql, n, types, vals, NULL, NULL, 0);
	} else {
		q->res = PQexecPrepared(c->h, name, n, vals, NULL, NULL, 0);
	}
	ExecStatusType st = PQresultStatus(q->res);
	if (st == PGRES_TUPLES_OK) {
		q->nrows = PQntuples(q->res);
		q->changed = atoll(PQcmdTuples(q->res));
	} else if (st == PGRES_COMMAND_OK) {
		q->changed = atoll(PQcmdTuples(q->res));
	} else {
		q->err = result_err(q->res);
		if (q->err != ERR_CONFLICT)
			log_error("db: %s in: %.200s", PQresultErrorMessage(q->res), sql);
	}
	q->row = -1;
	return &q->base;
}

static int p_step(struct dbq *base)
{
	struct pq *q = PQ(base);
	if (q->err)
		return q->err;
	if (q->row + 1 >= q->nrows)
		return 0;
	q->row++;
	return 1;
}

static int64_t p_int(struct dbq *base, int col)
{
	struct pq *q = PQ(base);
	const char *v = PQgetvalue(q->res, q->row, col);
	if (v[0] == 't' && !v[1])
		return 1; /* a boolean */
	return atoll(v);
}

static const char *p_text(struct dbq *base, int col)
{
	struct pq *q = PQ(base);
	return PQgetisnull(q->res, q->row, col) ? NULL : PQgetvalue(q->res, q->row, col);
}

static int p_null(struct dbq *base, int col)
{
	return PQgetisnull(PQ(base)->res, PQ(base)->row, col);
}

static int p_cols(struct dbq *base)
{
	return PQnfields(PQ(base)->res);
}

static const char *p_colname(struct dbq *base, int col)
{
	return PQfname(PQ(base)->res, col);
}

static void p_done(struct dbq *base)
{
	PQclear(PQ(base)->res);
	free(base);
}

static int64_t p_changes(struct dbq *base)
{
	return PQ(base)->changed;
}

/* COPY target FROM STDIN: the data in one stream (libpq splits it as the
 * socket takes it), then the server's answer. */
static int p_copy_in(struct dbc *cb, const char *target, const char *data, size_t len)
{
	struct pc *c = PC(cb);
	char sql[1024];
	if ((size_t)snprintf(sql, sizeof sql, "COPY %s FROM STDIN", target) >= sizeof sql)
		return ERR_DB;
	PGresult *r = PQexec(c->h, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		log_error("db: %s in: %.200s", PQresultErrorMessage(r), sql);
		int rc = result_err(r);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	int ok = 1;
	for (size_t off = 0; off < len && ok;) {
		int n = len - off > (1u << 20) ? 1 << 20 : (int)(len - off);
		ok = PQputCopyData(c->h, data + off, n) == 1;
		off += (size_t)n;
	}
	if (PQputCopyEnd(c->h, ok ? NULL : "client failed to send") != 1)
		ok = 0;
	int rc = 0;
	while ((r = PQgetResult(c->h))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			log_error("db: %s in: %.200s", PQresultErrorMessage(r), sql);
			rc = result_err(r);
		}
		PQclear(r);
	}
	return rc ? rc : ok ? 0 : ERR_DB;
}

/* The snapshot (xmin:xmax:in-progress xids) names exactly the set of
 * transactions committed: equal snapshots, same committed data, whichever
 * server of the cluster wrote it. */
static int p_generation(struct dbc *c, char *out, size_t cap)
{
	struct dbq *q = p_query(c, "SELECT pg_current_snapshot()::text", 0, NULL);
	if (!q)
		return ERR_DB;
	int rc = p_step(q);
	const char *v = rc == 1 ? p_text(q, 0) : NULL;
	int n = v ? snprintf(out, cap, "p%llu:%s", (unsigned long long)PDB(c->db)->open_id, v) : -1;
	p_done(q);
	return n > 0 && (size_t)n < cap ? 0 : ERR_DB;
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	.close = p_close,
	.acquire = p_acquire,
	.release = p_release,
	.stats = p_stats,
	.begin = p_begin,
	.commit = p_commit,
	.rollback = p_rollback,
	.exec = p_exec,
	.query = p_query,
	.step = p_step,
	.col_int = p_int,
	.col_text = p_text,
	.col_null = p_null,
	.cols = p_cols,
	.colname = p_colname,
	.done = p_done,
	.changes = p_changes,
	.errmsg = p_errmsg,
	.backup = NULL,
	.copy_in = p_copy_in,
	.generation = p_generation,
};
