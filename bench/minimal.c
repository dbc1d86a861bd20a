/* Baseline for bench/http.sh: the smallest libmicrohttpd responder, with the
 * same daemon flags and thread pool as cordon serve, answering every request
 * with a fixed small JSON body. What cordon adds is measured against it.
 * It answers on the second call of the access handler, as the libmicrohttpd
 * manual describes: a response queued on the first call (before the request
 * is fully read) makes libmicrohttpd 0.9.75 close the connection after it,
 * so every request would pay a new TCP connection and the baseline would be
 * slower than a keep-alive server. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ptr)
{
	(void)cls; (void)url; (void)method; (void)version; (void)data;
	static int first_call;
	if (*ptr == NULL) { /* the first call: headers only */
		*ptr = &first_call;
		return MHD_YES;
	}
	if (*size) { /* a body we do not need */
		*size = 0;
		return MHD_YES;
	}
	static const char body[] = "{\"status\":\"ok\"}";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 18990;
	int threads = argc > 2 ? atoi(argv[2]) : 8;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048, MHD_OPTION_END);
	if (!d)
		return 1;
	fprintf(stderr, "listening on http://127.0.0.1:%d\n", port);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
