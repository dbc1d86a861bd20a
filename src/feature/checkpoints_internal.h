/* What checkpoints.c and checkpoint_screening.c share: the limits of a
 * screening entry, a checkpoint as the handlers load it (in scope) and the
 * small request helpers both use. Only those two files include this. */
#ifndef CORDON_CHECKPOINTS_INTERNAL_H
#define CORDON_CHECKPOINTS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../http/router.h"

#define MAX_OCCUPANTS 60   /* a coach */
#define MAX_FLAGGED 500    /* flagged persons of one train */
#define MAX_TRAIN_PERSONS 5000
#define OFFLINE_SECONDS (30 * 86400) /* how old a queued entry may be */
#define AHEAD_SECONDS 3600           /* how far a device's clock may run ahead */

/* What the handlers need of a checkpoint. */
struct cp {
	int64_t id, unit_id;
	char kind[8];
	char name[128];
};

/* Local "YYYY-MM-DD HH:MM" of t: what the checkpoint pages show. */
json_t *cp_time_text(int64_t t);
/* Rewrites ei's field as "<prefix>.<field>" (or "<prefix>" when none).
 * Returns rc. */
int cp_prefix_field(struct err_info *ei, const char *prefix, int rc);
/* Loads checkpoint id on c and checks it against the caller's scope: a
 * missing one, or (reads) one outside scope, is 404; a write outside scope
 * is 403. Uses c, never the request's write connection, so batched routes
 * may call it on the read connection. */
int cp_load(struct req *r, struct dbc *c, int64_t id, int write, struct cp *out);
/* The checkpoint of path parameter {id}. */
int cp_param(struct req *r, struct dbc *c, int write, struct cp *out);
/* A unit's kind and name: 1 found, 0 not, <0 error. */
int cp_unit_info(struct dbc *c, int64_t id, char kind[32], char *name, size_t cap);
/* Reads ?key=YYYY-MM-DD into out (def when absent; def may be NULL: "").
 * 0 or ERR_INVALID naming key. */
int cp_query_day(struct req *r, const char *key, const char *def, char out[DAY_LEN]);

#endif
