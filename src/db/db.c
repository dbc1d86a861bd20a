/* The storage interface of db.h, dispatching to the backend a database was
 * opened with (SQLite for a file path, PostgreSQL for a postgresql:// URL),
 * and the calls built on the backends' primitives: typed argument lists,
 * db_run, db_one_int, migrations on open. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/log.h"
#include "db_internal.h"
#include "migrate.h"

#define MAX_ARGS 64

int db_is_url(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

int db_open_pool(const char *target, int migrate, int pool, struct db **out, struct err_info *ei)
{
	int rc = db_is_url(target) ? db_pg_open(target, pool, out, ei)
				    : db_sqlite_open(target, out, ei);
	if (rc || !migrate)
		return rc;
	struct dbc *c = db_acquire(*out, DB_WRITE);
	rc = c ? migrate_run(c, ei) : err_set(ei, ERR_DB, "db", "no connection");
	db_release(*out, c);
	if (rc) {
		db_close(*out);
		*out = NULL;
	}
	return rc;
}

int db_open(const char *target, int migrate, struct db **out, struct err_info *ei)
{
	return db_open_pool(target, migrate, 0, out, ei);
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

const char *db_path(struct db *db)
{
	return db->path;
}

struct dbc *db_acquire(struct db *db, enum db_mode mode)
{
	return db->ops->acquire(db, mode);
}

void db_release(struct db *db, struct dbc *c)
{
	if (!c)
		return;
	if (c->in_tx) {
		log_warn("db: connection released inside a transaction; rolling back");
		db_rollback(c);
	}
	db->ops->release(db, c);
}

void db_stats(struct db *db, struct db_stats *out)
{
	memset(out, 0, sizeof *out);
	db->ops->stats(db, out);
}

const char *db_backend(struct dbc *c)
{
	return c->ops->name;
}

const char *db_errmsg(struct dbc *c)
{
	return c->ops->errmsg(c);
}

int db_generation(struct dbc *c, char *out, size_t cap)
{
	return c->ops->generation ? c->ops->generation(c, out, cap) : ERR_DB;
}

int db_snapshot_begin(struct dbc *c)
{
	if (strcmp(c->ops->name, "sqlite") != 0 || c->in_tx)
		return 0;
	return db_begin(c);
}

void db_snapshot_end(struct dbc *c)
{
	if (c && c->in_tx)
		db_rollback(c); /* nothing was written: ROLLBACK only ends it */
}

int64_t db_last_insert_id(struct dbc *c)
{
	return c->ops->last_insert_id ? c->ops->last_insert_id(c) : 0;
}

int db_exec(struct dbc *c, const char *sql)
{
	return c->ops->exec(c, sql);
}

int db_begin(struct dbc *c)
{
	int rc = c->ops->begin(c);
	if (!rc)
		c->in_tx = 1;
	return rc;
}

int db_commit(struct dbc *c)
{
	int rc = c->ops->commit(c);
	if (rc)
		c->ops->rollback(c);
	c->in_tx = 0;
	return rc;
}

int db_rollback(struct dbc *c)
{
	c->in_tx = 0;
	return c->ops->rollback(c);
}

int db_in_tx(struct dbc *c)
{
	return c->in_tx;
}

/* Reads the variadic arguments described by types into args; keep: the
 * texts outlive the statement's use (db_arg.keep). */
static int read_args(const char *types, va_list ap, struct db_arg *args, char keep)
{
	int n = 0;
	for (const char *t = types; *t; t++, n++) {
		if (n >= MAX_ARGS) {
			log_error("db: more than %d parameters", MAX_ARGS);
			return -1;
		}
		struct db_arg *a = &args[n];
		a->decl = *t;
		a->keep = keep;
		switch (*t) {
		case 'i':
			a->type = 'i';
			a->i = va_arg(ap, int64_t);
			break;
		case 'I':
			a->i = va_arg(ap, int64_t);
			a->type = a->i ? 'i' : 'n';
			break;
		case 't':
		case 'u':
			a->s = va_arg(ap, const char *);
			a->type = a->s ? *t : 'n';
			break;
		case 'n':
			a->type = 'n';
			break;
		default:
			log_error("db: bad parameter type '%c'", *t);
			return -1;
		}
	}
	return n;
}

static struct dbq *vquery(struct dbc *c, const char *sql, const char *types, va_list ap,
			  char keep)
{
	struct db_arg args[MAX_ARGS];
	int n = read_args(types, ap, args, keep);
	if (n < 0)
		return NULL;
	return c->ops->query(c, sql, n, args);
}

struct dbq *db_query(struct dbc *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct dbq *q = vquery(c, sql, types, ap, 0);
	va_end(ap);
	return q;
}

struct dbq *db_query_texts(struct dbc *c, const char *sql, int n, const char *const *texts)
{
	struct db_arg args[MAX_ARGS];
	if (n > MAX_ARGS)
		return NULL;
	for (int i = 0; i < n; i++) {
		args[i].decl = 'u';
		args[i].keep = 0;
		args[i].s = texts[i];
		args[i].type = texts[i] ? 'u' : 'n';
		args[i].i = 0;
	}
	return c->ops->query(c, sql, n, args);
}

int db_step(struct dbq *q)
{
	return q->ops->step(q);
}

int64_t db_int(struct dbq *q, int col)
{
	return q->ops->col_int(q, col);
}

const char *db_text(struct dbq *q, int col)
{
	return q->ops->col_text(q, col);
}

int db_null(struct dbq *q, int col)
{
	return q->ops->col_null(q, col);
}

int db_cols(struct dbq *q)
{
	return q->ops->cols(q);
}

const char *db_colname(struct dbq *q, int col)
{
	return q->ops->colname(q, col);
}

void db_done(struct dbq *q)
{
	if (q)
		q->ops->done(q);
}

int64_t db_run(struct dbc *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	/* Stepped and finished before returning: the caller's texts outlive it. */
	struct dbq *q = vquery(c, sql, types, ap, 1);
	va_end(ap);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1)
		;
	int64_t changed = rc < 0 ? rc : q->ops->changes(q);
	db_done(q);
	return changed;
}

int db_one_int(struct dbc *c, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	/* Stepped and finished before returning: the caller's texts outlive it. */
	struct dbq *q = vquery(c, sql, types, ap, 1);
	va_end(ap);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1 && out)
		*out = db_int(q, 0);
	db_done(q);
	return rc;
}

int db_backup(struct db *db, const char *dest, db_progress_fn progress, void *arg,
	      struct err_info *ei)
{
	if (!db->ops->backup)
		return err_set(ei, ERR_INVALID, "db",
			       "backup works on SQLite databases; use pg_dump for PostgreSQL");
	return db->ops->backup(db, dest, progress, arg, ei);
}

/* ---- bulk loading (COPY's text format) ---- */

struct db_copy {
	char *target;
	struct buf data;
	size_t rows;
	int fields; /* in the row being written */
};

struct db_copy *db_copy_new(const char *target)
{
	struct db_copy *b = calloc(1, sizeof *b);
	if (b && !(b->target = strdup(target))) {
		free(b);
		return NULL;
	}
	return b;
}

void db_copy_free(struct db_copy *b)
{
	if (!b)
		return;
	buf_free(&b->data);
	free(b->target);
	free(b);
}

static void copy_sep(struct db_copy *b)
{
	if (b->fields++)
		buf_append(&b->data, "\t", 1);
}

void db_copy_int(struct db_copy *b, int64_t v)
{
	copy_sep(b);
	char n[24];
	int len = snprintf(n, sizeof n, "%lld", (long long)v);
	buf_append(&b->data, n, (size_t)len);
}

void db_copy_id(struct db_copy *b, int64_t v)
{
	if (v)
		db_copy_int(b, v);
	else
		db_copy_text(b, NULL);
}

void db_copy_text(struct db_copy *b, const char *s)
{
	copy_sep(b);
	if (!s) {
		buf_append(&b->data, "\\N", 2);
		return;
	}
	/* Backslash, tab, newline and carriage return are escaped; the rest
	 * (UTF-8 included) goes as it is. */
	const char *run = s;
	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
				  : *s == '\r' ? "\\r" : NULL;
		if (!esc)
			continue;
		buf_append(&b->data, run, (size_t)(s - run));
		buf_append(&b->data, esc, 2);
		run = s + 1;
	}
	buf_append(&b->data, run, (size_t)(s - run));
}

void db_copy_row_end(struct db_copy *b)
{
	buf_append(&b->data, "\n", 1);
	b->fields = 0;
	b->rows++;
}

size_t db_copy_rows(const struct db_copy *b)
{
	return b->rows;
}

int db_copy_send(struct dbc *c, struct db_copy *b)
{
	int rc = 0;
	if (b->data.oom)
		rc = ERR_NOMEM;
	else if (!c->ops->copy_in)
		rc = ERR_DB;
	else if (b->rows)
		rc = c->ops->copy_in(c, b->target, b->data.data, b->data.len);
	b->data.len = 0;
	b->data.oom = 0;
	b->rows = 0;
	b->fields = 0;
	return rc;
}

int db_schema_version(struct dbc *c)
{
	int64_t v = 0;
	if (db_one_int(c, &v, "SELECT COALESCE(MAX(version),0) FROM schema_migrations", "") < 0)
		return -1;
	return (int)v;
}
