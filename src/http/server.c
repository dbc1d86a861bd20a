/* The server: takes each request from libmicrohttpd, routes it, runs the
 * router's checks (authentication, permission, CSRF, body size) before any
 * handler, runs the handler inside one transaction for writes, writes the
 * audit row, renders the answer, logs one line and counts it for /metrics.
 * Also serves the embedded web app, /healthz and /metrics, and shuts down
 * gracefully on SIGTERM/SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../db/batch.h"
#include "../base/clock.h"
#include "../base/csvx.h"
#include "../base/embed.h"
#include "../base/log.h"
#include "auth.h"
#include "client_addr.h"
#include "jsonalloc.h"
#include "jsonout.h"
#include "server_internal.h"

#define DEFAULT_MAX_BODY (1u << 20)
#define EXTRA_UNMATCHED 0
#define EXTRA_ASSETS 1
#define EXTRA_HEALTHZ 2
#define EXTRA_METRICS 3
#define EXTRA_COUNT 4

static const double bucket_ms[METRIC_BUCKETS] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};

enum kind { K_API, K_ASSET, K_HEALTHZ, K_METRICS };

struct conn_state {
	struct req r;
	enum kind kind;
	double t0;
	int midx;
	int started; /* start_api has run */
	int too_large;
	int answered;
	size_t max_body;
	struct buf body;
};

/* ---------- responses ---------- */

static enum MHD_Result queue(struct MHD_Connection *conn, int status, struct MHD_Response *resp)
{
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void render_error(struct req *r, int code)
{
	int status = err_http_status(code);
	const char *lang = req_lang(r);
	if (!r->err.message[0]) {
		snprintf(r->err.message, sizeof r->err.message, "%s",
			 status == 404 ? "no such route or record" : err_str(code));
		if (status == 404)
			snprintf(r->err.message_zh, sizeof r->err.message_zh, "%s",
				 err_fmt("no such route or record", "zh"));
	}
	if (status >= 500)
		log_error("%s %s: %s (%s)", r->method, r->path, err_str(code), r->err.message);
	/* The message in the reader's language (req_lang); message_en keeps
	 * the English for logs and scripts. */
	const char *msg = strcmp(lang, "en") != 0 && r->err.message_zh[0] ? r->err.message_zh
									    : r->err.message;
	json_t *e = json_pack("{s:{s:s,s:s,s:s,s:s}}", "error", "code", err_str(code), "field",
			      r->err.field, "message", msg, "message_en", r->err.message);
	if (status >= 500) { /* never leak internals to the client */
		json_object_set_new(json_object_get(e, "error"), "message",
				    json_string(err_fmt("internal error; see the server log", lang)));
		json_object_set_new(json_object_get(e, "error"), "message_en",
				    json_string("internal error; see the server log"));
	}
	free(r->raw);
	r->raw = NULL;
	resp_json(r, status, e);
}

static enum MHD_Result send_req(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct MHD_Response *resp;
	cs->answered = 1;
	if (r->out) {
		size_t n;
		char *s = json_out(r->out, &n);
		if (!s)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
		if (resp)
			MHD_add_response_header(resp, "Content-Type",
						"application/json; charset=utf-8");
		else
			free(s);
	} else if (r->raw || r->status != 204) {
		resp = MHD_create_response_from_buffer(r->raw_len, r->raw ? r->raw : (void *)"",
						       r->raw ? MHD_RESPMEM_MUST_FREE
							      : MHD_RESPMEM_PERSISTENT);
		if (resp) {
			r->raw = NULL;
			if (r->ctype)
				MHD_add_response_header(resp, "Content-Type", r->ctype);
		}
	} else {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->retry_after)
		MHD_add_response_header(resp, "Retry-After", r->retry_after);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->filename) {
		char *cd = arena_printf(&r->arena, "attachment; filename=\"%s\"", r->filename);
		if (cd)
			MHD_add_response_header(resp, "Content-Disposition", cd);
	}
	if (r->replayed)
		MHD_add_response_header(resp, "Idempotent-Replay", "true");
	return queue(r->conn, r->status ? r->status : 200, resp);
}

static enum MHD_Result send_error_now(struct conn_state *cs, int code)
{
	render_error(&cs->r, code);
	return send_req(cs);
}

/* ---------- assets ---------- */

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

static enum MHD_Result serve_asset(struct conn_state *cs, const char *url)
{
	struct req *r = &cs->r;
	const char *name = url[1] ? url + 1 : "index.html";
	const struct embedded_file *f = NULL;
	for (size_t i = 0; i < embedded_assets_count; i++)
		if (strcmp(embedded_assets[i].name, name) == 0)
			f = &embedded_assets[i];
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		err_set(&r->err, ERR_METHOD, "", "only GET here");
		return send_error_now(cs, ERR_METHOD);
	}
	if (!f) {
		err_set(&r->err, ERR_NOT_FOUND, "", "no such page");
		return send_error_now(cs, ERR_NOT_FOUND);
	}
	cs->answered = 1;
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	struct MHD_Response *resp;
	if (inm && strstr(inm, f->etag)) {
		r->status = 304;
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		r->status = 200;
		resp = MHD_create_response_from_buffer(f->len, (void *)f->data,
						       MHD_RESPMEM_PERSISTENT);
		if (resp)
			MHD_add_response_header(resp, "Content-Type", mime_of(f->name));
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "ETag", f->etag);
	/* Revalidate every time: a new binary brings new assets at once. */
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	return queue(r->conn, r->status, resp);
}

/* ---------- healthz and metrics ---------- */

static enum MHD_Result serve_healthz(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct dbc *c = req_reader(r);
	int v = c ? db_schema_version(c) : -1;
	if (v < 0) {
		err_set(&r->err, ERR_BUSY, "db", "the database cannot be read");
		return send_error_now(cs, ERR_BUSY);
	}
	/* utc_offset_s: the district's zone now, so the browser shows times in
	 * the district's local time whatever the browser's zone. */
	json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:I}", "status", "ok", "schema", v, "version",
			      r->srv->cfg.version ? r->srv->cfg.version : "", "backend",
			      db_backend(c), "utc_offset_s", (json_int_t)clock_offset(clock_now()));
	if (o && clock_skew()) { /* a set clock (--clock) is said, never hidden */
		char t[TIME_LEN], day[DAY_LEN];
		int64_t now = clock_now();
		clock_time(now, t);
		clock_day(now, day);
		json_object_set_new(o, "clock", json_pack("{s:s,s:s,s:I}", "now", t, "today", day,
							  "skew_s", (json_int_t)clock_skew()));
	}
	resp_json(r, 200, o);
	return send_req(cs);
}

static void metric_line(struct buf *b, const char *label, const struct route_metrics *m)
{
	static const char *cls[] = {"", "1xx", "2xx", "3xx", "4xx", "5xx"};
	uint64_t total = 0;
	for (int k = 1; k <= 5; k++) {
		uint64_t n = __atomic_load_n(&m->count[k], __ATOMIC_RELAXED);
		total += n;
		if (n)
			buf_printf(b, "cordon_http_requests_total{%s,status=\"%s\"} %llu\n", label,
				   cls[k], (unsigned long long)n);
	}
	if (!total)
		return;
	uint64_t cum = 0;
	for (int k = 0; k < METRIC_BUCKETS; k++) {
		cum += __atomic_load_n(&m->bucket[k], __ATOMIC_RELAXED);
		buf_printf(b, "cordon_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
			   label, bucket_ms[k] / 1000.0, (unsigned long long)cum);
	}
	cum += __atomic_load_n(&m->bucket[METRIC_BUCKETS], __ATOMIC_RELAXED);
	buf_printf(b, "cordon_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", label,
		   (unsigned long long)cum);
	buf_printf(b, "cordon_http_request_duration_seconds_sum{%s} %.6f\n", label,
		   (double)__atomic_load_n(&m->sum_us, __ATOMIC_RELAXED) / 1e6);
	buf_printf(b, "cordon_http_request_duration_seconds_count{%s} %llu\n", label,
		   (unsigned long long)cum);
}

static enum MHD_Result serve_metrics(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct server *s = r->srv;
	struct buf b = {0};
	buf_puts(&b, "# HELP cordon_http_requests_total Requests answered, by route and status class.\n"
		     "# TYPE cordon_http_requests_total counter\n"
		     "# HELP cordon_http_request_duration_seconds Time to answer, by route.\n"
		     "# TYPE cordon_http_request_duration_seconds histogram\n");
	size_t nr = router_count(s->rt);
	char label[512];
	for (size_t i = 0; i < nr + EXTRA_COUNT; i++) {
		if (i < nr) {
			const struct route *rt = router_at(s->rt, i);
			snprintf(label, sizeof label, "method=\"%s\",route=\"%s\"", rt->method,
				 rt->pattern);
		} else {
			static const char *extra[] = {"(unmatched)", "(assets)", "/healthz",
						      "/metrics"};
			snprintf(label, sizeof label, "method=\"GET\",route=\"%s\"",
				 extra[i - nr]);
		}
		metric_line(&b, label, &s->metrics[i]);
	}
	struct db_stats st;
	db_stats(r->db, &st);
	buf_printf(&b,
		   "# HELP cordon_http_requests_in_flight Requests being answered now.\n"
		   "# TYPE cordon_http_requests_in_flight gauge\n"
		   "cordon_http_requests_in_flight %llu\n"
		   "# HELP cordon_db_writer_acquires_total Times a request took the write connection.\n"
		   "# TYPE cordon_db_writer_acquires_total counter\n"
		   "cordon_db_writer_acquires_total %llu\n"
		   "# HELP cordon_db_writer_wait_seconds_total Time spent waiting for the writer.\n"
		   "# TYPE cordon_db_writer_wait_seconds_total counter\n"
		   "cordon_db_writer_wait_seconds_total %.6f\n"
		   "# HELP cordon_db_writer_queue Requests waiting for the writer now.\n"
		   "# TYPE cordon_db_writer_queue gauge\n"
		   "cordon_db_writer_queue %d\n"
		   "# HELP cordon_db_writer_busy 1 while a request holds the writer.\n"
		   "# TYPE cordon_db_writer_busy gauge\n"
		   "cordon_db_writer_busy %d\n"
		   "# HELP cordon_db_readers_open Read connections open (one per worker thread).\n"
		   "# TYPE cordon_db_readers_open gauge\n"
		   "cordon_db_readers_open %d\n"
		   "# HELP cordon_db_statements_prepared_total Statements compiled (cache misses).\n"
		   "# TYPE cordon_db_statements_prepared_total counter\n"
		   "cordon_db_statements_prepared_total %llu\n",
		   (unsigned long long)__atomic_load_n(&s->active, __ATOMIC_RELAXED),
		   (unsigned long long)st.write_acquires, st.write_wait_ms / 1000.0,
		   st.writers_waiting, st.writer_busy, st.readers_open,
		   (unsigned long long)st.stmt_prepares);
	if (s->cfg.batch) {
		struct batch_stats bs;
		batch_stats(s->cfg.batch, &bs);
		buf_printf(&b,
			   "# HELP cordon_batch_jobs_total Writes made durable by the group commit.\n"
			   "# TYPE cordon_batch_jobs_total counter\n"
			   "cordon_batch_jobs_total %llu\n"
			   "# HELP cordon_batch_retried_jobs_total Writes re-run alone after their batch failed.\n"
			   "# TYPE cordon_batch_retried_jobs_total counter\n"
			   "cordon_batch_retried_jobs_total %llu\n"
			   "# HELP cordon_batch_queue Writes waiting for the next batch now.\n"
			   "# TYPE cordon_batch_queue gauge\n"
			   "cordon_batch_queue %d\n"
			   "# HELP cordon_batch_max_size The largest batch so far.\n"
			   "# TYPE cordon_batch_max_size gauge\n"
			   "cordon_batch_max_size %d\n"
			   "# HELP cordon_batch_commit_seconds_total Time the writer spent running and committing batches (the disk's fsync is most of it).\n"
			   "# TYPE cordon_batch_commit_seconds_total counter\n"
			   "cordon_batch_commit_seconds_total %.6f\n"
			   "# HELP cordon_batch_wait_seconds_total Time writes waited from queued to durable, summed over writes.\n"
			   "# TYPE cordon_batch_wait_seconds_total counter\n"
			   "cordon_batch_wait_seconds_total %.6f\n"
			   "# HELP cordon_batch_size Writes a batch carried.\n"
			   "# TYPE cordon_batch_size histogram\n",
			   (unsigned long long)bs.jobs, (unsigned long long)bs.retried, bs.queued,
			   bs.max_batch, bs.commit_seconds, bs.wait_seconds);
		uint64_t cum = 0;
		for (int k = 0; k < BATCH_SIZE_BUCKETS; k++) {
			cum += bs.size_buckets[k];
			if (k < BATCH_SIZE_BUCKETS - 1)
				buf_printf(&b, "cordon_batch_size_bucket{le=\"%d\"} %llu\n", 1 << k,
					   (unsigned long long)cum);
		}
		buf_printf(&b,
			   "cordon_batch_size_bucket{le=\"+Inf\"} %llu\n"
			   "cordon_batch_size_sum %llu\n"
			   "cordon_batch_size_count %llu\n",
			   (unsigned long long)cum, (unsigned long long)bs.jobs,
			   (unsigned long long)bs.batches);
	}
	size_t len;
	char *data = buf_take(&b, &len);
	if (!data)
		return MHD_NO;
	resp_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", data, len);
	return send_req(cs);
}

/* ---------- the API path ---------- */

static const char *actor_of(struct req *r)
{
	return r->authed ? r->who.username : "-";
}

static int write_audit(struct dbc *c, struct req *r, const char *action, const char *rec_type,
		       int64_t rec_id, const char *detail)
{
	static const char sql[] =
		"INSERT INTO audit_log(at, user_id, device_id, actor, method, route, path, status,"
		" record_type, record_id, action, detail, ip)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
	int64_t rc = db_run(c, sql, "iIIttttitIttt", clock_now(), r->who.user_id,
			    r->who.device_id, actor_of(r), r->method,
			    r->route ? r->route->pattern : r->path, r->path, (int64_t)r->status,
			    rec_type, rec_id, action, detail, req_ip(r));
	return rc < 0 ? (int)rc : 0;
}

/* The request's body as the idempotency record keeps it: BLAKE2b-128, hex. */
static void body_hash(const struct req *r, char out[33])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)(r->body ? r->body : ""),
			   r->body ? r->body_len : 0, NULL, 0);
	sodium_bin2hex(out, 33, h, sizeof h);
}

/* A stored answer for this client id, method and whole path. Another actor's
 * is 409; the same key with another body is 422 (the key says "the same
 * request", the body says otherwise). */
static int idem_lookup(struct req *r, struct dbc *c, int *found)
{
	*found = 0;
	if (!c)
		return err_set(&r->err, ERR_DB, "", "database unavailable");
	struct dbq *q = db_query(c, "SELECT status, body, actor, body_hash FROM idempotency"
				    " WHERE client_id = $1 AND method = $2 AND path = $3",
				 "ttt", r->client_id, r->method, r->path);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		char hash[33];
		body_hash(r, hash);
		if (strcmp(db_text(q, 2), actor_of(r)) != 0) {
			db_done(q);
			return err_set(&r->err, ERR_CONFLICT, "client_id",
				       "this client id was already used by someone else");
		}
		if (strcmp(db_text(q, 3), hash) != 0) {
			db_done(q);
			return err_set(&r->err, ERR_RULE, "client_id",
				       "this client id was already used with another body: a retry"
				       " sends the same request, a new request a new id");
		}
		*found = 1;
		r->status = (int)db_int(q, 0);
		const char *body = db_text(q, 1);
		json_t *j = json_loads(body, 0, NULL);
		if (j)
			r->out = j;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

static int idem_store(struct req *r)
{
	char *body = r->out ? json_out(r->out, NULL) : strdup("null");
	if (!body)
		return ERR_NOMEM;
	char hash[33];
	body_hash(r, hash);
	int64_t rc = db_run(r->writer,
			    "INSERT INTO idempotency(client_id, method, path, route, actor, body_hash,"
			    " status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
			    "tttttti" "ti", r->client_id, r->method, r->path, r->route->pattern,
			    actor_of(r), hash, (int64_t)r->status, body, clock_now());
	free(body);
	return rc < 0 ? (int)rc : 0;
}

static void find_client_id(struct req *r)
{
	const char *h = req_header(r, "Idempotency-Key");
	if (h && *h && strlen(h) <= 128) {
		r->client_id = h;
		return;
	}
	if (r->body_len && !req_json(r)) {
		json_t *v = json_object_get(r->json, "client_id");
		if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 128)
			r->client_id = arena_strdup(&r->arena, json_string_value(v));
	} else {
		err_clear(&r->err);
	}
}

static void api_finish(struct conn_state *cs, int rc, int replay);

static void run_api(struct conn_state *cs)
{
	struct req *r = &cs->r;
	int rc = 0, replay = 0;
	r->status = 200;
	if (r->route->flags & ROUTE_IDEMPOTENT) {
		find_client_id(r);
		if (r->client_id)
			rc = idem_lookup(r, req_db(r), &replay);
	}
	if (!rc && !replay)
		rc = r->route->fn(r);
	if (r->parked) /* finished by api_resumed when its write is durable */
		return;
	api_finish(cs, rc, replay);
}

/* A parked request's write is durable: its handler's second half, then
 * what follows every handler. */
static void api_resumed(struct conn_state *cs)
{
	struct req *r = &cs->r;
	int (*then)(struct req *, void *, int) = r->then;
	r->parked = 0;
	r->then = NULL;
	api_finish(cs, then(r, r->then_arg, r->then_rc), 0);
}

/* After the handler: errors rendered, the request's transaction committed
 * with its idempotency record and audit row, or rolled back; audited reads
 * recorded before the data leaves. */
static void api_finish(struct conn_state *cs, int rc, int replay)
{
	struct req *r = &cs->r;
	int is_get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	if (rc < 0)
		render_error(r, rc);

	if (r->writer) {
		int ok = r->status < 400;
		if (ok && !replay) {
			int arc = 0;
			if (r->client_id)
				arc = idem_store(r);
			if (!arc && !r->no_audit)
				arc = write_audit(r->writer, r,
						  r->audit_action ? r->audit_action : "write",
						  r->rec_type, r->rec_id,
						  r->audit_detail);
			if (!arc)
				arc = db_commit(r->writer);
			if (arc) {
				db_rollback(r->writer);
				err_clear(&r->err);
				render_error(r, arc == ERR_CONFLICT ? ERR_CONFLICT : ERR_DB);
			}
		} else {
			db_rollback(r->writer);
		}
		if (!ok && r->status == 403 && !r->no_audit)
			write_audit(r->writer, r, "denied", r->rec_type, r->rec_id, r->err.message);
		db_release(r->db, r->writer);
		r->writer = NULL;
		/* Two copies of one request raced (two servers on PostgreSQL): the
		 * loser hit the winner's record or its idempotency row. Its answer
		 * is the winner's, now committed. */
		if (r->client_id && !replay && r->status == 409) {
			struct dbc *w = db_acquire(r->db, DB_WRITE);
			json_t *mine = r->out;
			int mine_status = r->status;
			r->out = NULL;
			if (w && !idem_lookup(r, w, &replay) && replay) {
				json_decref(mine);
				err_clear(&r->err);
			} else {
				json_decref(r->out);
				r->out = mine;
				r->status = mine_status;
			}
			if (w)
				db_release(r->db, w);
		}
	} else if (!is_get && r->status == 403 && r->authed && !r->no_audit) {
		struct dbc *w = db_acquire(r->db, DB_WRITE);
		if (w) {
			write_audit(w, r, "denied", r->rec_type, r->rec_id, r->err.message);
			db_release(r->db, w);
		}
	}
	r->replayed = replay || r->replayed; /* a handler may replay too (batched writes) */

	/* Audited reads: recorded before the data leaves; if the record
	 * cannot be written the data is not sent. */
	if (r->audit_reads && r->status < 400) {
		struct dbc *w = db_acquire(r->db, DB_WRITE);
		int arc = w ? db_begin(w) : ERR_DB;
		size_t i;
		json_t *a;
		json_array_foreach(r->audit_reads, i, a)
		{
			if (arc)
				break;
			arc = write_audit(w, r, "read", json_string_value(json_object_get(a, "type")),
					  json_integer_value(json_object_get(a, "id")),
					  json_string_value(json_object_get(a, "detail")));
		}
		if (w) {
			if (!arc)
				arc = db_commit(w);
			else
				db_rollback(w);
			db_release(r->db, w);
		}
		if (arc) {
			err_clear(&r->err);
			render_error(r, ERR_DB);
		}
	}
}

static int start_api(struct conn_state *cs)
{
	struct req *r = &cs->r;
	struct server *s = r->srv;
	char *scratch = arena_alloc(&r->arena, 2 * (strlen(r->path) + 1));
	if (!scratch)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	int idx = -1, status = 0;
	if (!csvx_text_ok(r->path, strlen(r->path)))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such route or record");
	r->route = router_find(s->rt, r->method, r->path, scratch, r->param_names,
			       r->param_values, &r->nparams, &idx, &status);
	if (!r->route) {
		if (status == 405) {
			char allow[128];
			router_allowed(s->rt, r->path, scratch, allow, sizeof allow);
			r->allow = arena_strdup(&r->arena, allow);
			return err_set(&r->err, ERR_METHOD, "", "%s is not allowed on %s (only %s)",
				       r->method, r->path, allow);
		}
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such route: %s", r->path);
	}
	cs->midx = idx;
	cs->max_body = r->route->max_body ? r->route->max_body : DEFAULT_MAX_BODY;
	int rc = req_check_inputs(r);
	if (rc)
		return rc;
	rc = auth_identify(r);
	if (rc)
		return rc;
	if (r->route->perm != PERM_PUBLIC && !r->authed)
		return err_set(&r->err, ERR_AUTH, "", "sign in first");
	if (r->route->perm != PERM_PUBLIC && !perm_has(r->who.perms, r->route->perm))
		return err_set(&r->err, ERR_FORBIDDEN, "", "your role (%s) may not do this",
			       r->who.role);
	/* Public routes (sign-in) need no CSRF token: there is no session to
	 * ride on yet, and SameSite=Strict keeps other sites' posts cookieless. */
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0 && r->authed &&
	    r->route->perm != PERM_PUBLIC && (rc = auth_check_csrf(r)))
		return rc;
	const char *cl = req_header(r, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > cs->max_body)
		return err_set(&r->err, ERR_TOO_LARGE, "body", "the body is larger than %zu bytes",
			       cs->max_body);
	return 0;
}

/* ---------- libmicrohttpd callbacks ---------- */

static int is_read_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* Answers the request once it has been read whole: MHD 0.9.75 closes a
 * connection whose answer was queued on the first call (before the request
 * was read), so answering there costs every client a new connection. */
static enum MHD_Result answer(struct conn_state *cs)
{
	struct req *r = &cs->r;
	switch (cs->kind) {
	case K_HEALTHZ: {
		enum MHD_Result ret = serve_healthz(cs);
		req_read_done(r);
		return ret;
	}
	case K_METRICS:
		return serve_metrics(cs);
	case K_ASSET:
		return serve_asset(cs, r->path);
	case K_API:
		break;
	}
	if (!cs->started) { /* a GET: checked now, in the snapshot it reads in */
		cs->started = 1;
		int rc = start_api(cs);
		if (rc) {
			req_read_done(r);
			return send_error_now(cs, rc);
		}
	}
	if (cs->too_large) {
		err_set(&r->err, ERR_TOO_LARGE, "body", "the body is larger than %zu bytes",
			cs->max_body);
		req_read_done(r);
		return send_error_now(cs, ERR_TOO_LARGE);
	}
	if (cs->body.oom) {
		req_read_done(r);
		return send_error_now(cs, ERR_NOMEM);
	}
	r->body = cs->body.data;
	r->body_len = cs->body.len;
	run_api(cs);
	if (r->parked)
		return MHD_YES;
	req_read_done(r);
	return send_req(cs);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct conn_state *cs = *con_cls;
	if (!cs) {
		cs = calloc(1, sizeof *cs);
		if (!cs)
			return MHD_NO;
		*con_cls = cs;
		__atomic_add_fetch(&s->active, 1, __ATOMIC_RELAXED);
		cs->t0 = clock_ms();
		cs->max_body = DEFAULT_MAX_BODY;
		struct req *r = &cs->r;
		r->srv = s;
		r->db = s->cfg.db;
		r->conn = conn;
		r->method = method;
		r->path = url;
		size_t nr = router_count(s->rt);
		if (strcmp(url, "/healthz") == 0) {
			cs->kind = K_HEALTHZ;
			cs->midx = (int)(nr + EXTRA_HEALTHZ);
			r->snapshot = 1;
		} else if (strcmp(url, "/metrics") == 0) {
			cs->kind = K_METRICS;
			cs->midx = (int)(nr + EXTRA_METRICS);
		} else if (strncmp(url, "/api/", 5) != 0 && strncmp(url, "/public/", 8) != 0) {
			/* /public/ pages (the notices) are routes that need no sign-in */
			cs->kind = K_ASSET;
			cs->midx = (int)(nr + EXTRA_ASSETS);
		} else {
			cs->kind = K_API;
			cs->midx = (int)(nr + EXTRA_UNMATCHED);
			/* A GET is routed and checked with the rest of it, in one
			 * snapshot; a write now, before its body is read (a 401 or
			 * 413 need not wait for a large upload). */
			if (is_read_method(method)) {
				r->snapshot = 1;
			} else {
				cs->started = 1;
				int rc = start_api(cs);
				req_read_done(r);
				if (rc)
					return send_error_now(cs, rc);
			}
		}
		return MHD_YES;
	}
	if (cs->r.parked) { /* resumed: the batched write is durable */
		api_resumed(cs);
		req_read_done(&cs->r);
		return send_req(cs);
	}
	if (cs->answered)
		return MHD_YES;
	if (*upload_data_size) {
		if (cs->kind == K_API && !cs->too_large) {
			if (cs->body.len + *upload_data_size > cs->max_body) {
				cs->too_large = 1;
				buf_free(&cs->body);
			} else {
				buf_append(&cs->body, upload_data, *upload_data_size);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	struct server *s = cls;
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	struct req *r = &cs->r;
	double ms = clock_ms() - cs->t0;
	int status = r->status ? r->status : (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? 200 : 0);
	if (cs->midx >= 0 && (size_t)cs->midx < s->nmetrics) {
		struct route_metrics *m = &s->metrics[cs->midx];
		int cls_i = status / 100;
		if (cls_i >= 1 && cls_i <= 5)
			__atomic_add_fetch(&m->count[cls_i], 1, __ATOMIC_RELAXED);
		int b = 0;
		while (b < METRIC_BUCKETS && ms > bucket_ms[b])
			b++;
		__atomic_add_fetch(&m->bucket[b], 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&m->sum_us, (uint64_t)(ms * 1000.0), __ATOMIC_RELAXED);
	}
	if (s->cfg.log_requests)
		log_info("%s %s %d %.1fms %s", r->method, r->path, status, ms,
			 r->authed ? r->who.username : "-");
	if (r->then) /* parked and never finished: let it free what it holds */
		r->then(r, r->then_arg, ERR_DB);
	if (r->writer) { /* a request cut off mid-way */
		db_rollback(r->writer);
		db_release(r->db, r->writer);
	}
	req_read_done(r); /* a request cut off mid-way: back to the pool (PostgreSQL) */
	json_decref(r->json);
	json_decref(r->out);
	json_decref(r->audit_reads);
	free(r->raw);
	free(r->set_cookie);
	buf_free(&cs->body);
	arena_free(&r->arena);
	free(cs);
	*con_cls = NULL;
	__atomic_sub_fetch(&s->active, 1, __ATOMIC_RELAXED);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return -1;
	char host[64];
	size_t hl = (size_t)(colon - listen);
	if (hl == 0 || hl >= sizeof host)
		return -1;
	memcpy(host, listen, hl);
	host[hl] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || !colon[1])
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int server_run(const struct server_config *cfg)
{
	struct server s = {.cfg = *cfg};
	struct sockaddr_in sa;
	jsonalloc_install();
	if (parse_listen(cfg->listen, &sa)) {
		log_error("--listen %s: expected HOST:PORT with an IPv4 address", cfg->listen);
		return 2;
	}
	s.rt = router_new(cfg->tables);
	if (!s.rt)
		return 1;
	s.nmetrics = router_count(s.rt) + EXTRA_COUNT;
	s.metrics = calloc(s.nmetrics, sizeof *s.metrics);
	if (!s.metrics) {
		router_free(s.rt);
		return 1;
	}
	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME, 0,
		NULL, NULL,
		on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 4),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s: %s", cfg->listen, strerror(errno));
		free(s.metrics);
		router_free(s.rt);
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	/* Tests and scripts wait for exactly this line. */
	fprintf(stderr, "listening on http://%s:%u\n", host,
		di ? (unsigned)di->port : (unsigned)ntohs(sa.sin_port));
	fflush(stderr);

	int sig = 0;
	sigwait(&set, &sig);
	log_info("received %s: no new connections; finishing requests in flight",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_socket ls = MHD_quiesce_daemon(d);
	/* Up to 80 s for requests in flight (a large import) to finish: under
	 * systemd's default 90 s stop timeout, so the service manager never
	 * kills a drain that would have finished (30 s cut off a 20,000-unit
	 * import on a loaded 2-core machine). */
	for (int i = 0; i < 1600 && __atomic_load_n(&s.active, __ATOMIC_RELAXED) > 0; i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	free(s.metrics);
	router_free(s.rt);
	log_info("stopped");
	return 0;
}
