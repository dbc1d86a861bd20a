/* What a handler uses from its request: path and query parameters, the JSON
 * body and field validation, connections, responses and audit notes. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/csvx.h"
#include "../db/batch.h"
#include "client_addr.h"
#include "http.h"
#include "server_internal.h"

struct dbc *req_reader(struct req *r)
{
	if (!r->reader) {
		r->reader = db_acquire(r->db, DB_READ);
		if (r->reader && r->snapshot && db_snapshot_begin(r->reader)) {
			db_release(r->db, r->reader);
			r->reader = NULL;
		}
	}
	return r->reader;
}

void req_read_done(struct req *r)
{
	if (!r->reader)
		return;
	/* SQLite's reader is the thread's: the next request this thread
	 * serves must not run inside this one's snapshot. */
	db_snapshot_end(r->reader);
	db_release(r->db, r->reader);
	r->reader = NULL;
}

struct dbc *req_db(struct req *r)
{
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		return req_reader(r);
	if (!r->writer) {
		r->writer = db_acquire(r->db, DB_WRITE);
		if (r->writer && db_begin(r->writer)) {
			db_release(r->db, r->writer);
			r->writer = NULL;
		}
	}
	return r->writer;
}

/* On the writer thread: the parked request's write is durable (or failed).
 * After MHD_resume_connection the request belongs to its server thread
 * again: nothing here may touch it after that call. */
static void batch_resumed(void *ctx, int rc)
{
	struct req *r = ctx;
	r->then_rc = rc;
	MHD_resume_connection(r->conn);
}

int req_batch_then(struct req *r, int (*fn)(struct dbc *c, void *arg), void *arg,
		   int (*then)(struct req *r, void *arg, int rc))
{
	if (r->writer)
		return then(r, arg,
			    err_set(&r->err, ERR_INTERNAL, "", "a batched write inside a transaction"));
	req_read_done(r);
	r->then = then;
	r->then_arg = arg;
	/* Suspended before the job is queued, so the writer's resume can never
	 * come first. */
	MHD_suspend_connection(r->conn);
	r->parked = 1;
	int rc = batch_submit(r->srv->cfg.batch, fn, arg, batch_resumed, r);
	if (rc) /* not queued (stopping): answered on the way back, as any other */
		batch_resumed(r, rc);
	return 0;
}

const char *req_param(struct req *r, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < r->nparams; i++)
		if (strncmp(r->param_names[i], name, n) == 0 && r->param_names[i][n] == '}')
			return r->param_values[i];
	return "";
}

int req_param_id(struct req *r, const char *name, int64_t *out)
{
	const char *s = req_param(r, name);
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0 || s[0] == '+' || s[0] == '0')
		return err_set(&r->err, ERR_NOT_FOUND, name, "no such record");
	*out = v;
	return 0;
}

/* The first query argument that is not text, for req_check_inputs. */
struct bad_arg {
	const char *key; /* arena copy; "query" when the key itself is not text */
	int found;
};

static enum MHD_Result find_bad_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				    size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct bad_arg *b = cls;
	if (b->found)
		return MHD_NO;
	int key_ok = key && csvx_text_ok(key, key_size);
	if (!key_ok || (value && !csvx_text_ok(value, value_size))) {
		b->found = 1;
		b->key = key_ok ? key : NULL;
		return MHD_NO;
	}
	return MHD_YES;
}

int req_check_inputs(struct req *r)
{
	/* Every string from outside is checked where it enters: the query's
	 * arguments here (a %ff in ?source= was stored and broke every list
	 * after it), bodies by jansson and jx_str, CSV cells by their import,
	 * the proxy's address by req_ip. */
	struct bad_arg b = {0};
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, find_bad_arg, &b);
	if (b.found) {
		char field[72];
		snprintf(field, sizeof field, "%.64s", b.key ? b.key : "query");
		return err_set(&r->err, ERR_INVALID, field,
			       "must be UTF-8 text without control characters");
	}
	const char *h = req_header(r, "Idempotency-Key");
	if (h && !csvx_text_ok(h, strlen(h)))
		return err_set(&r->err, ERR_INVALID, "Idempotency-Key",
			       "must be UTF-8 text without control characters");
	return 0;
}

/* The client's address, found on first use: most reads never need it. */
const char *req_ip(struct req *r)
{
	if (r->ip)
		return r->ip;
	char peer[INET6_ADDRSTRLEN] = "?", ip[INET6_ADDRSTRLEN];
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof peer);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof peer);
	client_addr_pick(peer,
			 r->srv->cfg.trust_proxy ? req_header(r, "X-Forwarded-For") : NULL,
			 getenv("CORDON_TRUSTED_PROXIES"), ip);
	r->ip = arena_strdup(&r->arena, ip);
	return r->ip ? r->ip : "?";
}

const char *req_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_lang(struct req *r)
{
	const char *h = req_header(r, "Accept-Language");
	if (h) {
		while (*h == ' ')
			h++;
		if ((h[0] == 'z' || h[0] == 'Z') && (h[1] == 'h' || h[1] == 'H'))
			return "zh-CN";
		if ((h[0] == 'e' || h[0] == 'E') && (h[1] == 'n' || h[1] == 'N'))
			return "en";
	}
	if (r->authed && strcmp(r->who.lang, "en") == 0)
		return "en";
	return "zh-CN";
}

const char *req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int req_query_int(struct req *r, const char *key, int64_t min, int64_t max, int64_t def,
		  int64_t *out)
{
	const char *s = req_query(r, key);
	if (!s || !*s) {
		*out = def;
		return 0;
	}
	char *end = NULL;
	long long v = strtoll(s, &end, 10);
	if (*end || v < min || v > max)
		return err_set(&r->err, ERR_INVALID, key, "must be a whole number from %lld to %lld",
			       (long long)min, (long long)max);
	*out = v;
	return 0;
}

int req_json(struct req *r)
{
	if (r->json)
		return 0;
	if (!r->body || r->body_len == 0)
		return err_set(&r->err, ERR_INVALID, "body", "a JSON object is required");
	json_error_t je;
	json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return err_set(&r->err, ERR_INVALID, "body", "malformed JSON at line %d column %d: %s",
			       je.line, je.column, je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(&r->err, ERR_INVALID, "body", "a JSON object is required");
	}
	r->json = j;
	return 0;
}

int req_can(struct req *r, int perm)
{
	return r->authed && perm_has(r->who.perms, perm);
}

int resp_json(struct req *r, int status, json_t *body)
{
	if (r->out)
		json_decref(r->out);
	r->status = status;
	r->out = body;
	return body ? 0 : err_set(&r->err, ERR_NOMEM, "", "out of memory");
}

int resp_raw(struct req *r, int status, const char *ctype, char *malloced, size_t len)
{
	free(r->raw);
	r->status = status;
	r->raw = malloced;
	r->raw_len = len;
	r->ctype = ctype;
	return 0;
}

void req_audit_record(struct req *r, const char *type, int64_t id)
{
	r->rec_type = type;
	r->rec_id = id;
}

void req_audit_read(struct req *r, const char *type, int64_t id, const char *detail)
{
	if (!r->audit_reads)
		r->audit_reads = json_array();
	json_array_append_new(r->audit_reads,
			      json_pack("{s:s,s:I,s:s}", "type", type, "id", (json_int_t)id,
					"detail", detail ? detail : ""));
}

/* ---- JSON field helpers ---- */

static int utf8_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int jx_str(struct req *r, json_t *o, const char *key, int required, size_t maxlen,
	   const char **out, int *present)
{
	json_t *v = json_object_get(o, key);
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "is required");
		if (v && out)
			*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a string");
	const char *s = json_string_value(v);
	/* Trim surrounding spaces: a name typed with a trailing space is the
	 * same name. */
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (strlen(s) != json_string_length(v) - (size_t)(s - json_string_value(v)))
		return err_set(&r->err, ERR_INVALID, key, "must not contain NUL characters");
	char *c = arena_strndup(&r->arena, s, n);
	if (!c)
		return err_set(&r->err, ERR_NOMEM, key, "out of memory");
	if (required && !*c)
		return err_set(&r->err, ERR_INVALID, key, "must not be empty");
	if (maxlen && (size_t)utf8_chars(c) > maxlen)
		return err_set(&r->err, ERR_INVALID, key, "must be at most %zu characters", maxlen);
	for (const unsigned char *p = (const unsigned char *)c; *p; p++)
		if (*p < 0x20)
			return err_set(&r->err, ERR_INVALID, key,
				       "must not contain control characters");
	if (out)
		*out = c;
	return 0;
}

int jx_int(struct req *r, json_t *o, const char *key, int required, int64_t min, int64_t max,
	   int64_t *out, int *present)
{
	json_t *v = json_object_get(o, key);
	if (present)
		*present = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "is required");
		return 0;
	}
	if (!json_is_integer(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a whole number");
	json_int_t x = json_integer_value(v);
	if (x < min || x > max)
		return err_set(&r->err, ERR_INVALID, key, "must be from %lld to %lld",
			       (long long)min, (long long)max);
	*out = x;
	return 0;
}

int jx_bool(struct req *r, json_t *o, const char *key, int required, int *out, int *present)
{
	json_t *v = json_object_get(o, key);
	if (present)
		*present = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "is required");
		return 0;
	}
	if (!json_is_boolean(v))
		return err_set(&r->err, ERR_INVALID, key, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int jx_id(struct req *r, json_t *o, const char *key, int required, int nullable, int64_t *out,
	  int *present)
{
	json_t *v = json_object_get(o, key);
	if (present)
		*present = v != NULL;
	if (v && json_is_null(v)) {
		if (!nullable)
			return err_set(&r->err, ERR_INVALID, key, "must be an id, not null");
		*out = 0;
		return 0;
	}
	if (!v) {
		if (required)
			return err_set(&r->err, ERR_INVALID, key, "is required");
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return err_set(&r->err, ERR_INVALID, key, "must be a positive whole number (an id)");
	*out = json_integer_value(v);
	return 0;
}

json_t *jx_text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jx_col_int(struct dbq *q, int col)
{
	return db_null(q, col) ? json_null() : json_integer(db_int(q, col));
}

json_t *query_row(struct dbq *q, json_t *(*row)(struct dbq *), int *rc)
{
	if (!q) {
		*rc = ERR_DB;
		return NULL;
	}
	*rc = db_step(q);
	json_t *o = *rc == 1 ? row(q) : NULL;
	db_done(q);
	if (*rc == 1 && !o)
		*rc = ERR_NOMEM;
	return o;
}
