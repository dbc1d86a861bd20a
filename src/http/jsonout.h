/* Compact JSON text of a jansson value, byte for byte what
 * json_dumps(v, JSON_OUT_DUMP_FLAGS) writes (compact, reals with 15
 * significant digits so tenths read 37.2), at a fraction of its cost: every
 * answer is serialised once, and jansson's dump (a callback per fragment,
 * a UTF-8 decode per character) was a quarter of a small GET's
 * instructions under callgrind. */
#ifndef CORDON_JSONOUT_H
#define CORDON_JSONOUT_H

#include <jansson.h>
#include <stddef.h>

#define JSON_OUT_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* Returns malloc'd NUL-terminated text (its length in *len when len is not
 * NULL), or NULL on out of memory or a string that is not valid UTF-8 (as
 * json_dumps does). Objects keep their insertion order, as json_dumps
 * without JSON_SORT_KEYS. */
char *json_out(const json_t *v, size_t *len);

#endif
