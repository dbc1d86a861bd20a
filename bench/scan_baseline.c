/* Baseline for bench/scans.sh: a bare libmicrohttpd server (the same daemon
 * flags and thread pool as cordon serve) that stores every POST body as one
 * row in SQLite (WAL, like cordon) in a transaction of its own: one commit,
 * so at synchronous=FULL one fsync, per request. No JSON, no token, no
 * rules: what a durable one-insert-per-request write costs on this machine.
 * Usage: scan_baseline PORT DB FULL|NORMAL [THREADS] */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;
static sqlite3_stmt *ins;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

struct body {
	char *data;
	size_t len;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ptr)
{
	(void)cls; (void)url; (void)version;
	struct body *b = *ptr;
	if (!b) {
		b = calloc(1, sizeof *b);
		if (!b)
			return MHD_NO;
		*ptr = b;
		return MHD_YES;
	}
	if (*size) {
		char *n = realloc(b->data, b->len + *size + 1);
		if (!n)
			return MHD_NO;
		memcpy(n + b->len, data, *size);
		b->data = n;
		b->len += *size;
		b->data[b->len] = 0;
		*size = 0;
		return MHD_YES;
	}
	int ok = 1;
	if (strcmp(method, "POST") == 0) {
		pthread_mutex_lock(&mu);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)time(NULL));
		sqlite3_bind_text(ins, 2, b->data ? b->data : "", (int)b->len, SQLITE_STATIC);
		ok = sqlite3_step(ins) == SQLITE_DONE;
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		pthread_mutex_unlock(&mu);
	}
	static const char good[] = "{\"decision\":\"allow\"}", bad[] = "{\"error\":\"db\"}";
	struct MHD_Response *r = MHD_create_response_from_buffer(
		ok ? sizeof good - 1 : sizeof bad - 1, (void *)(ok ? good : bad),
		MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, ok ? 200 : 500, r);
	MHD_destroy_response(r);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ptr,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)c; (void)toe;
	struct body *b = *ptr;
	if (b) {
		free(b->data);
		free(b);
		*ptr = NULL;
	}
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: scan_baseline PORT DB FULL|NORMAL [THREADS]\n");
		return 2;
	}
	int port = atoi(argv[1]);
	int threads = argc > 4 ? atoi(argv[4]) : 8;
	char pragmas[160];
	snprintf(pragmas, sizeof pragmas,
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA busy_timeout=5000;",
		 strcmp(argv[3], "NORMAL") == 0 ? "NORMAL" : "FULL");
	if (sqlite3_open(argv[2], &db) != SQLITE_OK ||
	    sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "CREATE TABLE IF NOT EXISTS scans(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
			 " body TEXT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO scans(at, body) VALUES (?1, ?2)", -1, &ins, NULL) !=
		    SQLITE_OK) {
		fprintf(stderr, "scan_baseline: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048, MHD_OPTION_END);
	if (!d)
		return 1;
	fprintf(stderr, "listening on http://127.0.0.1:%d (synchronous=%s)\n", port, argv[3]);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
