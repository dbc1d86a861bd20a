/* The HTTP server: libmicrohttpd with an internal thread pool over epoll,
 * serving the route tables it is given, the embedded web app, /healthz and
 * /metrics, until SIGTERM or SIGINT. */
#ifndef CORDON_SERVER_H
#define CORDON_SERVER_H

#include "../db/db.h"
#include "http.h"

struct server_config {
	const char *listen; /* "HOST:PORT" */
	int threads;
	struct db *db;
	const struct route_table *const *tables; /* NULL-terminated */
	int secure_cookie; /* add Secure to the session cookie (behind TLS) */
	int trust_proxy;   /* take the client address from X-Forwarded-For */
	int log_requests;
	const char *version;
	struct batcher *batch; /* the group-commit writer for hot write paths */
};

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish and
 * returns 0; returns non-zero when it cannot start. The caller closes db. */
int server_run(const struct server_config *cfg);

#endif
