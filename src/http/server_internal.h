/* Server state shared inside src/http/ (not for features). */
#ifndef CORDON_SERVER_INTERNAL_H
#define CORDON_SERVER_INTERNAL_H

#include <stdint.h>

#include "router.h"
#include "server.h"

#define METRIC_BUCKETS 11

struct route_metrics {
	uint64_t count[6]; /* by status class: 1xx..5xx, [0] unused */
	uint64_t bucket[METRIC_BUCKETS + 1];
	uint64_t sum_us;
};

struct server {
	struct server_config cfg;
	struct router *rt;
	struct route_metrics *metrics; /* router_count + EXTRA_METRICS */
	size_t nmetrics;
	uint64_t active;
	uint64_t total;
};

#endif
