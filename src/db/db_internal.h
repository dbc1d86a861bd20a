/* What a storage backend implements behind db.h. Each backend's database,
 * connection and statement structs start with the common part below, so
 * db.c can dispatch through ops. Only src/db/ includes this. */
#ifndef CORDON_DB_INTERNAL_H
#define CORDON_DB_INTERNAL_H

#include "db.h"

/* One bound parameter: type 'i' (int64), 't' (text), 'u' (text whose type
 * the server infers: copies between backends), 'n' (NULL). `decl` is the
 * type the statement declared for it ('i', 'I', 't', 'n' or 'u'), which a
 * typed backend uses for the parameter's declared type. */
struct db_arg {
	char type;
	char decl;
	char keep; /* 1: the text stays valid until the statement is done (bound without a copy) */
	int64_t i;
	const char *s;
};

struct db_ops {
	const char *name;
	void (*close)(struct db *db);
	struct dbc *(*acquire)(struct db *db, enum db_mode mode);
	void (*release)(struct db *db, struct dbc *c);
	void (*stats)(struct db *db, struct db_stats *out);
	int (*begin)(struct dbc *c);
	int (*commit)(struct dbc *c);
	int (*rollback)(struct dbc *c);
	int (*exec)(struct dbc *c, const char *sql);
	struct dbq *(*query)(struct dbc *c, const char *sql, int nargs, const struct db_arg *args);
	int (*step)(struct dbq *q);
	int64_t (*col_int)(struct dbq *q, int col);
	const char *(*col_text)(struct dbq *q, int col);
	int (*col_null)(struct dbq *q, int col);
	int (*cols)(struct dbq *q);
	const char *(*colname)(struct dbq *q, int col);
	void (*done)(struct dbq *q);
	int64_t (*changes)(struct dbq *q);
	int64_t (*last_insert_id)(struct dbc *c); /* NULL: the backend has none */
	const char *(*errmsg)(struct dbc *c);
	int (*backup)(struct db *db, const char *dest, db_progress_fn progress, void *arg,
		      struct err_info *ei);
	/* db_copy_send: COPY target FROM STDIN with data (text format); NULL:
	 * the backend has no COPY. */
	int (*copy_in)(struct dbc *c, const char *target, const char *data, size_t len);
	/* db_generation; NULL: the backend cannot tell. */
	int (*generation)(struct dbc *c, char *out, size_t cap);
};

struct db {
	const struct db_ops *ops;
	char *path;
};
struct dbc {
	const struct db_ops *ops;
	struct db *db;
	int in_tx;
};
struct dbq {
	const struct db_ops *ops;
	struct dbc *c;
};

int db_sqlite_open(const char *path, struct db **out, struct err_info *ei);
int db_pg_open(const char *url, int pool, struct db **out, struct err_info *ei);

#endif
