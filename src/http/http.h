/* The HTTP layer's interface for features: route tables, the request a
 * handler receives, the principal (who is asking), response and list
 * helpers. The router owns method checks, authentication, permission, CSRF,
 * body limits, the transaction and the audit row; handlers only validate
 * their input, check scope (scope.h), do the work and set the response. */
#ifndef CORDON_HTTP_H
#define CORDON_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/err.h"
#include "../db/db.h"
#include "perm.h"

struct req;
typedef int (*handler_fn)(struct req *r);

/* Route flags. */
#define ROUTE_IDEMPOTENT 1u /* a retry with the same client id returns the first answer */

struct route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/units/{id}" */
	handler_fn fn;
	int perm;            /* an enum perm, PERM_PUBLIC or PERM_SIGNED_IN */
	size_t max_body;     /* 0: the default 1 MiB */
	unsigned flags;
	const char *purpose; /* one line, for docs and /metrics labels */
};

struct route_table {
	const struct route *routes;
	size_t count;
};
#define ROUTE_TABLE(name, arr) \
	const struct route_table name = {arr, sizeof(arr) / sizeof((arr)[0])}

/* Who is asking: a signed-in user (cookie session) or a device token. */
struct principal {
	int64_t user_id;   /* 0 for a device */
	int64_t device_id; /* 0 for a user */
	int64_t session_id;
	char username[64]; /* a device's name for a device */
	char name[128];
	char role[32];
	char lang[8];
	int64_t scope_unit_id;
	uint64_t perms;
	int via_cookie;
	char csrf[64];
};

#define REQ_MAX_PARAMS 4

struct req {
	struct arena arena; /* freed when the request ends */
	struct server *srv;
	const struct route *route;
	const char *method;
	const char *path;
	const char *param_names[REQ_MAX_PARAMS];
	const char *param_values[REQ_MAX_PARAMS];
	int nparams;
	void *conn; /* struct MHD_Connection */
	char *body;
	size_t body_len;
	json_t *json;
	struct principal who;
	int authed;
	const char *ip; /* found on first use: req_ip */
	const char *client_id; /* Idempotency-Key or body client_id */

	struct db *db;
	int snapshot; /* a GET: its reads in one snapshot (db_snapshot_begin) */
	struct dbc *reader;
	struct dbc *writer; /* taken lazily by req_db for writes, in a transaction */

	/* response */
	int status;
	json_t *out;
	char *raw;           /* malloc'd raw body, freed by the server */
	size_t raw_len;
	const char *ctype;
	const char *filename; /* Content-Disposition attachment name */
	const char *retry_after;
	const char *allow; /* Allow header of a 405 */
	char *set_cookie;
	struct err_info err;

	/* audit: the record a write touched, and reads to record */
	const char *rec_type;
	int64_t rec_id;
	const char *audit_detail;
	const char *audit_action; /* "write" unless a handler says otherwise */
	json_t *audit_reads; /* [{type,id,detail}] written after a GET */
	int no_audit;
	int replayed; /* the answer is a stored first answer to this client id */

	/* A request parked while its batched write is made durable
	 * (req_batch_then): what finishes it, and the write's result. */
	int (*then)(struct req *r, void *arg, int rc);
	void *then_arg;
	int then_rc;
	int parked; /* the handler returned with the connection suspended */
};

/* Connections. req_db returns the connection a handler should use: for GET
 * this thread's read connection; for other methods the write connection,
 * taken on first call, inside the request's transaction (committed when the
 * handler succeeds, rolled back otherwise). req_reader always returns a
 * read connection, for reads before any write. NULL on failure. */
struct dbc *req_db(struct req *r);
struct dbc *req_reader(struct req *r);
/* The client's address (client_addr.h's rules), as text. */
const char *req_ip(struct req *r);
/* The request is done reading for now (the server calls it at the end of
 * each callback): its snapshot ends and the read connection goes back. */
void req_read_done(struct req *r);
/* Runs fn(arg) through the server's group-commit writer (db/batch.h), for
 * hot write paths (scans, screenings) that must not also write through
 * req_db. The request's read connection is given back first: on PostgreSQL
 * it is one of the pool's, and requests holding every pooled connection
 * while their batch needs one would never be answered. No thread waits:
 * the connection is parked and the handler returns at once (return what
 * this returns); when the batch is durable, then(r, arg, rc) runs on a
 * server thread with fn's result or the commit's error, and its return
 * value is the handler's. then is also called (rc = ERR_DB) if the request
 * ends another way, so it always frees what arg holds; arg must live in
 * the request (its arena). A server thread thus serves other connections
 * while writes commit, and a batch is not limited to as many writes as
 * there are threads. */
int req_batch_then(struct req *r, int (*fn)(struct dbc *c, void *arg), void *arg,
		   int (*then)(struct req *r, void *arg, int rc));

/* Path parameter {name} as text (never NULL for a matched name). */
const char *req_param(struct req *r, const char *name);
/* Path parameter as a positive id; ERR_NOT_FOUND if it is not one. */
int req_param_id(struct req *r, const char *name, int64_t *out);
/* 0 when the query's arguments and the Idempotency-Key header are UTF-8
 * text without control characters (checked once, before routing); else
 * ERR_INVALID naming the argument. */
int req_check_inputs(struct req *r);
/* Query-string value or NULL. */
const char *req_query(struct req *r, const char *key);
/* Query value as an integer in [min,max]; def when absent; ERR_INVALID
 * naming the key when malformed. */
int req_query_int(struct req *r, const char *key, int64_t min, int64_t max, int64_t def,
		  int64_t *out);
const char *req_header(struct req *r, const char *name);
/* The language to answer in, "zh-CN" or "en": the first tag of
 * Accept-Language when it is zh or en (the app sends the language shown),
 * else the signed-in user's saved language, else zh-CN. */
const char *req_lang(struct req *r);
const char *req_cookie(struct req *r, const char *name);
/* Parses the body as a JSON object into r->json; ERR_INVALID with the
 * position when it is not one. */
int req_json(struct req *r);
/* True when the principal may use perm. */
int req_can(struct req *r, int perm);

/* Responses. resp_json steals `body`. */
int resp_json(struct req *r, int status, json_t *body);
int resp_raw(struct req *r, int status, const char *ctype, char *malloced, size_t len);
/* Records the record a write created or changed, for the audit row. */
void req_audit_record(struct req *r, const char *type, int64_t id);
/* Records a read that must be audited (a whole ID number shown). */
void req_audit_read(struct req *r, const char *type, int64_t id, const char *detail);

/* Lists: paging and export. */
struct list_col {
	const char *key;   /* field of each item */
	const char *label; /* column heading in exports (Chinese) */
};
struct page {
	int64_t limit;
	int64_t after; /* cursor: the last id of the previous page, 0 for the first */
	int export;    /* 1 csv, 2 xlsx: the whole list, no paging */
	int desc;      /* ?order=desc: newest first, after = ids below the cursor */
};
/* Reads ?limit= (1..500, default 50) and ?after=, ?format=json|csv|xlsx,
 * and ?order=asc|desc where a list offers it (PAGE_ID_SQL). */
int req_page(struct req *r, struct page *p);
/* The keyset condition and order of a list that offers ?order=desc, on id
 * column COL, with the cursor bound at $A and page.desc at $D; follow it
 * with " LIMIT $n". Oldest first by default (ids above the cursor); newest
 * first the ids below it (a cursor of 0: from the newest). */
#define PAGE_ID_SQL(col, a, d)                                                        \
	" AND (($" d " = 0 AND " col " > $" a ") OR ($" d " = 1 AND ($" a " = 0 OR " col \
	" < $" a ")))"                                                               \
	" ORDER BY CASE WHEN $" d " = 1 THEN -" col " ELSE " col " END"
/* Reads the text filter ?key= (at most 64 characters) as a lower-cased
 * "%...%" LIKE pattern with wildcards escaped (use ESCAPE '\'), or "" when
 * absent. 0, or ERR_INVALID naming the key. */
int req_query_like(struct req *r, const char *key, const char **pat);
/* Steps a list query that selects limit+1 rows ordered by id (column 0),
 * appending row(q) to items for each of the first `limit`; *next is the
 * cursor of the following page (0: none). Consumes q (db_done). */
int list_collect(struct dbq *q, const struct page *pg, json_t *items,
		 json_t *(*row)(struct dbq *), int64_t *next);
/* The whole list answer from a query of limit+1 rows ordered by id (column
 * 0): collects row(q) for each, then resp_list. q may be NULL (ERR_DB). */
int resp_query_list(struct req *r, const struct page *pg, struct dbq *q,
		    json_t *(*row)(struct dbq *), const struct list_col *cols,
		    const char *filename);
/* The plain searchable list: sql selects limit+1 rows ordered by id from
 * $1 the caller's scope unit, $2 the cursor, $3 the ?q= pattern (see
 * req_query_like; "" when absent) and $4 the limit+1. */
int resp_search_list(struct req *r, const char *sql, json_t *(*row)(struct dbq *),
		     const struct list_col *cols, const char *filename);
/* Answers {"items":[...],"next":"<cursor>"|null} for JSON, or the file for
 * csv/xlsx. Steals items. next is the cursor of the following page (0: none). */
int resp_list(struct req *r, const struct page *p, json_t *items, int64_t next,
	      const struct list_col *cols, const char *filename);

/* JSON input helpers: each returns 0 or ERR_INVALID naming the field.
 * A missing optional field leaves *out unchanged and returns 0; `present`
 * (may be NULL) says whether it was given. */
int jx_str(struct req *r, json_t *o, const char *key, int required, size_t maxlen,
	   const char **out, int *present);
int jx_int(struct req *r, json_t *o, const char *key, int required, int64_t min, int64_t max,
	   int64_t *out, int *present);
int jx_bool(struct req *r, json_t *o, const char *key, int required, int *out, int *present);
/* An id field: null allowed when nullable (out 0). */
int jx_id(struct req *r, json_t *o, const char *key, int required, int nullable, int64_t *out,
	  int *present);
/* Builds a JSON value from a column: NULL -> null. */
json_t *jx_text_or_null(const char *s);
/* How JSON kept for later (a field write's first answer) is written, as
 * json_out writes answers: compact, and reals with 15 significant digits,
 * so a temperature of 372 tenths reads 37.2 (jansson's default 17 digits
 * wrote 37.200000000000003). */
#define JX_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))
json_t *jx_col_int(struct dbq *q, int col);
/* One record: row(q) of q's first row, and q consumed (q may be NULL, as a
 * failed db_query gives: ERR_DB). NULL when there is none, with *rc 0 for
 * no row, < 0 for an error; *rc 1 with the record. */
json_t *query_row(struct dbq *q, json_t *(*row)(struct dbq *), int *rc);

#endif
